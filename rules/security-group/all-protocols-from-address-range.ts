import { conditionOf, groupsByAddress, lowerFirst, ruleKey, ruleSubject } from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';
import { describePeer, isWorld } from '../../src/model/peer.js';

export const check: Check = {
  meta: {
    id: 'SGS013',
    name: 'all-protocols-from-address-range',
    severity: 'low',
    overlaps: { family: 'range-open-rule', rank: 0 },
    shortDescription: 'Ingress of every protocol and port (-1) from an address range or prefix list',
    fullDescription:
      'An ingress rule with protocol -1 (every protocol, every port) has a CIDR or a prefix list as its ' +
      'source, even a private one. Nothing about the workload needs every port from a whole network: the ' +
      'rule admits whatever listens on the members, now or later, to every host in the range. Between ' +
      'workloads, a security-group source with the ports in use says what is meant. Rules from the whole ' +
      'internet are SGS002\'s; rules whose source is a security group are not reported.',
    remediation: 'Name the protocols and ports the clients use, and prefer a security group as the source.',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "app" {',
      '  security_group_id = aws_security_group.app.id',
      '  description       = "HTTPS from the VPC"',
      '  ip_protocol       = "tcp" # not "-1"',
      '  from_port         = 443',
      '  to_port           = 443',
      '  cidr_ipv4         = "10.0.0.0/16"',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'AppIngress:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref AppSecurityGroup',
      '    Description: HTTPS from the VPC',
      '    IpProtocol: tcp # not -1',
      '    FromPort: 443',
      '    ToPort: 443',
      '    CidrIp: 10.0.0.0/16',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'least-privilege'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18',
    ],
    equivalents: { kics: ['1a427b25-2e9e-4298-9530-0499a55e736b'], cfnNag: ['W41'] },
  },
  run(model) {
    const groups = groupsByAddress(model);
    const reports: Report[] = [];
    for (const rule of model.rules) {
      const peer = rule.peer;
      if (rule.direction !== 'ingress' || rule.protocol.kind !== 'all') continue;
      if (!(peer.kind === 'prefixList' || (peer.kind === 'cidr' && !isWorld(peer)))) continue;
      const cond = conditionOf(rule, groups.of(rule));
      reports.push({
        // A rule that exists only under a condition says so (the group's Condition, a count = 0 branch).
        message: cond.assumptions.length
          ? `Possibly: ${lowerFirst(ruleSubject(rule))} allows every protocol and port (-1) from ${describePeer(peer)} (${cond.assumptions.join('; ')}).`
          : `${ruleSubject(rule)} allows every protocol and port (-1) from ${describePeer(peer)}.`,
        location: rule.location,
        via: rule.via,
        resource: rule.resource,
        key: ruleKey(rule),
        certainty: cond.assumptions.length ? 'possible' : 'definite',
        assumptions: cond.assumptions,
      });
    }
    return reports;
  },
};
