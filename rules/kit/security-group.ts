import type { SourceLocation } from '../../src/model/location.js';
import type { Model, Rule, SecurityGroup } from '../../src/model/model.js';
import { type Peer, cidrText, describePeer, isWorld, mayBeWorld, parseCidr } from '../../src/model/peer.js';
import { type PortSpec, describePorts, portsContain } from '../../src/model/ports.js';
import { type Protocol, TCP, UDP, hasPorts, protocolName } from '../../src/model/protocol.js';
import { Unknown, nameOfUnknown, onlyIf } from '../../src/model/value.js';
import type { Report } from '../../src/model/check.js';
import { type ServicePort, describeServices, joinList } from '../../src/model/services.js';
import {
  ADDRESS_UNIVERSE,
  type Family,
  type IntervalSet,
  type TrafficSet,
  box,
  cidrToRange,
  fromRule,
  intersect,
  isEmpty,
  meets,
  subtract,
  union,
  unionAll,
  coverTree,
  isSubset,
} from '../../src/sets/index.js';

// Shared helpers for checks that ask "does this rule open X to Y?". Each question answers
// definitely yes, definitely no, or "possibly" with the unknowns that make it so — never a silent
// guess either way.

/** A three-valued answer: `null` is no; otherwise yes, definite unless `assumptions` is non-empty. */
export interface Match {
  /** Why the answer is only "possibly" (the reasons of the Unknowns involved); empty when definite. */
  assumptions: string[];
}

/** Shared by every definite answer: frozen, so no caller can add to it. */
export const DEFINITE: Match = Object.freeze({ assumptions: Object.freeze([]) as unknown as string[] });

function possible(u: Unknown, what: string): Match {
  return { assumptions: u.reasons.map((r) => `${what} is unknown: ${r}`) };
}

/** "the source comes from parameter AdminCidr, which may be 0.0.0.0/0", in a reviewer's words. */
function possiblePeer(u: Unknown): Match {
  const name = nameOfUnknown(u);
  if (name !== u.toString()) return { assumptions: [`the source comes from ${name}, which may be 0.0.0.0/0`] };
  return possible(u, 'the source');
}

/** Combine answers with AND: no if any is no; the union of the assumptions otherwise. */
export function both(...parts: (Match | null)[]): Match | null {
  // Asked per rule and port: the common answers (no, or definite) allocate nothing.
  let first: string[] | undefined;
  let several = false;
  for (const p of parts) {
    if (p === null) return null;
    if (p.assumptions.length === 0) continue;
    if (first) several = true;
    else first = p.assumptions;
  }
  if (!first) return DEFINITE;
  return { assumptions: [...new Set(several ? parts.flatMap((p) => (p as Match).assumptions) : first)] };
}

/** Combine answers with OR: definite if any is definite; otherwise the first possible one. */
export function either(...parts: (Match | null)[]): Match | null {
  const yes = parts.filter((p): p is Match => p !== null);
  if (yes.length === 0) return null;
  return yes.find((p) => p.assumptions.length === 0) ?? { assumptions: [...new Set(yes.flatMap((p) => p.assumptions))] };
}

export function isDefinite(m: Match): boolean {
  return m.assumptions.length === 0;
}

/**
 * Is the peer the whole internet (0.0.0.0/0 or ::/0, by value)? An unknown peer possibly is, unless
 * its domain admits no /0 (a parameter whose AllowedPattern admits only /16 to /28). Security groups
 * (even one whose id is not known: membership, not addresses), prefix lists and invalid peers are not.
 */
export function peerIsWorld(peer: Peer): Match | null {
  if (peer.kind === 'unknown') return mayBeWorld(peer.unknown) ? possiblePeer(peer.unknown) : null;
  return isWorld(peer) ? DEFINITE : null;
}

/** Does the protocol include the given IANA number? `-1` includes every protocol. */
export function protocolIncludes(protocol: Protocol, number: number): Match | null {
  switch (protocol.kind) {
    case 'all':
      return DEFINITE;
    case 'number':
      return protocol.number === number ? DEFINITE : null;
    case 'unknown':
      return possible(protocol.unknown, 'the protocol');
    case 'invalid':
      return null;
  }
}

