// Entry point for exact traffic-set algebra used by the reachability engine.
export * from './traffic.js';
export { describe, type DescribeOptions } from './describe.js';
export { allowedByNacl, type NaclEntry, type NaclProblem, type NaclResult } from './nacl.js';
export { cidrToRange, rangeToCidrs, setToCidrs, parseAddress, formatAddress, ADDRESS_UNIVERSE, type Family } from './cidr.js';
export type { IntervalSet, Range } from './interval.js';
