import {
  describeWorldPeer,
  both,
  conditionOf,
  groupsByAddress,
  isDefinite,
  joinAssumptions,
  lowerFirst,
  peerIsWorld,
  ruleAdmitsAllTraffic,
  ruleKey,
  ruleSubject,
} from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';

export const check: Check = {
  meta: {
    id: 'SGS009',
    name: 'unrestricted-egress',
    severity: 'info',
    shortDescription: 'All outbound traffic to the whole internet allowed by a declared rule',
    fullDescription:
      'An egress rule written in the code allows all traffic (protocol -1, or every tcp/udp port) to the ' +
      'whole internet (0.0.0.0/0 or ::/0). It is AWS\'s default for new groups, so it is only ' +
      'informational, but it lets a compromised host download tools and send data anywhere. The implicit ' +
      'default rule is not reported, only rules the code declares.',
    remediation:
      'Allow only the destinations and ports the workload needs (for example tcp/443 to the internet ' +
      'through a NAT gateway, and the database port to the database group).',
    remediationTerraform: [
      'resource "aws_vpc_security_group_egress_rule" "https_out" {',
      '  security_group_id = aws_security_group.app.id',
      '  description       = "HTTPS to the internet"',
      '  ip_protocol       = "tcp" # not "-1"',
      '  from_port         = 443',
      '  to_port           = 443',
      '  cidr_ipv4         = "0.0.0.0/0"',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'AppSecurityGroup:',
      '  Type: AWS::EC2::SecurityGroup',
      '  Properties:',
      '    GroupDescription: Application servers',
      '    VpcId: !Ref Vpc',
      '    SecurityGroupEgress:',
      '      - Description: HTTPS to the internet',
      '        IpProtocol: tcp',
      '        FromPort: 443',
      '        ToPort: 443',
      '        CidrIp: 0.0.0.0/0',
    ].join('\n'),
    tags: ['security', 'egress', 'internet'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
      'https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html',
    ],
    equivalents: {
      checkov: ['CKV_AWS_382'],
      trivy: ['AVD-AWS-0104'],
      kics: [
        '66f2d8f9-a911-4ced-ae27-34f09690bb2c',
        '1cc2fbd7-816c-4fbf-ad6d-38a4afa4312a',
        'ee464fc2-54a6-4e22-b10a-c6dcd2474d0c',
      ],
      cfnNag: ['W5', 'W40'],
    },
  },
  run(model) {
    const groups = groupsByAddress(model);
    const reports: Report[] = [];
    for (const rule of model.rules) {
      if (rule.direction !== 'egress' || rule.origin === 'implicit') continue;
      const m = both(peerIsWorld(rule.peer), ruleAdmitsAllTraffic(rule), conditionOf(rule, groups.of(rule)));
      if (!m) continue;
      const base = { location: rule.location, via: rule.via, resource: rule.resource, key: ruleKey(rule) };
      reports.push(
        isDefinite(m)
          ? {
              ...base,
              message: `${ruleSubject(rule)} allows all outbound traffic to ${describeWorldPeer(rule.peer, rule.direction)}.`,
            }
          : {
              ...base,
              message: `Possibly: ${lowerFirst(ruleSubject(rule))} allows all outbound traffic to the whole internet, depending on values not known statically (${joinAssumptions(m.assumptions)}).`,
              certainty: 'possible',
              assumptions: m.assumptions,
            },
      );
    }
    return reports;
  },
};
