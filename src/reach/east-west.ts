import { ADMIN_TCP_PORTS, ADMIN_UDP_PORTS, joinList, serviceName } from '../model/services.js';
import { TCP, UDP } from '../model/protocol.js';
import { ResourceRef, Unknown, onlyIf } from '../model/value.js';
import type { Endpoint } from '../network/model.js';
import type { Rule } from '../model/model.js';
import type { Engine, Hop, Reach, Verdict } from './engine.js';
import { DB_TCP_PORTS, DB_UDP_PORTS, TEMPLATE_KINDS } from './exposure.js';
import * as iv from '../sets/interval.js';
import { ALL_ADDRESSES, intersectAddresses, noAddresses, readdress, serviceFrom } from '../sets/setops.js';
import { ALL_TRAFFIC, FAMILIES, intersect, isEmpty, unionAll, type TrafficSet, meets } from '../sets/traffic.js';
import { describe } from '../sets/describe.js';
import type { SubnetIndex } from './subnet-index.js';
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
export function admitted(engine: Engine, dest: Endpoint, bySubnet: Map<string, Endpoint[]>, probe: TrafficSet, subnets?: SubnetIndex): Map<string, Endpoint> {
  const candidates = new Map<string, Endpoint>();
  for (const g of engine.groupsOf(dest).ids) {
    for (const rule of engine.rulesOf(g)) {
      if (rule.direction !== 'ingress') continue;
      // A rule that cannot admit anything of the question brings no candidates.
      const shape = engine.shapeOf(rule);
      if (!shape || !meets(shape.shape, probe)) continue;
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
export function destinationClass(engine: Engine, dest: Endpoint, subnetIds: ReadonlySet<string>): string | undefined {
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
export function exclusive(a: Endpoint, b: Endpoint): boolean {
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

/** The last security group rule on the path admitting traffic in: the destination's own rule. */
export function admittingRule(path: readonly Hop[]): Rule | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (path[i].rule?.direction === 'ingress') return path[i].rule;
  return undefined;
}

/** The services of a hit, named: a data store's own ports by its service ("tcp/5433 (PostgreSQL)"). */
export function servicesIn(dest: Endpoint, hit: TrafficSet): string[] {
  const s = dest.role.serves;
  if (!dest.role.store || s.kind !== 'ports') return sensitiveIn(hit);
  return s.ports.filter((p) => meets(hit, portsTraffic([p]))).map((p) => `${portsText([p])} (${s.service})`);
}

