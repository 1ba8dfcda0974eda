import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/value.js';
import { evaluate, parseExpressionSync, type EvalContext } from '../../../src/input/terraform/eval/index.js';
import { CORPUS, scanTree } from './helpers.js';

// Issue #10, property tests: (a) the evaluator never throws on structured random HCL expressions;
// (b) random mutations of real corpus files never crash the scan. Seeds are fixed so a failure
// reproduces; runs are sized to keep this file well under 30 s.

const ctx: EvalContext = {
  file: 'prop.tf',
  lookup: (root, name) =>
    root === 'var' && name === 'list' ? [1, 'a', null] : root === 'var' && name === 'unknown' ? new Unknown('var.unknown has no value') : root === 'local' ? { a: 1, b: [true] } : undefined,
};

const FUNCTIONS = ['length', 'range', 'concat', 'flatten', 'setproduct', 'lookup', 'merge', 'join', 'split', 'format', 'cidrsubnet', 'cidrhost', 'tostring', 'tonumber', 'tolist', 'toset', 'keys', 'values', 'element', 'coalesce', 'try', 'can', 'max', 'min', 'replace', 'jsonencode', 'jsondecode', 'distinct', 'zipmap', 'nosuchfn'];

/** Structured HCL expressions: literals, references, operators, calls, for, splat, conditionals. */
const hclExpr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(
      fc.integer({ min: -1e6, max: 1e12 }).map(String),
      fc.constantFrom('0', '1e9', '-1', '3.5', 'true', 'false', 'null', '"0.0.0.0/0"', '"10.0.0.0/8"', '"${var.unknown}"', '"a-%{ if true }x%{ endif }"', '""'),
      fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
      fc.constantFrom('var.list', 'var.unknown', 'var.missing', 'local.a', 'local.b[0]', 'each.value', 'count.index', 'aws_security_group.x.id', 'path.module'),
    ),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '>=', '&&', '||'), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(fc.constantFrom('!', '-'), tie('e')).map(([op, a]) => `${op}${a}`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, t, f]) => `(${c} ? ${t} : ${f})`),
    fc.tuple(fc.constantFrom(...FUNCTIONS), fc.array(tie('e'), { maxLength: 3 })).map(([f, args]) => `${f}(${args.join(', ')})`),
    fc.array(tie('e'), { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`),
    fc.array(fc.tuple(fc.constantFrom('a', 'b', '"c d"'), tie('e')), { maxLength: 3 }).map((kv) => `{${kv.map(([k, v]) => `${k} = ${v}`).join(', ')}}`),
    fc.tuple(tie('e'), tie('e'), fc.boolean()).map(([coll, body, cond]) => `[for i, x in ${coll} : ${body}${cond ? ' if x != null' : ''}]`),
    fc.tuple(tie('e'), tie('e')).map(([coll, body]) => `{for k, v in ${coll} : k => ${body}...}`),
    fc.tuple(tie('e'), fc.constantFrom('[*].id', '.*.x', '[0]', '["k"]', '.attr')).map(([e, s]) => `${e}${s}`),
  ),
})).e;

describe('evaluator property', () => {
  it('never throws and always returns a value on structured random expressions', () => {
    fc.assert(
      fc.property(hclExpr, (src) => {
        const expr = parseExpressionSync('prop.tf', `\${${src}}`);
        const v = evaluate(expr, ctx);
        expect(v === undefined).toBe(false);
        if (v instanceof Unknown) expect(v.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 4000, seed: 10 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

function corpusSample(n: number): string[] {
  const all: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = path.join(dir, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else if (/\.(tf|ya?ml|json|template)$/.test(name) && statSync(abs).size < 200_000) all.push(abs);
    }
  };
  walk(CORPUS);
  // Every k-th file: a fixed spread across both front ends and all repositories.
  const step = Math.max(1, Math.floor(all.length / n));
  return all.filter((_, i) => i % step === 0).slice(0, n);
}

type Mutation = { kind: 'flip'; at: number; bit: number } | { kind: 'truncate'; at: number } | { kind: 'deleteLine'; at: number } | { kind: 'duplicate'; at: number; len: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('deleteLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 30 }) }),
);

function mutate(bytes: Buffer, m: Mutation): Buffer {
  if (bytes.length === 0) return bytes;
  const at = m.at % bytes.length;
  switch (m.kind) {
    case 'flip': {
      const out = Buffer.from(bytes);
      out[at] ^= 1 << m.bit;
      return out;
    }
    case 'truncate':
      return bytes.subarray(0, at);
    case 'deleteLine': {
      const lines = bytes.toString('latin1').split('\n');
      lines.splice(m.at % lines.length, 1);
      return Buffer.from(lines.join('\n'), 'latin1');
    }
    case 'duplicate': {
      // a run of whole lines (often a whole block) repeated in place
      const lines = bytes.toString('latin1').split('\n');
      const start = m.at % lines.length;
      const block = lines.slice(start, start + m.len);
      lines.splice(start, 0, ...block);
      return Buffer.from(lines.join('\n'), 'latin1');
    }
  }
}

describe('corpus mutation property', () => {
  it('mutated corpus files never crash the scan; every error names a file', async () => {
    const files = corpusSample(30);
    expect(files.length).toBe(30);
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.nat(files.length - 1), async (ms, which) => {
        const source = files[which];
        const root = mkdtempSync(path.join(tmpdir(), 'sgscan-mut-'));
        const rel = path.relative(CORPUS, source);
        mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        writeFileSync(path.join(root, rel), ms.reduce(mutate, readFileSync(source)));
        const { result } = await scanTree(root);
        for (const e of [...result.errors, ...result.notices]) {
          expect(e.file).toBeTruthy();
          expect(e.message).toBeTruthy();
          // internal errors are bugs in a front end even when guarded
          expect(e.message).not.toMatch(/internal error/);
        }
        const c = result.summary.coverage!;
        expect(c.found).toBe(1);
        expect(c.parsed + c.partial + c.skipped + c.failed).toBe(1);
      }),
      { numRuns: 250, seed: 10 },
    );
  });
});
