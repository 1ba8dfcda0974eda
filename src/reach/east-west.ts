import { ADMIN_TCP_PORTS, ADMIN_UDP_PORTS, joinList, serviceName } from '../model/services.js';
import { TCP, UDP } from '../model/protocol.js';
import { ResourceRef, Unknown, onlyIf } from '../model/value.js';
import type { Endpoint, Subnet } from '../network/model.js';
import type { Rule } from '../model/model.js';
import type { Engine, Hop, Reach, Verdict } from './engine.js';
import { DB_TCP_PORTS, DB_UDP_PORTS, TEMPLATE_KINDS } from './exposure.js';
import * as iv from '../sets/interval.js';
import { ALL_ADDRESSES, intersectAddresses, noAddresses, readdress, serviceFrom } from '../sets/setops.js';
import { ALL_TRAFFIC, FAMILIES, intersect, isEmpty, unionAll, type TrafficSet } from '../sets/traffic.js';
import { describe } from '../sets/describe.js';
import { addTo } from '../model/arrays.js';
import { portsText } from '../network/kinds.js';
import { portsTraffic } from './roles.js';

// East-west: which endpoints can open connections to which on administration and database ports.
// No all-pairs enumeration: the candidate sources of a destination are the members of the groups
// its ingress rules name, and the endpoints in subnets its CIDR rules cover.

export interface EastWest {
  source: Endpoint;
  dest: Endpoint;
  /** "tcp/5432" (ranges merged: "tcp/22, tcp/2379-2380"); the finding key. */
  service: string;
  /** Each sensitive port, named: ["tcp/22 (SSH)", "tcp/5432 (PostgreSQL)"], in port order. */
  services: string[];
  verdict: Exclude<Verdict, 'not-reachable'>;
  path: Hop[];
  assumptions: string[];
}

/**
 * The only ports SGS041 reports: remote administration (SSH, RDP) and database/cache ports
 * (DB_TCP_PORTS, DB_UDP_PORTS in exposure.ts). Other internal traffic is what networks are for.
 */
const SENSITIVE: readonly [number, number][] = [
  ...[...new Set([...ADMIN_TCP_PORTS, ...DB_TCP_PORTS])].map((p): [number, number] => [TCP, p]),
  ...[...new Set([...ADMIN_UDP_PORTS, ...DB_UDP_PORTS])].map((p): [number, number] => [UDP, p]),
].sort((a, b) => a[1] - b[1] || a[0] - b[0]);

export function sensitivePorts(): TrafficSet {
  return unionAll(SENSITIVE.map(([p, port]) => serviceFrom(p, iv.range(port), ALL_ADDRESSES)));
}

/**
 * What SGS041 asks about a destination: the admin and database/cache ports, and a data store's own
 * ports (a PostgreSQL on 5433 is reached on 5433).
 */
export function probeFor(dest: Endpoint, sensitive: TrafficSet = sensitivePorts()): TrafficSet {
  const s = dest.role.serves;
  return dest.role.store && s.kind === 'ports' ? portsTraffic(s.ports) : sensitive;
}

/**
 * A member instance of a DB cluster in the scan: the cluster stands for it (one endpoint, the same
 * groups and engine), so it is neither asked about nor reported on its own.
 */
export function isClusterMember(engine: Engine, e: Endpoint): boolean {
  return e.kind === 'db' && e.groupsFrom !== undefined && engine.endpoint(e.groupsFrom)?.kind === 'db-cluster';
}

/** The sensitive ports in a set (a part of the probe), named: "tcp/22 (SSH)". Read off the set's
 * tcp/udp port ranges rather than intersecting it once per port (that was a seventh of a scan).
 */