/** Does the port spec include this port (for a protocol with ports)? */
export function portsInclude(ports: PortSpec, port: number): Match | null {
  const c = portsContain(ports, port);
  if (c instanceof Unknown) return possible(c, 'the port range');
  return c ? DEFINITE : null;
}

/** Does the rule admit traffic on `protocol` (tcp 6 / udp 17) to `port`? */
export function ruleAdmitsPort(rule: Rule, protocol: number, port: number): Match | null {
  return both(protocolIncludes(rule.protocol, protocol), portsInclude(rule.ports, port));
}

/**
 * Does the rule admit every protocol, or every port of tcp or udp? That is "all traffic" in the
 * sense of Security Hub EC2.18/EC2.19 and Checkov CKV_AWS_277. Protocols without ports (e.g. 50, ESP)
 * also match "all ports" in the model but are one protocol only, so they do not count here.
 */
export function ruleAdmitsAllTraffic(rule: Rule): Match | null {
  const { protocol, ports } = rule;
  switch (protocol.kind) {
    case 'all':
      return DEFINITE;
    case 'invalid':
      return null;
    case 'unknown':
      // An unknown protocol may well be -1.
      return possible(protocol.unknown, 'the protocol');
    case 'number':
      if (!hasPorts(protocol)) return null;
      if (ports.kind === 'all') return DEFINITE;
      if (ports.kind === 'unknown') return possible(ports.unknown, 'the port range');
      return null;
  }
}

/** Is the rule or its group present only under a condition? Then any finding on it is "possible". */
export function conditionOf(rule: Rule, group: SecurityGroup | undefined): Match {
  const parts: Match[] = [];
  // An inline rule shares its group's condition: say it once, of the group.
  const ofGroup = new Set((group?.condition?.reasons ?? []).map(onlyIf));
  const ofRule = (rule.condition?.reasons ?? []).map(onlyIf).filter((r) => !ofGroup.has(r));
  if (ofRule.length) parts.push({ assumptions: ofRule.map((r) => `the rule exists only if ${r}`) });
  if (ofGroup.size) parts.push({ assumptions: [...ofGroup].map((r) => `the group exists only if ${r}`) });
  return both(DEFINITE, ...parts) as Match;
}

/**
 * Where addresses are unique: a CloudFormation template (logical IDs repeat across templates) or a
 * Terraform root module (the directory of the outermost module call, or of the file itself). Rules
 * and groups are only ever compared within one scope.
 */
export function scopeOf(x: { scope?: string; format: string; location: SourceLocation; via?: SourceLocation[] }): string {
  // The pipeline stamps the scope; the fallback serves models built by hand in tests.
  if (x.scope) return x.scope;
  if (x.format === 'cloudformation') return x.location.file;
  const file = x.via?.[0]?.file ?? x.location.file;
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '.' : file.slice(0, slash);
}

/** A rule's group identity within its scope. */
export function ruleGroupKey(rule: Rule, format: string): string {
  return `${scopeOf({ scope: rule.scope, format, location: rule.location, via: rule.via })}\u0000${rule.group}`;
}

/** A group's identity within its scope (matches `ruleGroupKey` of its rules). */
export function groupKey(group: SecurityGroup): string {
  return `${scopeOf(group)}\u0000${group.address}`;
}

export interface GroupIndex {
  /** The group a rule belongs to, looked up within the rule's scope (file or root module). */
  of(rule: Rule): SecurityGroup | undefined;
}

/** Groups by scope and address, for looking up a rule's group. */
export function groupsByAddress(model: Model): GroupIndex {
  // A dozen checks index the same model and look up the same rules: once per model, and once per
  // rule (each lookup built the rule's scope key again). Rebuilt if the model's groups changed.
  const hit = GROUP_INDEXES.get(model);
  if (hit && hit.groups === model.groups && hit.count === model.groups.length) return hit.index;
  const byKey = new Map(model.groups.map((g) => [groupKey(g), g]));
  const found = new Map<Rule, SecurityGroup | undefined>();
  const index: GroupIndex = {
    of: (rule) => {
      if (found.has(rule)) return found.get(rule);
      const g = byKey.get(ruleGroupKey(rule, ruleFormat(rule)));
      found.set(rule, g);
      return g;
    },
  };
  GROUP_INDEXES.set(model, { groups: model.groups, count: model.groups.length, index });
  return index;
}

