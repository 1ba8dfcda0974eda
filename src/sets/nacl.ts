import type { PortSpec } from '../model/ports.js';
import { parseProtocol, type Protocol } from '../model/protocol.js';
import { NO_TRAFFIC, subtract, trafficOf, union, type TrafficSet } from './traffic.js';

// Network ACL evaluation: entries are tried in ascending rule number and the first one whose
// protocol, ports and CIDR match the packet decides; a packet no entry matches is denied (the
// implicit `*` entry). So allowed = ∪_i (allow_i − ∪_{j<i} match_j), computed exactly.

export interface NaclEntry {
  ruleNumber: number;
  action: 'allow' | 'deny';
  /** Model protocol, or as written ("tcp", "-1", 6). */
  protocol: Protocol | string | number;
  /** IPv4 or IPv6 CIDR block. */
  cidr: string;
  /** Ports or ICMP type/code (see parsePorts); all when absent. */
  ports?: PortSpec;
}

export interface NaclProblem {
  ruleNumber: number;
  reason: string;
}

/**
 * `allowed` when every entry is an exact set. Otherwise the entries that are not (unknown or
 * invalid protocol, ports or CIDR): with one unknown entry the first-match result could be
 * anything, so no set is claimed.
 */
export type NaclResult = { ok: true; allowed: TrafficSet } | { ok: false; problems: NaclProblem[] };

export function allowedByNacl(entries: readonly NaclEntry[]): NaclResult {
  // Stable sort: ties keep their written order (AWS rejects duplicate numbers anyway).
  const ordered = entries.map((e, index) => ({ e, index })).sort((a, b) => a.e.ruleNumber - b.e.ruleNumber || a.index - b.index);
  const problems: NaclProblem[] = [];
  let allowed = NO_TRAFFIC;
  let seen = NO_TRAFFIC;
  for (const { e } of ordered) {
    const protocol = typeof e.protocol === 'object' ? e.protocol : parseProtocol(e.protocol);
    const match = trafficOf(protocol, e.ports ?? { kind: 'all' }, e.cidr);
    if ('notAddressSet' in match) {
      problems.push({ ruleNumber: e.ruleNumber, reason: match.notAddressSet });
      continue;
    }
    if (e.action === 'allow') allowed = union(allowed, subtract(match, seen));
    seen = union(seen, match);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, allowed };
}
