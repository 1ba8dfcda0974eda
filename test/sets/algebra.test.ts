import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstMatch, intervalAlgebra, productAlgebra, unionAll, type SetAlgebra, type Product } from '../../src/sets/algebra.js';
import * as iv from '../../src/sets/interval.js';

// A small universe that brute force can enumerate: protocols 0..3 × ports 0..15 × addresses 0..63.
const P = 4;
const PORTS = 16;
const A = 64;
type S3 = Product<Product<iv.IntervalSet>>;
const alg: SetAlgebra<S3> = productAlgebra(iv.range(0, P - 1), productAlgebra(iv.range(0, PORTS - 1), intervalAlgebra(iv.range(0, A - 1))));

const points: bigint[][] = [];
for (let p = 0; p < P; p++) for (let q = 0; q < PORTS; q++) for (let a = 0; a < A; a++) points.push([BigInt(p), BigInt(q), BigInt(a)]);

const side = (max: number) =>
  fc.array(fc.tuple(fc.integer({ min: 0, max: max - 1 }), fc.integer({ min: 0, max: max - 1 })), { minLength: 1, maxLength: 2 })
    .map((rs) => iv.fromRanges(rs.map(([x, y]) => ({ lo: BigInt(Math.min(x, y)), hi: BigInt(Math.max(x, y)) }))));
const box = fc.tuple(side(P), side(PORTS), side(A));
type Box = [iv.IntervalSet, iv.IntervalSet, iv.IntervalSet];
const inBox = (b: Box, pt: bigint[]) => iv.contains(b[0], pt[0]) && iv.contains(b[1], pt[1]) && iv.contains(b[2], pt[2]);

/** A random set as a formula over boxes, with its brute-force membership test. */
type Formula = { set: S3; has: (pt: bigint[]) => boolean };
const formula: fc.Arbitrary<Formula> = fc
  .tuple(fc.array(box, { maxLength: 5 }), fc.array(box, { maxLength: 3 }))
  .map(([plus, minus]) => {
    const set = alg.subtract(unionAll(alg, plus.map((b) => alg.box(b))), unionAll(alg, minus.map((b) => alg.box(b))));
    return { set, has: (pt: bigint[]) => plus.some((b) => inBox(b, pt)) && !minus.some((b) => inBox(b, pt)) };
  });

function brute(set: S3): Set<string> {
  const s = new Set<string>();
  for (const pt of points) if (alg.contains(set, pt)) s.add(pt.join(','));
  return s;
}

describe('product algebra against brute force (4 × 16 × 64 points)', () => {
  it('union, intersection, subtraction agree with the boolean combination at every point', () => {
    fc.assert(
      fc.property(formula, formula, (a, b) => {
        const u = alg.union(a.set, b.set);
        const n = alg.intersect(a.set, b.set);
        const d = alg.subtract(a.set, b.set);
        for (const pt of points) {
          const x = a.has(pt);
          const y = b.has(pt);
          if (alg.contains(a.set, pt) !== x) return false;
          if (alg.contains(u, pt) !== (x || y)) return false;
          if (alg.contains(n, pt) !== (x && y)) return false;
          if (alg.contains(d, pt) !== (x && !y)) return false;
        }
        return true;
      }),
      { numRuns: 80 },
    );
  });

  it('size, isEmpty and equals agree with brute force; equal sets are structurally identical', () => {
    fc.assert(
      fc.property(formula, formula, (a, b) => {
        const ba = brute(a.set);
        const bb = brute(b.set);
        expect(alg.size(a.set)).toBe(BigInt(ba.size));
        expect(alg.isEmpty(a.set)).toBe(ba.size === 0);
        const same = ba.size === bb.size && [...ba].every((k) => bb.has(k));
        expect(alg.equals(a.set, b.set)).toBe(same);
        expect(alg.key(a.set) === alg.key(b.set)).toBe(same);
        // The same set built different ways has one representation.
        const rebuilt = alg.union(alg.intersect(a.set, b.set), alg.subtract(a.set, b.set));
        expect(rebuilt).toEqual(a.set);
        expect(alg.union(a.set, b.set)).toEqual(alg.union(b.set, a.set));
        expect(alg.subtract(alg.full, alg.subtract(alg.full, a.set))).toEqual(a.set);
      }),
      { numRuns: 60 },
    );
  });

  it('meets is a non-empty intersection; intersection and subtraction give the one canonical form', () => {
    fc.assert(
      fc.property(formula, formula, (a, b) => {
        const n = alg.intersect(a.set, b.set);
        expect(alg.meets(a.set, b.set)).toBe(points.some((pt) => a.has(pt) && b.has(pt)));
        expect(alg.meets(a.set, b.set)).toBe(!alg.isEmpty(n));
        // Canonical: sorted, disjoint, and no touching pieces that map to equal sets left unmerged.
        const canonical = (x: Product<unknown>, eq: (p: unknown, q: unknown) => boolean): boolean =>
          x.every((seg, k) => seg.lo <= seg.hi && (k === 0 || x[k - 1].hi + 1n < seg.lo || (x[k - 1].hi + 1n === seg.lo && !eq(x[k - 1].sub, seg.sub))));
        const innerEq = (p: unknown, q: unknown) => JSON.stringify(p, (_, v) => (typeof v === 'bigint' ? String(v) : v)) === JSON.stringify(q, (_, v) => (typeof v === 'bigint' ? String(v) : v));
        for (const x of [n, alg.subtract(a.set, b.set), alg.subtract(b.set, a.set)]) {
          expect(canonical(x, innerEq)).toBe(true);
          for (const seg of x) expect(canonical(seg.sub, innerEq)).toBe(true);
        }
        // Two routes to the same set: structurally equal.
        expect(n).toEqual(alg.subtract(a.set, alg.subtract(a.set, b.set)));
        expect(alg.subtract(a.set, b.set)).toEqual(alg.intersect(a.set, alg.subtract(alg.full, b.set)));
        expect(alg.intersect(a.set, alg.full)).toBe(a.set);
        expect(alg.intersect(alg.full, a.set)).toBe(a.set);
        expect(alg.subtract(a.set, alg.full)).toEqual(alg.empty);
        expect(alg.union(a.set, alg.full)).toEqual(alg.full);
      }),
      { numRuns: 60 },
    );
  });

  it('first-match evaluation equals per-packet evaluation', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), box), { maxLength: 6 }), (entries) => {
        const allowed = firstMatch(alg, entries.map(([allow, b]) => ({ allow, match: alg.box(b) })));
        for (const pt of points) {
          const first = entries.find(([, b]) => inBox(b, pt));
          if (alg.contains(allowed, pt) !== (first !== undefined && first[0])) return false;
        }
        return true;
      }),
      { numRuns: 80 },
    );
  });
});

