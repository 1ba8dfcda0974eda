import { ruleKey, scopeOf } from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';
import type { SecurityGroup } from '../../src/model/model.js';
import { ResourceRef, type Value, onlyIf } from '../../src/model/value.js';

const MAX_LENGTH = 255;
/** What EC2 accepts in VPC security group names and descriptions (and rule descriptions). */
const ALLOWED = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;

function charProblems(text: string): string[] {
  const out: string[] = [];
  if (text.length > MAX_LENGTH) out.push(`is ${text.length} characters long (at most ${MAX_LENGTH})`);
  if (!ALLOWED.test(text)) {
    const bad = [...new Set([...text].filter((c) => !ALLOWED.test(c)))].map((c) => JSON.stringify(c)).join(', ');
    out.push(`contains characters AWS does not accept (${bad})`);
  }
  return out;
}

/**
 * Known VPC identity for "same VPC": a literal id or a reference to a declared VPC, within one
 * template or root module (separate stacks are not compared).
 */
function vpcKey(g: SecurityGroup): string | undefined {
  const v: Value | undefined = g.vpc;
  if (typeof v === 'string') return `${scopeOf(g)}\u0000id:${v}`;
  if (v instanceof ResourceRef) return `${scopeOf(g)}\u0000ref:${v.address}`;
  return undefined;
}

function lineOf(g: SecurityGroup, ...attrs: string[]) {
  for (const a of attrs) {
    const line = g.attributeLines[a];
    if (line) return { file: g.location.file, line, endLine: line };
  }
  return g.location;
}

export const check: Check = {
  meta: {
    id: 'SGS015',
    name: 'invalid-group-name-or-description',
    severity: 'medium',
    shortDescription: 'Security group name or description that AWS would reject',
    fullDescription:
      'A security group name, name prefix or description, or a rule description, is longer than 255 ' +
      'characters or uses characters outside what EC2 accepts for VPC security groups (a-z, A-Z, 0-9, ' +
      'spaces and ._-:/()#,@[]+=&;{}!$*); a group name starts with "sg-", which AWS reserves for group ' +
      'ids; or two groups in the same VPC have the same name. AWS rejects the group or rule, so the ' +
      'deployment fails part-way. Values that are not known statically are never reported, and groups ' +
      'are compared for duplicate names only when both the names and the VPCs are known.',
    remediation: 'Rename the group or rewrite the description with accepted characters (no accents, quotes or newlines).',
    remediationTerraform: [
      'resource "aws_security_group" "web" {',
      '  name        = "web-servers"                # not "sg-web" or "web servers é"',
      '  description = "Web servers (HTTP, HTTPS)" # ASCII letters, digits and ._-:/()#,@[]+=&;{}!$*',
      '  vpc_id      = aws_vpc.main.id',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'WebSecurityGroup:',
      '  Type: AWS::EC2::SecurityGroup',
      '  Properties:',
      '    GroupName: web-servers',
      '    GroupDescription: Web servers (HTTP, HTTPS)',
      '    VpcId: !Ref Vpc',
    ].join('\n'),
    tags: ['security', 'hygiene', 'deployment'],
    references: [
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html',
      'https://docs.aws.amazon.com/vpc/latest/userguide/creating-security-groups.html',
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html',
    ],
  },
  run(model) {
    const reports: Report[] = [];
    const seen = new Map<string, SecurityGroup>();
    for (const g of model.groups) {
      if (g.isDefault) continue;
      const push = (message: string, key: string, location = g.location) =>
        reports.push({ message, location, via: g.via, resource: g.address, key, certainty: g.condition ? 'possible' : 'definite', assumptions: g.condition ? g.condition.reasons.map((r) => `the group exists only if ${onlyIf(r)}`) : [] });
      for (const [attr, value, lines] of [
        ['name', g.name, ['name', 'GroupName']],
        ['name prefix', g.namePrefix, ['name_prefix']],
        ['description', g.description, ['description', 'GroupDescription']],
      ] as const) {
        if (typeof value !== 'string') continue;
        const problems = charProblems(value);
        if (attr === 'name' && value.startsWith('sg-')) problems.push('starts with "sg-", which AWS reserves for group ids');
        if (problems.length) push(`The ${attr} of security group ${g.address} ${problems.join(' and ')}.`, `group-${attr}`, lineOf(g, ...lines));
      }
      const vpc = vpcKey(g);
      if (typeof g.name === 'string' && vpc) {
        const k = `${vpc}\u0000${g.name}`;
        const first = seen.get(k);
        if (first && first.address !== g.address) {
          const where = first.location.file === g.location.file ? `line ${first.location.line}` : `${first.location.file}:${first.location.line}`;
          push(`Security group ${g.address} has the same name "${g.name}" as ${first.address} (${where}) in the same VPC; AWS rejects the second.`, 'group-name-duplicate', lineOf(g, 'name', 'GroupName'));
        } else if (!first) seen.set(k, g);
      }
    }
    // One block with several CIDRs is several rules in the model but one description: report it once.
    const reported = new Set<string>();
    for (const r of model.rules) {
      if (r.origin === 'implicit' || typeof r.description !== 'string') continue;
      const problems = charProblems(r.description);
      if (!problems.length) continue;
      const line = r.attributeLines.description ?? r.attributeLines.Description;
      const once = `${r.resource}\u0000${r.location.file}:${line ?? r.location.line}`;
      if (reported.has(once)) continue;
      reported.add(once);
      reports.push({
        message: `The description of an ${r.direction} rule of security group ${r.group} ${problems.join(' and ')}.`,
        location: line ? { file: r.location.file, line, endLine: line } : r.location,
        via: r.via,
        resource: r.resource,
        key: `rule-description|${ruleKey(r)}`,
      });
    }
    return reports;
  },
};
