import type { Check, Report } from '../../src/model/check.js';
import { compactServices } from '../../src/reach/east-west.js';
import { eastWestBlocks, groupBlocksByAdmittingRule, type EastWestBlock } from '../../src/reach/east-west-blocks.js';
import { reachContext } from '../../src/reach/exposure.js';
import { at } from '../../src/model/location.js';
import { joinList } from '../../src/model/services.js';
import { lowerFirst, ruleSubject } from '../kit/security-group.js';
import { ruleSummary } from '../../src/reach/groups.js';
import { reword, subjectOf } from '../../src/reach/conditions.js';

/**
 * One pair's unknowns in a reviewer's words. A subnet that is not known makes its network ACL and
 * the route unknown too: once the subnet's source is named ("parameter SubnetA"), those go without
 * saying. The engine's own words stay in the finding's `assumptions`.
 */
function pairConditions(assumptions: readonly string[]): { subnets: string[]; rest: string[] } {
  // "parameter SubnetA" where the engine's reason names a value; else the reason ("module.vpc is not scanned (...)").
  const subnets: string[] = [];
  for (const a of assumptions) {
    const m = /^a subnet of .+? is not known \((.*)\)$/.exec(a);
    if (m) subnets.push(subjectOf(m[1]) ? `from ${subjectOf(m[1])}` : `not known: ${reword(m[1])}`);
  }
  const implied = (a: string) =>
    /^a subnet of .+? is not known \(/.test(a) ||
    (subnets.length > 0 && (/^the network ACL of .+ is not known \(the subnet is not known\)$/.test(a) || /^the route from .+ to .+ is not known \(subnet not known\)$/.test(a)));
  return { subnets, rest: assumptions.filter((a) => !implied(a)) };
}

/**
 * The pairs' conditions: unknown subnets once for all pairs ("the network ACLs of their subnets let it
 * through (the subnets come from parameter SubnetA and parameter SubnetB)"); other conditions "a and b"
 * when every pair depends on the same ones, otherwise alternatives ("a; or b").
 */
function conditionsText(blocks: readonly EastWestBlock[]): string {
  const subnets = new Set<string>();
  const lists = new Map<string, string[]>();
  for (const x of blocks) {
    const pair = pairConditions([...new Set(x.assumptions)]);
    for (const s of pair.subnets) subnets.add(s);
    const list = mergeConditions(pair.rest);
    if (list.length) lists.set(list.join('\u0000'), list);
  }
  const from = [...subnets].filter((x) => x.startsWith('from ')).map((x) => x.slice(5));
  const why = [...subnets].filter((x) => !x.startsWith('from '));
  const sources = [...(from.length ? [`come from ${joinList(from)}`] : []), ...(why.length ? [`are ${why.join('; ')}`] : [])];
  const network = subnets.size ? `the network ACLs of their subnets let it through (the subnets ${sources.join(' or ')})` : '';
  return [network, otherConditions([...lists.values()])].filter(Boolean).join('; and ');
}

function otherConditions(all: string[][]): string {
  if (all.length === 0) return '';
  // Alternatives of one condition each: "X opens connections or answers on the port (it is T)".
  if (all.length > 1 && all.every((l) => l.length === 1)) return mergeConditions(all.map((l) => l[0]), 'or').join('; or ');
  const texts = all.map((l) => joinList(l));
  if (texts.length <= 3) return texts.join('; or ');
  return `${texts.slice(0, 3).join('; or ')}; or ${texts.length - 3} more conditions`;
}

/**
 * "X opens connections (it is T)" and "X answers on the port (it is T)" read as one condition:
 * "X opens connections and answers on the port (it is T)". A kind sgscan does not know is said once.
 */
function mergeConditions(conditions: readonly string[], word: 'and' | 'or' = 'and'): string[] {
  const merged = new Map<string, { subject: string; what: string[]; why: string }>();
  const out: (string | { subject: string; what: string[]; why: string })[] = [];
  for (const c of conditions) {
    const m = /^(\S+) (.*) \((it is [^()]*)\)$/.exec(c);
    if (!m) {
      out.push(c);
      continue;
    }
    const k = `${m[1]}\u0000${m[3]}`;
    const g = merged.get(k);
    if (g) g.what.push(m[2]);
    else {
      const n = { subject: m[1], what: [m[2]], why: m[3] };
      merged.set(k, n);
      out.push(n);
    }
  }
  return out.map((c) => (typeof c === 'string' ? c : `${c.subject} ${word === 'and' ? joinList(c.what) : c.what.join(' or ')} (${c.why})`));
}

export const check: Check = {
  meta: {
    id: 'SGS041',
    name: 'east-west-exposure',
    severity: 'info',
    shortDescription: 'Which resources can reach which on administration and database ports inside the network',
    fullDescription:
      'For every resource that answers on an administration port (SSH, RDP) or a database or cache port, the ' +
      'other resources in the scan that can open a connection to it: security group membership (a rule naming a ' +
      "group admits that group's members), the source's egress rules, NACLs both ways between different " +
      'subnets, and routes (same VPC, or a peering connection joining the two VPCs; peering is not transitive). ' +
      'Only administration ports (SSH tcp/22, RDP tcp/udp 3389) and database or cache ports (SQL Server, ' +
      'Oracle, MySQL, PostgreSQL, Redis, Memcached, MongoDB, Cassandra, Elasticsearch, etcd, ...) are reported; ' +
      'a database or other data store is asked about on its own port (its port setting, else its engine: ' +
      'aurora-postgresql 5432, aurora-mysql 3306, ...). Only resources that open connections are sources (not ' +
      'databases, interface VPC endpoints or Lambda as servers; a load balancer only to its targets, an EC2 ' +
      'Instance Connect Endpoint only SSH/RDP to its VPC), and a DB cluster stands for its member instances. ' +
      'the message names at most three of them ("tcp/22 (SSH), tcp/5432 (PostgreSQL) and 12 more"). ' +
      'One finding per destination-side ingress rule and set of services, at that rule, naming the sources and ' +
      'destinations it admits (at most three of each, then a count): one wide rule over 500 instances is one ' +
      'finding, not 250,000. ' +
      'Informational: it maps lateral movement paths, it does not judge them.',
    remediation: 'Narrow the group references so only the resources that need a database or shell can open one.',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "db_from_app" {',
      '  security_group_id            = aws_security_group.db.id',
      '  referenced_security_group_id = aws_security_group.app.id # only the app tier',
      '  ip_protocol                  = "tcp"',
      '  from_port                    = 5432',
      '  to_port                      = 5432',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'DbFromApp:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref DbSecurityGroup',
      '    SourceSecurityGroupId: !Ref AppSecurityGroup # only the app tier',
      '    IpProtocol: tcp',
      '    FromPort: 5432',
      '    ToPort: 5432',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'lateral-movement', 'reachability'],
    references: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
  },
  run(model) {
    const reach = reachContext(model);
    // Blocks of pairs (eastWestBlocks), never the pairs themselves: one wide rule over n instances
    // is n sources and n destinations, not n² pairs.
    return reach.parts.flatMap((p) => groupBlocksByAdmittingRule(eastWestBlocks(p.engine))).map((g): Report => {
      const definite = g.blocks.filter((x) => x.verdict === 'reachable');
      const possible = g.blocks.filter((x) => x.verdict !== 'reachable');
      const first = (definite[0] ?? possible[0]).first;
      const lead = { dest: first.dest, path: (definite[0] ?? possible[0]).pathOf(first.source, first.dest) };
      const services = compactServices(g.services);
      const sentences: string[] = [];
      if (definite.length) sentences.push(`${reachText(definite, 'can')} on ${services}`);
      if (possible.length) sentences.push(`${definite.length ? 'possibly also ' : ''}${reachText(possible, 'may')} on ${services}`);
      const assumptions = mergeConditions([...new Set(possible.flatMap((x) => x.assumptions))]);
      // The services are those probed (administration and data ports); a rule of every protocol admits more.
      const by = g.rule ? `, admitted by ${lowerFirst(ruleSubject(g.rule))}${g.rule.protocol.kind === 'all' ? ', which allows all traffic' : ''}` : '';
      const where = g.rule ? { location: g.rule.location, via: g.rule.via, resource: g.rule.resource } : 'location' in g.anchor ? { location: g.anchor.location, via: g.anchor.via, resource: g.anchor.id } : { location: at(g.anchor.file, g.anchor.line), via: lead.dest.via, resource: lead.dest.id };
      const rule = g.rule ? `${g.rule.direction}|${ruleSummary(g.rule, undefined, 'key')}` : 'location' in g.anchor ? 'no rule' : g.anchor.message;
      return {
        message: `${sentences.join('; ')}${by}${assumptions.length ? ` (if ${conditionsText(possible)})` : ''}.`,
        ...where,
        key: `east-west ${rule} ${g.service}`,
        certainty: definite.length ? 'definite' : 'possible',
        assumptions: definite.length ? [] : assumptions,
        // The path ends at the destination it reaches (the finding itself is at the rule).
        path: [...lead.path, { file: lead.dest.location.file, line: lead.dest.location.line, ...(lead.dest.location.endLine !== lead.dest.location.line ? { endLine: lead.dest.location.endLine } : {}), message: lead.dest.id }],
        target: lead.dest.id,
      };
    });
  },
};

/** Most resources named on each side; the rest are counted. */
const SHOWN = 3;

function names(ids: readonly string[]): string {
  const unique = [...new Set(ids)];
  return unique.length <= SHOWN ? joinList(unique) : joinList([...unique.slice(0, SHOWN - 1), `${unique.length - (SHOWN - 1)} more`]);
}

/** "A and B can reach C", or "A and B can reach each other" when the two sides are the same resources. */
function reachText(blocks: readonly EastWestBlock[], verb: 'can' | 'may'): string {
  const sources = [...new Set(blocks.flatMap((x) => x.sources.map((s) => s.id)))].sort();
  const dests = [...new Set(blocks.flatMap((x) => x.dests.map((d) => d.id)))].sort();
  // "Each other" only when every one reaches every other one (blocks share no pair).
  const pairCount = blocks.reduce((n, x) => n + x.pairs, 0);
  const same = sources.length === dests.length && sources.every((s, i) => s === dests[i]) && pairCount === sources.length * (sources.length - 1);
  return same && sources.length > 1 ? `${names(sources)} ${verb} reach each other` : `${names(sources)} ${verb} reach ${names(dests)}`;
}