function sensitiveIn(set: TrafficSet): string[] {
  const has = new Set<string>();
  for (const f of FAMILIES) {
    for (const p of set[f]) {
      for (const [proto, port] of SENSITIVE) {
        if (BigInt(proto) < p.lo || BigInt(proto) > p.hi) continue;
        if (p.sub.some((q) => q.lo <= BigInt(port) && BigInt(port) <= q.hi && q.sub.length > 0)) has.add(`${proto}/${port}`);
      }
    }
  }
  return SENSITIVE.filter(([p, port]) => has.has(`${p}/${port}`)).map(([p, port]) => {
    const pp = `${p === TCP ? 'tcp' : 'udp'}/${port}`;
    const name = serviceName(port);
    return name ? `${pp} (${name})` : pp;
  });
}

/** "tcp/22 (SSH), tcp/5432 (PostgreSQL) and 12 more": at most three named, for messages. */
export function compactServices(services: readonly string[], shown = 3): string {
  if (services.length <= shown) return joinList(services);
  return joinList([...services.slice(0, shown - 1), `${services.length - (shown - 1)} more`]);
}

/** Endpoints a destination's ingress rules could admit: members of named groups, endpoints in covered subnets. */
export function candidateSources(engine: Engine, dest: Endpoint, bySubnet: Map<string, Endpoint[]>, probe: TrafficSet = ALL_TRAFFIC, subnets?: SubnetIndex): Endpoint[] {
  const candidates = admitted(engine, dest, bySubnet, probe, subnets);
  candidates.delete(dest.id);
  return [...candidates.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** What candidateSources finds, the destination itself included (it depends only on its groups). */
function admitted(engine: Engine, dest: Endpoint, bySubnet: Map<string, Endpoint[]>, probe: TrafficSet, subnets?: SubnetIndex): Map<string, Endpoint> {
  const candidates = new Map<string, Endpoint>();
  for (const g of engine.groupsOf(dest).ids) {
    for (const rule of engine.rulesOf(g)) {
      if (rule.direction !== 'ingress') continue;
      // A rule that cannot admit anything of the question brings no candidates.
      const shape = engine.shapeOf(rule);
      if (!shape || isEmpty(intersect(shape.shape, probe))) continue;
      const p = rule.peer;
      // A group whose id is not known brings no candidates: any endpoint might be in it, and the
      // engine answers that "possibly" only when asked about a given pair.
      if (p.kind === 'securityGroup' && !(p.ref instanceof Unknown)) {
        const target = p.self ? rule.group : p.ref instanceof ResourceRef ? p.ref.address : p.ref;
        for (const m of engine.membersOf(target)) candidates.set(m.id, m);
      } else if (p.kind === 'cidr' && p.prefix > 0) {
        const a = engine.addrs([p.cidr]);
        if (subnets) for (const id of subnets.meeting(a)) for (const m of bySubnet.get(id) ?? []) candidates.set(m.id, m);
        else {
          for (const s of engine.network.subnets) {
            if (typeof s.cidr === 'string' && !noAddresses(intersectAddresses(a, engine.addrs([s.cidr])))) for (const m of bySubnet.get(s.id) ?? []) candidates.set(m.id, m);
          }
        }
      }
    }
    // Members of the implicit default group admit each other.
    if (g.startsWith('default-sg(')) for (const m of engine.membersOf(g)) candidates.set(m.id, m);
  }
  return candidates;
}

export function endpointsBySubnet(engine: Engine): Map<string, Endpoint[]> {
  const bySubnet = new Map<string, Endpoint[]>();
  for (const e of engine.network.endpoints) for (const s of e.subnets) if (typeof s === 'string') addTo(bySubnet, s, e);
  return bySubnet;
}

/**
 * Destinations whose answers are the same for every source: same groups, same subnets (all in the
 * scan), same IPv6 fact, not a load balancer (listeners) and with known groups. The engine's answer
 * then names the destination only in blockers, and only reachable answers are kept here. Undefined:
 * the destination is asked about on its own.
 */
function destinationClass(engine: Engine, dest: Endpoint, subnetIds: ReadonlySet<string>): string | undefined {
  if (dest.kind === 'lb' || dest.subnets.length === 0) return undefined;
  const g = engine.groupsOf(dest);
  if (g.ids.length === 0 || g.unknown.length > 0) return undefined;
  const subnets: string[] = [];
  for (const s of dest.subnets) {
    if (typeof s !== 'string' || !subnetIds.has(s)) return undefined;
    subnets.push(s);
  }
  const v6 = engine.facts.ipv6.get(dest.id);
  // What the destination serves decides the answers too (an instance and a database in one group).
  return `${g.ids.join(',')}\u0000${subnets.join(',')}\u0000${v6 && v6.value !== false ? 1 : 0}\u0000${JSON.stringify(dest.role.serves)}\u0000${typeof dest.vpc === 'string' ? dest.vpc : ''}`;
}

/**
 * Source → destination pairs that connect within `probe` (admin and database ports by default).
 * Destinations of one class (see destinationClass) share their candidates and answers per source.
 */
export function eastWestReach(engine: Engine, probe: TrafficSet = sensitivePorts()): { source: Endpoint; dest: Endpoint; reach: Reach }[] {
  const out: { source: Endpoint; dest: Endpoint; reach: Reach }[] = [];
  const bySubnet = endpointsBySubnet(engine);
  const classes = new Map<string, Map<string, Reach>>();
  const subnetIds = new Set(engine.network.subnets.map((s) => s.id));
  for (const dest of engine.network.endpoints) {
    if (TEMPLATE_KINDS.has(dest.kind) || isClusterMember(engine, dest)) continue;
    const asked = probeFor(dest, probe);
    const cls = destinationClass(engine, dest, subnetIds);
    let answers = cls === undefined ? undefined : classes.get(cls);
    if (cls !== undefined && !answers) classes.set(cls, (answers = new Map()));
    for (const source of candidateSources(engine, dest, bySubnet, asked)) {
      if (TEMPLATE_KINDS.has(source.kind) || source.role.opens.kind === 'none' || isClusterMember(engine, source)) continue;
      // A source without known subnets gets "the route from it to <dest> is not known": not shared.
      // A load balancer's answer depends on whether the destination is one of its targets: not shared.
      const share = answers && source.role.opens.kind !== 'targets' && source.subnets.length > 0 && source.subnets.every((s) => typeof s === 'string' && subnetIds.has(s)) ? answers : undefined;
      let r = share?.get(source.id);
      if (!r) {
        r = engine.reach({ kind: 'endpoint', id: source.id }, dest.id, asked, { explain: false });
        share?.set(source.id, r);
      }
      if (r.verdict !== 'not-reachable') out.push({ source, dest, reach: r });
    }
  }
  return out;
}

export function eastWestExposures(engine: Engine): EastWest[] {
  const sensitive = sensitivePorts();
  const out: EastWest[] = [];
  // Destinations of one class share their answers (eastWestReach): name each answer's services once.
  // A data store is asked about on its own ports, so its answers are named on their own.
  const named = new Map<Reach, { service: string; services: string[] } | null>();
  const name = (dest: Endpoint, r: Reach) => {
    const hit = intersect(r.verdict === 'reachable' ? r.allowed : r.possible, probeFor(dest, sensitive));
    // "tcp/22, tcp/5432": the sensitive services, without the source addresses.
    return isEmpty(hit) ? null : { service: [...new Set(describe(readdress(hit, () => true, ALL_ADDRESSES)).split('; ').map((c) => c.replace(/ from .*$/, '')))].join(', '), services: servicesIn(dest, hit) };
  };
  for (const { source, dest, reach: r } of eastWestReach(engine, sensitive)) {
    let n = dest.role.store ? name(dest, r) : named.get(r);
    if (n === undefined) named.set(r, (n = name(dest, r)));
    if (!n || exclusive(source, dest)) continue;
    // A resource that exists only under a condition reaches, or is reached, only if it exists.
    const exists = [source, dest].flatMap((e) => (e.condition ? e.condition.reasons.map((c) => `${e.id} exists (${onlyIf(c)})`) : []));
    const verdict = (exists.length ? 'possibly-reachable' : r.verdict) as EastWest['verdict'];
    out.push({ source, dest, service: n.service, services: n.services, verdict, path: r.path, assumptions: exists.length ? [...new Set([...r.assumptions, ...exists])] : r.assumptions });
  }
  return out;
}

/**
 * Two resources whose conditions cannot both hold never exist together ("EnvType = Provisioned" and
 * "EnvType = Serverless"): neither reaches the other.
 */
function exclusive(a: Endpoint, b: Endpoint): boolean {
  if (!a.condition || !b.condition) return false;
  const equalities = (e: Endpoint) => new Map(e.condition!.reasons.map((c) => /^(\S+) = (.+)$/.exec(onlyIf(c))).filter((m): m is RegExpExecArray => m !== null).map((m) => [m[1], m[2]] as const));
  const x = equalities(a);
  const y = equalities(b);
  for (const [k, v] of x) if (y.has(k) && y.get(k) !== v) return true;
  return false;
}

/** East-west exposures that one ingress rule admits, on one set of services: what one fix narrows. */
export interface EastWestGroup {
  /** The destination-side rule that admits the sources; undefined when none does (AWS's default group, no groups). */
  rule?: Rule;
  /** Where to point when there is no rule: the first pair's last hop, else its destination. */
  anchor: Hop | Endpoint;
  service: string;
  services: string[];
  /** Pairs in source then destination order. */
  pairs: EastWest[];
}

/**
 * Groups pairs by the ingress rule that admits them: the number of findings grows with the rules, not
 * with the square of the instances (one wide rule over 500 instances is one finding, not 249,500).
 */
export function groupByAdmittingRule(pairs: readonly EastWest[]): EastWestGroup[] {
  const groups = new Map<string, EastWestGroup>();
  const ruleIds = new Map<Rule, number>();
  for (const x of pairs) {
    const rule = admittingRule(x.path);
    const last = x.path.at(-1);
    const anchor: Hop | Endpoint = rule ? x.path.find((h) => h.rule === rule)! : last ?? x.dest;
    let id = rule ? ruleIds.get(rule) : undefined;
    if (rule && id === undefined) ruleIds.set(rule, (id = ruleIds.size));
    const k = `${rule ? `rule ${id}` : 'location' in anchor ? `dest ${anchor.id}` : `hop ${anchor.file}:${anchor.line} ${anchor.message}`}\u0000${x.service}`;
    const g = groups.get(k);
    if (g) g.pairs.push(x);
    else groups.set(k, { ...(rule ? { rule } : {}), anchor, service: x.service, services: x.services, pairs: [x] });
  }
  return [...groups.values()];
}

/** East-west blocks that one ingress rule admits, on one set of services (see EastWestGroup). */
export interface EastWestBlockGroup {
  rule?: Rule;
  anchor: Hop | Endpoint;
  service: string;
  services: string[];
  /** In the order of their first pairs. */
  blocks: EastWestBlock[];
}

/** groupByAdmittingRule for blocks: the groups, keys and order it gives the blocks' pairs. */
export function groupBlocksByAdmittingRule(blocks: readonly EastWestBlock[]): EastWestBlockGroup[] {
  const groups = new Map<string, EastWestBlockGroup>();
  const ruleIds = new Map<Rule, number>();
  for (const x of blocks) {
    const rule = admittingRule(x.path);
    const last = x.path.at(-1);
    const anchor: Hop | Endpoint = rule ? x.path.find((h) => h.rule === rule)! : last ?? x.first.dest;
    let id = rule ? ruleIds.get(rule) : undefined;
    if (rule && id === undefined) ruleIds.set(rule, (id = ruleIds.size));
    const k = `${rule ? `rule ${id}` : 'location' in anchor ? `dest ${anchor.id}` : `hop ${anchor.file}:${anchor.line} ${anchor.message}`}\u0000${x.service}`;
    const g = groups.get(k);
    if (g) g.blocks.push(x);
    else groups.set(k, { ...(rule ? { rule } : {}), anchor, service: x.service, services: x.services, blocks: [x] });
  }
  return [...groups.values()];
}

/** The last security group rule on the path admitting traffic in: the destination's own rule. */
function admittingRule(path: readonly Hop[]): Rule | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (path[i].rule?.direction === 'ingress') return path[i].rule;
  return undefined;
}

/** The services of a hit, named: a data store's own ports by its service ("tcp/5433 (PostgreSQL)"). */
function servicesIn(dest: Endpoint, hit: TrafficSet): string[] {
  const s = dest.role.serves;
  if (!dest.role.store || s.kind !== 'ports') return sensitiveIn(hit);
  return s.ports.filter((p) => !isEmpty(intersect(hit, portsTraffic([p])))).map((p) => `${portsText([p])} (${s.service})`);
}

// ---- Blocks: the pairs of one answer, without listing them --------------------------------------

/**
 * Sources and destinations whose every pair (but a resource with itself) has one answer: one wide
 * rule over n instances is one block of n sources and n destinations, asked about once, not n² pairs.
 */
export interface EastWestBlock {
  /** By id. */
  sources: Endpoint[];
  /** In the network's order. */
  dests: Endpoint[];
  service: string;
  services: string[];
  verdict: Exclude<Verdict, 'not-reachable'>;
  /** The answer's path for one pair of the block (the engine's path names neither end's own hops). */
  path: Hop[];
  assumptions: string[];
  /** The first pair in the order pairs were once listed (destination, then source by id). */
  first: { source: Endpoint; dest: Endpoint; rank: number };
  /** The path of one pair of the block, as asking about that pair alone gives it. */
  pathOf(source: Endpoint, dest: Endpoint): Hop[];
}

/** The number of pairs of a block: every source with every destination but itself. */
export function blockPairs(b: Pick<EastWestBlock, 'sources' | 'dests'>): number {
  const dests = new Set(b.dests.map((d) => d.id));
  const sources = new Set(b.sources.map((s) => s.id));
  return sources.size * dests.size - [...sources].filter((s) => dests.has(s)).length;
}

/**
 * Subnets that no address in the scan tells apart, by class: same VPC, route table and NACL, and
 * every address block that a rule, NACL entry, route, VPC or prefix list names either covers the
 * subnet or misses it. A question from a resource in one of them is answered the same from the
 * others (only the names differ). Subnets not in the map are a class of their own.
 */
export function subnetClasses(engine: Engine): Map<string, string> {
  const blocks = new Set<string>();
  const starts: { lo: bigint; hi: bigint }[] = [];
  const mention = (c: string | Unknown | undefined) => {
    if (typeof c !== 'string') return;
    const a = engine.addrs([c]);
    // IPv4 only: the subnets classed are IPv4 only (an IPv6 block is another number space).
    for (const r of a.ipv4) {
      const k = `${r.lo}-${r.hi}`;
      if (blocks.has(k)) continue;
      blocks.add(k);
      starts.push(r);
    }
  };
  const n = engine.network;
  for (const v of n.vpcs) for (const c of [...v.cidrs.ipv4, ...v.cidrs.ipv6]) mention(c);
  for (const t of n.routeTables) for (const r of t.routes) mention(r.destination);
  for (const acl of n.nacls) for (const e of [...acl.ingress, ...acl.egress]) mention(e.cidr);
  for (const p of n.prefixLists) for (const e of p.entries) mention(e);
  const groups = new Set<string>();
  for (const e of n.endpoints) for (const g of engine.groupsOf(e).ids) groups.add(g);
  for (const g of groups) for (const r of engine.rulesOf(g)) if (r.peer.kind === 'cidr') mention(r.peer.cidr);
  starts.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const candidates: { s: Subnet; lo: bigint; hi: bigint }[] = [];
  for (const s of n.subnets) {
    if (typeof s.cidr !== 'string' || s.ipv6Cidr !== undefined || typeof s.vpc !== 'string' || typeof s.routeTable !== 'string' || typeof s.nacl !== 'string') continue;
    const a = engine.addrs([s.cidr]);
    if (a.ipv4.length !== 1 || a.ipv6.length !== 0) continue;
    candidates.push({ s, lo: a.ipv4[0].lo, hi: a.ipv4[0].hi });
  }
  // Overlapping subnets (a scan may declare them) are told apart by each other: each is its own class.
  candidates.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const overlapping = new Set<Subnet>();
  let reach = -1n;
  candidates.forEach((c, i) => {
    if (i > 0 && c.lo <= reach) {
      overlapping.add(c.s);
      overlapping.add(candidates[i - 1].s);
    }
    if (c.hi > reach) reach = c.hi;
  });
  const out = new Map<string, string>();
  for (const { s, lo, hi } of candidates) {
    if (overlapping.has(s)) continue;
    // A named block inside the subnet, or overlapping part of it, tells its addresses apart.
    let i = lowerBound(starts, lo);
    let split = false;
    for (; i < starts.length && starts[i].lo <= hi && !split; i++) if (starts[i].lo > lo || starts[i].hi < hi) split = true;
    // A block reaching into the subnet from below.
    for (let j = lowerBound(starts, lo) - 1; j >= 0 && !split; j--) {
      if (starts[j].hi >= lo && starts[j].hi < hi) split = true;
      // CIDR blocks nest or are disjoint: one that ends before the subnet ends the search.
      if (starts[j].hi < lo) break;
    }
    if (split) continue;
    // The named blocks that cover it: a CIDR block's covering blocks are its aligned ancestors.
    const covering: string[] = [];
    const size = hi - lo + 1n;
    for (let k = size; k <= 1n << 32n; k <<= 1n) {
      const a = lo - (lo % k);
      const key = `${a}-${a + k - 1n}`;
      if (blocks.has(key)) covering.push(key);
    }
    out.set(s.id, `${s.vpc}\u0000${s.routeTable}\u0000${s.nacl}\u0000${covering.join(',')}`);
  }
  return out;
}

function lowerBound(xs: readonly { lo: bigint }[], lo: bigint): number {
  let a = 0;
  let b = xs.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (xs[m].lo < lo) a = m + 1;
    else b = m;
  }
  return a;
}

