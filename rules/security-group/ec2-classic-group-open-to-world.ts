import type { Check, Report } from '../../src/model/check.js';
import { isWorld, mayBeWorld, parseCidr } from '../../src/model/peer.js';
import { Unknown, nameOfUnknown, onlyIf } from '../../src/model/value.js';
import { CLASSIC_TYPES, classicIngress } from '../kit/classic.js';

export const check: Check = {
  meta: {
    id: 'SGS054',
    name: 'ec2-classic-group-open-to-world',
    severity: 'medium',
    preset: 'strict',
    shortDescription: 'EC2-Classic DB or cluster security group admits the whole internet (CIDRIP 0.0.0.0/0)',
    fullDescription:
      'An ingress of an RDS DB security group (aws_db_security_group ingress cidr, AWS::RDS::DBSecurityGroup ' +
      'DBSecurityGroupIngress CIDRIP, AWS::RDS::DBSecurityGroupIngress) or a Redshift cluster security group ' +
      '(aws_redshift_security_group, AWS::Redshift::ClusterSecurityGroupIngress) authorizes 0.0.0.0/0 or ::/0: ' +
      'the database port open to the whole internet (KICS "DB Security Group With Public Scope"). These groups ' +
      'are EC2-Classic and no longer deploy (SGS053, recommended); this check says what the written design ' +
      'would have done, for teams that port it to a VPC security group unchanged. A CIDR that is not known and ' +
      'may be the world is "possible". ElastiCache cache security groups authorize only EC2 groups, never ' +
      'CIDRs. Strict preset only; severity medium, as a database reachable from anywhere would be once ported.',
    remediation: 'Authorize the application\'s security group or its network instead of 0.0.0.0/0 (and move to a VPC security group, SGS053).',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "db_from_app" {',
      '  security_group_id            = aws_security_group.db.id',
      '  description                  = "PostgreSQL from the app"',
      '  ip_protocol                  = "tcp"',
      '  from_port                    = 5432',
      '  to_port                      = 5432',
      '  referenced_security_group_id = aws_security_group.app.id # not cidr 0.0.0.0/0',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'DbFromApp:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref DbSecurityGroup',
      '    Description: PostgreSQL from the app',
      '    IpProtocol: tcp',
      '    FromPort: 5432',
      '    ToPort: 5432',
      '    SourceSecurityGroupId: !Ref AppSecurityGroup # not CIDRIP 0.0.0.0/0',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'internet', 'database', 'ec2-classic'],
    references: [
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbsecuritygroupingress.html',
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-classic-platform.html',
    ],
    equivalents: { kics: ['1e0ef61b-ad85-4518-a3d3-85eaad164885'] },
  },
  run(model) {
    const reports: Report[] = [];
    for (const r of model.resources) {
      if (!Object.hasOwn(CLASSIC_TYPES, r.resourceType)) continue;
      const t = CLASSIC_TYPES[r.resourceType];
      for (const ing of classicIngress(r, t)) {
        const assumptions = (r.condition?.reasons ?? []).map((x) => `${r.address} exists only if ${onlyIf(x)}`);
        let cidr: string;
        if (ing.cidr instanceof Unknown) {
          if (!mayBeWorld(ing.cidr)) continue;
          assumptions.push(`if ${nameOfUnknown(ing.cidr)} is 0.0.0.0/0`);
          cidr = nameOfUnknown(ing.cidr);
        } else {
          const p = parseCidr(ing.cidr);
          if (!isWorld(p) || p.kind !== 'cidr') continue;
          cidr = p.cidr;
        }
        reports.push({
          message: `${r.address} (${r.resourceType})${ing.path ? ` ${ing.path}` : ''} authorizes ${cidr}: the database would be open to the whole internet (and the group, EC2-Classic, no longer deploys)`,
          location: ing.location,
          via: r.via,
          resource: r.address,
          key: `classic-world|${ing.path}`,
          certainty: assumptions.length ? 'possible' : 'definite',
          assumptions,
        });
      }
    }
    return reports;
  },
};
