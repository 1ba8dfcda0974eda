import path from 'node:path';
import type { Severity } from '../model/check.js';
import { ADMIN_TCP_PORTS, ADMIN_UDP_PORTS, HIGH_RISK_TCP_PORTS, HIGH_RISK_UDP_PORTS, joinList, serviceName } from '../model/services.js';
import type { Model } from '../model/model.js';
import { ICMP, ICMPV6, TCP, UDP } from '../model/protocol.js';
import type { Endpoint } from '../network/model.js';
import { nameOfUnknown, Unknown } from '../model/value.js';
import { describe } from '../sets/describe.js';
import type { Engine, EngineOptions, Hop, Verdict } from './engine.js';
import { conditionText, reword } from './conditions.js';
import { buildEstate, type EstatePart } from './estate.js';
import { managedListOf } from './groups.js';
import type { ManagedPrefixList } from '../network/managed-prefix-lists.js';
import * as iv from '../sets/interval.js';
import type { IntervalSet } from '../sets/interval.js';
import { type Addresses, ALL_ADDRESSES, serviceFrom } from '../sets/setops.js';
import { box, FAMILIES, unionAll, type TrafficSet, meets } from '../sets/traffic.js';
import { append } from '../model/arrays.js';

// Internet exposure of every endpoint, one entry per exposed service, with its severity and path.
//
// Severity table (SGS040):
// One exposure per service as the rules open it (a port, a port range, an ICMP piece, "all
// traffic"); a range is rated by the most severe port inside it.
//   critical  SSH/RDP (tcp/22, tcp/3389, udp/3389) or a database/cache port (DB_TCP_PORTS) in the
//             service; any service of a database or cache endpoint (kind db, db-cluster, cache)
//   high      other high-risk ports (FTP, Telnet, SMB, Docker API, ...: services.ts); several
//             protocols at once without any of the above; a tcp/udp range wider than 1,000 ports
//   medium    any other tcp/udp port or range; HTTP/HTTPS (tcp/80, tcp/443) on anything but a load balancer
//   low       ICMP
//   info      HTTP/HTTPS on an internet-facing load balancer: public by design

export const DB_TCP_PORTS: readonly number[] = [1433, 1434, 1521, 2379, 2380, 3306, 4333, 5432, 5984, 6379, 7000, 7001, 8086, 9042, 9200, 9300, 11211, 27017, 27018];
export const DB_UDP_PORTS: readonly number[] = [1434, 11211];
const WEB_PORTS = [80, 443];

export const TEMPLATE_KINDS: ReadonlySet<string> = new Set(['launch-template', 'launch-configuration']);

export interface ExposedService {
  /** "tcp/22", "tcp/0-65535", "all traffic", "icmp/8:0", "protocols 0-5". */
  label: string;
  /** The service as traffic from every address (what the finding is about). */
  traffic: TrafficSet;
  protocol: number | 'several';
  /** tcp/udp: the port range. */
  ports?: { from: number; to: number };
  /** Well-known services inside, e.g. ["SSH (tcp/22)", "PostgreSQL (tcp/5432)"]. */
  notable: string[];
  /** What answers there when the port number does not say it (a load balancer's HTTPS listener on 445). */
  name?: string;
}

export interface Exposure {
  endpoint: Endpoint;
  service: ExposedService;
  verdict: Exclude<Verdict, 'not-reachable'>;
  /** What of the service gets through (certainly, or under the assumptions when possibly reachable). */
  allowed: TrafficSet;
  path: Hop[];
  assumptions: string[];
  severity: Severity;
  /** "public by design" and other words for the severity. */
  rationale: string;
  /** The addresses the internet stands for here (public space less the endpoint's VPC): `allowed` reads relative to it. */
  internet: Addresses;
  /** Set when the source is an AWS-managed prefix list (CloudFront, ...) rather than the internet. */
  from?: ManagedPrefixList;
  /** The endpoint's groups that are not known, named ("var.sg_ids"): the exposure depends on them. */
  unknownGroups?: string[];
}

