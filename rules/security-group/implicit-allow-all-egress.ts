import { conditionOf, groupsByAddress } from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';

export const check: Check = {
  meta: {
    id: 'SGS014',
    name: 'implicit-allow-all-egress',
    severity: 'info',
    shortDescription: 'Security group without explicit egress rules gets the platform\'s allow-all egress',
    fullDescription:
      'A security group declares no egress rules, so the platform adds its default rule allowing all ' +
      'outbound traffic to 0.0.0.0/0. CloudFormation keeps that rule unless SecurityGroupEgress is given ' +
      'inline (standalone AWS::EC2::SecurityGroupEgress resources do not remove it). Nothing in the code ' +
      'says outbound traffic was considered. Terraform\'s aws_security_group removes the default rule when ' +
      'no egress is written, so Terraform groups are not reported. Declared allow-all egress rules are ' +
      'SGS009\'s.',
    remediation:
      'Declare the egress the workload needs inline in the group; to allow nothing, give one rule that ' +
      'matches no traffic (CloudFormation\'s documented idiom is ICMP to 127.0.0.1/32).',
    remediationTerraform: [
      'resource "aws_security_group" "app" {',
      '  name        = "app"',
      '  description = "Application servers"',
      '  vpc_id      = aws_vpc.main.id',
      '  egress {',
      '    description = "HTTPS to the internet"',
      '    protocol    = "tcp"',
      '    from_port   = 443',
      '    to_port     = 443',
      '    cidr_blocks = ["0.0.0.0/0"]',
      '  }',
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
    tags: ['security', 'egress'],
    references: [
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroup.html',
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
      'https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html',
    ],
    equivalents: { cfnNag: ['F1000'] },
  },
  run(model) {
    const groups = groupsByAddress(model);
    const reports: Report[] = [];
    for (const rule of model.rules) {
      if (rule.direction !== 'egress' || rule.origin !== 'implicit') continue;
      const group = groups.of(rule);
      if (group?.isDefault) continue; // SGS006 and the default group's own story
      const cond = conditionOf(rule, group);
      reports.push({
        message:
          `Security group ${rule.group} declares no egress rules, so it gets the default rule allowing all ` +
          'outbound traffic to 0.0.0.0/0.',
        location: group?.location ?? rule.location,
        via: group?.via ?? rule.via,
        resource: rule.group,
        key: 'implicit-egress',
        certainty: cond.assumptions.length ? 'possible' : 'definite',
        assumptions: cond.assumptions,
      });
    }
    return reports;
  },
};