/**
 * The subnets of the scan by address, to find those a CIDR rule meets without trying every subnet
 * for every rule (quadratic in a VPC of thousands of subnets).
 */
export class SubnetIndex {
  private readonly byFamily: { lo: bigint; hi: bigint; id: string }[][] = [[], []];
  /** Largest `hi` up to each position: the search stops once nothing before can reach the query. */
  private readonly maxHi: bigint[][] = [[], []];

  constructor(engine: Engine) {
    for (const s of engine.network.subnets) {
      if (typeof s.cidr !== 'string') continue;
      const a = engine.addrs([s.cidr]);
      [a.ipv4, a.ipv6].forEach((set, f) => {
        for (const r of set) this.byFamily[f].push({ lo: r.lo, hi: r.hi, id: s.id });
      });
    }
    this.byFamily.forEach((xs, f) => {
      xs.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
      let m = -1n;
      this.maxHi[f] = xs.map((x) => (m = x.hi > m ? x.hi : m));
    });
  }

  /** Ids of the subnets whose CIDR meets `a`. */
  meeting(a: { ipv4: readonly { lo: bigint; hi: bigint }[]; ipv6: readonly { lo: bigint; hi: bigint }[] }): Set<string> {
    const out = new Set<string>();
    [a.ipv4, a.ipv6].forEach((set, f) => {
      const xs = this.byFamily[f];
      for (const q of set) {
        // The last subnet starting at or before q.hi, back while one may still end at or after q.lo.
        let i = upperBound(xs, q.hi) - 1;
        for (; i >= 0 && this.maxHi[f][i] >= q.lo; i--) if (xs[i].hi >= q.lo) out.add(xs[i].id);
      }
    });
    return out;
  }
}

