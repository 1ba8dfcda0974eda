import type { Check, Report } from '../../src/model/check.js';
import { ResourceRef, Unknown, onlyIf, describeValue, type Value } from '../../src/model/value.js';

// CIS AWS Foundations 5.4 (Checkov CKV2_AWS_12, Trivy AVD-AWS-0173 when the group is adopted with
// rules): every VPC's default security group should have no rules. AWS creates it with an ingress
// rule from its own members and an allow-all egress rule. SGS006 reports rules written on an adopted
// default group; this check reports the VPC whose default group nothing adopts, so AWS's rules stay.

const VPC_TYPES = new Set(['aws_vpc', 'AWS::EC2::VPC']);
/** The AWS CDK's custom resource that removes the default group's rules (ec2.Vpc restrictDefaultSecurityGroup). */
export const CDK_RESTRICT_DEFAULT_SG = 'Custom::VpcRestrictDefaultSG';

function refersTo(v: Value | undefined, address: string): boolean {
  return v instanceof ResourceRef && v.address === address;
}

/**
 * `!GetAtt Vpc.DefaultSecurityGroup`: the evaluator leaves attributes that are not ids unknown, saying
 * whose; the restrictor names this VPC's group when the logical ID is the VPC's (within its nested
 * stack: addresses carry the stack's `Network.` prefix, the reason does not).
 */
function namesDefaultGroupOf(v: Value | undefined, address: string, resource: string): boolean {
  if (refersTo(v, address)) return true;
  if (!(v instanceof Unknown)) return false;
  const prefix = resource.slice(0, resource.lastIndexOf('.') + 1);
  return v.reasons.some((r) => {
    const m = /^(\S+)\.DefaultSecurityGroup is known only after deployment$/.exec(r);
    return m !== null && prefix + m[1] === address;
  });
}

export const check: Check = {
  meta: {
    id: 'SGS051',
    name: 'vpc-default-group-not-restricted',
    severity: 'low',
    preset: 'strict',
    shortDescription: "VPC whose default security group keeps AWS's default rules",
    fullDescription:
      'AWS creates every VPC with a default security group that admits traffic from its own members and allows ' +
      'all egress. Anything launched without a group lands in it. CIS AWS Foundations 5.4 and Security Hub EC2.2 ' +
      'ask for the default group to have no rules. In Terraform that is an aws_default_security_group for the VPC ' +
      'with no ingress or egress blocks (Terraform then removes AWS\'s rules; rules written there are SGS006\'s); ' +
      'an aws_vpc without one is reported (Checkov CKV2_AWS_12). CloudFormation cannot manage the default group ' +
      'itself; an AWS::EC2::VPC is reported unless the AWS CDK\'s Custom::VpcRestrictDefaultSG custom resource ' +
      '(ec2.Vpc restrictDefaultSecurityGroup, on by default since CDK 2.78) strips its rules. An adopting group ' +
      'whose VPC is not known, or that exists only under a condition, makes the finding "possible". Strict ' +
      'preset only: the default rules admit only members of the default group. Severity low.',
    remediation:
      "Adopt the VPC's default security group with no rules, and give every resource its own group.",
    remediationTerraform: [
      '# No ingress/egress blocks: Terraform removes every rule from the default group.',
      'resource "aws_default_security_group" "default" {',
      '  vpc_id = aws_vpc.main.id',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      '# CloudFormation cannot remove the default rules; the AWS CDK does it with a custom resource',
      '# (ec2.Vpc({ restrictDefaultSecurityGroup: true })), synthesized as:',
      'VpcRestrictDefaultSecurityGroupCustomResource:',
      '  Type: Custom::VpcRestrictDefaultSG',
      '  Properties:',
      '    ServiceToken: !GetAtt RestrictDefaultSgProvider.Arn',
      '    DefaultSecurityGroupId: !GetAtt Vpc.DefaultSecurityGroup',
      '# and the VPC itself:',
      'Vpc:',
      '  Type: AWS::EC2::VPC',
      '  Properties:',
      '    CidrBlock: 10.0.0.0/16',
    ].join('\n'),
    tags: ['security', 'default-group', 'cis'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-2',
      'CIS AWS Foundations Benchmark v1.5.0, 5.4: ensure the default security group of every VPC restricts all traffic',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_security_group',
      'https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_ec2.VpcProps.html#restrictdefaultsecuritygroup',
    ],
    equivalents: { checkov: ['CKV2_AWS_12'] },
  },
  run(model) {
    const reports: Report[] = [];
    const defaults = model.groups.filter((g) => g.isDefault);
    const restrictors = model.resources.filter((r) => r.resourceType === CDK_RESTRICT_DEFAULT_SG);
    for (const vpc of model.resources) {
      if (!VPC_TYPES.has(vpc.resourceType)) continue;
      const assumptions = (vpc.condition?.reasons ?? []).map((r) => `${vpc.address} exists only if ${onlyIf(r)}`);
      if (vpc.format === 'cloudformation') {
        const mine = restrictors.filter((r) => r.scope === vpc.scope);
        if (mine.some((r) => namesDefaultGroupOf(r.attributes.DefaultSecurityGroupId, vpc.address, r.address))) continue;
        for (const r of mine) {
          const v = r.attributes.DefaultSecurityGroupId;
          if (v instanceof Unknown && !v.reasons.some((x) => x.endsWith('.DefaultSecurityGroup is known only after deployment'))) assumptions.push(`unless ${r.address} (DefaultSecurityGroupId ${describeValue(v)}) restricts this VPC's default group`);
        }
      } else {
        const adopting = defaults.filter((g) => g.scope === vpc.scope);
        const exact = adopting.filter((g) => refersTo(g.vpc, vpc.address));
        if (exact.some((g) => !g.condition)) continue;
        for (const g of exact) assumptions.push(`unless ${g.address} exists (it exists only if ${g.condition!.reasons.map(onlyIf).join(' and ')})`);
        for (const g of adopting) if (g.vpc instanceof Unknown) assumptions.push(`unless ${g.address} (vpc_id ${describeValue(g.vpc)}) is this VPC's default group`);
      }
      reports.push({
        message:
          `${vpc.address} (${vpc.resourceType}) keeps AWS's default rules on its default security group (ingress from its own members, all egress): ` +
          (vpc.format === 'cloudformation' ? 'no Custom::VpcRestrictDefaultSG removes them' : 'no aws_default_security_group adopts it without rules'),
        location: vpc.location,
        via: vpc.via,
        resource: vpc.address,
        key: 'default-group-not-restricted',
        certainty: assumptions.length ? 'possible' : 'definite',
        assumptions,
      });
    }
    return reports;
  },
};
