import { describe, expect, it } from 'vitest';
import { addTo, append, maxOf, minOf } from '../../src/model/arrays.js';
import { emptyModel, mergeModels, type Rule } from '../../src/model/model.js';

// Issue 16: merging a 200,000-rule model spread the rules into push()'s arguments and overflowed the
// stack, losing the whole scan. These helpers take any size.

describe('array helpers', () => {
  it('append and mergeModels take 300,000 items (push(...xs) overflows the stack there)', () => {
    const big = Array.from({ length: 300_000 }, (_, i) => i);
    expect(() => [].push(...(big as never[]))).toThrow(RangeError); // the failure this replaces
    const to = [-1];
    append(to, big);
    expect(to).toHaveLength(300_001);
    const part = emptyModel();
    part.rules = big as unknown as Rule[];
    expect(mergeModels([emptyModel(), part, part]).rules).toHaveLength(600_000);
  });

  it('addTo keeps lists per key in insertion order; maxOf/minOf behave like Math.max/min', () => {
    const m = new Map<string, number[]>();
    for (const [k, v] of [['a', 1], ['b', 2], ['a', 3]] as const) addTo(m, k, v);
    expect([...m]).toEqual([['a', [1, 3]], ['b', [2]]]);
    expect(maxOf(Array.from({ length: 300_000 }, (_, i) => i))).toBe(299_999);
    expect(minOf([3, -2, 5])).toBe(-2);
    expect(maxOf([])).toBe(-Infinity);
    expect(minOf([])).toBe(Infinity);
  });
});
