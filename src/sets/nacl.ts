import type { PortSpec } from '../model/ports.js';
import { parseProtocol, type Protocol } from '../model/protocol.js';
import { intersect, NO_TRAFFIC, subtract, trafficOf, union, type TrafficSet } from './traffic.js';

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
  const matches: { allow: boolean; match: TrafficSet }[] = [];
  for (const { e } of ordered) {
    const protocol = typeof e.protocol === 'object' ? e.protocol : parseProtocol(e.protocol);
    const match = trafficOf(protocol, e.ports ?? { kind: 'all' }, e.cidr);
    if ('notAddressSet' in match) {
      problems.push({ ruleNumber: e.ruleNumber, reason: match.notAddressSet });
      continue;
    }
    matches.push({ allow: e.action === 'allow', match });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, allowed: firstMatchOf(matches, 0, matches.length).allowed };
}

/**
 * First match over entries [lo, hi), halves at a time: the first half decides what it matches, the
 * second the rest (allowed = A1 ∪ (A2 − M1)). Entry by entry, every entry was subtracted from and
 * added to the growing union of all before it: quadratic in a NACL of thousands of entries.
 */
function firstMatchOf(entries: readonly { allow: boolean; match: TrafficSet }[], lo: number, hi: number): { allowed: TrafficSet; matched: TrafficSet } {
  if (hi - lo === 0) return { allowed: NO_TRAFFIC, matched: NO_TRAFFIC };
  if (hi - lo === 1) return { allowed: entries[lo].allow ? entries[lo].match : NO_TRAFFIC, matched: entries[lo].match };
  const mid = (lo + hi) >> 1;
  const a = firstMatchOf(entries, lo, mid);
  const b = firstMatchOf(entries, mid, hi);
  return { allowed: union(a.allowed, subtract(b.allowed, a.matched)), matched: union(a.matched, b.matched) };
}

/**
 * What each set adds to those before it that count: sets[i] − ∪ {sets[j] : j < i, counts[j]} (null
 * stays null). Halves at a time, each half told only the part of the earlier union that meets it, so
 * the work grows with n log n, not n².
 */
export function firstMatchPieces(sets: readonly (TrafficSet | null)[], counts: readonly boolean[]): (TrafficSet | null)[] {
  interface Node {
    lo: number;
    /** The union of all the sets: where an earlier set can matter. Dropped once walked (memory). */
    region?: TrafficSet;
    left?: Node;
    right?: Node;
  }
  const build = (lo: number, hi: number): Node => {
    if (hi - lo === 1) return { lo, region: sets[lo] ?? NO_TRAFFIC };
    const mid = (lo + hi) >> 1;
    const left = build(lo, mid);
    const right = build(mid, hi);
    return { lo, region: union(left.region!, right.region!), left, right };
  };
  const out: (TrafficSet | null)[] = sets.map(() => null);
  /** Walks a subtree told what came before it; returns the union of its sets that count. */
  const walk = (n: Node, before: TrafficSet): TrafficSet => {
    n.region = undefined;
    if (!n.left || !n.right) {
      const set = sets[n.lo];
      out[n.lo] = set === null ? null : subtract(set, before);
      return counts[n.lo] && set !== null ? set : NO_TRAFFIC;
    }
    const left = walk(n.left, intersect(before, n.left.region!));
    const right = walk(n.right, intersect(union(before, left), n.right.region!));
    return union(left, right);
  };
  if (sets.length > 0) walk(build(0, sets.length), NO_TRAFFIC);
  return out;
}
