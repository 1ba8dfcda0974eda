// Every expression string in the Terraform corpus parses, and parse+evaluate never throws.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { Unknown, type Value } from '../../../../src/model/value.js';
import { createExpressionParser, evaluate, isExpressionString } from '../../../../src/input/terraform/eval/index.js';
import { sharedPath } from '../../../helpers/shared.js';

const CORPUS = sharedPath('corpus', 'terraform');

function tfFiles(dir: string): string[] {
  let out: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out = out.concat(tfFiles(p));
    else if (n.endsWith('.tf')) out.push(p);
  }
  return out;
}

function strings(v: unknown, out: string[]): void {
  if (typeof v === 'string') {
    if (isExpressionString(v)) out.push(v);
  } else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => strings(x, out));
}

describe('corpus expressions', () => {
  const files = tfFiles(CORPUS);
  it('parse without errors and evaluate without throwing', async () => {
    const exprs: { file: string; source: string }[] = [];
    for (const file of files) {
      let json: unknown;
      try {
        json = await parse(file, readFileSync(file, 'utf8'));
      } catch {
        continue; // files hcl2json itself rejects are the front end's concern
      }
      const found: string[] = [];
      strings(json, found);
      exprs.push(...found.map((source) => ({ file, source })));
    }
    const parser = createExpressionParser();
    const ctx = { file: 'corpus', lookup: (root: string, name: string): Value => new Unknown(`${root}.${name} is not modelled`) };
    const failures: string[] = [];
    const t = performance.now();
    for (const { file, source } of exprs) {
      const e = parser.parse(file, source);
      const v = evaluate(e, ctx);
      if (v instanceof Unknown && v.reasons.some((r) => r.includes('cannot parse'))) failures.push(v.reasons[0]);
    }
    const ms = performance.now() - t;
    console.log(`corpus: ${exprs.length} expressions from ${files.length} files parsed and evaluated in ${ms.toFixed(0)} ms`);
    expect(exprs.length).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });
});
