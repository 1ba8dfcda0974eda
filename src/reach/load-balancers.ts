import * as iv from '../sets/interval.js';
import { named as kindNamed } from '../model/naming.js';
import { TCP, UDP } from '../model/protocol.js';
import { Unknown } from '../model/value.js';
import type { Endpoint, Network, Subnet } from '../network/model.js';
import { type Addresses, ALL_ADDRESSES, anyTrafficFrom, projectAddresses, serviceFrom } from '../sets/setops.js';
import { ALL_TRAFFIC, intersect, isEmpty, NO_TRAFFIC, PORT_UNIVERSE, type TrafficSet, unionAll } from '../sets/traffic.js';
import type { ReachFacts } from './facts.js';
import { best, blockerAt, combine, hopAt, layer, worst } from './layer.js';
import type { Layer, Membership, Reach, Source } from './types.js';

// Load balancers: a listener answers on its port only, and forwards to its target group's targets.

/** What the load-balancer questions ask of the engine. */
export interface LoadBalancerHost {
  readonly network: Network;
  readonly facts: ReachFacts;
  endpoint(id: string): Endpoint | undefined;
  reach(source: Source, destId: string, probe?: TrafficSet): Reach;
  subnetsOf(e: Endpoint): { subnets: Subnet[]; unknown: string[] };
  naclInLayer(s: Subnet | undefined, dest: Endpoint): Layer;
  naclReturnLayer(s: Subnet | undefined, dest: Endpoint): Layer;
  groupLayer(dest: Endpoint, from: Addresses, who: Membership, sourceName: string): Layer;
}

/** A load balancer answers on its listeners' ports only. */
export function listenerLayer(lb: Endpoint, from: Addresses): Layer {
  const definite: TrafficSet[] = [];
  const possible: TrafficSet[] = [];
  const assumptions: string[] = [];
  for (const l of lb.listeners) {
    const protos = listenerProtocols(l.protocol);
    if (l.port instanceof Unknown || protos === null) {
      possible.push(serviceFrom(TCP, PORT_UNIVERSE, from), serviceFrom(UDP, PORT_UNIVERSE, from));
      assumptions.push(`listener ${l.id} port/protocol is not known (${l.port instanceof Unknown ? l.port : l.protocol})`);
      continue;
    }
    for (const p of protos) definite.push(serviceFrom(p, iv.range(l.port), from));
  }
  const blockers = lb.listeners.length === 0 ? [blockerAt(lb.location, `load balancer ${lb.id} has no listeners in the scan`)] : [blockerAt(lb.location, `load balancer ${lb.id} listens on other ports only`)];
  return layer(unionAll(definite), unionAll(possible), assumptions, blockers, (w) => {
    const l = lb.listeners.find((x) => x.port === w.port);
    return l ? [hopAt(l.location, `${kindNamed('listener', l.id)} (${String(l.protocol)} ${l.port})`)] : [];
  });
}

/** Load balancers whose listeners forward to `targetId`, with the listener and target group. */
export function frontsOf(network: Network, targetId: string): { lb: Endpoint; listener: Endpoint['listeners'][number] }[] {
  const out: { lb: Endpoint; listener: Endpoint['listeners'][number] }[] = [];
  for (const e of network.endpoints) for (const l of e.listeners) if (l.targets.includes(targetId)) out.push({ lb: e, listener: l });
  return out;
}

/** Which load-balancer paths a question asks about. */
export interface LoadBalancerPaths {
  /** Only paths through this load balancer. */
  via?: string;
  /** The port the target must receive on (the target group's port). */
  destPort?: number;
}

/**
 * A source to a target through the load balancers in front of it: the front must be reachable on the
 * listener port; then the load balancer to the target on the target group port (east-west), or with
 * NLB client-IP preservation, the client's addresses must pass the target's subnet NACLs and groups.
 * A leg that cannot carry the question comes back not reachable, with the reason.
 */
