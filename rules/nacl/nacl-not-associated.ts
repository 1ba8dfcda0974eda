import type { Check, Report } from '../../src/model/check.js';
import { Unknown } from '../../src/model/value.js';
import { certainty, conditionAssumptions, networkOf } from '../kit/network.js';

export const check: Check = {
  meta: {
    id: 'SGS028',
    name: 'nacl-not-associated',
    severity: 'info',
    shortDescription: 'Custom network ACL associated with no subnet',
    fullDescription:
      'A network ACL other than the VPC default is associated with no subnet: not through subnet_ids, not ' +
      'through aws_network_acl_association or AWS::EC2::SubnetNetworkAclAssociation. Its entries protect ' +
      'nothing, and the subnets it was probably meant for still run under the default ACL, which allows ' +
      'everything. When the association list cannot be resolved statically the finding is "possible". The ' +
      'default ACL is never reported: it applies to every subnet without an explicit association. Severity info.',
    remediation: 'Associate the ACL with the subnets it was written for, or delete it.',
    remediationTerraform: [
      'resource "aws_network_acl" "private" {',
      '  vpc_id     = aws_vpc.main.id',
      '  subnet_ids = [aws_subnet.private_a.id, aws_subnet.private_b.id]',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'PrivateSubnetAAcl:',
      '  Type: AWS::EC2::SubnetNetworkAclAssociation',
      '  Properties:',
      '    SubnetId: !Ref PrivateSubnetA',
      '    NetworkAclId: !Ref PrivateAcl',
    ].join('\n'),
    tags: ['security', 'hygiene', 'nacl', 'unused'],
    references: ['https://docs.aws.amazon.com/vpc/latest/userguide/network-acls.html', 'https://docs.aws.amazon.com/vpc/latest/userguide/nacl-basics.html'],
    equivalents: { checkov: ['CKV2_AWS_1'] },
  },
  run(model) {
    const reports: Report[] = [];
    for (const nacl of networkOf(model).nacls) {
      if (!nacl.declared || nacl.isDefault) continue;
      if (nacl.subnets.some((s) => typeof s === 'string')) continue;
      const unknown = nacl.subnets.filter((s): s is Unknown => s instanceof Unknown).flatMap((u) => u.reasons.map((r) => `the associated subnets are unknown: ${r}`));
      reports.push({
        message: `Network ACL ${nacl.id} is not associated with any subnet, so its entries apply nowhere`,
        location: nacl.location,
        via: nacl.via,
        resource: nacl.id,
        key: 'not-associated',
        ...certainty([...unknown, ...conditionAssumptions(nacl)]),
      });
    }
    return reports;
  },
};
