import type { Check, Report } from '../../src/model/check.js';
import { onlyIf } from '../../src/model/value.js';

/** The group types whose VPC is optional and defaults to the region's default VPC. */
const TYPES = new Set(['aws_security_group', 'AWS::EC2::SecurityGroup']);

export const check: Check = {
  meta: {
    id: 'SGS050',
    name: 'group-without-vpc',
    severity: 'low',
    preset: 'strict',
    shortDescription: 'Security group without a VPC: it is created in the default VPC',
    fullDescription:
      'A security group written without vpc_id (Terraform aws_security_group) or VpcId (CloudFormation ' +
      'AWS::EC2::SecurityGroup) is created in the region\'s default VPC, whose subnets are public and auto-assign ' +
      'public addresses; in a region without a default VPC the creation fails. Either way the group is not in the ' +
      'network it was designed for, and resources in another VPC cannot use it (KICS "Security Groups Without VPC ' +
      'Attached"). A VPC given as a variable or parameter counts as given, unless its value is null (a variable ' +
      'whose default is null leaves vpc_id unset). Plan JSON is judged only where the plan ' +
      'states the value. Strict preset only: some estates deliberately use the default VPC. Severity low.',
    remediation: 'Name the VPC the group belongs to.',
    remediationTerraform: [
      'resource "aws_security_group" "app" {',
      '  name        = "app"',
      '  description = "App servers"',
      '  vpc_id      = aws_vpc.main.id',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'AppSecurityGroup:',
      '  Type: AWS::EC2::SecurityGroup',
      '  Properties:',
      '    GroupDescription: App servers',
      '    VpcId: !Ref Vpc',
    ].join('\n'),
    tags: ['security', 'configuration', 'default-vpc'],
    references: [
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroup.html',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group#vpc_id',
      'https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html',
    ],
    equivalents: { kics: ['493d9591-6249-47bf-8dc0-5c10161cc558'] },
  },
  run(model) {
    const reports: Report[] = [];
    for (const g of model.groups) {
      // null is unset too: `vpc_id = var.vpc_id` whose variable defaults to null.
      if (!TYPES.has(g.resourceType) || (g.vpc !== undefined && g.vpc !== null)) continue;
      const assumptions = (g.condition?.reasons ?? []).map((r) => `the group exists only if ${onlyIf(r)}`);
      reports.push({
        message: `Security group ${g.address} names no VPC${g.vpc === null ? ' (vpc_id is null)' : ''}, so it is created in the region's default VPC (or fails where there is none).`,
        location: g.location,
        via: g.via,
        resource: g.address,
        key: 'no-vpc',
        certainty: assumptions.length ? 'possible' : 'definite',
        assumptions,
      });
    }
    return reports;
  },
};
