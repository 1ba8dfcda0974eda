import type { Engine } from './engine.js';
import type { Subnet } from '../network/model.js';
import type { Unknown } from '../model/value.js';

// Subnets by address: which ones a CIDR meets, and which ones no address in the scan tells apart.

/**
 * Subnets that no address in the scan tells apart, by class: same VPC, route table and NACL, and
 * every address block that a rule, NACL entry, route, VPC or prefix list names either covers the
 * subnet or misses it. A question from a resource in one of them is answered the same from the
 * others (only the names differ). Subnets not in the map are a class of their own.
 */
export function subnetClasses(engine: Engine): Map<string, string> {
  const blocks = new Set<string>();
  const starts: { lo: bigint; hi: bigint }[] = [];
  const mention = (c: string | Unknown | undefined) => {
    if (typeof c !== 'string') return;
    const a = engine.addrs([c]);
    // IPv4 only: the subnets classed are IPv4 only (an IPv6 block is another number space).
    for (const r of a.ipv4) {
      const k = `${r.lo}-${r.hi}`;
      if (blocks.has(k)) continue;
      blocks.add(k);
      starts.push(r);
    }
  };
  const n = engine.network;
  for (const v of n.vpcs) for (const c of [...v.cidrs.ipv4, ...v.cidrs.ipv6]) mention(c);
  for (const t of n.routeTables) for (const r of t.routes) mention(r.destination);
  for (const acl of n.nacls) for (const e of [...acl.ingress, ...acl.egress]) mention(e.cidr);
  for (const p of n.prefixLists) for (const e of p.entries) mention(e);
  const groups = new Set<string>();
  for (const e of n.endpoints) for (const g of engine.groupsOf(e).ids) groups.add(g);
  for (const g of groups) for (const r of engine.rulesOf(g)) if (r.peer.kind === 'cidr') mention(r.peer.cidr);
  starts.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  // Only subnets whose VPC, route table and NACL are in the scan: an answer names a subnet whose are not.
  const vpcs = new Set(n.vpcs.map((v) => v.id));
  const tables = new Set(n.routeTables.map((t) => t.id));
  const acls = new Set(n.nacls.map((a) => a.id));
  const candidates: { s: Subnet; lo: bigint; hi: bigint }[] = [];
  for (const s of n.subnets) {
    if (typeof s.cidr !== 'string' || s.ipv6Cidr !== undefined || typeof s.vpc !== 'string' || typeof s.routeTable !== 'string' || typeof s.nacl !== 'string') continue;
    if (!vpcs.has(s.vpc) || !tables.has(s.routeTable) || !acls.has(s.nacl)) continue;
    const a = engine.addrs([s.cidr]);
    if (a.ipv4.length !== 1 || a.ipv6.length !== 0) continue;
    candidates.push({ s, lo: a.ipv4[0].lo, hi: a.ipv4[0].hi });
  }
  // Overlapping subnets (a scan may declare them) are told apart by each other: each is its own class.
  candidates.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const overlapping = new Set<Subnet>();
  let reach = -1n;
  candidates.forEach((c, i) => {
    if (i > 0 && c.lo <= reach) {
      overlapping.add(c.s);
      overlapping.add(candidates[i - 1].s);
    }
    if (c.hi > reach) reach = c.hi;
  });
  const out = new Map<string, string>();
  for (const { s, lo, hi } of candidates) {
    if (overlapping.has(s)) continue;
    // A named block inside the subnet, or overlapping part of it, tells its addresses apart.
    let i = lowerBound(starts, lo);
    let split = false;
    for (; i < starts.length && starts[i].lo <= hi && !split; i++) if (starts[i].lo > lo || starts[i].hi < hi) split = true;
    // A block reaching into the subnet from below.
    for (let j = lowerBound(starts, lo) - 1; j >= 0 && !split; j--) {
      if (starts[j].hi >= lo && starts[j].hi < hi) split = true;
      // CIDR blocks nest or are disjoint: one that ends before the subnet ends the search.
      if (starts[j].hi < lo) break;
    }
    if (split) continue;
    // The named blocks that cover it: a CIDR block's covering blocks are its aligned ancestors.
    const covering: string[] = [];
    const size = hi - lo + 1n;
    for (let k = size; k <= 1n << 32n; k <<= 1n) {
      const a = lo - (lo % k);
      const key = `${a}-${a + k - 1n}`;
      if (blocks.has(key)) covering.push(key);
    }
    out.set(s.id, `${s.vpc}\u0000${s.routeTable}\u0000${s.nacl}\u0000${covering.join(',')}`);
  }
  return out;
}

function lowerBound(xs: readonly { lo: bigint }[], lo: bigint): number {
  let a = 0;
  let b = xs.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (xs[m].lo < lo) a = m + 1;
    else b = m;
  }
  return a;
}

/**
 * The subnets of the scan by address, to find those a CIDR rule meets without trying every subnet
 * for every rule (quadratic in a VPC of thousands of subnets).
 */
export class SubnetIndex {
  private readonly byFamily: { lo: bigint; hi: bigint; id: string }[][] = [[], []];
  /** Largest `hi` up to each position: the search stops once nothing before can reach the query. */
  private readonly maxHi: bigint[][] = [[], []];

  constructor(engine: Engine) {
    for (const s of engine.network.subnets) {
      if (typeof s.cidr !== 'string') continue;
      const a = engine.addrs([s.cidr]);
      [a.ipv4, a.ipv6].forEach((set, f) => {
        for (const r of set) this.byFamily[f].push({ lo: r.lo, hi: r.hi, id: s.id });
      });
    }
    this.byFamily.forEach((xs, f) => {
      xs.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
      let m = -1n;
      this.maxHi[f] = xs.map((x) => (m = x.hi > m ? x.hi : m));
    });
  }

  /** Ids of the subnets whose CIDR meets `a`. */
  meeting(a: { ipv4: readonly { lo: bigint; hi: bigint }[]; ipv6: readonly { lo: bigint; hi: bigint }[] }): Set<string> {
    const out = new Set<string>();
    [a.ipv4, a.ipv6].forEach((set, f) => {
      const xs = this.byFamily[f];
      for (const q of set) {
        // The last subnet starting at or before q.hi, back while one may still end at or after q.lo.
        let i = upperBound(xs, q.hi) - 1;
        for (; i >= 0 && this.maxHi[f][i] >= q.lo; i--) if (xs[i].hi >= q.lo) out.add(xs[i].id);
      }
    });
    return out;
  }
}

function upperBound(xs: readonly { lo: bigint }[], hi: bigint): number {
  let a = 0;
  let b = xs.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (xs[m].lo <= hi) a = m + 1;
    else b = m;
  }
  return a;
}

