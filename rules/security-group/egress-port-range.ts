import type { Check } from '../../src/model/check.js';
import { portRangeReports } from '../kit/port-range.js';

export const check: Check = {
  meta: {
    id: 'SGS045',
    name: 'egress-port-range',
    severity: 'info',
    preset: 'strict',
    shortDescription: 'Egress rule opens a range of ports instead of single ports',
    fullDescription:
      'A tcp or udp egress rule whose from and to ports differ lets members connect to every port in the range ' +
      '(0-65535 to 0.0.0.0/0 is the usual one), where least privilege names the ports the destinations serve ' +
      '(cfn_nag W29). The implicit allow-all egress of a group without egress rules is SGS014\'s, protocol -1 ' +
      'is SGS009\'s; ICMP type and code are not ports. Unknown ports or protocol make the finding "possible". ' +
      'Strict preset only; severity info: egress ranges are the norm and the destination decides what answers.',
    remediation: 'Allow only the destination ports the members need (443 to the internet, the database port to the database group).',
    remediationTerraform: [
      'resource "aws_vpc_security_group_egress_rule" "https_out" {',
      '  security_group_id = aws_security_group.app.id',
      '  description       = "HTTPS to AWS APIs"',
      '  ip_protocol       = "tcp"',
      '  from_port         = 443',
      '  to_port           = 443 # not 0-65535',
      '  cidr_ipv4         = "0.0.0.0/0"',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'HttpsEgress:',
      '  Type: AWS::EC2::SecurityGroupEgress',
      '  Properties:',
      '    GroupId: !Ref AppSecurityGroup',
      '    Description: HTTPS to AWS APIs',
      '    IpProtocol: tcp',
      '    FromPort: 443',
      '    ToPort: 443 # not 65535',
      '    CidrIp: 0.0.0.0/0',
    ].join('\n'),
    tags: ['security', 'least-privilege', 'port-range', 'egress'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
      'https://github.com/stelligent/cfn_nag/blob/master/lib/cfn-nag/custom_rules/SecurityGroupEgressPortRangeRule.rb',
    ],
    equivalents: { kics: ['dae9c373-8287-462f-8746-6f93dad93610'], cfnNag: ['W29'] },
  },
  run(model) {
    return portRangeReports(model, 'egress');
  },
};