/** Everything the engine needs, built once from the model: one engine per namespace (see estate.ts). */
export interface ReachContext {
  model: Model;
  parts: EstatePart[];
}

/**
 * The reach context of a model, built once per Model object and engine options: SGS040, SGS041 and
 * the re-ranking all ask the same questions of the same engines, which also share their caches.
 * Pure memoization (a model is not changed after the scan builds it); the WeakMap holds no model alive.
 */
const contexts = new WeakMap<Model, Map<string, ReachContext>>();

export function reachContext(model: Model, options: EngineOptions = {}): ReachContext {
  const key = options.ephemeralPorts ? `${options.ephemeralPorts.from}-${options.ephemeralPorts.to}` : '';
  let byOptions = contexts.get(model);
  if (!byOptions) {
    byOptions = new Map();
    contexts.set(model, byOptions);
  }
  let ctx = byOptions.get(key);
  if (!ctx) {
    ctx = { model, parts: buildEstate(model, options) };
    byOptions.set(key, ctx);
  }
  return ctx;
}

/** Internet exposures of every endpoint, in endpoint then service order. */
export function internetExposures(engine: Engine): Exposure[] {
  const out: Exposure[] = [];
  // Templates are not running interfaces: the groups that launch from them carry the exposure.
  for (const e of engine.network.endpoints) if (!TEMPLATE_KINDS.has(e.kind)) {
      append(out, exposuresOf(engine, e));
      append(out, namedExposuresOf(engine, e));
    }
  return out;
}

/**
 * Exposures to the named sources AWS-managed prefix lists stand for (CloudFront's origin-facing
 * servers, Route 53 health checkers), for the lists the endpoint's ingress rules name. Lists of AWS
 * service addresses that never open connections (S3, DynamoDB) expose nothing.
 */
export function namedExposuresOf(engine: Engine, e: Endpoint): Exposure[] {
  const lists = new Map<string, ManagedPrefixList>();
  for (const g of engine.groupsOf(e).ids) {
    for (const rule of engine.rulesOf(g)) {
      const m = rule.direction === 'ingress' ? managedListOf(rule.peer, engine.network) : undefined;
      if (m && m.opensConnections) lists.set(m.name, m);
    }
  }
  const out: Exposure[] = [];
  for (const list of lists.values()) {
    const source = { kind: 'prefix-list', name: list.name, label: list.label } as const;
    const whole = engine.reach(source, e.id, undefined, { explain: false });
    if (whole.verdict === 'not-reachable') continue;
    for (const service of splitServices(whole.possible)) {
      const r = engine.reach(source, e.id, service.traffic);
      if (r.verdict === 'not-reachable') continue;
      const { severity, rationale } = namedSeverityOf(list, service);
      out.push({ endpoint: e, service, verdict: r.verdict, allowed: r.verdict === 'reachable' ? r.allowed : r.possible, path: r.path, assumptions: r.assumptions, severity, rationale, internet: engine.internetFor(e.id), from: list });
    }
  }
  return out;
}

/**
 * CloudFront reaches an origin only with HTTP(S) requests, for anyone who points a distribution at
 * it: the web ports are public by design (info), anything else it reaches is low. Other managed
 * sources (health checkers, ...) are low.
 */
export function namedSeverityOf(list: ManagedPrefixList, s: ExposedService): { severity: Severity; rationale: string } {
  const single = s.ports && s.ports.from === s.ports.to ? s.ports.from : undefined;
  if (list.service === 'cloudfront' && s.protocol === TCP && single !== undefined && WEB_PORTS.includes(single)) return { severity: 'info', rationale: 'CloudFront origin, public by design' };
  return { severity: 'low', rationale: `reachable by ${list.label} only` };
}

