// Which attribute (Terraform) or property (CloudFormation) names take security groups, subnets or
// public addresses. Shared by the two schema scripts so both formats are classified the same way.
// A name is judged with the words of its path; rule and group-defining types are left out because
// their group attributes are peers and owners, not attachments.

/** snake_case or PascalCase name -> lower-case words. */
export function words(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_\W]+/)
    .filter(Boolean);
}

const GROUP_TAILS = [
  ['security', 'group'],
  ['security', 'groups'],
  ['security', 'group', 'id'],
  ['security', 'group', 'ids'],
  ['security', 'group', 'names'],
  ['security', 'group', 'arns'],
  ['security', 'group', 'id', 'list'],
];

/** A name whose last words say "security group(s) / ids / names", or an ENI's `GroupSet` / template `Groups`. */
export function takesGroups(name, parentWords = []) {
  const w = words(name);
  if (GROUP_TAILS.some((t) => t.length <= w.length && t.every((x, i) => w[w.length - t.length + i] === x))) {
    // A prefix (`name_prefix`) or a rule peer is not an attachment.
    return !w.includes('prefix') && !w.includes('source') && !w.includes('destination') && !w.includes('referenced');
  }
  // AWS::EC2::NetworkInterface GroupSet, LaunchTemplate NetworkInterfaces[].Groups.
  return name === 'GroupSet' || (name === 'Groups' && (parentWords.includes('interface') || parentWords.includes('interfaces')));
}

export function takesSubnets(name) {
  const w = words(name);
  const last = w.slice(-2).join('_');
  const tail = w[w.length - 1];
  if (w.includes('prefix') || w.includes('cidr') || w.includes('mask') || w.includes('ipv6')) return false;
  return tail === 'subnet' || tail === 'subnets' || last === 'subnet_id' || last === 'subnet_ids' || last === 'subnet_arns' || w.slice(-3).join('_') === 'subnet_group_name' || w.slice(-3).join('_') === 'subnet_group_id';
}

const PUBLIC_NAMES = new Set([
  'associate_public_ip_address',
  'publicly_accessible',
  'assign_public_ip',
  'map_public_ip_on_launch',
  'endpoint_public_access',
  'public_ip',
]);

export function takesPublicAddress(name) {
  return PUBLIC_NAMES.has(words(name).join('_'));
}

/** Types whose group attributes define groups or rules (peers, owners), never an attachment. */
export const NOT_ATTACHMENTS = new Set([
  'aws_security_group',
  'aws_default_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress',
]);

/** Deterministic JSON: keys sorted at every level, arrays sorted by the caller, 2-space indent. */
export function stableJson(value) {
  const sort = (v) =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])])) : v;
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}
