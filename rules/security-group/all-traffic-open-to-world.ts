import {
  describeWorldPeer,
  allTrafficTogether,
  both,
  conditionOf,
  describeRuleTraffic,
  groupsByAddress,
  isDefinite,
  joinAssumptions,
  lowerFirst,
  peerIsWorld,
  ruleAdmitsAllTraffic,
  ruleKey,
  ruleSubject,
  worldCovers,
  worldTogetherReport,
} from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';

export const check: Check = {
  meta: {
    id: 'SGS002',
    name: 'all-traffic-open-to-world',
    severity: 'high',
    shortDescription: 'All traffic (every protocol, or every tcp/udp port) open to the whole internet',
    fullDescription:
      'An ingress rule allows the whole internet (0.0.0.0/0 or ::/0, compared by value) to reach every ' +
      'protocol and port (protocol -1), or every port of tcp or udp (0-65535, or -1/-1). Every service ' +
      'listening on the members of the group, including ones started later or by accident, is then ' +
      'reachable from anywhere, and the security group no longer filters anything. A protocol without ' +
      'ports (for example 50, ESP) admits only that protocol and does not count. CIDR sources of one group ' +
      'that together cover all of IPv4 or IPv6 (0.0.0.0/1 and 128.0.0.0/1) count as the world: each rule ' +
      'of such a cover is reported, naming the others. When the source, protocol ' +
      'or ports cannot be resolved statically and could mean all traffic from the world, the finding is ' +
      'reported as "possible" and names the unknown values. Severity is high. One finding per rule: where SGS001 ' +
      '(SSH, RDP) also matches, this finding stands for both, at the more severe severity.',
    remediation:
      'Replace the rule with rules for the specific ports the workload serves (for example tcp/443 for a ' +
      'web server), or restrict the source to known address ranges or security groups.',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "https" {',
      '  security_group_id = aws_security_group.web.id',
      '  description       = "HTTPS from the internet"',
      '  ip_protocol       = "tcp" # not "-1"',
      '  from_port         = 443',
      '  to_port           = 443',
      '  cidr_ipv4         = "0.0.0.0/0"',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'WebHttpsIngress:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref WebSecurityGroup',
      '    Description: HTTPS from the internet',
      '    IpProtocol: tcp # not -1',
      '    FromPort: 443',
      '    ToPort: 443',
      '    CidrIp: 0.0.0.0/0',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'internet'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19',
    ],
    overlaps: { family: 'world-open-rule', rank: 0 },
    equivalents: {
      checkov: ['CKV_AWS_277'],
      trivy: ['AVD-AWS-0107'],
      kics: ['adcd0082-e90b-4b63-862b-21899f6e6a48', 'e415f8d3-fc2b-4f52-88ab-1129e8c8d3f5'],
      cfnNag: ['W2'],
    },
  },
  run(model) {
    const groups = groupsByAddress(model);
    const covers = worldCovers(model);
    const reports: Report[] = [];
    for (const rule of model.rules) {
      if (rule.direction !== 'ingress') continue;
      const m = both(peerIsWorld(rule.peer), ruleAdmitsAllTraffic(rule), conditionOf(rule, groups.of(rule)));
      if (!m) {
        const together = allTrafficTogether(covers.get(rule));
        if (together) reports.push(worldTogetherReport(rule, together.what, together.partners));
        continue;
      }
      const subject = ruleSubject(rule);
      const base = { location: rule.location, via: rule.via, resource: rule.resource, key: ruleKey(rule), exposes: rule };
      if (isDefinite(m)) {
        reports.push({
          ...base,
          message: `${subject} allows ${describeRuleTraffic(rule)} from ${describeWorldPeer(rule.peer, rule.direction)}.`,
          certainty: 'definite',
          assumptions: [],
        });
      } else {
        reports.push({
          ...base,
          message:
            `Possibly: ${lowerFirst(subject)} allows all traffic from the whole internet, depending on values ` +
            `not known statically (${joinAssumptions(m.assumptions)}).`,
          certainty: 'possible',
          assumptions: m.assumptions,
        });
      }
    }
    return reports;
  },
};