export function exposuresOf(engine: Engine, e: Endpoint): Exposure[] {
  const whole = engine.reach({ kind: 'internet' }, e.id, undefined, { explain: false });
  if (whole.verdict === 'not-reachable') return [];
  const groups = engine.groupsOf(e);
  const unknownGroups = groups.unknown.length ? unknownGroupNames(e, groups.unknown) : undefined;
  // Only groups the scan cannot see: whatever they admit. One finding, never a list of services.
  if (unknownGroups && groups.ids.length === 0 && whole.verdict === 'possibly-reachable' && (e.role.serves.kind === 'any' || e.role.serves.kind === 'unknown')) {
    const r = engine.reach({ kind: 'internet' }, e.id);
    const service: ExposedService = { label: 'whatever its security groups admit', traffic: r.possible, protocol: 'several', notable: [] };
    return [{ endpoint: e, service, verdict: 'possibly-reachable', allowed: r.possible, path: r.path, assumptions: r.assumptions, severity: 'high', rationale: 'its security groups are not known', internet: engine.internetFor(e.id), unknownGroups }];
  }
  const out: Exposure[] = [];
  for (const service of splitServices(whole.possible)) {
    const r = engine.reach({ kind: 'internet' }, e.id, service.traffic);
    if (r.verdict === 'not-reachable') continue;
    let { severity, rationale } = e.role.serves.kind === 'unknown' ? { severity: 'medium' as Severity, rationale: 'a kind sgscan does not know' } : severityOf(e, service);
    const listener = httpListener(e, service);
    if (listener) service.name = listener;
    // Possible only through groups the scan cannot see: never above high before the possible discount.
    if (unknownGroups && r.verdict === 'possibly-reachable' && severity === 'critical') severity = 'high';
    const x: Exposure = { endpoint: e, service, verdict: r.verdict, allowed: r.verdict === 'reachable' ? r.allowed : r.possible, path: r.path, assumptions: r.assumptions, severity, rationale, internet: engine.internetFor(e.id) };
    if (unknownGroups && r.verdict === 'possibly-reachable') x.unknownGroups = unknownGroups;
    out.push(x);
  }
  return out;
}

/** "var.sg_ids", "parameter SecurityGroups": what the groups of `e` that are not known come from. */
function unknownGroupNames(e: Endpoint, reasons: string[]): string[] {
  const names = e.securityGroups.filter((g): g is Unknown => g instanceof Unknown).map(nameOfUnknown);
  return [...new Set(names.length ? names : reasons)];
}

/**
 * The services in a set, as the rules wrote them: one per contiguous tcp/udp port range, one per
 * ICMP piece or other protocol range ("all traffic" when every protocol), whatever the addresses.
 */
export function splitServices(set: TrafficSet): ExposedService[] {
  const pieces = new Map<string, { protocols: IntervalSet; ports: IntervalSet }>();
  for (const f of FAMILIES) {
    for (const p of set[f]) {
      const single = p.lo === p.hi && (Number(p.lo) === TCP || Number(p.lo) === UDP);
      const ranges = single ? p.sub.map((q) => [{ lo: q.lo, hi: q.hi }]) : [iv.fromRanges(p.sub.map((q) => ({ lo: q.lo, hi: q.hi })))];
      for (const ports of ranges) {
        const k = `${p.lo}-${p.hi}/${iv.key(ports)}`;
        if (!pieces.has(k)) pieces.set(k, { protocols: [{ lo: p.lo, hi: p.hi }], ports });
      }
    }
  }
  // tcp/udp pieces from the two families may overlap without being equal: merge per protocol.
  const merged = new Map<string, { protocols: IntervalSet; ports: IntervalSet }>();
  for (const piece of pieces.values()) {
    const proto = piece.protocols[0];
    const isPort = proto.lo === proto.hi && (Number(proto.lo) === TCP || Number(proto.lo) === UDP);
    if (!isPort) {
      merged.set(`${proto.lo}-${proto.hi}/${iv.key(piece.ports)}`, piece);
      continue;
    }
    for (const r of piece.ports) {
      const k = `${proto.lo}/${r.lo}-${r.hi}`;
      merged.set(k, { protocols: piece.protocols, ports: [r] });
    }
  }
  const list = [...merged.values()].map((piece) => {
    const traffic = unionAll(FAMILIES.map((f) => box(f, piece.protocols, piece.ports, ALL_ADDRESSES[f])));
    const label = describe({ ipv4: traffic.ipv4, ipv6: [] }).replace(/ from 0\.0\.0\.0\/0$/, '');
    const proto = piece.protocols[0];
    const single = proto.lo === proto.hi;
    const service: ExposedService = { label, traffic, protocol: single ? Number(proto.lo) : 'several', notable: notableIn(traffic) };
    if (single && (Number(proto.lo) === TCP || Number(proto.lo) === UDP)) service.ports = { from: Number(piece.ports[0].lo), to: Number(piece.ports[0].hi) };
    return service;
  });
  // Overlapping ranges from the two families: keep the wider one only.
  return list
    .filter((s) => !list.some((o) => o !== s && o.protocol === s.protocol && o.ports && s.ports && o.ports.from <= s.ports.from && s.ports.to <= o.ports.to && (o.ports.from < s.ports.from || s.ports.to < o.ports.to)))
    .sort((a, b) => order(a) - order(b) || (a.ports?.from ?? 0) - (b.ports?.from ?? 0));
}

