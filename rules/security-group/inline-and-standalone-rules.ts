import { formatOf, groupKey, ruleGroupKey } from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';

export const check: Check = {
  meta: {
    id: 'SGS017',
    name: 'inline-and-standalone-rules',
    severity: 'medium',
    shortDescription: 'Terraform security group with both inline rules and standalone rule resources',
    fullDescription:
      'A Terraform aws_security_group declares rules inline (ingress/egress blocks) and is also the target ' +
      'of standalone aws_security_group_rule or aws_vpc_security_group_ingress_rule/egress_rule ' +
      'resources. The AWS provider documents that the two cannot be mixed: on every apply the inline ' +
      'blocks overwrite the group\'s rules and remove the standalone ones, which are then added back, so ' +
      'plans never converge and rules briefly disappear. Only a direction written inline is managed by the group: ' +
      'inline egress blocks beside standalone ingress rules do not fight and are not reported. CloudFormation has no such conflict and is not ' +
      'reported.',
    remediation: 'Use one style per group: move the inline blocks into standalone rule resources (recommended), or the reverse.',
    remediationTerraform: [
      'resource "aws_security_group" "app" {',
      '  name        = "app"',
      '  description = "App servers"',
      '  vpc_id      = aws_vpc.main.id',
      '  # no ingress/egress blocks here',
      '}',
      '',
      'resource "aws_vpc_security_group_ingress_rule" "https" {',
      '  security_group_id = aws_security_group.app.id',
      '  description       = "HTTPS from the VPC"',
      '  ip_protocol       = "tcp"',
      '  from_port         = 443',
      '  to_port           = 443',
      '  cidr_ipv4         = "10.0.0.0/16"',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      '# CloudFormation merges inline and standalone rules; nothing to change. For symmetry:',
      'AppHttpsIngress:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref AppSecurityGroup',
      '    Description: HTTPS from the VPC',
      '    IpProtocol: tcp',
      '    FromPort: 443',
      '    ToPort: 443',
      '    CidrIp: 10.0.0.0/16',
    ].join('\n'),
    tags: ['security', 'terraform', 'drift'],
    references: [
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group_rule',
    ],
  },
  run(model) {
    const reports: Report[] = [];
    for (const g of model.groups) {
      if (!g.mixesInlineAndStandalone) continue;
      const own = model.rules.filter((r) => ruleGroupKey(r, formatOf(r)) === groupKey(g));
      // Only a direction declared inline is managed by the group, so only there do the two fight.
      const inlineDirections = new Set(own.filter((r) => r.origin === 'inline').map((r) => r.direction));
      const fighting = own.filter((r) => r.origin === 'standalone' && inlineDirections.has(r.direction));
      if (fighting.length === 0) continue;
      const standalone = [...new Set(fighting.map((r) => r.resource))].sort();
      const directions = ['ingress', 'egress'].filter((d) => fighting.some((r) => r.direction === d)).join(' and ');
      reports.push({
        message:
          `Security group ${g.address} has inline ${directions} rules and is also the target of standalone ${directions} rule resources ` +
          `(${standalone.join(', ')}); Terraform removes and re-adds the standalone rules on every apply.`,
        location: g.location,
        via: g.via,
        resource: g.address,
        key: 'inline-and-standalone',
      });
    }
    return reports;
  },
};
