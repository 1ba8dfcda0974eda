import { formatOf, groupKey, intOption, ruleGroupKey, scopeOf } from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';
import type { Direction, Model, Rule } from '../../src/model/model.js';
import { ResourceRef, type Value, onlyIf } from '../../src/model/value.js';
import { addTo } from '../../src/model/arrays.js';

const DEFAULT_MAX_RULES = 60;

/** Max entries of prefix lists declared in the scan, by scope and address (two roots may both declare one). */
function prefixListSizes(model: Model): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of model.resources) {
    const v: Value | undefined =
      r.resourceType === 'aws_ec2_managed_prefix_list' ? r.attributes.max_entries : r.resourceType === 'AWS::EC2::PrefixList' ? r.attributes.MaxEntries : undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
    if (n !== undefined) out.set(`${scopeOf(r)}\u0000${r.address}`, n);
  }
  return out;
}

interface Count {
  ipv4: number;
  ipv6: number;
  /** Prefix lists whose size is not known (each counted as 1). */
  unsized: Set<string>;
}

/**
 * AWS counts rules per family: a CIDR rule counts for its family, a rule naming a security group
 * or a prefix list for both, and a prefix list as its maximum number of entries.
 */
function addRule(count: Count, rule: Rule, sizes: Map<string, number>): void {
  const peer = rule.peer;
  if (peer.kind === 'cidr') {
    count[peer.family]++;
    return;
  }
  let n = 1;
  if (peer.kind === 'prefixList') {
    const scope = scopeOf({ scope: rule.scope, format: formatOf(rule), location: rule.location, via: rule.via });
    const size = peer.ref instanceof ResourceRef ? sizes.get(`${scope}\u0000${peer.ref.address}`) : undefined;
    if (size === undefined) count.unsized.add(String(peer.ref));
    else n = size;
  }
  count.ipv4 += n;
  count.ipv6 += n;
}

export const check: Check = {
  meta: {
    id: 'SGS018',
    name: 'too-many-rules',
    severity: 'medium',
    shortDescription: 'More inbound or outbound rules in one security group than the quota allows',
    fullDescription:
      'A security group has more inbound or more outbound rules than AWS allows per group (default quota ' +
      '60, counted separately for IPv4 and IPv6). Each CIDR is a rule of its family; a rule naming a ' +
      'security group or a prefix list counts for both families, and a prefix list counts as its maximum ' +
      'number of entries, when the prefix list is declared in the scan (otherwise as 1, and the message ' +
      'says so). AWS rejects the rule that goes over the quota, so the deployment fails part-way. ' +
      'Option: `maxRules` (default 60; raise it if your account\'s quota was increased).',
    remediation:
      'Merge adjacent CIDRs, replace lists of addresses with a managed prefix list or a security-group ' +
      'source, or split the rules over several groups.',
    remediationTerraform: [
      'resource "aws_ec2_managed_prefix_list" "offices" {',
      '  name           = "offices"',
      '  address_family = "IPv4"',
      '  max_entries    = 20',
      '}',
      '',
      'resource "aws_vpc_security_group_ingress_rule" "https_offices" {',
      '  security_group_id = aws_security_group.app.id',
      '  description       = "HTTPS from the offices"',
      '  ip_protocol       = "tcp"',
      '  from_port         = 443',
      '  to_port           = 443',
      '  prefix_list_id    = aws_ec2_managed_prefix_list.offices.id',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'HttpsFromOffices:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref AppSecurityGroup',
      '    Description: HTTPS from the offices',
      '    IpProtocol: tcp',
      '    FromPort: 443',
      '    ToPort: 443',
      '    SourcePrefixListId: !Ref OfficesPrefixList',
    ].join('\n'),
    tags: ['security', 'quota', 'deployment'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups',
      'https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html',
    ],
  },
  run(model, context) {
    const max = intOption(context.options.maxRules, DEFAULT_MAX_RULES, 1, 10000);
    const sizes = prefixListSizes(model);
    const byGroup = new Map<string, Rule[]>();
    for (const r of model.rules) {
      if (r.origin === 'implicit') continue;
      const k = `${ruleGroupKey(r, formatOf(r))}\u0000${r.direction}`;
      addTo(byGroup, k, r);
    }
    const reports: Report[] = [];
    for (const g of model.groups) {
      for (const direction of ['ingress', 'egress'] as Direction[]) {
        const count: Count = { ipv4: 0, ipv6: 0, unsized: new Set() };
        for (const r of byGroup.get(`${groupKey(g)}\u0000${direction}`) ?? []) addRule(count, r, sizes);
        const over = (['ipv4', 'ipv6'] as const).filter((f) => count[f] > max);
        if (!over.length) continue;
        const counts = over.map((f) => `${count[f]} ${f === 'ipv4' ? 'IPv4' : 'IPv6'}`).join(' and ');
        const note = count.unsized.size
          ? ` Prefix lists not declared in the scan (${[...count.unsized].sort().join(', ')}) were counted as 1 rule each; they count as their maximum entries.`
          : '';
        reports.push({
          message: `Security group ${g.address} has ${counts} ${direction === 'ingress' ? 'inbound' : 'outbound'} rules, more than the quota of ${max} per direction.${note}`,
          location: g.location,
          via: g.via,
          resource: g.address,
          key: `too-many-rules|${direction}`,
          certainty: g.condition ? 'possible' : 'definite',
          assumptions: g.condition ? g.condition.reasons.map((r) => `the group exists only if ${onlyIf(r)}`) : [],
        });
      }
    }
    return reports;
  },
};
