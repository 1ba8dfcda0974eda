import type { Rule } from '../model/model.js';
import type { PortSpec } from '../model/ports.js';
import { ICMP, ICMPV6, TCP, UDP, type Protocol } from '../model/protocol.js';
import { intervalAlgebra, productAlgebra, unionAll as unionAllOf, type Product, type SetAlgebra } from './algebra.js';
import { ADDRESS_UNIVERSE, cidrToRange, parseAddress, type Family } from './cidr.js';
import * as iv from './interval.js';
import type { IntervalSet } from './interval.js';

// Traffic as an exact set of (protocol, port, address) points, IPv4 and IPv6 kept apart.
//
// Dimensions, outermost first: protocol 0..255, "port" 0..65535, address. The port dimension means
// - tcp(6)/udp(17): the port;
// - icmp(1)/icmpv6(58): type * 256 + code, so "type 3, any code" is 768..1023 and "any type" is
//   0..65535 (AWS's -1; a type of -1 means every type whatever the code says);
// - every other protocol: nothing. Such protocols always carry the whole port dimension (every
//   constructor here saturates them), so "proto-50 on ports 22-22" cannot be built and set
//   operations keep the invariant (A × all ∪/∩/− B × all = (A ∪/∩/− B) × all).
// Protocol order first and port second keeps the canonical form close to how rules are written
// ("tcp/22 from ..."), which is what `describe` prints.

export type FamilySet = Product<Product<IntervalSet>>;

export interface TrafficSet {
  readonly ipv4: FamilySet;
  readonly ipv6: FamilySet;
}

export const FAMILIES: readonly Family[] = ['ipv4', 'ipv6'];
export const PROTOCOL_UNIVERSE: IntervalSet = iv.range(0, 255);
export const PORT_UNIVERSE: IntervalSet = iv.range(0, 65535);
/** Protocols whose second dimension is meaningful (ports or ICMP type/code). */
export const PROTOCOLS_WITH_PORTS: IntervalSet = iv.fromRanges([ICMP, TCP, UDP, ICMPV6].map((p) => ({ lo: BigInt(p), hi: BigInt(p) })));

const ALGEBRA: Record<Family, SetAlgebra<FamilySet>> = {
  ipv4: productAlgebra(PROTOCOL_UNIVERSE, productAlgebra(PORT_UNIVERSE, intervalAlgebra(ADDRESS_UNIVERSE.ipv4))),
  ipv6: productAlgebra(PROTOCOL_UNIVERSE, productAlgebra(PORT_UNIVERSE, intervalAlgebra(ADDRESS_UNIVERSE.ipv6))),
};

export function familyAlgebra(family: Family): SetAlgebra<FamilySet> {
  return ALGEBRA[family];
}

export const NO_TRAFFIC: TrafficSet = { ipv4: ALGEBRA.ipv4.empty, ipv6: ALGEBRA.ipv6.empty };
export const ALL_TRAFFIC: TrafficSet = { ipv4: ALGEBRA.ipv4.full, ipv6: ALGEBRA.ipv6.full };

function pointwise(f: (alg: SetAlgebra<FamilySet>, a: FamilySet, b: FamilySet) => FamilySet) {
  return (a: TrafficSet, b: TrafficSet): TrafficSet => ({
    ipv4: f(ALGEBRA.ipv4, a.ipv4, b.ipv4),
    ipv6: f(ALGEBRA.ipv6, a.ipv6, b.ipv6),
  });
}

export const union = pointwise((alg, a, b) => alg.union(a, b));
export const intersect = pointwise((alg, a, b) => alg.intersect(a, b));
/** a − b. */
export const subtract = pointwise((alg, a, b) => alg.subtract(a, b));

export function complement(a: TrafficSet): TrafficSet {
  return subtract(ALL_TRAFFIC, a);
}

/** Balanced union of many sets (security groups on one interface, many rules). */
export function unionAll(sets: readonly TrafficSet[]): TrafficSet {
  // Sets are never changed in place: one set is its own union (most rules are one group's, one subnet's).
  if (sets.length === 1) return sets[0];
  return {
    ipv4: unionAllOf(ALGEBRA.ipv4, sets.map((s) => s.ipv4)),
    ipv6: unionAllOf(ALGEBRA.ipv6, sets.map((s) => s.ipv6)),
  };
}

