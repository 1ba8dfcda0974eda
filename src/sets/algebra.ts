import * as iv from './interval.js';
import type { IntervalSet } from './interval.js';

// Exact set algebra over products of integer dimensions, e.g. protocol × port × address.
//
// Representation: a nested interval map. The first dimension is split into sorted, disjoint ranges,
// each mapped to a non-empty set over the remaining dimensions; adjacent ranges that map to equal
// sets are always merged. The last dimension is a plain IntervalSet. By induction every set has
// exactly one representation, so `equals` is structural and any printing of it is deterministic.
//
// Cost: an operation sweeps the boundaries of both operands, O(n + m) sub-operations per level, so
// O(product over levels of boundary counts) in the worst case. Realistic rule sets have few
// distinct protocol and port boundaries, so the address level dominates: roughly linear in the
// number of distinct CIDR boundaries times the number of distinct (protocol, port) pieces.

export interface SetAlgebra<S> {
  /** Number of dimensions. */
  readonly dims: number;
  readonly empty: S;
  /** The whole universe. */
  readonly full: S;
  union(a: S, b: S): S;
  intersect(a: S, b: S): S;
  /** a − b. */
  subtract(a: S, b: S): S;
  /** a ∩ b is not empty, without building it (scans ask this far more than they need the set). */
  meets(a: S, b: S): boolean;
  isEmpty(a: S): boolean;
  /** Set equality (the representation is canonical). */
  equals(a: S, b: S): boolean;
  /** a ⊆ b, in time near |a| (binary search in b), not |a| + |b|. */
  isSubset(a: S, b: S): boolean;
  /** Number of points. */
  size(a: S): bigint;
  /** Is the point (one coordinate per dimension, starting at `at`) in the set? */
  contains(a: S, point: readonly bigint[], at?: number): boolean;
  /** The product of one IntervalSet per dimension (starting at `at`), clipped to the universe. */
  box(sides: readonly IntervalSet[], at?: number): S;
  /** Stable text key; equal sets give equal keys. */
  key(a: S): string;
}

/** One range of the outer dimension and the set over the remaining dimensions it maps to. */
export interface Seg<T> {
  readonly lo: bigint;
  readonly hi: bigint;
  readonly sub: T;
}

export type Product<T> = readonly Seg<T>[];

/** One dimension: integer sets within `universe`. */
export function intervalAlgebra(universe: IntervalSet): SetAlgebra<IntervalSet> {
  return {
    dims: 1,
    empty: iv.EMPTY,
    full: universe,
    union: iv.union,
    intersect: iv.intersect,
    subtract: iv.subtract,
    meets: iv.meets,
    isEmpty: iv.isEmpty,
    equals: iv.equals,
    isSubset: iv.isSubset,
    size: iv.size,
    contains: (a, point, at = 0) => iv.contains(a, point[at]),
    box: (sides, at = 0) => iv.intersect(sides[at] ?? universe, universe),
    key: iv.key,
  };
}

