import type { Check, Report } from '../../src/model/check.js';
import { Unknown } from '../../src/model/value.js';
import { certainty, conditionAssumptions, lineOr, networkOf } from '../kit/network.js';

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
    equivalents: { checkov: ['CKV_AWS_17'], trivy: ['AVD-AWS-0180', 'AVD-AWS-0082'], cfnNag: ['F22'] },
  },
  run(model) {
    const reports: Report[] = [];
    for (const e of networkOf(model).endpoints) {
      if (e.kind !== 'db' && e.kind !== 'db-cluster' && e.kind !== 'cache') continue;
      const v = e.publicIp.value;
      if (v === false) continue;
      const assumptions = v instanceof Unknown ? v.reasons.map((r) => `public accessibility is unknown: ${r}`) : [];
      reports.push({
        message: `${e.kind === 'db-cluster' ? 'DB cluster' : e.kind === 'cache' ? 'Cache' : 'DB instance'} ${e.id} is publicly accessible (${e.publicIp.reason})`,
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
