import { TCP, UDP } from '../model/protocol.js';
import { ADDRESS_UNIVERSE, cidrToRange, type CidrRange, type Family } from './cidr.js';
import * as iv from './interval.js';
import type { IntervalSet } from './interval.js';
import { box, FAMILIES, intersect, NO_TRAFFIC, PORT_UNIVERSE, PROTOCOL_UNIVERSE, subtract, union, unionAll, type TrafficSet } from './traffic.js';

// Operations the engine needs on top of the set algebra: moving between "addresses of the other
// end" spaces (a rule on the source side speaks of destination addresses), and projections.

/** Address sets per family. */
export interface Addresses {
  ipv4: IntervalSet;
  ipv6: IntervalSet;
}

export const NO_ADDRESSES: Addresses = { ipv4: iv.EMPTY, ipv6: iv.EMPTY };
export const ALL_ADDRESSES: Addresses = { ipv4: ADDRESS_UNIVERSE.ipv4, ipv6: ADDRESS_UNIVERSE.ipv6 };

/** The addresses of CIDR blocks; `toRange` lets an engine pass its cached parser. */
export function addressesOf(cidrs: readonly string[], toRange: (text: string) => CidrRange | null = cidrToRange): Addresses {
  const out = { ipv4: iv.EMPTY as IntervalSet, ipv6: iv.EMPTY as IntervalSet };
  for (const c of cidrs) {
    const r = toRange(c);
    if (r) out[r.family] = iv.union(out[r.family], [r.range]);
  }
  return out;
}

export function unionAddresses(a: Addresses, b: Addresses): Addresses {
  return { ipv4: iv.union(a.ipv4, b.ipv4), ipv6: iv.union(a.ipv6, b.ipv6) };
}

export function intersectAddresses(a: Addresses, b: Addresses): Addresses {
  return { ipv4: iv.intersect(a.ipv4, b.ipv4), ipv6: iv.intersect(a.ipv6, b.ipv6) };
}

export function subtractAddresses(a: Addresses, b: Addresses): Addresses {
  return { ipv4: iv.subtract(a.ipv4, b.ipv4), ipv6: iv.subtract(a.ipv6, b.ipv6) };
}

export function noAddresses(a: Addresses): boolean {
  return a.ipv4.length === 0 && a.ipv6.length === 0;
}

/** Every protocol and port, from (or to) the given addresses. */
export function anyTrafficFrom(a: Addresses): TrafficSet {
  // The engine asks this of the same (memoized) address sets for every pair it answers: one set
  // per Addresses object. Pure memoization: address sets are not changed once built.
  let hit = ANY_TRAFFIC_FROM.get(a);
  if (!hit) {
    hit = union(box('ipv4', PROTOCOL_UNIVERSE, PORT_UNIVERSE, a.ipv4), box('ipv6', PROTOCOL_UNIVERSE, PORT_UNIVERSE, a.ipv6));
    ANY_TRAFFIC_FROM.set(a, hit);
  }
  return hit;
}

const ANY_TRAFFIC_FROM = new WeakMap<Addresses, TrafficSet>();

/** Traffic of one protocol (number, or all) and port set, from the given addresses. */
export function serviceFrom(protocol: number | 'all', ports: IntervalSet, a: Addresses): TrafficSet {
  const p = protocol === 'all' ? PROTOCOL_UNIVERSE : iv.range(protocol);
  return union(box('ipv4', p, ports, a.ipv4), box('ipv6', p, ports, a.ipv6));
}

/** The addresses that appear anywhere in the set. */
export function projectAddresses(set: TrafficSet): Addresses {
  const out = { ipv4: iv.EMPTY as IntervalSet, ipv6: iv.EMPTY as IntervalSet };
  for (const f of FAMILIES) {
    const leaves: IntervalSet[] = [];
    for (const p of set[f]) for (const q of p.sub) leaves.push(q.sub);
    out[f] = leaves.reduce((acc, l) => iv.union(acc, l), iv.EMPTY as IntervalSet);
  }
  return out;
}

/**
 * Keep the (protocol, port) pieces of `set` whose address set passes `keep` (per family), and give
 * them the addresses `to` instead. Used to turn "what the source may send to the destination's
 * addresses" into the engine's space, "what the destination admits from the source's addresses".
 */
export function readdress(set: TrafficSet, keep: (leaf: IntervalSet, family: Family) => boolean, to: Addresses): TrafficSet {
  const parts: TrafficSet[] = [];
  for (const f of FAMILIES) {
    if (to[f].length === 0) continue;
    for (const p of set[f]) {
      for (const q of p.sub) {
        if (keep(q.sub, f)) parts.push(box(f, [{ lo: p.lo, hi: p.hi }], [{ lo: q.lo, hi: q.hi }], to[f]));
      }
    }
  }
  return unionAll(parts);
}

/** Pieces whose addresses cover all of `target` (per family). */
export function covering(target: Addresses): (leaf: IntervalSet, family: Family) => boolean {
  return (leaf, f) => target[f].length > 0 && iv.equals(iv.intersect(leaf, target[f]), target[f]);
}

/** Pieces whose addresses meet `target`. */
export function meeting(target: Addresses): (leaf: IntervalSet, family: Family) => boolean {
  return (leaf, f) => iv.intersect(leaf, target[f]).length > 0;
}

/**
 * The stateless return leg. `forward` is traffic from client addresses (protocol, server port,
 * client address); `back` is what the server side lets out (protocol, client port, client address).
 * A tcp/udp client is served when every port of `ephemeral` towards it is allowed back; any other
 * protocol when the same protocol may go back to it at all.
 */
export function withReturnLeg(forward: TrafficSet, back: TrafficSet, ephemeral: IntervalSet): TrafficSet {
  const parts: TrafficSet[] = [];
  for (const f of FAMILIES) {
    const all = ADDRESS_UNIVERSE[f];
    for (const p of [TCP, UDP]) {
      const want = box(f, iv.range(p), ephemeral, all);
      const missing = projectAddresses(subtract(want, back))[f];
      parts.push(box(f, iv.range(p), PORT_UNIVERSE, iv.subtract(all, missing)));
    }
    // Other protocols, split where `back` changes so each piece has one answer.
    const others = iv.subtract(PROTOCOL_UNIVERSE, iv.fromRanges([TCP, UDP].map((n) => ({ lo: BigInt(n), hi: BigInt(n) }))));
    for (const seg of back[f]) {
      const protos = iv.intersect([{ lo: seg.lo, hi: seg.hi }], others);
      if (protos.length === 0) continue;
      const addrs = projectAddresses(f === 'ipv4' ? { ipv4: [seg], ipv6: NO_TRAFFIC.ipv6 } : { ipv4: NO_TRAFFIC.ipv4, ipv6: [seg] })[f];
      parts.push(box(f, protos, PORT_UNIVERSE, addrs));
    }
  }
  return intersect(forward, unionAll(parts));
}
