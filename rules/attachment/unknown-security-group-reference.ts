import type { Check, Report } from '../../src/model/check.js';
import type { Model } from '../../src/model/model.js';
import { at } from '../../src/model/location.js';
import { ResourceRef, onlyIf } from '../../src/model/value.js';
import { VPC_TYPES } from '../../src/network/resolve.js';
import { groupLookup, partitionModel } from '../../src/network/query.js';
import { certainty, conditionAssumptions, lineOr, networkOf } from '../kit/network.js';

const PEER_ATTRIBUTES = ['source_security_group_id', 'referenced_security_group_id', 'security_groups', 'SourceSecurityGroupId', 'DestinationSecurityGroupId', 'SourceSecurityGroupName'];

export const check: Check = {
  meta: {
    id: 'SGS021',
    name: 'unknown-security-group-reference',
    severity: 'medium',
    shortDescription: 'Reference to a security group that is not in the code, or that lives in another VPC',
    fullDescription:
      'A resource attaches, or a rule names as its peer, a reference to something declared in the scanned code ' +
      'that is not a security group (for example an instance id or a subnet passed where a group id belongs), ' +
      'or a resource attaches a group that belongs to a different VPC than the resource\'s own subnets (both ' +
      'VPCs known and different). AWS rejects both at deployment, or, worse, a wrong but valid id silently ' +
      'applies the wrong rules. Literal group ids ("sg-0123...") name groups managed elsewhere and are not ' +
      'reported; references the scan cannot resolve (data sources, variables) are not either.',
    remediation:
      'Reference the intended aws_security_group / AWS::EC2::SecurityGroup by its id attribute, and create the ' +
      'group in the same VPC as the resources that use it.',
    remediationTerraform: [
      'resource "aws_security_group" "app" {',
      '  name   = "app"',
      '  vpc_id = aws_vpc.main.id # the VPC of the instances that use it',
      '}',
      '',
      'resource "aws_instance" "app" {',
      '  subnet_id              = aws_subnet.private.id # in aws_vpc.main',
      '  vpc_security_group_ids = [aws_security_group.app.id]',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'AppSecurityGroup:',
      '  Type: AWS::EC2::SecurityGroup',
      '  Properties:',
      '    GroupDescription: App servers',
      '    VpcId: !Ref Vpc # the VPC of the instances that use it',
      'AppServer:',
      '  Type: AWS::EC2::Instance',
      '  Properties:',
      '    SubnetId: !Ref PrivateSubnet # in Vpc',
      '    SecurityGroupIds: [!GetAtt AppSecurityGroup.GroupId]',
    ].join('\n'),
    tags: ['security', 'configuration', 'network'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-groups.html',
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
    ],
  },
  run(whole) {
    return partitionModel(whole).flatMap(runScope);
  },
};

/** One template or root module: references resolve within it. */
function runScope(model: Model): Report[] {
  {
    const reports: Report[] = [];
    const network = networkOf(model);
    const resources = new Map(model.resources.map((r) => [r.address, r]));
    // Indexed once: looking each reference up in every group was quadratic in a scope's size.
    const groupOf = groupLookup(model);
    for (const e of network.endpoints) {
      const location = lineOr(e.location, e.securityGroupsLine);
      for (const ref of e.securityGroups) {
        if (!(ref instanceof ResourceRef)) continue;
        const group = groupOf(ref);
        if (!group) {
          reports.push({
            message: `${e.id} attaches ${ref.toString()}, which is not a security group in the scanned code`,
            location,
            via: e.via,
            resource: e.id,
            key: `not-a-group:${ref.address}`,
            ...certainty(conditionAssumptions(e)),
          });
          continue;
        }
        const groupVpc = group.vpc instanceof ResourceRef ? (resources.get(group.vpc.address) && VPC_TYPES.has(resources.get(group.vpc.address)!.resourceType) ? group.vpc.address : undefined) : typeof group.vpc === 'string' ? group.vpc : undefined;
        if (typeof e.vpc === 'string' && groupVpc !== undefined && groupVpc !== e.vpc) {
          reports.push({
            message: `${e.id} is in VPC ${e.vpc} but attaches security group ${group.address} of VPC ${groupVpc}`,
            location,
            via: e.via,
            resource: e.id,
            key: `other-vpc:${group.address}`,
            ...certainty(conditionAssumptions(e)),
          });
        }
      }
    }
    for (const rule of model.rules) {
      if (rule.peer.kind !== 'securityGroup' || rule.peer.self || !(rule.peer.ref instanceof ResourceRef)) continue;
      if (groupOf(rule.peer.ref)) continue;
      const line = PEER_ATTRIBUTES.map((a) => rule.attributeLines[a]).find((l) => l !== undefined);
      reports.push({
        message: `Security group ${rule.group} has a ${rule.direction} rule naming ${rule.peer.ref.toString()}, which is not a security group in the scanned code`,
        location: line === undefined ? rule.location : at(rule.location.file, line),
        via: rule.via,
        resource: rule.resource,
        key: `peer-not-a-group:${rule.direction}:${rule.peer.ref.address}`,
        ...certainty(rule.condition ? rule.condition.reasons.map((r) => `the rule exists only if ${onlyIf(r)}`) : []),
      });
    }
    return reports;
  }
}
