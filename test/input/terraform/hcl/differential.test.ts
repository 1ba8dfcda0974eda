import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { parseHcl } from '../../../../src/input/terraform/hcl/index.js';

// hcl2json is the oracle: for every real-world and fixture .tf file, the native parser must give
// the same JSON (key order included), or reject the file on the same line.
const repoRoot = path.resolve(__dirname, '../../../..');
const CORPUS = path.resolve(repoRoot, '../shared/corpus/terraform');
const FIXTURES = path.resolve(repoRoot, 'fixtures');

function tfFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== '.terraform') out.push(...tfFiles(p));
    } else if (e.name.endsWith('.tf')) out.push(p);
  }
  return out.sort();
}

/** The text as load.ts hands it over: no BOM, LF line ends. */
function readTf(file: string): string {
  const raw = readFileSync(file, 'utf8');
  return (raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).replace(/\r\n/g, '\n');
}

type Outcome = { ok: unknown } | { errorLine: number | undefined };

async function oracle(file: string, text: string): Promise<Outcome> {
  try {
    return { ok: await parse(file, text) };
  } catch (e) {
    return { errorLine: errorLine((e as Error).message) };
  }
}

function native(file: string, text: string): Outcome {
  try {
    return { ok: parseHcl(file, text) };
  } catch (e) {
    return { errorLine: errorLine((e as Error).message) };
  }
}

function errorLine(message: string): number | undefined {
  const m = /\.tf:(\d+),\d+/.exec(message);
  return m ? Number(m[1]) : undefined;
}

describe('native HCL parser vs hcl2json', () => {
  it('gives the same JSON for every corpus and fixture .tf file', async () => {
    const files = [...tfFiles(CORPUS), ...tfFiles(FIXTURES)];
    expect(files.length).toBeGreaterThan(850);
    const differing: string[] = [];
    let rejected = 0;
    for (const file of files) {
      const text = readTf(file);
      const want = await oracle(file, text);
      const got = native(file, text);
      if ('errorLine' in want) rejected++;
      // JSON text comparison also checks key order, which hcl2json fixes by sorting.
      const same = 'ok' in want ? 'ok' in got && JSON.stringify(got.ok) === JSON.stringify(want.ok) : 'errorLine' in got && got.errorLine === want.errorLine;
      if (!same) differing.push(path.relative(repoRoot, file));
    }
    expect(differing).toEqual([]);
    expect(rejected).toBeGreaterThanOrEqual(1); // fixtures/terraform/broken/bad.tf
  }, 300_000);
});