/** a ∩ b is not empty (`meets(a, b)` without building the intersection). */
export function meets(a: TrafficSet, b: TrafficSet): boolean {
  return ALGEBRA.ipv4.meets(a.ipv4, b.ipv4) || ALGEBRA.ipv6.meets(a.ipv6, b.ipv6);
}

export function isEmpty(a: TrafficSet): boolean {
  return a.ipv4.length === 0 && a.ipv6.length === 0;
}

/** Set equality; O(size) because the representation is canonical. */
export function equals(a: TrafficSet, b: TrafficSet): boolean {
  return ALGEBRA.ipv4.equals(a.ipv4, b.ipv4) && ALGEBRA.ipv6.equals(a.ipv6, b.ipv6);
}

/** a ⊆ b, in time near the size of a. */
export function isSubset(a: TrafficSet, b: TrafficSet): boolean {
  return ALGEBRA.ipv4.isSubset(a.ipv4, b.ipv4) && ALGEBRA.ipv6.isSubset(a.ipv6, b.ipv6);
}

/** Points in the encoded space (a portless protocol counts all 65,536 values of the port dimension). */
export function size(a: TrafficSet): bigint {
  return ALGEBRA.ipv4.size(a.ipv4) + ALGEBRA.ipv6.size(a.ipv6);
}

/** Stable text key; equal sets give equal keys. */
export function key(a: TrafficSet): string {
  return `v4[${ALGEBRA.ipv4.key(a.ipv4)}]v6[${ALGEBRA.ipv6.key(a.ipv6)}]`;
}

/** The port-dimension value of an ICMP type/code (-1 = any), as a set. */
export function icmpTypeCode(type: number, code: number): IntervalSet {
  if (type < 0) return PORT_UNIVERSE;
  const base = type * 256;
  return code < 0 ? iv.range(base, base + 255) : iv.range(base + code);
}

export interface Packet {
  protocol: number;
  /** "10.0.0.1" or "2001:db8::1". */
  address: string;
  /** tcp/udp port; for ICMP use `icmpType`/`icmpCode` instead; ignored for other protocols. */
  port?: number;
  icmpType?: number;
  icmpCode?: number;
}

export function contains(set: TrafficSet, packet: Packet): boolean {
  const addr = parseAddress(packet.address);
  if (addr === null) return false;
  const isIcmp = packet.protocol === ICMP || packet.protocol === ICMPV6;
  const second = isIcmp ? (packet.icmpType ?? 0) * 256 + (packet.icmpCode ?? 0) : (packet.port ?? 0);
  // BigInt() throws on fractions and NaN; such a packet is simply not in any set.
  if (!Number.isInteger(packet.protocol) || !Number.isInteger(second)) return false;
  return ALGEBRA[addr.family].contains(set[addr.family], [BigInt(packet.protocol), BigInt(second), addr.value]);
}

/**
 * protocols × ports × addresses in one family. Protocols without ports get the whole port
 * dimension whatever `ports` says, as AWS ignores from/to for them.
 */
export function box(family: Family, protocols: IntervalSet, ports: IntervalSet, addresses: IntervalSet): TrafficSet {
  const alg = ALGEBRA[family];
  const withPorts = alg.box([iv.intersect(protocols, PROTOCOLS_WITH_PORTS), ports, addresses]);
  const portless = alg.box([iv.subtract(protocols, PROTOCOLS_WITH_PORTS), PORT_UNIVERSE, addresses]);
  const set = alg.union(withPorts, portless);
  return family === 'ipv4' ? { ipv4: set, ipv6: NO_TRAFFIC.ipv6 } : { ipv4: NO_TRAFFIC.ipv4, ipv6: set };
}

/** Why a rule's traffic is not an exact address set (unknown, invalid, or a non-CIDR peer). */
export interface NotAddressSet {
  notAddressSet: string;
}

export function isAddressSet(x: TrafficSet | NotAddressSet): x is TrafficSet {
  return !('notAddressSet' in x);
}