/**
 * "HTTPS listener(s)" when every port of the service is a load balancer's HTTP or HTTPS listener (a
 * contiguous run of listeners, 443-445, is one service).
 */
export function httpListener(e: Endpoint, s: ExposedService): string | undefined {
  if (e.kind !== 'lb' || s.protocol !== TCP || !s.ports || s.ports.to - s.ports.from > 64) return undefined;
  const protocols = new Set<string>();
  for (let port = s.ports.from; port <= s.ports.to; port++) {
    const l = e.listeners.find((x) => x.port === port && typeof x.protocol === 'string' && /^HTTPS?$/i.test(x.protocol));
    if (!l) return undefined;
    protocols.add(String(l.protocol).toUpperCase());
  }
  const several = s.ports.to > s.ports.from;
  return `${[...protocols].sort().join(' and ')} listener${several ? 's' : ''}`;
}

function order(s: ExposedService): number {
  return s.protocol === 'several' ? -1 : s.protocol;
}

const NOTABLE: [number, number][] = [
  ...[...new Set([...ADMIN_TCP_PORTS, ...DB_TCP_PORTS, ...HIGH_RISK_TCP_PORTS, ...WEB_PORTS])].map((p): [number, number] => [TCP, p]),
  ...[...new Set([...ADMIN_UDP_PORTS, ...DB_UDP_PORTS, ...HIGH_RISK_UDP_PORTS])].map((p): [number, number] => [UDP, p]),
].sort((a, b) => a[1] - b[1] || a[0] - b[0]);

function notableIn(traffic: TrafficSet): string[] {
  return NOTABLE.filter(([p, port]) => meets(traffic, serviceFrom(p, iv.range(port), ALL_ADDRESSES))).map(([p, port]) => {
    const pp = `${p === TCP ? 'tcp' : 'udp'}/${port}`;
    const name = serviceName(port);
    return name ? `${name} (${pp})` : pp;
  });
}

function has(traffic: TrafficSet, protocol: number, ports: readonly number[]): boolean {
  return ports.some((port) => meets(traffic, serviceFrom(protocol, iv.range(port), ALL_ADDRESSES)));
}

