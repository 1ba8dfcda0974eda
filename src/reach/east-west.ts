import { ADMIN_TCP_PORTS, ADMIN_UDP_PORTS } from '../checks/services.js';
import { TCP, UDP } from '../model/protocol.js';
import { ResourceRef } from '../model/value.js';
import type { Endpoint } from '../network/model.js';
import type { Engine, Hop, Reach, Verdict } from './engine.js';
import { DB_TCP_PORTS, DB_UDP_PORTS, TEMPLATE_KINDS } from './exposure.js';
import * as iv from './interval.js';
import { ALL_ADDRESSES, intersectAddresses, noAddresses, readdress, serviceFrom } from './setops.js';
import { ALL_TRAFFIC, intersect, isEmpty, unionAll, type TrafficSet } from './traffic.js';
import { describe } from './describe.js';

// East-west: which endpoints can open connections to which on administration and database ports.
// No all-pairs enumeration: the candidate sources of a destination are the members of the groups
// its ingress rules name, and the endpoints in subnets its CIDR rules cover.

export interface EastWest {
  source: Endpoint;
  dest: Endpoint;
  /** "tcp/5432". */
  service: string;
  verdict: Exclude<Verdict, 'not-reachable'>;
  path: Hop[];
  assumptions: string[];
}

export function sensitivePorts(): TrafficSet {
  const tcp = [...new Set([...ADMIN_TCP_PORTS, ...DB_TCP_PORTS])].map((p) => serviceFrom(TCP, iv.range(p), ALL_ADDRESSES));
  const udp = [...new Set([...ADMIN_UDP_PORTS, ...DB_UDP_PORTS])].map((p) => serviceFrom(UDP, iv.range(p), ALL_ADDRESSES));
  return unionAll([...tcp, ...udp]);
}

/** Endpoints a destination's ingress rules could admit: members of named groups, endpoints in covered subnets. */
export function candidateSources(engine: Engine, dest: Endpoint, bySubnet: Map<string, Endpoint[]>, probe: TrafficSet = ALL_TRAFFIC): Endpoint[] {
  const candidates = new Map<string, Endpoint>();
  for (const g of engine.groupsOf(dest).ids) {
    for (const rule of engine.rulesOf(g)) {
      if (rule.direction !== 'ingress') continue;
      // A rule that cannot admit anything of the question brings no candidates.
      const shape = engine.shapeOf(rule);
      if (!shape || isEmpty(intersect(shape.shape, probe))) continue;
      const p = rule.peer;
      if (p.kind === 'securityGroup') {
        const target = p.self ? rule.group : p.ref instanceof ResourceRef ? p.ref.address : p.ref;
        for (const m of engine.membersOf(target)) candidates.set(m.id, m);
      } else if (p.kind === 'cidr' && p.prefix > 0) {
        const a = engine.addrs([p.cidr]);
        for (const s of engine.network.subnets) {
          if (typeof s.cidr === 'string' && !noAddresses(intersectAddresses(a, engine.addrs([s.cidr])))) for (const m of bySubnet.get(s.id) ?? []) candidates.set(m.id, m);
        }
      }
    }
    // Members of the implicit default group admit each other.
    if (g.startsWith('default-sg(')) for (const m of engine.membersOf(g)) candidates.set(m.id, m);
  }
  candidates.delete(dest.id);
  return [...candidates.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function endpointsBySubnet(engine: Engine): Map<string, Endpoint[]> {
  const bySubnet = new Map<string, Endpoint[]>();
  for (const e of engine.network.endpoints) for (const s of e.subnets) if (typeof s === 'string') bySubnet.set(s, [...(bySubnet.get(s) ?? []), e]);
  return bySubnet;
}

/** Source → destination pairs that connect within `probe` (admin and database ports by default). */
export function eastWestReach(engine: Engine, probe: TrafficSet = sensitivePorts()): { source: Endpoint; dest: Endpoint; reach: Reach }[] {
  const out: { source: Endpoint; dest: Endpoint; reach: Reach }[] = [];
  const bySubnet = endpointsBySubnet(engine);
  for (const dest of engine.network.endpoints) {
    if (TEMPLATE_KINDS.has(dest.kind)) continue;
    for (const source of candidateSources(engine, dest, bySubnet, probe)) {
      if (TEMPLATE_KINDS.has(source.kind)) continue;
      const r = engine.reach({ kind: 'endpoint', id: source.id }, dest.id, probe, { explain: false });
      if (r.verdict !== 'not-reachable') out.push({ source, dest, reach: r });
    }
  }
  return out;
}

export function eastWestExposures(engine: Engine): EastWest[] {
  const probe = sensitivePorts();
  const out: EastWest[] = [];
  for (const { source, dest, reach: r } of eastWestReach(engine, probe)) {
    const got = r.verdict === 'reachable' ? r.allowed : r.possible;
    const hit = intersect(got, probe);
    if (isEmpty(hit)) continue;
    // "tcp/22, tcp/5432": the sensitive services, without the source addresses.
    const service = [...new Set(describe(readdress(hit, () => true, ALL_ADDRESSES)).split('; ').map((c) => c.replace(/ from .*$/, '')))].join(', ');
    out.push({ source, dest, service, verdict: r.verdict as EastWest['verdict'], path: r.path, assumptions: r.assumptions });
  }
  return out;
}
