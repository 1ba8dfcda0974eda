import type { Check, Report } from '../../src/model/check.js';
import { ResourceRef, onlyIf } from '../../src/model/value.js';
import { CLASSIC_TYPES } from '../kit/classic.js';

export const check: Check = {
  meta: {
    id: 'SGS053',
    name: 'ec2-classic-group',
    severity: 'medium',
    shortDescription: 'EC2-Classic security group (RDS, Redshift, ElastiCache): retired, it no longer deploys',
    fullDescription:
      'RDS DB security groups (aws_db_security_group, AWS::RDS::DBSecurityGroup and AWS::RDS::DBSecurityGroupIngress), ' +
      'Redshift cluster security groups (aws_redshift_security_group, AWS::Redshift::ClusterSecurityGroup and its ' +
      'Ingress) and ElastiCache cache security groups (aws_elasticache_security_group, AWS::ElastiCache::SecurityGroup ' +
      'and its Ingress) belong to EC2-Classic, which AWS retired on 15 August 2023: every account is VPC-only, the ' +
      'APIs that create them fail, and the Terraform AWS provider removed the resources in v5.0 (a plan with them ' +
      'fails). The template or module cannot be deployed as written, and whatever access the group was meant to ' +
      'control is not what the database gets. One finding per group resource, and per standalone ingress resource ' +
      'whose group is not in the scan. In the recommended preset, as other configurations AWS rejects (SGS007, ' +
      'SGS026). Severity medium.',
    remediation:
      'Replace the group with a VPC security group (aws_security_group / AWS::EC2::SecurityGroup) attached through ' +
      'the database\'s VPC security group list, and move its ingress to rules of that group.',
    remediationTerraform: [
      'resource "aws_security_group" "db" {',
      '  name        = "db"',
      '  description = "PostgreSQL clients"',
      '  vpc_id      = aws_vpc.main.id',
      '}',
      '',
      'resource "aws_db_instance" "main" {',
      '  # ...',
      '  vpc_security_group_ids = [aws_security_group.db.id] # not security_group_names',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'DbSecurityGroup:',
      '  Type: AWS::EC2::SecurityGroup # not AWS::RDS::DBSecurityGroup',
      '  Properties:',
      '    GroupDescription: PostgreSQL clients',
      '    VpcId: !Ref Vpc',
      'Database:',
      '  Type: AWS::RDS::DBInstance',
      '  Properties:',
      '    VPCSecurityGroups: [!GetAtt DbSecurityGroup.GroupId] # not DBSecurityGroups',
    ].join('\n'),
    tags: ['security', 'deployment', 'ec2-classic'],
    references: [
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-classic-platform.html',
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbsecuritygroup.html',
      'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.FindDefaultVPC.html',
      'https://github.com/hashicorp/terraform-provider-aws/blob/main/CHANGELOG.md#500-may-25-2023',
    ],
    equivalents: { trivy: ['AVD-AWS-0081', 'AVD-AWS-0085'], kics: ['4f615f3e-fb9c-4fad-8b70-2e9f781806ce', 'f0d8781f-99bf-4958-9917-d39283b168a0'] },
  },
  run(model) {
    const reports: Report[] = [];
    const classic = model.resources.filter((r) => Object.hasOwn(CLASSIC_TYPES, r.resourceType));
    for (const r of classic) {
      const t = CLASSIC_TYPES[r.resourceType];
      if (t.groupProperty) {
        // A standalone ingress of a group in the scan is told with its group: one resource to replace.
        const g = r.attributes[t.groupProperty];
        if (g instanceof ResourceRef && classic.some((c) => c.scope === r.scope && c.address === g.address)) continue;
      }
      const assumptions = (r.condition?.reasons ?? []).map((x) => `${r.address} exists only if ${onlyIf(x)}`);
      const what = `${r.address} (${r.resourceType}) is ${t.what}, an EC2-Classic resource that AWS retired in 2023: it can no longer be created; use ${t.instead}`;
      reports.push({
        // A conditional one fails the deployment only where it is created: say on what that depends.
        message: assumptions.length ? `Possibly: ${what} (${assumptions.join('; ')})` : what,
        location: r.location,
        via: r.via,
        resource: r.address,
        key: 'ec2-classic',
        certainty: assumptions.length ? 'possible' : 'definite',
        assumptions,
      });
    }
    return reports;
  },
};