const GROUP_INDEXES = new WeakMap<Model, { groups: readonly SecurityGroup[]; count: number; index: GroupIndex }>();

/** Rules do not carry their format; their resource type tells. */
export function ruleFormat(rule: Rule): string {
  return rule.resourceType.startsWith('AWS::') ? 'cloudformation' : 'terraform';
}

/** Stable text for a peer in keys: canonical CIDR, so `::/0` and `0:0:0:0:0:0:0:0/0` are the same. */
export function peerKey(peer: Peer): string {
  switch (peer.kind) {
    case 'cidr':
      return peer.cidr;
    case 'securityGroup':
    case 'prefixList':
      // A group or prefix list whose id is not known keeps the key it had as an unknown peer (fingerprints).
      if (peer.ref instanceof Unknown) return `unknown:${peer.ref.toString()}`;
      if (peer.kind === 'prefixList') return `pl:${String(peer.ref)}`;
      return peer.self ? 'self' : `sg:${String(peer.ref)}`;
    case 'invalid':
      return `invalid:${peer.raw}`;
    case 'unknown':
      return `unknown:${peer.unknown.toString()}`;
  }
}

function portsKey(ports: PortSpec): string {
  switch (ports.kind) {
    case 'all':
      return 'all';
    case 'range':
      return `${ports.from}-${ports.to}`;
    case 'icmp':
      return `icmp:${ports.type}:${ports.code}`;
    case 'invalid':
      return `invalid:${ports.from ?? ''}-${ports.to ?? ''}`;
    case 'unknown':
      return `unknown:${ports.unknown.toString()}`;
  }
}

/**
 * What identifies a rule's content independently of line numbers and of its position among the
 * group's rules: direction, protocol, ports and peer. Feeds finding fingerprints.
 */
export function ruleKey(rule: Rule): string {
  return `${rule.direction}|${protocolName(rule.protocol)}|${portsKey(rule.ports)}|${peerKey(rule.peer)}`;
}

/**
 * How to name the rule in a message: "security group aws_security_group.web" for inline rules, and
 * "security group aws_security_group.web (rule aws_security_group_rule.ssh)" for standalone ones.
 */
export function ruleSubject(rule: Rule): string {
  const standalone = rule.origin === 'standalone' && rule.resource !== rule.group;
  return standalone ? `Security group ${rule.group} (rule ${rule.resource})` : `Security group ${rule.group}`;
}

/**
 * "the whole internet (0.0.0.0/0)", "the whole internet (0.0.0.0/0, the default of parameter
 * SSHLocation)", or for an unknown peer "an unknown source".
 */
export function describeWorldPeer(peer: Peer, direction: Rule['direction']): string {
  if (peer.kind === 'cidr') return `the whole internet (${cidrText(peer)})`;
  if (peer.kind === 'unknown') return `an unknown ${direction === 'ingress' ? 'source' : 'destination'}`;
  return describePeer(peer);
}

/** "tcp/22", "udp/3389". */
export function describeProtocolPort(protocol: number, port: number): string {
  return `${protocolName({ kind: 'number', number: protocol })}/${port}`;
}

/** "all traffic", "tcp ports 20-30", "every tcp port (0-65535)", "proto-50". */
export function describeRuleTraffic(rule: Rule): string {
  const name = protocolName(rule.protocol);
  if (rule.protocol.kind === 'all') return 'all traffic';
  if (hasPorts(rule.protocol) && rule.ports.kind === 'all') return `every ${name} port (0-65535)`;
  if (rule.protocol.kind === 'number' && !hasPorts(rule.protocol) && rule.ports.kind === 'all') return name;
  return `${name} ${describePorts(rule.ports)}`;
}

/** Options arrive from user configuration: accept a list of port numbers, else the default. */
export function portListOption(value: unknown, fallback: readonly number[]): number[] {
  if (!Array.isArray(value)) return [...fallback];
  const ports = value.filter((p): p is number => Number.isInteger(p) && p >= 0 && p <= 65535);
  return [...new Set(ports)].sort((a, b) => a - b);
}

