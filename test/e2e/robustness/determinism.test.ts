import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../../src/report/json.js';
import { renderSarif } from '../../../src/report/sarif.js';
import { CORPUS, GOOD_TF, REPO, scanTree } from './helpers.js';

// Issue #10, determinism: the same tree, its files created in a different order (so directory
// listings come back in a different order on file systems that list by creation), gives
// byte-identical JSON and SARIF. Paths are relative to the scanned folder, so no relativizing is
// needed beyond scanning each copy as its own working folder.

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const abs = path.join(dir, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else out.push(path.relative(root, abs));
    }
  };
  walk(root);
  return out.sort();
}

/** Copy `files` of `from` into a new folder, creating them in the order given. */
function copyInOrder(from: string, files: string[]): string {
  const to = mkdtempSync(path.join(tmpdir(), 'sgscan-order-'));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(to, f)), { recursive: true });
    writeFileSync(path.join(to, f), readFileSync(path.join(from, f)));
  }
  return to;
}

/** A fixed permutation (no randomness): reverse, then interleave halves. */
function shuffle<T>(xs: T[]): T[] {
  const r = [...xs].reverse();
  const half = Math.ceil(r.length / 2);
  const out: T[] = [];
  for (let i = 0; i < half; i++) {
    out.push(r[i]);
    if (i + half < r.length) out.push(r[i + half]);
  }
  return out;
}

async function reports(root: string) {
  const { result } = await scanTree(root);
  return { json: renderJson(result), sarif: renderSarif(result), findings: result.findings.length };
}

describe('determinism', () => {
  it('a tree written in another order gives byte-identical JSON and SARIF (demo + corpus sample + hostile bits)', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'sgscan-det-'));
    cpSync(path.join(REPO, 'fixtures/demo'), path.join(base, 'demo'), { recursive: true });
    cpSync(path.join(CORPUS, 'cloudformation/aws-samples__ecs-refarch-cloudformation'), path.join(base, 'cfn'), { recursive: true });
    cpSync(path.join(CORPUS, 'terraform/terraform-aws-modules__terraform-aws-ec2-instance'), path.join(base, 'tf'), { recursive: true });
    writeFileSync(path.join(base, 'good.tf'), GOOD_TF);
    writeFileSync(path.join(base, 'broken.yaml'), "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  X: [\n");
    writeFileSync(path.join(base, 'b.tf'), 'module "m" {\n  source = "git::https://example.com/x"\n}\n');
    const files = listFiles(base);
    expect(files.length).toBeGreaterThan(20);

    const forward = copyInOrder(base, files);
    const backward = copyInOrder(base, shuffle(files));
    const a = await reports(forward);
    const b = await reports(backward);
    expect(a.findings).toBeGreaterThan(0);
    expect(b.json).toBe(a.json);
    expect(b.sarif).toBe(a.sarif);
    // and scanning the same folder twice
    expect((await reports(forward)).json).toBe(a.json);
  });

  it('the shuffle really changes the creation order (not vacuous)', () => {
    const xs = ['a', 'b', 'c', 'd', 'e'];
    expect(shuffle(xs)).not.toEqual(xs);
    expect([...shuffle(xs)].sort()).toEqual(xs);
  });
});