/** The port-dimension set of a protocol/port spec as AWS reads it, or why it has none. */
export function portDimension(protocol: Protocol, ports: PortSpec): IntervalSet | NotAddressSet {
  if (protocol.kind === 'all') return PORT_UNIVERSE;
  if (protocol.kind === 'unknown') return { notAddressSet: `unknown protocol (${protocol.unknown})` };
  if (protocol.kind === 'invalid') return { notAddressSet: `invalid protocol "${protocol.raw}"` };
  const n = protocol.number;
  if (!Number.isInteger(n) || n < 0 || n > 255) return { notAddressSet: `invalid protocol ${n}` };
  const icmp = n === ICMP || n === ICMPV6;
  const tcpUdp = n === TCP || n === UDP;
  switch (ports.kind) {
    case 'all':
      return PORT_UNIVERSE;
    case 'range':
      if (icmp) return { notAddressSet: 'port range given for ICMP (expected type/code)' };
      if (!tcpUdp) return PORT_UNIVERSE;
      return Number.isInteger(ports.from) && Number.isInteger(ports.to) ? iv.range(ports.from, ports.to) : { notAddressSet: 'invalid ports (not integers)' };
    case 'icmp':
      if (tcpUdp) return { notAddressSet: 'ICMP type/code given for a port protocol' };
      if (!icmp) return PORT_UNIVERSE;
      return Number.isInteger(ports.type) && Number.isInteger(ports.code) ? icmpTypeCode(ports.type, ports.code) : { notAddressSet: 'invalid ICMP type/code (not integers)' };
    case 'invalid':
      return { notAddressSet: `invalid ports (${ports.reason})` };
    case 'unknown':
      return { notAddressSet: `unknown ports (${ports.unknown})` };
  }
}

/** Traffic matching protocol/ports from or to one CIDR block. */
export function trafficOf(protocol: Protocol, ports: PortSpec, cidr: string): TrafficSet | NotAddressSet {
  const block = cidrToRange(cidr);
  if (block === null) return { notAddressSet: `not a CIDR: "${cidr}"` };
  const second = portDimension(protocol, ports);
  if ('notAddressSet' in second) return second;
  const protocols = protocol.kind === 'number' ? iv.range(protocol.number) : PROTOCOL_UNIVERSE;
  return box(block.family, protocols, second, [block.range]);
}

/**
 * The traffic a rule admits (sources for ingress, destinations for egress), or why it is not an
 * address set: peers that are groups, prefix lists, unknown or invalid, and unknown/invalid
 * protocols or ports. Never throws.
 */
export function ruleTraffic(rule: Rule): TrafficSet | NotAddressSet {
  // Every check asks for the same rules' traffic; parsing the CIDR each time was a third of a
  // 60,000-rule scan. Remembered per rule while its peer, protocol and ports stay the same objects.
  const hit = TRAFFIC_OF_RULE.get(rule);
  if (hit && hit.peer === rule.peer && hit.protocol === rule.protocol && hit.ports === rule.ports) return hit.traffic;
  const traffic = computeRuleTraffic(rule);
  TRAFFIC_OF_RULE.set(rule, { peer: rule.peer, protocol: rule.protocol, ports: rule.ports, traffic });
  return traffic;
}

const TRAFFIC_OF_RULE = new WeakMap<Rule, { peer: Rule['peer']; protocol: Rule['protocol']; ports: Rule['ports']; traffic: TrafficSet | NotAddressSet }>();

function computeRuleTraffic(rule: Rule): TrafficSet | NotAddressSet {
  const peer = rule.peer;
  if (peer.kind !== 'cidr') {
    const why = peer.kind === 'securityGroup' ? 'a security group' : peer.kind === 'prefixList' ? 'a prefix list' : peer.kind === 'unknown' ? `unknown (${peer.unknown})` : `invalid (${peer.reason})`;
    return { notAddressSet: `peer is ${why}` };
  }
  return trafficOf(rule.protocol, rule.ports, peer.cidr);
}

/** The traffic a rule admits, or null when it is not an exact address set (see `ruleTraffic` for why). */
export function fromRule(rule: Rule): TrafficSet | null {
  const t = ruleTraffic(rule);
  return isAddressSet(t) ? t : null;
}
