import { intOption } from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';
import type { NetworkResource } from '../../src/model/model.js';
import { ResourceRef, Unknown, type Value, isObject, onlyIf } from '../../src/model/value.js';

const DEFAULT_MAX_GROUPS = 5;

/** Where each resource type lists the groups of one network interface: [top-level attribute, path inside it]. */
const GROUP_LISTS: Record<string, [string, string[]][]> = {
  aws_instance: [['vpc_security_group_ids', []], ['security_groups', []]],
  aws_launch_template: [['vpc_security_group_ids', []], ['security_groups', []], ['network_interfaces', ['security_groups']]],
  aws_network_interface: [['security_groups', []]],
  'AWS::EC2::Instance': [['SecurityGroupIds', []], ['SecurityGroups', []], ['NetworkInterfaces', ['GroupSet']]],
  'AWS::EC2::NetworkInterface': [['GroupSet', []]],
  'AWS::EC2::LaunchTemplate': [
    ['LaunchTemplateData', ['SecurityGroupIds']],
    ['LaunchTemplateData', ['SecurityGroups']],
    ['LaunchTemplateData', ['NetworkInterfaces', 'Groups']],
  ],
};

/** Follow a path through objects and lists of objects; every list found at the end. */
function listsAt(value: Value | undefined, path: readonly string[]): Value[][] {
  if (value === undefined || value instanceof Unknown) return [];
  if (path.length === 0) return Array.isArray(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => listsAt(v, path));
  if (!isObject(value)) return [];
  return listsAt(value[path[0]], path.slice(1));
}

/** Distinct groups in one list; each unknown element counts as one group. */
function countGroups(list: Value[]): number {
  const known = new Set<string>();
  let unknown = 0;
  for (const v of list) {
    if (v instanceof ResourceRef) known.add(`ref:${v.address}`);
    else if (typeof v === 'string') known.add(`id:${v}`);
    else unknown++;
  }
  return known.size + unknown;
}

export const check: Check = {
  meta: {
    id: 'SGS019',
    name: 'too-many-groups-per-interface',
    severity: 'medium',
    shortDescription: 'More security groups on one network interface than the quota allows',
    fullDescription:
      'An instance, launch template or network interface attaches more security groups to one network ' +
      'interface than AWS allows (default quota 5 per interface, adjustable up to 16). Launching or ' +
      'updating the resource then fails. Groups are counted per list (vpc_security_group_ids / ' +
      'security_groups, SecurityGroupIds / SecurityGroups / GroupSet, and per network interface of a ' +
      'launch template); the same group twice counts once, an element not known statically counts as ' +
      'one. Option: `maxGroups` (default 5).',
    remediation:
      'Combine the rules of several groups into one, or request a higher "Security groups per network ' +
      'interface" quota (the product with rules per group must stay within 1,000).',
    remediationTerraform: [
      'resource "aws_instance" "app" {',
      '  ami                    = "ami-0123456789abcdef0"',
      '  instance_type          = "t3.micro"',
      '  vpc_security_group_ids = [aws_security_group.app.id, aws_security_group.monitoring.id] # at most 5',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'AppInstance:',
      '  Type: AWS::EC2::Instance',
      '  Properties:',
      '    ImageId: ami-0123456789abcdef0',
      '    SecurityGroupIds: # at most 5',
      '      - !GetAtt AppSecurityGroup.GroupId',
      '      - !GetAtt MonitoringSecurityGroup.GroupId',
    ].join('\n'),
    tags: ['security', 'quota', 'deployment'],
    references: ['https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups'],
  },
  run(model, context) {
    const max = intOption(context.options.maxGroups, DEFAULT_MAX_GROUPS, 1, 1000);
    const reports: Report[] = [];
    for (const r of model.resources) {
      for (const [attr, path] of GROUP_LISTS[r.resourceType] ?? []) {
        const lists = listsAt(r.attributes[attr], path);
        lists.forEach((list, i) => {
          const n = countGroups(list);
          if (n <= max) return;
          const line = r.attributeLines[attr];
          const name = [attr, ...path].join('.');
          reports.push({
            message: `${r.resourceType} ${r.address} attaches ${n} security groups to one network interface (${name}), more than the quota of ${max}.`,
            location: line ? { file: r.location.file, line, endLine: line } : r.location,
            via: r.via,
            resource: r.address,
            key: `too-many-groups|${name}|${i}`,
            certainty: r.condition ? 'possible' : 'definite',
            assumptions: resourceAssumptions(r),
          });
        });
      }
    }
    return reports;
  },
};

function resourceAssumptions(r: NetworkResource): string[] {
  return r.condition ? r.condition.reasons.map((x) => `the resource exists only if ${onlyIf(x)}`) : [];
}