describe('interval sets', () => {
  const u = iv.range(0, 65535);
  it('union merges overlapping and touching ranges', () => {
    expect(iv.union(iv.range(1, 5), iv.range(6, 9))).toEqual([{ lo: 1n, hi: 9n }]);
    expect(iv.union(iv.range(1, 5), iv.range(7, 9))).toEqual([{ lo: 1n, hi: 5n }, { lo: 7n, hi: 9n }]);
    expect(iv.fromRanges([{ lo: 7n, hi: 9n }, { lo: 1n, hi: 8n }, { lo: 10n, hi: 10n }])).toEqual([{ lo: 1n, hi: 10n }]);
  });
  it('intersect, subtract, complement', () => {
    const a = iv.fromRanges([{ lo: 0n, hi: 10n }, { lo: 20n, hi: 30n }]);
    expect(iv.intersect(a, iv.range(5, 25))).toEqual([{ lo: 5n, hi: 10n }, { lo: 20n, hi: 25n }]);
    expect(iv.subtract(a, iv.range(5, 25))).toEqual([{ lo: 0n, hi: 4n }, { lo: 26n, hi: 30n }]);
    expect(iv.subtract(iv.range(0, 100), iv.fromRanges([{ lo: 0n, hi: 0n }, { lo: 50n, hi: 60n }, { lo: 100n, hi: 200n }]))).toEqual([
      { lo: 1n, hi: 49n },
      { lo: 61n, hi: 99n },
    ]);
    expect(iv.complement(iv.range(22), u)).toEqual([{ lo: 0n, hi: 21n }, { lo: 23n, hi: 65535n }]);
    expect(iv.complement(u, u)).toEqual([]);
  });
  it('contains, size, equals, isEmpty', () => {
    const a = iv.fromRanges([{ lo: 0n, hi: 10n }, { lo: 20n, hi: 30n }]);
    expect([0, 10, 11, 19, 20, 30, 31].map((x) => iv.contains(a, x))).toEqual([true, true, false, false, true, true, false]);
    expect(iv.size(a)).toBe(22n);
    expect(iv.size(iv.range(0n, 2n ** 128n - 1n))).toBe(2n ** 128n);
    expect(iv.equals(a, iv.union(iv.range(20, 30), iv.range(0, 10)))).toBe(true);
    expect(iv.equals(a, iv.range(0, 30))).toBe(false);
    expect(iv.isEmpty(iv.range(5, 4))).toBe(true);
  });
  it('agree with brute force on 0..63', () => {
    const set = fc.array(fc.tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 0, max: 63 })), { maxLength: 5 }).map((rs) =>
      iv.fromRanges(rs.map(([x, y]) => ({ lo: BigInt(Math.min(x, y)), hi: BigInt(Math.max(x, y)) }))),
    );
    const universe = iv.range(0, 63);
    fc.assert(
      fc.property(set, set, (a, b) => {
        const [u, n, d, c] = [iv.union(a, b), iv.intersect(a, b), iv.subtract(a, b), iv.complement(a, universe)];
        for (let x = 0; x < 64; x++) {
          const [ia, ib] = [iv.contains(a, x), iv.contains(b, x)];
          if (iv.contains(u, x) !== (ia || ib) || iv.contains(n, x) !== (ia && ib) || iv.contains(d, x) !== (ia && !ib) || iv.contains(c, x) === ia) return false;
        }
        // Canonical: no empty, unsorted, overlapping or touching ranges.
        return [u, n, d, c].every((s) => s.every((r, k) => r.lo <= r.hi && (k === 0 || s[k - 1].hi + 1n < r.lo)));
      }),
      { numRuns: 300 },
    );
  });
});