/** Assumptions into a sentence fragment: "the peer is unknown: var.x has no value". */
export function joinAssumptions(assumptions: readonly string[]): string {
  return assumptions.join('; ');
}

/** The listed ports an ingress rule opens to the world, split by certainty. */
export interface WorldOpenPorts {
  definite: ServicePort[];
  possible: ServicePort[];
  /** Why the `possible` ones are only possible. */
  assumptions: string[];
}

/**
 * Which of the given tcp and udp ports does this rule open to the whole internet? Only ingress rules
 * count; `null` when none can be.
 */
export function worldOpenPorts(
  rule: Rule,
  group: SecurityGroup | undefined,
  tcpPorts: readonly number[],
  udpPorts: readonly number[],
): WorldOpenPorts | null {
  if (rule.direction !== 'ingress') return null;
  return openPorts(rule, group, tcpPorts, udpPorts, peerIsWorld(rule.peer));
}

/**
 * Which of the given tcp and udp ports does this rule admit, given how far its peer matches
 * (`peer`, null for no)? Also used for "open to a public / wide private range".
 */
export function openPorts(
  rule: Rule,
  group: SecurityGroup | undefined,
  tcpPorts: readonly number[],
  udpPorts: readonly number[],
  peer: Match | null,
): WorldOpenPorts | null {
  if (!peer) return null;
  const condition = conditionOf(rule, group);
  const result: WorldOpenPorts = { definite: [], possible: [], assumptions: [] };
  // Asked for every rule and listed port: a port object only for a port the rule admits.
  const add = (protocol: 'tcp' | 'udp', number: number, port: number) => {
    const m = both(peer, condition, ruleAdmitsPort(rule, number, port));
    if (!m) return;
    if (isDefinite(m)) result.definite.push({ protocol, port });
    else {
      result.possible.push({ protocol, port });
      for (const a of m.assumptions) if (!result.assumptions.includes(a)) result.assumptions.push(a);
    }
  };
  for (const port of tcpPorts) add('tcp', TCP, port);
  for (const port of udpPorts) add('udp', UDP, port);
  return result.definite.length || result.possible.length ? result : null;
}

/**
 * The report for a rule that opens ports to the world: definite when any listed port definitely is
 * open (the possible ones are then left out, to keep one clear verdict per rule), "possible" otherwise.
 */
export function worldOpenPortsReport(rule: Rule, open: WorldOpenPorts): Report {
  const subject = ruleSubject(rule);
  const traffic = describeRuleTraffic(rule);
  if (open.definite.length) {
    const services = describeServices(open.definite);
    const single = open.definite.length === 1 && rule.ports.kind === 'range' && rule.ports.from === rule.ports.to;
    const scope = single ? '' : ` The rule admits ${traffic}.`;
    return {
      message: `${subject} allows ${services} from ${describeWorldPeer(rule.peer, rule.direction)}.${scope}`,
      location: rule.location,
      exposes: rule,
      via: rule.via,
      resource: rule.resource,
      key: ruleKey(rule),
      certainty: 'definite',
      assumptions: [],
    };
  }
  const services = describeServices(open.possible);
  return {
    message:
      `Possibly: ${lowerFirst(subject)} allows ${services} from the whole internet, depending on values ` +
      `not known statically (${joinAssumptions(open.assumptions)}).`,
    location: rule.location,
    exposes: rule,
    via: rule.via,
    resource: rule.resource,
    key: ruleKey(rule),
    certainty: 'possible',
    assumptions: open.assumptions,
  };
}

export function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

// ---------------------------------------------------------------------------------------------
// "The world" by set arithmetic: rules of one group whose CIDR sources together cover every IPv4
// (or IPv6) address, such as 0.0.0.0/1 + 128.0.0.0/1, open what they share to the whole internet
// just as 0.0.0.0/0 would. Computed with the exact traffic-set algebra of src/reach.

/** One rule of a cover: the part of its traffic that the group admits from every address of a family. */
export interface WorldCoverEntry {
  rule: Rule;
  family: Family;
  /** The rule's own traffic restricted to what the group admits from the whole family. */
  covered: TrafficSet;
  /** All the rules of the irredundant cover for this group and family (this one included), in model order. */
  members: WorldCoverEntry[];
}

