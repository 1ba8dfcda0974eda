import type { Check, Report } from '../../src/model/check.js';
import { Unknown, onlyIf } from '../../src/model/value.js';
import { certainty, conditionAssumptions, lineOr, networkOf } from '../kit/network.js';

/** What an unknown public accessibility depends on, in a reviewer's words. */
function unknownClause(reason: string, v: Unknown, hasSubnets: boolean): string {
  // CloudFormation's unset PubliclyAccessible: RDS decides from the VPC's internet gateway.
  if (reason === 'PubliclyAccessible unset') {
    return hasSubnets
      ? 'the VPC of its DB subnet group has an internet gateway (PubliclyAccessible unset: RDS then makes the instance public)'
      : 'the default VPC it goes to has an internet gateway (no DB subnet group; PubliclyAccessible unset: RDS then makes the instance public)';
  }
  const attribute = reason.split(' = ')[0];
  return `${attribute} is true (${v.reasons.join('; ')})`;
}

export const check: Check = {
  meta: {
    id: 'SGS029',
    name: 'database-publicly-accessible',
    severity: 'high',
    shortDescription: 'Database is publicly accessible (gets a public IP address)',
    fullDescription:
      'An RDS DB instance or cluster has publicly_accessible = true / PubliclyAccessible: true, so RDS gives it ' +
      'a public IP address and a DNS name that resolves to it from the internet. Then only its security groups ' +
      'and the route table stand between the database and the internet. In CloudFormation an unset ' +
      'PubliclyAccessible depends on the network: with a DB subnet group, RDS makes the instance public when the ' +
      'VPC has an internet gateway (reported when the scan shows one), private when it has none; without a subnet ' +
      'group the instance goes to the default VPC, which has one: reported as "possible". Terraform defaults to ' +
      'false. ElastiCache nodes never get public addresses. Severity high rather than critical: the flag is the ' +
      'precondition for exposure, not the exposure itself (the groups decide; SGS001-SGS005 report open groups ' +
      'and reachability joins them). Security Hub rates RDS.2 critical, so a database that is both public and ' +
      'open is worth escalating.',
    remediation:
      'Set publicly_accessible = false / PubliclyAccessible: false and place the database in private subnets; ' +
      'reach it through the application tier, a bastion or Session Manager port forwarding.',
    remediationTerraform: [
      'resource "aws_db_instance" "main" {',
      '  # ...',
      '  db_subnet_group_name   = aws_db_subnet_group.private.name',
      '  vpc_security_group_ids = [aws_security_group.db.id]',
      '  publicly_accessible    = false',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'Database:',
      '  Type: AWS::RDS::DBInstance',
      '  Properties:',
      '    DBSubnetGroupName: !Ref PrivateDbSubnetGroup # private AWS::EC2::Subnet resources only',
      '    VPCSecurityGroups: [!GetAtt DbSecurityGroup.GroupId]',
      '    PubliclyAccessible: false',
      'PrivateSubnetA:',
      '  Type: AWS::EC2::Subnet',
      '  Properties:',
      '    VpcId: !Ref Vpc',
      '    CidrBlock: 10.0.10.0/24',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'internet', 'database'],
    references: [
      'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding',
      'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-2',
    ],
    equivalents: {
      checkov: ['CKV_AWS_17'],
      trivy: ['AVD-AWS-0180', 'AVD-AWS-0082'],
      kics: ['35113e6f-2c6b-414d-beec-7a9482d3b2d1', '9564406d-e761-4e61-b8d7-5926e3ab8e79'],
      cfnNag: ['F22'],
    },
  },
  run(model) {
    const reports: Report[] = [];
    for (const e of networkOf(model).endpoints) {
      if (e.kind !== 'db' && e.kind !== 'db-cluster' && e.kind !== 'cache') continue;
      const v = e.publicIp.value;
      if (v === false) continue;
      const assumptions = v instanceof Unknown ? v.reasons.map((r) => `public accessibility is unknown: ${r}`) : [];
      const what = `${e.kind === 'db-cluster' ? 'DB cluster' : e.kind === 'cache' ? 'Cache' : 'DB instance'} ${e.id}`;
      // A possible finding reads as possible and says what it depends on (review #47).
      const ifs = [...(v instanceof Unknown ? [unknownClause(e.publicIp.reason, v, e.subnets.length > 0)] : []), ...(e.condition?.reasons ?? []).map((r) => `it is created (${onlyIf(r)})`)];
      reports.push({
        message: ifs.length === 0
          ? `${what} is publicly accessible (${e.publicIp.reason})`
          : v instanceof Unknown
            ? `${what} may be publicly accessible, if ${ifs.join(' and ')}`
            : `${what} may be publicly accessible (${e.publicIp.reason}), if ${ifs.join(' and ')}`,
        location: lineOr(e.location, e.publicIp.line),
        via: e.via,
        resource: e.id,
        key: 'publicly-accessible',
        ...certainty([...assumptions, ...conditionAssumptions(e)]),
      });
    }
    return reports;
  },
};
