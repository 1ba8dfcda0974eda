import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import type { Finding } from '../../src/model/check.js';
import { scan } from '../../src/pipeline/scan.js';
import { inShard, parseShard, shardCategory, shardOf, type Shard } from '../../src/pipeline/shard.js';
import { ALL_CHECKS } from '../../rules/index.js';

const REPO = path.resolve(__dirname, '../..');
// Terraform root modules (some calling local modules), CloudFormation templates and networks.
const PATHS = ['fixtures/demo', 'fixtures/reach', 'fixtures/terraform', 'fixtures/cloudformation'];
const TODAY = '2025-01-01';

async function run(shard?: Shard) {
  const { result } = await scan({ checks: ALL_CHECKS, paths: PATHS, cwd: REPO, version: 'test', today: TODAY, shard });
  return result;
}

/** A finding's identity across runs: fingerprint plus line (a module called twice reports at one line). */
const key = (f: Finding) => `${f.fingerprint}@${f.file}:${f.line}`;

describe('--shard i/n', () => {
  it('splits the findings of a scan into disjoint shards whose union is the unsharded scan', async () => {
    const whole = await run();
    expect(whole.findings.length).toBeGreaterThan(20); // the fixtures really produce findings
    const n = 3;
    const shards = await Promise.all([1, 2, 3].map((index) => run({ index, count: n })));
    const wholeKeys = new Set(whole.findings.map(key));
    const seen = new Map<string, number>();
    shards.forEach((r, i) => {
      for (const k of r.findings.map(key)) {
        expect(seen.has(k), `${k} is in shard ${seen.get(k)} and shard ${i + 1}`).toBe(false);
        seen.set(k, i + 1);
      }
    });
    expect([...seen.keys()].sort()).toEqual([...wholeKeys].sort());
    // Every shard got some of the work: the hash spreads these units.
    for (const r of shards) expect(r.summary.filesScanned).toBeGreaterThan(0);
    // Errors (e.g. the broken fixtures) are reported once, by the shard that owns the file.
    expect(shards.flatMap((r) => r.errors).map((e) => `${e.file}:${e.line}:${e.message}`).sort()).toEqual(
      whole.errors.map((e) => `${e.file}:${e.line}:${e.message}`).sort(),
    );
    // Each file discovery found is accounted for by exactly one shard here (no local module shared by roots of two shards).
    const found = shards.reduce((s, r) => s + (r.summary.coverage?.found ?? 0), 0);
    expect(found).toBe(whole.summary.coverage?.found);
  });

  it('never splits a unit: all findings of one root module or template land in the same shard', async () => {
    const shards = await Promise.all([1, 2].map((index) => run({ index, count: 2 })));
    const unitOf = (file: string) => (/\.(ya?ml|json|template)$/.test(file) && !file.includes('/terraform') ? file : path.posix.dirname(file));
    const owner = new Map<string, number>();
    shards.forEach((r, i) => {
      for (const f of r.findings) {
        if (f.file.includes('/modules/')) continue; // a local module's findings go with its caller
        const unit = unitOf(f.file);
        expect(owner.get(unit) ?? i, unit).toBe(i);
        owner.set(unit, i);
      }
    });
    expect(owner.size).toBeGreaterThan(3);
  });

  it('assigns a unit by its path alone, the same on every run and machine', async () => {
    // Pinned values: a change here would move every team's alerts between SARIF categories.
    expect(shardOf('fixtures/demo/terraform', 4)).toBe(shardOf('fixtures/demo/terraform', 4));
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => shardOf('infra/prod/network', n))).toEqual([1, 2, 3, 2, 4, 6, 1, 2]);
    const a = await run({ index: 2, count: 3 });
    const b = await run({ index: 2, count: 3 });
    expect(b.findings.map(key)).toEqual(a.findings.map(key));
    expect(b.files).toEqual(a.files);
    // Within 1..n, and the single shard holds everything.
    for (const p of ['a', 'b/c', 'fixtures/demo/cloudformation/demo.yaml']) {
      for (let n = 1; n <= 9; n++) expect(shardOf(p, n)).toBeGreaterThanOrEqual(1), expect(shardOf(p, n)).toBeLessThanOrEqual(n);
      expect(inShard(p, { index: 1, count: 1 })).toBe(true);
      expect(inShard(p, undefined)).toBe(true);
    }
  });

  it('parses i/n and refuses anything else', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/2', '3/2', '1/0', '1', 'a/b', '-1/2', '1/2/3']) expect(parseShard(bad)).toHaveProperty('error');
    expect(shardCategory({ index: 2, count: 5 })).toBe('sgscan/shard-2-of-5');
  });
});

describe('sgscan scan --shard on the command line', () => {
  async function cli(args: string[]) {
    let stdout = '';
    let stderr = '';
    const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, env: {}, cwd: REPO };
    const code = await main(args, io);
    return { code, stdout, stderr };
  }

  it('gives each shard its own SARIF category unless one is given', async () => {
    const r = await cli(['scan', 'fixtures/demo', '--shard', '1/2', '--format', 'sarif', '--fail-on', 'none']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).runs[0].automationDetails.id).toBe('sgscan/shard-1-of-2/');
    const named = await cli(['scan', 'fixtures/demo', '--shard', '2/2', '--category', 'infra/sg', '--format', 'sarif', '--fail-on', 'none']);
    expect(JSON.parse(named.stdout).runs[0].automationDetails.id).toBe('infra/sg/');
    const plain = await cli(['scan', 'fixtures/demo', '--format', 'sarif', '--fail-on', 'none']);
    expect(JSON.parse(plain.stdout).runs[0].automationDetails.id).toBe('sgscan/');
  });

  it('passes when its shard owns none of the units (a matrix wider than the repository)', async () => {
    // fixtures/demo has two units; with 50 shards most are empty.
    const empty = [...Array(50).keys()].map((i) => i + 1).find((i) => !inShard('fixtures/demo/terraform', { index: i, count: 50 }) && !inShard('fixtures/demo/cloudformation/demo.yaml', { index: i, count: 50 }))!;
    const r = await cli(['scan', 'fixtures/demo', '--shard', `${empty}/50`, '--format', 'sarif']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('holds no root module or template');
    expect(JSON.parse(r.stdout).runs[0].results).toEqual([]);
  });

  it('rejects a malformed shard as a usage error', async () => {
    const r = await cli(['scan', 'fixtures/demo', '--shard', '3/2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--shard 3/2');
  });
});