type Piece = { protocols: IntervalSet; ports: IntervalSet; addresses: IntervalSet };

/** The (protocol range, port range, address set) pieces of one family of a traffic set. */
function pieces(set: TrafficSet, family: Family): Piece[] {
  const out: Piece[] = [];
  for (const p of set[family]) {
    for (const q of p.sub) out.push({ protocols: [{ lo: p.lo, hi: p.hi }], ports: [{ lo: q.lo, hi: q.hi }], addresses: q.sub });
  }
  return out;
}

function isWholeFamily(addresses: IntervalSet, family: Family): boolean {
  const u = ADDRESS_UNIVERSE[family];
  return addresses.length === 1 && addresses[0].lo === u[0].lo && addresses[0].hi === u[0].hi;
}

/** The protocol × port part of `set` admitted from every address of the family, with all addresses. */
function fromWholeFamily(set: TrafficSet, family: Family): TrafficSet {
  return unionAll(
    pieces(set, family)
      .filter((p) => isWholeFamily(p.addresses, family))
      .map((p) => box(family, p.protocols, p.ports, ADDRESS_UNIVERSE[family])),
  );
}

/** The same protocol × port pairs as `set`, from every address (both families). */
export function widen(set: TrafficSet): TrafficSet {
  return unionAll(
    (['ipv4', 'ipv6'] as const).flatMap((f) => pieces(set, f).map((p) => box(f, p.protocols, p.ports, ADDRESS_UNIVERSE[f]))),
  );
}

/** Traffic of `protocols` on `ports` from every address of both families. */
export function probe(protocols: IntervalSet, ports: IntervalSet): TrafficSet {
  return union(box('ipv4', protocols, ports, ADDRESS_UNIVERSE.ipv4), box('ipv6', protocols, ports, ADDRESS_UNIVERSE.ipv6));
}

/** Ports as an interval set (sorted, adjacent ports merged). */
export function portSet(ports: readonly number[]): IntervalSet {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const out: { lo: bigint; hi: bigint }[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && BigInt(p) === last.hi + 1n) last.hi = BigInt(p);
    else out.push({ lo: BigInt(p), hi: BigInt(p) });
  }
  return out;
}

export const ALL_PORTS: IntervalSet = [{ lo: 0n, hi: 65535n }];

/**
 * For every ingress rule that is part of a world cover: CIDR sources (none of them the world by
 * itself) of one group that together cover a whole address family for some protocol/port. Only
 * rules whose traffic is exactly known and that exist unconditionally take part, so a cover is
 * always definite. Covers are made irredundant (a rule whose covered part the others already
 * cover is dropped, in model order), so each reported rule is needed for the cover.
 */
export function worldCovers(model: Model): ReadonlyMap<Rule, WorldCoverEntry> {
  // Five checks ask for the same model's covers: computed once per model (rebuilt if its rules changed).
  const hit = WORLD_COVERS.get(model);
  if (hit && hit.rules === model.rules && hit.count === model.rules.length) return hit.covers;
  const covers = computeWorldCovers(model);
  WORLD_COVERS.set(model, { rules: model.rules, count: model.rules.length, covers });
  return covers;
}

const WORLD_COVERS = new WeakMap<Model, { rules: readonly Rule[]; count: number; covers: ReadonlyMap<Rule, WorldCoverEntry> }>();

