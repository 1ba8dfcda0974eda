import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { scan } from '../../../src/pipeline/scan.js';
// @ts-expect-error plain JavaScript shared with `npm run fuzz` (scripts/fuzz.mjs)
import { mutate, prng, runFuzz, seedFiles } from '../../../scripts/fuzz-lib.mjs';
import { CORPUS, REPO } from './helpers.js';

// Issue 16: a seeded mutation fuzzer over fixtures/ and the corpus, in the suite. It fails on a
// crash, an internal error (or a raw engine message such as "Maximum call stack size exceeded"), an
// input slower than 10 s, a lost finding of the good file beside it, or a second scan that differs.
// `npm run fuzz -- --inputs 20000` runs a longer campaign with the same harness.

describe('fuzz (seeded mutations of fixtures and corpus files)', () => {
  it('2,500 inputs: no crash, internal error, hang, lost finding or nondeterminism', async () => {
    const seeds = seedFiles([path.join(REPO, 'fixtures'), CORPUS]);
    expect(seeds.length).toBeGreaterThan(500);
    const { figures, failures } = await runFuzz({ scan, checks: ALL_CHECKS, seeds, inputs: 2500, seed: 16 });
    expect(failures).toEqual([]);
    expect(figures).toMatchObject({ inputs: 2500, crashes: 0, internal: 0, hangs: 0, losses: 0, nondeterminism: 0 });
  }, 120_000);

  it('the mutator is seeded (same seed, same inputs) and really changes its input', () => {
    const text = 'resource "aws_security_group" "x" {\n  description = "x"\n}\n';
    const a = prng(3);
    const b = prng(3);
    const outs = Array.from({ length: 50 }, () => mutate(text, a));
    expect(Array.from({ length: 50 }, () => mutate(text, b))).toEqual(outs);
    expect(outs.filter((o: string) => o !== text).length).toBeGreaterThan(40);
  });
});