function upperBound(xs: readonly { lo: bigint }[], hi: bigint): number {
  let a = 0;
  let b = xs.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (xs[m].lo <= hi) a = m + 1;
    else b = m;
  }
  return a;
}

/**
 * East-west exposures as blocks (see EastWestBlock), in the order of their first pairs. The same
 * answers as eastWestExposures, pair by pair: destinations of one class share their candidates and
 * answers (eastWestReach), and so do the sources of one class (same groups, role and IPv6 fact, and
 * subnets of one class, see subnetClasses), unless the answer names the source or its subnet.
 */
export function eastWestBlocks(engine: Engine): EastWestBlock[] {
  const sensitive = sensitivePorts();
  const bySubnet = endpointsBySubnet(engine);
  const subnetIds = new Set(engine.network.subnets.map((s) => s.id));
  const index = new SubnetIndex(engine);
  const subnetClass = subnetClasses(engine);
  const rank = new Map<string, number>();
  // Destinations by class, in the order of their first member; a destination of no class is its own.
  const classes = new Map<string, Endpoint[]>();
  engine.network.endpoints.forEach((dest, i) => {
    if (!rank.has(dest.id)) rank.set(dest.id, i);
    if (TEMPLATE_KINDS.has(dest.kind) || isClusterMember(engine, dest)) return;
    const cls = destinationClass(engine, dest, subnetIds) ?? `\u0001${i}`;
    addTo(classes, cls, dest);
  });
  const out: EastWestBlock[] = [];
  const named = new Map<Reach, { service: string; services: string[] } | null>();
  const name = (dest: Endpoint, r: Reach) => {
    let n = dest.role.store ? undefined : named.get(r);
    if (n !== undefined) return n;
    const hit = intersect(r.verdict === 'reachable' ? r.allowed : r.possible, probeFor(dest, sensitive));
    n = isEmpty(hit) ? null : { service: [...new Set(describe(readdress(hit, () => true, ALL_ADDRESSES)).split('; ').map((c) => c.replace(/ from .*$/, '')))].join(', '), services: servicesIn(dest, hit) };
    if (!dest.role.store) named.set(r, n);
    return n;
  };
  for (const dests of classes.values()) {
    const d0 = dests[0];
    const asked = probeFor(d0, sensitive);
    const all = [...admitted(engine, d0, bySubnet, asked, index).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const shared = dests.length > 1 || destinationClass(engine, d0, subnetIds) !== undefined;
    const ask = (source: Endpoint, dest: Endpoint) => engine.reach({ kind: 'endpoint', id: source.id }, dest.id, asked, { explain: false });
    // What eastWestReach asks for a pair: a shared answer is asked of the first destination of the class.
    const shareable = (source: Endpoint) => shared && source.role.opens.kind !== 'targets' && source.subnets.length > 0 && source.subnets.every((s) => typeof s === 'string' && subnetIds.has(s));
    const askedOf = (source: Endpoint) => dests.find((d) => d.id !== source.id);
    // Sources by class.
    const sourceClasses = new Map<string, Endpoint[]>();
    for (const source of all) {
      if (TEMPLATE_KINDS.has(source.kind) || source.role.opens.kind === 'none' || isClusterMember(engine, source)) continue;
      addTo(sourceClasses, sourceClass(engine, source, d0, subnetClass) ?? `\u0001${source.id}`, source);
    }
    for (const [key, sources] of sourceClasses) {
      // A source whose answers are not shared is asked about with each destination, as before.
      if (!shareable(sources[0])) {
        for (const dest of dests) if (dest.id !== sources[0].id) emit([sources[0]], [dest], ask(sources[0], dest), (s, d) => ask(s, d).path);
        continue;
      }
      const rep = sources[0];
      const toward = askedOf(rep);
      if (!toward) continue;
      const r = ask(rep, toward);
      const pathOf = (s: Endpoint) => {
        const d = askedOf(s);
        return d ? ask(s, d).path : [];
      };
      // An answer that names its source or the source's subnet is that source's alone.
      if (sources.length > 1 && (key.startsWith('\u0001') || namesSource(r, rep))) {
        for (const s of sources) {
          const to = askedOf(s);
          if (to) emit([s], dests, s === rep ? r : ask(s, to), (x) => pathOf(x));
        }
        continue;
      }
      emit(sources, dests, r, (x) => pathOf(x));
    }
  }

  /** Split by what each end's condition adds (conditions are per resource), name, and keep. */
  function emit(sources: Endpoint[], dests: Endpoint[], r: Reach, pathOf: (s: Endpoint, d: Endpoint) => Hop[]): void {
    if (r.verdict === 'not-reachable') return;
    const plain = dests.filter((d) => !d.condition);
    const parts: Endpoint[][] = [...(plain.length ? [plain] : []), ...dests.filter((d) => d.condition).map((d) => [d])];
    for (const ds of parts) {
      const bySource = sources.some((s) => s.condition) && ds.some((d) => d.condition) ? sources.map((s) => [s]) : [sources];
      for (const ss of bySource) {
        const n = name(ds[0], r);
        if (!n) continue;
        const pairs = ss.length === 1 && ds.length === 1;
        if (pairs && exclusive(ss[0], ds[0])) continue;
        const first = firstPair(ss, ds, rank);
        if (!first) continue;
        const exists = [ss.length === 1 ? ss[0] : undefined, ds.length === 1 ? ds[0] : undefined].flatMap((e) => (e?.condition ? e.condition.reasons.map((c) => `${e.id} exists (${onlyIf(c)})`) : []));
        const verdict = (exists.length ? 'possibly-reachable' : r.verdict) as EastWest['verdict'];
        out.push({ sources: ss, dests: ds, service: n.service, services: n.services, verdict, path: r.path, assumptions: exists.length ? [...new Set([...r.assumptions, ...exists])] : r.assumptions, first, pathOf });
      }
    }
  }
  return out.sort((a, b) => a.first.rank - b.first.rank || (a.first.source.id < b.first.source.id ? -1 : a.first.source.id > b.first.source.id ? 1 : 0));
}

/** The first pair of sources × destinations but a resource with itself: by destination, then source id. */
function firstPair(sources: Endpoint[], dests: Endpoint[], rank: Map<string, number>): EastWestBlock['first'] | undefined {
  for (const dest of dests.slice(0, 2)) {
    const source = sources.find((s) => s.id !== dest.id);
    if (source) return { source, dest, rank: rank.get(dest.id) ?? 0 };
  }
  return undefined;
}

/** The class of a source towards the destinations of one class (undefined: its own). */
function sourceClass(engine: Engine, source: Endpoint, dest: Endpoint, subnetClass: Map<string, string>): string | undefined {
  if (source.condition || source.subnets.length !== 1 || typeof source.subnets[0] !== 'string') return undefined;
  const s = source.subnets[0];
  const cls = subnetClass.get(s);
  const g = engine.groupsOf(source);
  if (cls === undefined || g.unknown.length > 0) return undefined;
  const v6 = engine.facts.ipv6.get(source.id);
  // In the destination's own subnet NACLs are not crossed: which one of its subnets, if any, matters.
  const same = dest.subnets.indexOf(s);
  return [g.ids.join(','), cls, same, v6 && v6.value !== false ? 1 : 0, source.kind, JSON.stringify(source.role), typeof source.vpc === 'string' ? source.vpc : ''].join('\u0000');
}

/** An answer that speaks of its source by name or of the source's subnet is not shared. */
function namesSource(r: Reach, source: Endpoint): boolean {
  const names = [source.id, ...source.subnets.filter((s): s is string => typeof s === 'string')];
  return r.assumptions.some((a) => names.some((n) => a.includes(n)));
}