function computeWorldCovers(model: Model): Map<Rule, WorldCoverEntry> {
  const groups = groupsByAddress(model);
  const buckets = new Map<string, { rule: Rule; traffic: TrafficSet }[]>();
  for (const rule of model.rules) {
    if (rule.direction !== 'ingress' || rule.peer.kind !== 'cidr' || rule.peer.prefix === 0) continue;
    if (!isDefinite(conditionOf(rule, groups.of(rule)))) continue;
    const traffic = fromRule(rule);
    if (!traffic) continue;
    const k = `${ruleGroupKey(rule, formatOf(rule))}\u0000${rule.peer.family}`;
    const list = buckets.get(k) ?? [];
    list.push({ rule, traffic });
    buckets.set(k, list);
  }
  const out = new Map<Rule, WorldCoverEntry>();
  for (const list of buckets.values()) {
    if (list.length < 2) continue;
    const family = (list[0].rule.peer as Extract<Peer, { kind: 'cidr' }>).family;
    const whole = fromWholeFamily(unionAll(list.map((x) => x.traffic)), family);
    if (isEmpty(whole)) continue;
    let members = list
      .map((x) => ({ rule: x.rule, family, covered: intersect(x.traffic, whole), members: [] as WorldCoverEntry[] }))
      .filter((e) => !isEmpty(e.covered));
    // In order, drop a member the others still kept cover (coverTree: linear, not each against all).
    const tree = coverTree(members.map((e) => e.covered));
    const dropped = new Set<number>();
    members.forEach((e, i) => {
      if (!isSubset(e.covered, tree.coveredTwice())) return;
      tree.remove(i);
      dropped.add(i);
    });
    members = members.filter((_, i) => !dropped.has(i));
    for (const e of members) {
      e.members = members;
      out.set(e.rule, e);
    }
  }
  return out;
}

/** The other rules of the cover that admit some of `what` (a widened set), or null if this rule admits none of it. */
export function coverPartners(entry: WorldCoverEntry, what: TrafficSet): Rule[] | null {
  if (!meets(entry.covered, what)) return null;
  return entry.members.filter((m) => m !== entry && meets(m.covered, what)).map((m) => m.rule);
}

/** "the rule at line 14", "the rules at lines 14 and 20", "the rule at other.tf:14" (file named when it differs). */
export function describeRuleLines(rule: Rule, others: readonly Rule[]): string {
  const sameFile = others.every((o) => o.location.file === rule.location.file);
  const where = [...new Set(others.map((o) => (sameFile ? `${o.location.line}` : `${o.location.file}:${o.location.line}`)))];
  const noun = where.length === 1 ? 'the rule at' : 'the rules at';
  return sameFile ? `${noun} ${where.length === 1 ? 'line' : 'lines'} ${joinList(where)}` : `${noun} ${joinList(where)}`;
}

/** The source format of a rule, for scoping (rules do not carry it; CloudFormation types start with AWS::). */
export function formatOf(rule: Rule): string {
  return rule.resourceType.startsWith('AWS::') ? 'cloudformation' : 'terraform';
}

/** The report for a rule that opens `what` to the world together with `partners`. */
export function worldTogetherReport(rule: Rule, what: string, partners: readonly Rule[]): Report {
  const peer = rule.peer as Extract<Peer, { kind: 'cidr' }>;
  const family = peer.family === 'ipv4' ? 'IPv4 (0.0.0.0/0)' : 'IPv6 (::/0)';
  const cidrs = [...new Set(partners.map((p) => peerKey(p.peer)))].join(', ');
  return {
    message:
      `${ruleSubject(rule)} allows ${what} from the whole internet: its source ${cidrText(peer)} and ${describeRuleLines(rule, partners)} ` +
      `(${cidrs}) together cover all of ${family}.`,
    location: rule.location,
    exposes: rule,
    via: rule.via,
    resource: rule.resource,
    key: ruleKey(rule),
    certainty: 'definite',
    assumptions: [],
  };
}

/** Which listed tcp/udp ports the rule opens to the world together with other rules, and with whom. */
export function worldOpenPortsTogether(
  entry: WorldCoverEntry | undefined,
  tcpPorts: readonly number[],
  udpPorts: readonly number[],
): { services: ServicePort[]; partners: Rule[] } | null {
  if (!entry) return null;
  const services: ServicePort[] = [];
  const partners = new Set<Rule>();
  const candidates: [ServicePort, number][] = [
    ...tcpPorts.map((port): [ServicePort, number] => [{ protocol: 'tcp', port }, TCP]),
    ...udpPorts.map((port): [ServicePort, number] => [{ protocol: 'udp', port }, UDP]),
  ];
  for (const [service, number] of candidates) {
    const p = coverPartners(entry, probe(portSet([number]), portSet([service.port])));
    if (!p) continue;
    services.push(service);
    for (const r of p) partners.add(r);
  }
  if (!services.length) return null;
  return { services, partners: entry.members.map((m) => m.rule).filter((r) => partners.has(r)) };
}