/** `universe` × the dimensions of `inner`. */
export function productAlgebra<T>(universe: IntervalSet, inner: SetAlgebra<T>): SetAlgebra<Product<T>> {
  const empty: Product<T> = [];
  const full: Product<T> = inner.isEmpty(inner.full) ? empty : universe.map((r) => ({ lo: r.lo, hi: r.hi, sub: inner.full }));

  const unionSub = (x: T | undefined, y: T | undefined): T | undefined =>
    x === undefined ? y : y === undefined ? x : inner.union(x, y);

  /**
   * Walk the pieces on which both operands are constant, combine the inner sets with `f`
   * (undefined = empty), and merge adjacent pieces with equal results to stay canonical.
   */
  function sweep(a: Product<T>, b: Product<T>, f: (x: T | undefined, y: T | undefined) => T | undefined): Product<T> {
    const out: Seg<T>[] = [];
    let i = 0;
    let j = 0;
    let cur: bigint | undefined;
    while (i < a.length || j < b.length) {
      const sa = a[i];
      const sb = b[j];
      const aLo = sa === undefined ? undefined : cur !== undefined && cur > sa.lo ? cur : sa.lo;
      const bLo = sb === undefined ? undefined : cur !== undefined && cur > sb.lo ? cur : sb.lo;
      const start = aLo === undefined ? bLo! : bLo === undefined ? aLo : aLo < bLo ? aLo : bLo;
      const inA = aLo === start;
      const inB = bLo === start;
      // The piece ends where either operand changes: the end of a segment we are in, or just
      // before the start of one we are not yet in.
      let end = inA ? sa!.hi : aLo !== undefined ? aLo - 1n : undefined;
      const endB = inB ? sb!.hi : bLo !== undefined ? bLo - 1n : undefined;
      if (end === undefined || (endB !== undefined && endB < end)) end = endB!;
      const v = f(inA ? sa!.sub : undefined, inB ? sb!.sub : undefined);
      if (v !== undefined) {
        const last = out[out.length - 1];
        if (last !== undefined && last.hi + 1n === start && inner.equals(last.sub, v)) {
          out[out.length - 1] = { lo: last.lo, hi: end, sub: last.sub };
        } else {
          out.push({ lo: start, hi: end, sub: v });
        }
      }
      cur = end + 1n;
      if (sa !== undefined && sa.hi < cur) i++;
      if (sb !== undefined && sb.hi < cur) j++;
    }
    return out;
  }

  /** Appends a piece, merged into the last one when they touch and map to equal sets (canonical form). */
  function put(out: Seg<T>[], lo: bigint, hi: bigint, sub: T, seg?: Seg<T>): void {
    const last = out[out.length - 1];
    if (last !== undefined && last.hi + 1n === lo && inner.equals(last.sub, sub)) out[out.length - 1] = { lo: last.lo, hi, sub: last.sub };
    else out.push(seg ?? { lo, hi, sub });
  }

  /**
   * a ∩ b visiting only the pieces where both operands are present: the general sweep also walks
   * every gap of either operand, allocating for each (the reachability questions intersect small
   * sets with large ones, and garbage collection was a third of a 10,000-group scan).
   */
  function intersectSegs(a: Product<T>, b: Product<T>): Product<T> {
    const out: Seg<T>[] = [];
    let i = 0;
    let j = 0;
    let allA = true;
    let allB = true;
    while (i < a.length && j < b.length) {
      const x = a[i];
      const y = b[j];
      if (x.hi < y.lo) i++;
      else if (y.hi < x.lo) j++;
      else {
        const r = inner.intersect(x.sub, y.sub);
        if (!inner.isEmpty(r)) {
          const lo = x.lo > y.lo ? x.lo : y.lo;
          const hi = x.hi < y.hi ? x.hi : y.hi;
          // A piece that is one operand's segment is that segment, not a copy (see iv.intersect).
          const same = r === x.sub && lo === x.lo && hi === x.hi ? x : r === y.sub && lo === y.lo && hi === y.hi ? y : undefined;
          const n = out.length;
          put(out, lo, hi, r, same);
          allA &&= same === x && out.length > n;
          allB &&= same === y && out.length > n;
        }
        if (x.hi < y.hi) i++;
        else if (y.hi < x.hi) j++;
        else {
          i++;
          j++;
        }
      }
    }
    if (allA && out.length === a.length) return a;
    if (allB && out.length === b.length) return b;
    return out.length === 0 ? empty : out;
  }

  /** a − b visiting a's pieces and only the parts of b that overlap them. */
  function subtractSegs(a: Product<T>, b: Product<T>): Product<T> {
    const out: Seg<T>[] = [];
    let j = 0;
    for (const x of a) {
      // b's pieces entirely left of x cannot touch a's later pieces either.
      while (j < b.length && b[j].hi < x.lo) j++;
      let lo = x.lo;
      let k = j;
      while (k < b.length && b[k].lo <= x.hi) {
        const y = b[k];
        if (y.lo > lo) {
          put(out, lo, y.lo - 1n, x.sub);
          lo = y.lo;
        }
        const end = y.hi < x.hi ? y.hi : x.hi;
        const r = inner.subtract(x.sub, y.sub);
        if (!inner.isEmpty(r)) put(out, lo, end, r);
        lo = end + 1n;
        if (y.hi > x.hi) break;
        k++;
      }
      if (lo <= x.hi) put(out, lo, x.hi, x.sub);
      j = k;
    }
    return out;
  }

  function find(a: Product<T>, x: bigint): Seg<T> | undefined {
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = a[mid];
      if (x < s.lo) hi = mid - 1;
      else if (x > s.hi) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  const equals = (a: Product<T>, b: Product<T>): boolean => {
    if (a === b) return true;
    if (a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) {
      if (a[k].lo !== b[k].lo || a[k].hi !== b[k].hi || !inner.equals(a[k].sub, b[k].sub)) return false;
    }
    return true;
  };

  const meets = (a: Product<T>, b: Product<T>): boolean => {
    if (a.length === 0 || b.length === 0) return false;
    if (a === b) return true;
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const x = a[i];
      const y = b[j];
      if (x.hi < y.lo) i++;
      else if (y.hi < x.lo) j++;
      else {
        if (inner.meets(x.sub, y.sub)) return true;
        if (x.hi < y.hi) i++;
        else j++;
      }
    }
    return false;
  };

  const isSubset = (a: Product<T>, b: Product<T>): boolean => {
    for (const s of a) {
      // the segments of b over [s.lo, s.hi] must follow each other without a gap, each containing s.sub
      let k = iv.indexAtOrAfter(b, s.lo);
      let next = s.lo;
      while (next <= s.hi) {
        const t = b[k++];
        if (t === undefined || t.lo > next || !inner.isSubset(s.sub, t.sub)) return false;
        next = t.hi + 1n;
      }
    }
    return true;
  };

  return {
    dims: 1 + inner.dims,
    isSubset,
    empty,
    full,
    // Every set of the algebra lies within `full`, so it is the identity of ∩ and absorbs ∪.
    union: (a, b) => (a === b || b.length === 0 ? a : a.length === 0 ? b : a === full || b === full ? full : sweep(a, b, unionSub)),
    intersect: (a, b) => (a === b || b === full ? a : a === full ? b : a.length === 0 || b.length === 0 ? empty : intersectSegs(a, b)),
    subtract: (a, b) => (a === b || b === full ? empty : a.length === 0 || b.length === 0 ? a : subtractSegs(a, b)),
    meets,
    isEmpty: (a) => a.length === 0,
    equals,
    size: (a) => {
      let n = 0n;
      for (const s of a) n += (s.hi - s.lo + 1n) * inner.size(s.sub);
      return n;
    },
    contains: (a, point, at = 0) => {
      const s = find(a, point[at]);
      return s !== undefined && inner.contains(s.sub, point, at + 1);
    },
    box: (sides, at = 0) => {
      const outer = iv.intersect(sides[at] ?? universe, universe);
      const sub = inner.box(sides, at + 1);
      if (inner.isEmpty(sub)) return empty;
      // Ranges of a canonical IntervalSet never touch, so no merging is needed.
      return outer.map((r) => ({ lo: r.lo, hi: r.hi, sub }));
    },
    key: (a) => a.map((s) => `${s.lo}-${s.hi}:(${inner.key(s.sub)})`).join(','),
  };
}

/** Several sets combined in one pass (balanced, so big unions do not re-walk a growing result n times). */
export function unionAll<S>(alg: SetAlgebra<S>, sets: readonly S[]): S {
  if (sets.length === 0) return alg.empty;
  if (sets.length === 1) return sets[0];
  let layer = [...sets];
  while (layer.length > 1) {
    const next: S[] = [];
    for (let k = 0; k < layer.length; k += 2) next.push(k + 1 < layer.length ? alg.union(layer[k], layer[k + 1]) : layer[k]);
    layer = next;
  }
  return layer[0];
}

/**
 * First-match evaluation of ordered allow/deny entries (network ACLs): a point is allowed when the
 * first entry matching it allows it; points no entry matches are denied.
 * allowed = ∪_i (allow_i − ∪_{j<i} match_j). Entries must already be in evaluation order.
 */
export function firstMatch<S>(alg: SetAlgebra<S>, entries: readonly { allow: boolean; match: S }[]): S {
  let allowed = alg.empty;
  let seen = alg.empty;
  for (const e of entries) {
    if (e.allow) allowed = alg.union(allowed, alg.subtract(e.match, seen));
    seen = alg.union(seen, e.match);
  }
  return allowed;
}
