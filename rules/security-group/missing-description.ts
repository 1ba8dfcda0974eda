import { describeRuleTraffic, ruleKey } from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';
import type { SecurityGroup } from '../../src/model/model.js';
import { describePeer } from '../../src/model/peer.js';

/** What the Terraform AWS provider fills in when `description` is left out of aws_security_group. */
const TERRAFORM_DEFAULT_DESCRIPTION = 'Managed by Terraform';

/** Missing or blank. An Unknown description is present (it has a value at apply time): not a finding. */
function isMissing(d: unknown): boolean {
  return d === undefined || d === null || (typeof d === 'string' && d.trim() === '');
}

function isTerraformDefault(g: SecurityGroup): boolean {
  return g.format !== 'cloudformation' && g.description === TERRAFORM_DEFAULT_DESCRIPTION;
}

export const check: Check = {
  meta: {
    id: 'SGS003',
    name: 'missing-description',
    severity: 'low',
    shortDescription: 'Security group or rule without a description',
    fullDescription:
      'A security group has no description, or keeps the Terraform AWS provider\'s default "Managed by ' +
      'Terraform" (what aws_security_group gets when `description` is left out), or a rule written in ' +
      'the code has no description. Descriptions are what a reviewer or an incident responder sees in ' +
      'the console and in the EC2 API; without them nobody can tell why a port is open or whether it can ' +
      'be closed. A group\'s description cannot be changed without replacing the group, so it is worth ' +
      'getting right at creation. The default security group (aws_default_security_group) is skipped: its ' +
      'description is set by AWS and cannot be chosen. The platform\'s implicit allow-all egress rule is ' +
      'skipped too. A description that is not known statically counts as present.',
    remediation:
      'Give every security group a description that says what it protects, and every rule a description ' +
      'that says who needs the access and why.',
    remediationTerraform: [
      'resource "aws_security_group" "app" {',
      '  name        = "app"',
      '  description = "Application servers behind the public load balancer"',
      '  vpc_id      = aws_vpc.main.id',
      '',
      '  ingress {',
      '    description     = "HTTP from the load balancer"',
      '    protocol        = "tcp"',
      '    from_port       = 8080',
      '    to_port         = 8080',
      '    security_groups = [aws_security_group.alb.id]',
      '  }',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'AppSecurityGroup:',
      '  Type: AWS::EC2::SecurityGroup',
      '  Properties:',
      '    GroupDescription: Application servers behind the public load balancer',
      '    VpcId: !Ref Vpc',
      '    SecurityGroupIngress:',
      '      - Description: HTTP from the load balancer',
      '        IpProtocol: tcp',
      '        FromPort: 8080',
      '        ToPort: 8080',
      '        SourceSecurityGroupId: !Ref AlbSecurityGroup',
    ].join('\n'),
    tags: ['security', 'hygiene', 'documentation'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group#description-1',
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroup.html',
    ],
    equivalents: {
      checkov: ['CKV_AWS_23'],
      trivy: ['AVD-AWS-0099', 'AVD-AWS-0124'],
      kics: [
        '68eb4bf3-f9bf-463d-b5cf-e029bb446d2e',
        'cb3f5ed6-0d18-40de-a93d-b3538db31e8c',
        '5e6c9c68-8a82-408e-8749-ddad78cbb9c5',
      ],
    },
  },
  run(model) {
    const reports: Report[] = [];
    for (const g of model.groups) {
      if (g.isDefault) continue;
      if (isMissing(g.description)) {
        reports.push({
          message: `Security group ${g.address} has no description.`,
          location: g.location,
          via: g.via,
          resource: g.address,
          key: 'group-description',
        });
      } else if (isTerraformDefault(g)) {
        // Written out explicitly: point at the attribute; left out: at the resource block.
        const line = g.attributeLines.description;
        const location = line ? { file: g.location.file, line, endLine: line } : g.location;
        reports.push({
          message: `Security group ${g.address} has only Terraform's default description "${TERRAFORM_DEFAULT_DESCRIPTION}".`,
          location,
          via: g.via,
          resource: g.address,
          key: 'group-description',
        });
      }
    }
    for (const r of model.rules) {
      if (r.origin === 'implicit' || !isMissing(r.description)) continue;
      const traffic = `${describeRuleTraffic(r)} ${r.direction === 'ingress' ? 'from' : 'to'} ${describePeer(r.peer)}`;
      const where =
        r.origin === 'standalone' && r.resource !== r.group
          ? `Rule ${r.resource} of security group ${r.group} (${r.direction} ${traffic})`
          : `An ${r.direction} rule of security group ${r.group} (${traffic})`;
      reports.push({
        message: `${where} has no description.`,
        location: r.location,
        via: r.via,
        resource: r.resource,
        key: `rule-description|${ruleKey(r)}`,
      });
    }
    return reports;
  },
};