/**
 * Does the rule, which itself admits all traffic (protocol -1 or every tcp/udp port), admit all of
 * it (or every port of tcp or udp) from the world together with others? Returns what and with whom.
 */
export function allTrafficTogether(entry: WorldCoverEntry | undefined): { what: string; partners: Rule[] } | null {
  if (!entry) return null;
  const all = ruleAdmitsAllTraffic(entry.rule);
  if (!all || !isDefinite(all)) return null;
  const own = fromRule(entry.rule);
  if (!own) return null;
  const choices: [string, TrafficSet][] = [
    ['all traffic', probe([{ lo: 0n, hi: 255n }], ALL_PORTS)],
    ['every tcp port (0-65535)', probe(portSet([TCP]), ALL_PORTS)],
    ['every udp port (0-65535)', probe(portSet([UDP]), ALL_PORTS)],
  ];
  for (const [what, p] of choices) {
    if (what === 'all traffic' && entry.rule.protocol.kind !== 'all') continue;
    const part = intersect(own, p);
    if (isEmpty(part) || !isEmpty(subtract(part, entry.covered))) continue;
    const partners = coverPartners(entry, widen(part));
    if (partners) return { what, partners };
  }
  return null;
}

/**
 * The report for a rule that opens listed ports to a peer described by `from` ("the public range
 * 203.0.113.0/24"): definite when any port definitely is open, "possible" otherwise.
 */
export function openPortsReport(rule: Rule, open: WorldOpenPorts, from: string, extra = ''): Report {
  const subject = ruleSubject(rule);
  const base = { location: rule.location, via: rule.via, resource: rule.resource, key: ruleKey(rule) };
  if (open.definite.length) {
    return { ...base, message: `${subject} allows ${describeSomeServices(open.definite)} from ${from}.${extra}`, certainty: 'definite', assumptions: [] };
  }
  return {
    ...base,
    message:
      `Possibly: ${lowerFirst(subject)} allows ${describeSomeServices(open.possible)} from ${from}, depending on values ` +
      `not known statically (${joinAssumptions(open.assumptions)}).${extra}`,
    certainty: 'possible',
    assumptions: open.assumptions,
  };
}

/** Long lists (a rule admitting every port) name the first few: "SSH (tcp/22), ... and 30 more ports". */
function describeSomeServices(list: readonly ServicePort[], max = 6): string {
  if (list.length <= max) return describeServices(list);
  const sorted = [...list].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
  return `${describeServices(sorted.slice(0, max)).replace(/ and (?=[^,]*$)/, ', ')} and ${list.length - max} more sensitive ports`;
}

/** Options arrive from user configuration: an integer in [min, max], else the default. */
export function intOption(value: unknown, fallback: number, min: number, max: number): number {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max ? (value as number) : fallback;
}

/** Options arrive from user configuration: a list of CIDRs (invalid entries dropped). */
export function cidrListOption(value: unknown): Peer[] {
  if (!Array.isArray(value)) return [];
  return value.map((v) => parseCidr(v)).filter((p) => p.kind === 'cidr');
}

/** Is the CIDR peer inside one of the given CIDRs (same family)? */
export function cidrWithin(peer: Peer, blocks: readonly Peer[]): boolean {
  if (peer.kind !== 'cidr') return false;
  const r = cidrToRange(peer.cidr);
  if (!r) return false;
  return blocks.some((b) => {
    if (b.kind !== 'cidr') return false;
    const o = cidrToRange(b.cidr);
    return !!o && o.family === r.family && o.range.lo <= r.range.lo && r.range.hi <= o.range.hi;
  });
}

/** Number of addresses in a CIDR, for messages: "256 addresses", "2^80 addresses". */
export function describeSize(peer: Peer): string {
  if (peer.kind !== 'cidr') return '';
  const bits = (peer.family === 'ipv4' ? 32 : 128) - peer.prefix;
  if (bits === 0) return '1 address';
  // An IPv6 /64 is one subnet, however many addresses it holds.
  if (peer.family === 'ipv6' && peer.prefix === 64) return 'one /64 subnet';
  return bits <= 32 ? `${(2 ** bits).toLocaleString('en-US')} addresses` : `2^${bits} addresses`;
}