export function severityOf(e: Endpoint, s: ExposedService): { severity: Severity; rationale: string } {
  const t = s.traffic;
  // An HTTP(S) listener answers HTTP whatever its port: tcp/445 on an ALB is a web listener, not SMB.
  if (httpListener(e, s)) return { severity: 'info', rationale: 'public by design' };
  if (has(t, TCP, ADMIN_TCP_PORTS) || has(t, UDP, ADMIN_UDP_PORTS)) return { severity: 'critical', rationale: 'remote administration' };
  if (has(t, TCP, DB_TCP_PORTS) || has(t, UDP, DB_UDP_PORTS)) return { severity: 'critical', rationale: 'database or cache port' };
  if (e.kind === 'db' || e.kind === 'db-cluster' || e.kind === 'cache') return { severity: 'critical', rationale: 'a database or cache' };
  const single = s.ports && s.ports.from === s.ports.to ? s.ports.from : undefined;
  if (s.protocol === TCP && single !== undefined && WEB_PORTS.includes(single)) {
    return e.kind === 'lb' ? { severity: 'info', rationale: 'public by design' } : { severity: 'medium', rationale: 'web server outside a load balancer' };
  }
  if (has(t, TCP, HIGH_RISK_TCP_PORTS) || has(t, UDP, HIGH_RISK_UDP_PORTS)) return { severity: 'high', rationale: 'high-risk service' };
  if (s.protocol === 'several') return { severity: 'high', rationale: 'several protocols' };
  if (s.ports && s.ports.to - s.ports.from + 1 > 1000) return { severity: 'high', rationale: 'wide port range' };
  if (s.protocol === ICMP || s.protocol === ICMPV6) return { severity: 'low', rationale: 'ICMP' };
  return { severity: 'medium', rationale: 'open port' };
}

/** "igw aws_internet_gateway.main (network.tf:12) → route ... → ..." */
export function pathText(hops: readonly Hop[]): string {
  return hops.map((h) => `${reword(h.message)} (${path.basename(h.file)}:${h.line})`).join(' → ');
}

/** "tcp/22 (SSH)", "tcp/0-65535, including SSH (tcp/22), ...": the service as a reviewer names it. */
export function serviceText(s: ExposedService): string {
  const single = s.ports && s.ports.from === s.ports.to ? s.ports.from : undefined;
  if (s.name) return `${s.label} (${s.name})`;
  return single !== undefined && serviceName(single) ? `${s.label} (${serviceName(single)})` : s.notable.length ? `${s.label}, including ${joinList(s.notable.length > 5 ? [...s.notable.slice(0, 5), `${s.notable.length - 5} more`] : s.notable)}` : s.label;
}

export function exposureMessage(x: Exposure): string {
  const s = x.service;
  // A kind sgscan does not know: what its groups admit, never a claim about the service behind it.
  if (x.endpoint.role.serves.kind === 'unknown') {
    const rest = x.assumptions.filter((a) => !a.includes(x.endpoint.role.what));
    return `${x.endpoint.id}, ${x.endpoint.role.what}, may be reachable from the internet on ${s.label}, if it has a public address and answers on ${s.label}${conditionText(x.endpoint.id, rest).replace(/^, if /, ' and ')}: ${describe(x.allowed, { internet: x.internet })}; path: ${pathText(x.path)}`;
  }
  const named = serviceText(s);
  if (x.unknownGroups && x.rationale === 'its security groups are not known') {
    // The groups condition comes first: it is what the finding is about.
    const rest = x.assumptions.filter((a) => !a.startsWith(`the security groups of ${x.endpoint.id} are not known`));
    const cond = conditionText(x.endpoint.id, rest).replace(/^, if /, ' and ');
    return `${x.endpoint.id} may be reachable from the internet, if its security groups (${joinList(x.unknownGroups)}) admit it${cond}; path: ${pathText(x.path)}`;
  }
  const what = x.verdict === 'reachable' ? 'is reachable' : 'may be reachable';
  const by = x.rationale.endsWith('public by design') ? ' (public by design)' : '';
  const ifs = x.verdict === 'possibly-reachable' ? conditionText(x.endpoint.id, x.assumptions) : '';
  const from = x.from ? `${x.from.label}${x.from.label.includes(x.from.name) ? '' : ` (prefix list ${x.from.name})`}` : 'the internet';
  return `${x.endpoint.id} ${what} from ${from} on ${named}${by}${ifs}: ${describe(x.allowed, { internet: x.internet, ...(x.from ? { internetName: x.from.label } : {}) })}; path: ${pathText(x.path)}`;
}
