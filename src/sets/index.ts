// Exact traffic sets for the reachability engine: one import for the whole set algebra.
//
//   TrafficSet                    protocol × port(or ICMP type*256+code) × address, IPv4 and IPv6 apart
//   union / intersect / subtract / complement / unionAll / isEmpty / equals / contains / size / key
//   box(family, protocols, ports, addresses)   build from interval sets (portless protocols get all ports)
//   trafficOf(protocol, ports, cidr)           from model Protocol/PortSpec + CIDR, or { notAddressSet }
//   fromRule(rule) / ruleTraffic(rule)         a model Rule with a CIDR peer (null / reason otherwise)
//   allowedByNacl(entries)                     first-match NACL evaluation with the implicit deny
//   describe(set, { preposition })             "tcp/0-65535 from 0.0.0.0/0 except 10.0.0.0/8"
//
// Representation (see algebra.ts): canonical nested interval maps, protocol → port → address set,
// so equality is structural and printing deterministic. Operations sweep both operands once per
// level: O(n + m) at each level, worst case the product of boundary counts across levels.
export * from './traffic.js';
export { coverTree, type CoverTree } from './cover.js';
export { describe, type DescribeOptions } from './describe.js';
export { allowedByNacl, type NaclEntry, type NaclProblem, type NaclResult } from './nacl.js';
export { firstMatch, type SetAlgebra } from './algebra.js';
export { ADDRESS_UNIVERSE, cidrToRange, countCidrs, formatAddress, parseAddress, rangeToCidrs, setToCidrs, type Family } from './cidr.js';
export type { IntervalSet, Range } from './interval.js';
