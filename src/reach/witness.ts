import { ICMP, ICMPV6, protocolName, TCP, UDP } from '../model/protocol.js';
import { type Family, formatAddress } from '../sets/cidr.js';
import type { Addresses } from '../sets/setops.js';
import { FAMILIES, familyAlgebra, type TrafficSet } from '../sets/traffic.js';
import type { Witness } from './types.js';

// One concrete packet of an answer, so a path can be shown hop by hop.

/** The first packet of a set, in canonical order (IPv4 first). */
export function witness(set: TrafficSet): Witness | undefined {
  for (const f of FAMILIES) {
    if (set[f].length === 0) continue;
    // Prefer tcp when the set has it: paths read better as "tcp/0" than as "proto-0".
    const tcp = set[f].find((p) => p.lo <= BigInt(TCP) && BigInt(TCP) <= p.hi);
    const p = tcp ?? set[f][0];
    const q = p.sub[0];
    return { family: f, protocol: tcp ? TCP : Number(p.lo), port: Number(q.lo), address: q.sub[0].lo };
  }
  return undefined;
}

export function containsWitness(set: TrafficSet, w: Witness): boolean {
  return familyAlgebra(w.family).contains(set[w.family], [BigInt(w.protocol), BigInt(w.port), w.address]);
}

// ---- Text ---------------------------------------------------------------------------------------------

export function isPortProtocol(p: number): boolean {
  return p === TCP || p === UDP;
}

export function witnessText(w: Witness): string {
  const name = protocolName({ kind: 'number', number: w.protocol });
  if (isPortProtocol(w.protocol)) return `${name}/${w.port}`;
  if (w.protocol === ICMP || w.protocol === ICMPV6) return `${name}/${w.port >> 8}:${w.port & 255}`;
  return name;
}

export function firstAddress(a: Addresses, f: Family): bigint {
  return a[f][0]?.lo ?? 0n;
}

export function describeAddrs(a: Addresses): string {
  return FAMILIES.flatMap((f) => a[f].map((r) => `${formatAddress(f, r.lo)}-${formatAddress(f, r.hi)}`)).join(', ');
}
