// Sets of integers as sorted, disjoint, non-adjacent inclusive ranges. Because ranges that touch are
// always merged, every set has exactly one representation, so structural equality is set equality.
// bigint throughout: IPv6 addresses need 128 bits and one number type keeps the algebra simple.

export interface Range {
  readonly lo: bigint;
  readonly hi: bigint;
}

/** Canonical: sorted by `lo`, each `lo <= hi`, and `next.lo > prev.hi + 1`. */
export type IntervalSet = readonly Range[];

export const EMPTY: IntervalSet = [];

export function range(lo: bigint | number, hi: bigint | number = lo): IntervalSet {
  const l = BigInt(lo);
  const h = BigInt(hi);
  return l <= h ? [{ lo: l, hi: h }] : EMPTY;
}

/** Build a canonical set from ranges in any order, overlapping or touching. */
export function fromRanges(ranges: Iterable<Range>): IntervalSet {
  const sorted = [...ranges].filter((r) => r.lo <= r.hi).sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.lo <= last.hi + 1n) {
      if (r.hi > last.hi) out[out.length - 1] = { lo: last.lo, hi: r.hi };
    } else {
      out.push({ lo: r.lo, hi: r.hi });
    }
  }
  return out;
}

export function isEmpty(a: IntervalSet): boolean {
  return a.length === 0;
}

export function equals(a: IntervalSet, b: IntervalSet): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].lo !== b[i].lo || a[i].hi !== b[i].hi) return false;
  }
  return true;
}

/** Binary search: O(log n). */
export function contains(a: IntervalSet, x: bigint | number): boolean {
  const v = BigInt(x);
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = a[mid];
    if (v < r.lo) hi = mid - 1;
    else if (v > r.hi) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Number of integers in the set. */
export function size(a: IntervalSet): bigint {
  let n = 0n;
  for (const r of a) n += r.hi - r.lo + 1n;
  return n;
}

/** O(n + m) merge. */
export function union(a: IntervalSet, b: IntervalSet): IntervalSet {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: Range[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const r = j >= b.length || (i < a.length && a[i].lo <= b[j].lo) ? a[i++] : b[j++];
    const last = out[out.length - 1];
    if (last && r.lo <= last.hi + 1n) {
      if (r.hi > last.hi) out[out.length - 1] = { lo: last.lo, hi: r.hi };
    } else {
      out.push(r);
    }
  }
  return out;
}

/**
 * O(n + m) two-pointer walk. Allocates only what is new: a piece equal to a range of either side is
 * that range, and a result equal to either side is that side (sets are immutable; the analysis
 * intersects mostly with sets that cover or equal the other, and garbage collection was a fifth of it).
 */
export function intersect(a: IntervalSet, b: IntervalSet): IntervalSet {
  if (a === b) return a;
  if (a.length === 0 || b.length === 0) return EMPTY;
  const out: Range[] = [];
  let i = 0;
  let j = 0;
  let allA = true;
  let allB = true;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    const lo = x.lo > y.lo ? x.lo : y.lo;
    const hi = x.hi < y.hi ? x.hi : y.hi;
    if (lo <= hi) {
      const isX = lo === x.lo && hi === x.hi;
      const isY = lo === y.lo && hi === y.hi;
      out.push(isX ? x : isY ? y : { lo, hi });
      allA &&= isX;
      allB &&= isY;
    }
    if (x.hi < y.hi) i++;
    else j++;
  }
  if (allA && out.length === a.length) return a;
  if (allB && out.length === b.length) return b;
  return out.length === 0 ? EMPTY : out;
}

/** Do a and b share a point? The walk of `intersect` without building the result. */
export function meets(a: IntervalSet, b: IntervalSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x.hi < y.lo) i++;
    else if (y.hi < x.lo) j++;
    else return true;
  }
  return false;
}

/** a − b, O(n + m). */
export function subtract(a: IntervalSet, b: IntervalSet): IntervalSet {
  if (a.length === 0 || b.length === 0) return a;
  const out: Range[] = [];
  let j = 0;
  for (const r of a) {
    let lo = r.lo;
    // Skip the b ranges entirely left of this range; they cannot touch later ranges of a either.
    while (j < b.length && b[j].hi < lo) j++;
    let k = j;
    while (k < b.length && b[k].lo <= r.hi) {
      if (b[k].lo > lo) out.push({ lo, hi: b[k].lo - 1n });
      lo = b[k].hi + 1n;
      if (b[k].hi > r.hi) break;
      k++;
    }
    if (lo <= r.hi) out.push({ lo, hi: r.hi });
    j = k;
  }
  return out;
}

/** The integers of `universe` not in `a`. */
export function complement(a: IntervalSet, universe: IntervalSet): IntervalSet {
  return subtract(universe, a);
}

/** Stable text key, e.g. "0-9,20-20"; equal sets give equal keys. */
export function key(a: IntervalSet): string {
  return a.map((r) => `${r.lo}-${r.hi}`).join(',');
}

/** a ⊆ b, by binary search in b: O(|a| log |b|), not a sweep of b (b is often much bigger). */
export function isSubset(a: IntervalSet, b: IntervalSet): boolean {
  for (const r of a) {
    const s = b[indexAtOrAfter(b, r.lo)];
    // b's ranges never touch, so r must sit inside one of them
    if (s === undefined || s.lo > r.lo || s.hi < r.hi) return false;
  }
  return true;
}

/** Index of the first range of `a` whose `hi` is at or after x (a.length when none). */
export function indexAtOrAfter(a: readonly { hi: bigint }[], x: bigint): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid].hi < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