export function reachThroughLoadBalancers(engine: LoadBalancerHost, source: Source, targetId: string, probe: TrafficSet = ALL_TRAFFIC, paths: LoadBalancerPaths = {}): Reach[] {
  const out: Reach[] = [];
  const target = engine.endpoint(targetId);
  if (!target) return out;
  const rejected = (message: string, l?: { location: Endpoint['location'] }): Reach => ({ verdict: 'not-reachable', allowed: NO_TRAFFIC, possible: NO_TRAFFIC, path: [], blockers: [blockerAt(l?.location, message)], assumptions: [] });
  const fronts = frontsOf(engine.network, targetId).filter((f) => !paths.via || f.lb.id === paths.via);
  if (paths.via && fronts.length === 0) {
    const lb = engine.endpoint(paths.via);
    const forwards = lb ? [...new Set(lb.listeners.flatMap((l) => l.targets.map(String)))] : [];
    out.push(rejected(lb ? `${lb.id} does not forward to ${targetId}${forwards.length ? ` (its listeners forward to ${forwards.join(', ')})` : ' (no listener forwards to a target in the scan)'}` : `${paths.via} is not a load balancer in the scan`, lb));
    return out;
  }
  for (const { lb, listener } of fronts) {
    if (source.kind === 'endpoint' && source.id === lb.id) continue;
    if (listener.port instanceof Unknown) {
      out.push(rejected(`through ${lb.id}: the port of listener ${listener.id} is not known (${listener.port})`, listener));
      continue;
    }
    const protos = listenerProtocols(listener.protocol) ?? [TCP];
    // The question's port is the one the client connects to: the listener's.
    const frontProbe = intersect(probe, unionAll(protos.map((p) => serviceFrom(p, iv.range(listener.port as number), ALL_ADDRESSES))));
    if (isEmpty(frontProbe)) {
      out.push(rejected(`through ${lb.id}: listener ${listener.id} listens on ${String(listener.protocol)} ${listener.port}, not on the traffic asked about`, listener));
      continue;
    }
    const tgId = listener.targetGroups.find((t): t is string => typeof t === 'string' && engine.facts.targetGroups.has(t));
    const tg = tgId ? engine.facts.targetGroups.get(tgId) : undefined;
    const port = tg && typeof tg.port === 'number' ? tg.port : listener.port;
    if (paths.destPort !== undefined && port !== paths.destPort) {
      out.push(rejected(`through ${lb.id}: listener ${listener.id} forwards to ${tgId ?? 'its target group'} port ${port}, not port ${paths.destPort}`, listener));
      continue;
    }
    const front = engine.reach(source, lb.id, frontProbe);
    const assumptions = [...front.assumptions];
    if (tg && tg.port instanceof Unknown) assumptions.push(`target group ${tgId} port is not known (${tg.port}); assuming the listener port`);
    const type = engine.facts.lbType.get(lb.id) ?? 'application';
    const preserve = type === 'network' && tg ? tg.preserveClientIp.value : false;
    const backProbe = unionAll(protos.map((p) => serviceFrom(p, iv.range(port), ALL_ADDRESSES)));
    let back: Reach;
    if (preserve === false) {
      back = engine.reach({ kind: 'endpoint', id: lb.id }, targetId, backProbe);
    } else {
      // The target sees the clients: its groups and subnet NACLs must admit their addresses.
      const clients = projectAddresses(front.possible);
      const t = engine.subnetsOf(target).subnets;
      const answers = (t.length ? t : [undefined]).map((s) =>
        combine(
          [engine.naclInLayer(s, target), engine.naclReturnLayer(s, target), engine.groupLayer(target, clients, { groups: new Set(), unknown: [] }, `clients of ${lb.id}`)],
          intersect(backProbe, anyTrafficFrom(clients)),
          preserve instanceof Unknown ? [`${tgId} preserves client IPs (${tg?.preserveClientIp.reason}: ${preserve})`] : [],
          undefined,
          `clients of ${lb.id}`,
          targetId,
        ),
      );
      back = best(answers);
    }
    const verdict = worst(front.verdict, back.verdict);
    const listenerHop = hopAt(listener.location, `${kindNamed('listener', listener.id)} forwards ${String(listener.protocol)} ${listener.port} to ${tgId ?? 'its target group'}${port !== listener.port ? ` port ${port}` : ''}${preserve === true ? ' (client IP preserved)' : ''}`);
    out.push({
      verdict,
      allowed: verdict === 'reachable' ? front.allowed : NO_TRAFFIC,
      possible: verdict === 'not-reachable' ? NO_TRAFFIC : front.possible,
      path: [...front.path, listenerHop, ...back.path],
      blockers: [...front.blockers.map((b) => ({ ...b, message: `through ${lb.id}: ${b.message}` })), ...back.blockers.map((b) => ({ ...b, message: `${lb.id} → ${targetId}: ${b.message}` }))],
      assumptions: [...new Set([...assumptions, ...back.assumptions])],
    });
  }
  return out;
}

/** tcp/udp per listener protocol; null when not known. */
export function listenerProtocols(p: string | Unknown): number[] | null {
  if (p instanceof Unknown) return null;
  const u = p.toUpperCase();
  if (u === 'UDP') return [UDP];
  if (u === 'TCP_UDP') return [TCP, UDP];
  return [TCP];
}

