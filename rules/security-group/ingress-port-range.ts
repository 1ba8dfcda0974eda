import type { Check } from '../../src/model/check.js';
import { portRangeReports } from '../kit/port-range.js';

export const check: Check = {
  meta: {
    id: 'SGS044',
    name: 'ingress-port-range',
    severity: 'low',
    preset: 'strict',
    shortDescription: 'Ingress rule opens a range of ports instead of single ports',
    fullDescription:
      'A tcp or udp ingress rule whose from and to ports differ (20-21, 8000-8999, 0-65535) admits every port in ' +
      'between, including ports nothing is meant to listen on today and whatever starts listening there ' +
      'tomorrow. Compliance reviews (cfn_nag W27) ask for one rule per service port. Protocol -1 rules are not ' +
      'ranges but all traffic (SGS002, SGS013); ICMP type and code are not ports and are never reported. A ' +
      'rule whose ports or protocol are unknown is reported as "possible". Strict preset only: a deliberate ' +
      'range (passive FTP, a media server) is common and legitimate. Severity low.',
    remediation: 'Write one rule per port the service listens on, or narrow the range to the ports in use.',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "https" {',
      '  security_group_id = aws_security_group.web.id',
      '  description       = "HTTPS from the load balancer"',
      '  ip_protocol       = "tcp"',
      '  from_port         = 443',
      '  to_port           = 443 # not 0-65535',
      '  referenced_security_group_id = aws_security_group.lb.id',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'HttpsIngress:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref WebSecurityGroup',
      '    Description: HTTPS from the load balancer',
      '    IpProtocol: tcp',
      '    FromPort: 443',
      '    ToPort: 443 # not 65535',
      '    SourceSecurityGroupId: !Ref LoadBalancerSecurityGroup',
    ].join('\n'),
    tags: ['security', 'least-privilege', 'port-range'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
      'https://github.com/stelligent/cfn_nag/blob/master/lib/cfn-nag/custom_rules/SecurityGroupIngressPortRangeRule.rb',
    ],
    equivalents: { kics: ['87482183-a8e7-4e42-a566-7a23ec231c16'], cfnNag: ['W27'] },
  },
  run(model) {
    return portRangeReports(model, 'ingress');
  },
};
