// The evaluator against ground truth recorded with the real `terraform console`
// (scripts/terraform-eval/record.mjs → fixtures/terraform-eval/expected.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ResourceRef, Unknown, isObject, type Value } from '../../../../src/model/value.js';
import { evaluate, parseBareExpressionSync, parseExpression, type EvalContext } from '../../../../src/input/terraform/eval/index.js';

interface Recorded {
  expr: string;
  json?: unknown;
  error?: string;
}
const expected = JSON.parse(readFileSync(new URL('../../../../fixtures/terraform-eval/expected.json', import.meta.url), 'utf8')) as {
  locals: Record<string, Value>;
  results: Recorded[];
};

const ctx: EvalContext = {
  file: 'cases.tf',
  lookup: (root, name) => (root === 'local' && Object.hasOwn(expected.locals, name) ? expected.locals[name] : undefined),
};

/** Deep equality with JSON; numbers within a relative 1e-12 (Terraform computes with big floats). */
function sameAsJson(v: Value, j: unknown): boolean {
  if (v instanceof Unknown || v instanceof ResourceRef) return false;
  if (typeof v === 'number' && typeof j === 'number') return v === j || Math.abs(v - j) <= 1e-12 * Math.max(Math.abs(v), Math.abs(j));
  if (Array.isArray(v)) return Array.isArray(j) && v.length === j.length && v.every((x, i) => sameAsJson(x, j[i]));
  if (isObject(v)) {
    if (typeof j !== 'object' || j === null || Array.isArray(j)) return false;
    const ka = Object.keys(v).sort();
    const kb = Object.keys(j).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameAsJson(v[k], (j as Record<string, unknown>)[k]));
  }
  return v === j;
}

describe('terraform console ground truth', () => {
  it('has over 200 recorded cases, including errors', () => {
    expect(expected.results.length).toBeGreaterThan(200);
    expect(expected.results.filter((r) => r.error).length).toBeGreaterThan(10);
  });

  for (const r of expected.results) {
    it(`${r.expr}`, async () => {
      // As the front end sees it: hcl2json renders an attribute expression as "${...}".
      const rendered = evaluate(await parseExpression('cases.tf', `\${${r.expr}}`), ctx);
      const bare = evaluate(parseBareExpressionSync('cases.tf', r.expr), ctx);
      if (r.error) {
        expect(rendered).toBeInstanceOf(Unknown);
        expect(bare).toBeInstanceOf(Unknown);
        expect((rendered as Unknown).reasons[0]).toMatch(/^cases\.tf: /);
      } else {
        if (!sameAsJson(rendered, r.json)) expect(rendered).toEqual(r.json);
        if (!sameAsJson(bare, r.json)) expect(bare).toEqual(r.json);
      }
    });
  }
});
