import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import type { ScanResult } from '../../src/model/scan-result.js';
import { scanResult, workerCount } from '../../src/pipeline/parallel.js';
import { scan, type ScanOptions } from '../../src/pipeline/scan.js';
import { planUnits, type UnitPlan, type UnitTask } from '../../src/pipeline/units.js';
import { renderReport } from '../../src/report/formats.js';
import { lineReader } from '../../src/input/lines.js';
import { loadConfig } from '../../src/config/load.js';

// Worker threads read and judge units apart; the main thread merges what they send. The reports must
// be the single thread's byte for byte, and a worker that fails must cost nothing but a warning.

const REPO = path.resolve(import.meta.dirname, '../..');
// Root modules (one calling local modules, one that does not parse), templates (nested stacks, a
// broken one, CDK output), a plan beside its .tf files (a notice), inline suppressions (one unused: a notice).
const PATHS = [
  'fixtures/demo',
  'fixtures/cloudformation/nested',
  'fixtures/cloudformation/broken.yaml',
  'fixtures/cloudformation/cdk.json',
  'fixtures/terraform/modules',
  'fixtures/terraform/broken',
  'fixtures/suppress',
  'fixtures/terraform-plan/local-module',
];

const tmp = mkdtempSync(path.join(tmpdir(), 'sgscan-threads-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let worker: URL;

beforeAll(() => {
  // The worker runs built code: the Action's bundle of the sources under test.
  const b = spawnSync(process.execPath, [path.join(REPO, 'scripts/build-action.mjs'), '--outdir', tmp], { cwd: REPO, encoding: 'utf8' });
  expect(b.status, b.stderr).toBe(0);
  worker = pathToFileURL(path.join(tmp, 'scan-worker.js'));
});

function options(extra: Partial<ScanOptions> = {}): ScanOptions {
  return { paths: PATHS, cwd: REPO, checks: ALL_CHECKS, version: 't', today: '2026-12-03', ...extra };
}

function reports(result: ScanResult): { json: string; sarif: string; text: string } {
  const o = { color: false, readLines: lineReader(REPO) };
  return { json: renderReport(result, 'json', o), sarif: renderReport(result, 'sarif', o), text: renderReport(result, 'text', o) };
}

describe('worker threads', { timeout: 600_000 }, () => {
  it('one thread judges units apart as the workers do, with the whole-model scan\'s bytes (and starts no worker)', async () => {
    const whole = reports((await scan(options())).result);
    const warnings: string[] = [];
    // A worker URL that cannot load: were a worker started, its failure would be a warning.
    const apart = reports(await scanResult(options({ jobs: 1, workerUrl: pathToFileURL(path.join(tmp, 'missing.js')), onWarning: (m) => warnings.push(m) })));
    expect(warnings).toEqual([]);
    expect(apart.json).toBe(whole.json);
    expect(apart.sarif).toBe(whole.sarif);
    expect(apart.text).toBe(whole.text);
  });

  it('an intent selects nothing only when no unit has what it names: judged apart, on one thread or two, as in one model', async () => {
    // One intent selects in a Terraform root only, one in a CloudFormation template only, one nowhere (a typo).
    const file = path.join(tmp, 'intents.yml');
    const text = [
      'intents:',
      '  - name: databases are private',
      '    deny: { from: internet, to: "tag:Tier=db" }',
      '  - name: the instance is private',
      '    deny: { from: internet, to: Instance }',
      '  - name: typo',
      '    deny: { from: internet, to: aws_db_instance.mian }',
      '',
    ].join('\n');
    const { config, errors } = loadConfig(file, { checks: ALL_CHECKS, text });
    expect(errors).toEqual([]);
    const paths = ['fixtures/intents/private-db', 'fixtures/cloudformation/split-ref', 'fixtures/demo'];
    const nothing = (r: ScanResult) => r.findings.filter((f) => f.ruleId === 'SGS042' && / selects nothing /.test(f.message)).map((f) => [f.resource, f.line]);
    const whole = (await scan(options({ paths, config }))).result;
    expect(nothing(whole)).toEqual([['intent:typo', 6]]);
    const one = await scanResult(options({ paths, config, jobs: 1 }));
    const two = await scanResult(options({ paths, config, jobs: 2, workerUrl: worker }));
    expect(nothing(one)).toEqual([['intent:typo', 6]]);
    expect(nothing(two)).toEqual([['intent:typo', 6]]);
    expect(reports(one).json).toBe(reports(whole).json);
    expect(reports(two).json).toBe(reports(whole).json);
  });

  it('a shard says an intent selects nothing only as possible: the other shards\' units were not looked at', async () => {
    const file = path.join(tmp, 'intents-shard.yml');
    const text = 'intents:\n  - name: typo\n    deny: { from: internet, to: aws_db_instance.mian }\n';
    const { config } = loadConfig(file, { checks: ALL_CHECKS, text });
    const paths = ['fixtures/intents/private-db', 'fixtures/cloudformation/split-ref', 'fixtures/demo'];
    const nothing = (r: ScanResult) => r.findings.filter((f) => f.ruleId === 'SGS042').map((f) => [f.line, f.certainty, f.assumptions]);
    const unsharded = (await scan(options({ paths, config }))).result;
    expect(nothing(unsharded)).toEqual([[2, 'definite', []]]);
    const said = [];
    for (const index of [1, 2]) {
      for (const jobs of [1, 2] as const) {
        const r = await scanResult(options({ paths, config, jobs, workerUrl: worker, shard: { index, count: 2 } }));
        for (const f of nothing(r)) said.push([index, jobs, ...f]);
      }
    }
    const unless = (i: number) => [`nothing in the other shards' units matches it either (this scan is shard ${i}/2)`];
    expect(said.length).toBeGreaterThan(0);
    for (const [index, , line, certainty, assumptions] of said) expect([line, certainty, assumptions]).toEqual([2, 'possible', unless(index as number)]);
  });

  it('give the single thread reports byte for byte (JSON, SARIF, text)', async () => {
    const one = (await scan(options())).result;
    // The fixture has what the merge must get right: both formats, errors, notices, suppressed findings.
    expect(one.errors.length).toBeGreaterThan(0);
    expect(one.notices.some((n) => /plan JSON beside the \.tf files/.test(n.message))).toBe(true);
    expect(one.notices.some((n) => /matched no finding/.test(n.message))).toBe(true);
    expect(one.findings.some((f) => f.suppression)).toBe(true);
    expect(one.findings.some((f) => f.ruleId === 'SGS000')).toBe(true); // file not analysed: judged on the main thread
    expect(new Set(one.findings.map((f) => (f.file.endsWith('.tf') ? 'tf' : 'cfn'))).size).toBe(2);
    const warnings: string[] = [];
    const two = await scanResult(options({ jobs: 2, workerUrl: worker, onWarning: (m) => warnings.push(m) }));
    expect(warnings).toEqual([]);
    const [a, b] = [reports(one), reports(two)];
    expect(b.json).toBe(a.json);
    expect(b.sarif).toBe(a.sarif);
    expect(b.text).toBe(a.text);
  });

  it('--jobs 1 and auto on a small scan stay on this thread (no worker start-up)', async () => {
    const plan = await planUnits(options());
    expect(plan.tasks.length).toBeGreaterThan(10);
    expect(workerCount(plan, 1, true)).toBe(0);
    expect(workerCount(plan, 'auto', true)).toBe(0); // a few KiB: not worth a thread
    expect(workerCount(plan, 2, true)).toBe(2);
    expect(workerCount(plan, 2, false)).toBe(0); // no worker entry (unbuilt sources)
    const demo = await planUnits({ paths: ['fixtures/demo/terraform'], cwd: REPO });
    expect(workerCount(demo, 4, true)).toBe(0); // one unit
  });

  it('auto stays on this thread for many small units, however many bytes they add up to', () => {
    const unit = (index: number, bytes: number) => ({ kind: 'terraform', index, bytes, owned: true }) as unknown as UnitTask;
    const plan = (n: number, bytes: number) => ({ tasks: Array.from({ length: n }, (_, i) => unit(i, bytes)) }) as unknown as UnitPlan;
    // 600 units of 17 KiB (10 MB, the corpus's shape): one thread.
    expect(workerCount(plan(600, 17 * 1024), 'auto', true)).toBe(0);
    // 100 units of 290 KiB (a 10,000-group estate): as many as idle cores, at most the units, and at
    // least one worker even on a busy machine (its larger young generation pays off at this size).
    expect(workerCount(plan(100, 290 * 1024), 'auto', true)).toBeGreaterThanOrEqual(1);
    expect(workerCount(plan(2, 290 * 1024), 'auto', true)).toBeLessThanOrEqual(2);
    expect(workerCount(plan(600, 17 * 1024), 2, true)).toBe(2); // asked for: given
  });

  it('a shard scanned on threads is the same shard', async () => {
    const shard = { index: 2, count: 3 };
    const one = reports((await scan(options({ shard }))).result);
    const two = reports(await scanResult(options({ shard, jobs: 2, workerUrl: worker })));
    expect(two.json).toBe(one.json);
    expect(two.sarif).toBe(one.sarif);
  });

  it('a shard that evaluates helper units (another shard\'s callers of a module or nested template it owns) on threads is the same shard', async () => {
    // fixtures/shard: modules/net is owned by shard 1 of 3 and called from shards 2 and 3;
    // stacks/nested/sg.yaml is owned by shard 2 of 3 and nested from shards 1 and 3.
    const shardOptions = (shard: { index: number; count: number }) => options({ paths: ['fixtures/shard'], shard });
    const plan = await planUnits(shardOptions({ index: 1, count: 3 }));
    expect(plan.tasks.filter((t) => t.kind === 'terraform' && !t.owned).map((t) => t.kind === 'terraform' && t.scope).sort()).toEqual(['fixtures/shard/envs/c', 'fixtures/shard/envs/d']);
    for (const count of [2, 3]) {
      for (let index = 1; index <= count; index++) {
        const one = (await scan(shardOptions({ index, count }))).result;
        const two = await scanResult({ ...shardOptions({ index, count }), jobs: 2, workerUrl: worker });
        const [a, b] = [reports(one), reports(two)];
        expect(b.json, `shard ${index}/${count}`).toBe(a.json);
        expect(b.sarif, `shard ${index}/${count}`).toBe(a.sarif);
        if (count === 3 && index === 1) expect(two.findings.some((f) => f.file === 'fixtures/shard/modules/net/main.tf')).toBe(true);
        if (count === 3 && index === 2) expect(two.findings.filter((f) => f.file === 'fixtures/shard/stacks/nested/sg.yaml').length).toBe(4);
      }
    }
  });

  it('a worker that dies takes its unit back to the main thread: same reports, one clear warning each, no stack trace', async () => {
    // Dies on the third unit it is given, after handing back the others.
    const dying = path.join(tmp, 'dying-worker.mjs');
    writeFileSync(
      dying,
      // (its listener after the real one's: a message that came before the real one listened would be lost to it)
      `import { parentPort } from 'node:worker_threads';\nawait import(${JSON.stringify(worker.href)});\nlet n = 0;\nparentPort.on('message', () => { if (++n === 3) process.exit(7); });\n`,
    );
    const warnings: string[] = [];
    const one = reports((await scan(options())).result);
    const two = reports(await scanResult(options({ jobs: 2, workerUrl: pathToFileURL(dying), onWarning: (m) => warnings.push(m) })));
    expect(two.json).toBe(one.json);
    expect(two.sarif).toBe(one.sarif);
    expect(warnings).toHaveLength(2);
    for (const w of warnings) expect(w).toMatch(/^a worker thread stopped \(exit code 7\) while scanning \S+, which is scanned on the main thread instead$/);
  });

  it('a worker entry that cannot load: every unit on the main thread, same reports', async () => {
    const warnings: string[] = [];
    const one = reports((await scan(options())).result);
    const two = reports(await scanResult(options({ jobs: 2, workerUrl: pathToFileURL(path.join(tmp, 'missing.js')), onWarning: (m) => warnings.push(m) })));
    expect(two.json).toBe(one.json);
    expect(warnings).toHaveLength(2);
    for (const w of warnings) expect(w).toMatch(/^cannot start a worker thread \(Cannot find module .*missing\.js'?\); the scan goes on without it$/);
  });
});
