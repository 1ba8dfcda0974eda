import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as Sarif from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { mergeSarifLogs } from '../../src/report/merge-sarif.js';
import { validateSarifSchema } from '../helpers/sarif-validate.js';

// `sgscan merge` over the shard reports of fixtures/shard (root modules sharing local modules across
// shards, and templates). Microsoft's validator runs on the merged logs in
// test/e2e/sarif-validate-all.test.ts, in its one batch (one .NET start-up for every log).

const REPO = path.resolve(__dirname, '../..');
const FIXTURE = 'fixtures/shard';
const tmp = mkdtempSync(path.join(tmpdir(), 'sgscan-merge-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, env: {}, cwd: REPO };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const at = (name: string) => path.join(tmp, name);
const read = (name: string) => readFileSync(at(name), 'utf8');

beforeAll(async () => {
  const both = (stem: string) => ['-f', 'json', '-o', at(`${stem}.json`), '-f', 'sarif', '-o', at(`${stem}.sarif`), '--fail-on', 'none'];
  await cli(['scan', FIXTURE, ...both('full')]);
  for (const n of [2, 3]) for (let i = 1; i <= n; i++) await cli(['scan', FIXTURE, '--shard', `${i}/${n}`, ...both(`shard-${i}-of-${n}`)]);
});

const shards = (n: number, ext: string) => [...Array(n).keys()].map((i) => at(`shard-${i + 1}-of-${n}.${ext}`));

describe('sgscan merge', () => {
  for (const n of [2, 3]) {
    it(`joins ${n} shard SARIF logs into the log of one unsharded scan, valid SARIF 2.1.0`, async () => {
      const r = await cli(['merge', ...shards(n, 'sarif'), '-o', at(`merged-${n}.sarif`)]);
      expect([r.code, r.stderr, r.stdout]).toEqual([0, '', '']);
      // Byte for byte: results in report order, rules with their worst severity, category sgscan/ (the
      // shards wrote sgscan/shard-i-of-n/), notifications, coverage.
      expect(read(`merged-${n}.sarif`)).toBe(read('full.sarif'));
      const log = JSON.parse(read(`merged-${n}.sarif`)) as Sarif.Log;
      expect(validateSarifSchema(log)).toEqual([]);
      const run = log.runs[0];
      expect(run.automationDetails?.id).toBe('sgscan/');
      const fingerprints = (run.results ?? []).map((x) => x.partialFingerprints!['sgscan/v1']);
      expect(new Set(fingerprints).size).toBe(fingerprints.length);
      for (const x of run.results ?? []) expect(run.tool.driver.rules![x.ruleIndex!].id).toBe(x.ruleId);
    });

    it(`joins ${n} shard JSON reports into the report of one unsharded scan`, async () => {
      const r = await cli(['merge', ...shards(n, 'json')]);
      expect(r.code).toBe(0);
      // Every field, the summary's counts and coverage included: none differs.
      expect(r.stdout).toBe(read('full.json'));
    });
  }

  it('reports each finding once when a report is given twice, in the same order', async () => {
    const once = await cli(['merge', ...shards(3, 'json')]);
    const twice = await cli(['merge', ...shards(3, 'json'), shards(3, 'json')[0]]);
    expect(JSON.parse(twice.stdout).findings).toEqual(JSON.parse(once.stdout).findings);
    const sarif = await cli(['merge', ...shards(2, 'sarif'), shards(2, 'sarif')[1]]);
    // The same shard twice: still one analysis, every result once.
    expect(JSON.parse(sarif.stdout).runs[0].results).toEqual(JSON.parse(read('full.sarif')).runs[0].results);
  });

  it('joins diff-mode reports: statuses kept, fixed findings joined, the counts counted again', async () => {
    // One baseline per shard (docs/sharding.md): the shard's own report less its first finding (now
    // new) plus one finding gone since (fixed).
    const gone = (i: number) => ({ ...JSON.parse(read('full.json')).findings[0], fingerprint: `${i}`.repeat(32), message: `gone ${i}` });
    const args: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const own = JSON.parse(read(`shard-${i}-of-3.json`));
      writeFileSync(at(`base-${i}.json`), JSON.stringify({ ...own, findings: [...own.findings.slice(1), gone(i)] }));
      await cli(['scan', FIXTURE, '--shard', `${i}/3`, '--baseline', at(`base-${i}.json`), '-f', 'json', '-o', at(`diff-${i}.json`), '--fail-on', 'none']);
      args.push(at(`diff-${i}.json`));
    }
    const r = await cli(['merge', ...args]);
    expect(r.code).toBe(0);
    const merged = JSON.parse(r.stdout);
    const firsts = [1, 2, 3].map((i) => JSON.parse(read(`shard-${i}-of-3.json`)).findings[0].fingerprint).sort();
    expect(merged.findings.filter((f: { status: string }) => f.status === 'new').map((f: { fingerprint: string }) => f.fingerprint).sort()).toEqual(firsts);
    expect(merged.fixed.map((f: { message: string }) => f.message)).toEqual(['gone 1', 'gone 2', 'gone 3']);
    const total = JSON.parse(read('full.json')).summary.findings;
    expect(merged.summary.diff).toMatchObject({ base: `baselines ${args.map((_, i) => at(`base-${i + 1}.json`)).join(', ')}`, new: 3, unchanged: total - 3, fixed: 3 });
    // Findings and summary otherwise those of the plain merge.
    const plain = JSON.parse((await cli(['merge', ...shards(3, 'json')])).stdout);
    expect(merged.findings.map(({ status: _s, ...f }: { status: string }) => f)).toEqual(plain.findings);
    // A diff-mode report and a plain one do not mix.
    const mixed = await cli(['merge', args[0], shards(3, 'json')[1]]);
    expect([mixed.code, mixed.stderr]).toEqual([2, `sgscan: merge: ${args[0]} is a diff-mode report (--diff-base or --baseline) and ${shards(3, 'json')[1]} is not; merge reports made the same way\n`]);
  });

  it('names the category of the merged run, and warns of a missing shard', async () => {
    const named = await cli(['merge', ...shards(2, 'sarif'), '--category', 'infra/sg']);
    expect(JSON.parse(named.stdout).runs[0].automationDetails.id).toBe('infra/sg/');
    const partial = await cli(['merge', shards(3, 'sarif')[0], shards(3, 'sarif')[2]]);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toBe('sgscan: merge: shard 2 of 3 missing: its findings are not in the merged report\n');
    // Runs of different categories not from one matrix: the user names the merged one.
    const log = JSON.parse(read('full.sarif'));
    log.runs[0].automationDetails.id = 'team-a/';
    writeFileSync(at('team-a.sarif'), JSON.stringify(log));
    const mixed = await cli(['merge', at('team-a.sarif'), at('full.sarif')]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('different categories (team-a/, sgscan/); give the merged run one with --category');
  });

  it('refuses bad input with a message naming the file, never a stack trace', async () => {
    const file = (name: string, text: string) => (writeFileSync(at(name), text), at(name));
    const json = JSON.parse(read('full.json'));
    const cases: Array<[string[], string]> = [
      [[file('broken.json', '{"tool": ')], `${at('broken.json')} is not JSON (`],
      [[file('other.json', '{"name": "x"}')], `${at('other.json')} is neither an sgscan JSON report (--format json) nor a SARIF log (--format sarif)`],
      [[file('shape.json', JSON.stringify({ ...json, findings: [{ ...json.findings[0], fingerprint: undefined }] }))], `${at('shape.json')} is not an sgscan JSON report: /findings/0 must have required property 'fingerprint'`],
      [[shards(2, 'json')[0], shards(2, 'sarif')[1]], `${shards(2, 'json')[0]} is a JSON report and ${shards(2, 'sarif')[1]} a SARIF log: merge one format at a time`],
      [[shards(2, 'json')[0], file('old.json', JSON.stringify({ ...json, tool: { name: 'sgscan', version: '0.0.1' } }))], `${shards(2, 'json')[0]} was written by sgscan `],
      [[file('tool.sarif', JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'checkov' } }, results: [] }] }))], `${at('tool.sarif')}: runs[0] was written by checkov, not sgscan`],
      [[file('nofp.sarif', read('full.sarif').replace(/"sgscan\/v1": "[0-9a-f]+"/, '"other": "1"'))], `${at('nofp.sarif')} is not a SARIF log sgscan can merge: runs[0].results[`],
      [[at('absent.json')], `${at('absent.json')}: no such file`],
      [[...shards(2, 'sarif'), '-f', 'json'], 'the inputs are SARIF logs, and merge writes the format of its inputs'],
      [[...shards(2, 'sarif'), '-o', at('no/such/folder/x.sarif')], `cannot write ${at('no/such/folder/x.sarif')}: its folder does not exist`],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['merge', ...args]);
      expect(r.code, message).toBe(2);
      expect(r.stderr, message).toContain(`sgscan: merge: ${message}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
    const versions = await cli(['merge', shards(2, 'json')[0], at('old.json')]);
    expect(versions.stderr).toMatch(/and .*old\.json by sgscan 0\.0\.1; merge the reports of one sgscan version/);
  });
});

describe('mergeSarifLogs', () => {
  const rule = (id: string) => ({ id, properties: { 'security-severity': '2.0' } });
  const result = (ruleId: string, ruleIndex: number, artifact: number, fp: string, severity: string, uri = `f${fp}.tf`): Sarif.Result => ({
    ruleId,
    ruleIndex,
    message: { text: `${ruleId} ${fp}` },
    locations: [{ physicalLocation: { artifactLocation: { uri, index: artifact }, region: { startLine: fp === 'c' ? 2 : 1, endLine: 1 } } }],
    partialFingerprints: { 'sgscan/v1': fp },
    properties: { 'security-severity': severity },
  });
  const run = (rules: string[], artifacts: string[], results: Sarif.Result[], i: number): Sarif.Run => ({
    tool: { driver: { name: 'sgscan', version: '1.0.0', rules: rules.map(rule) } },
    automationDetails: { id: `sgscan/shard-${i}-of-2/` },
    artifacts: artifacts.map((uri) => ({ location: { uri } })),
    invocations: [{ executionSuccessful: true, toolExecutionNotifications: [] }],
    results,
  });

  it('unions the rules and artifacts tables and rewrites every index into them', () => {
    const a = run(['SGS009'], ['fb.tf'], [result('SGS009', 0, 0, 'b', '2.0')], 1);
    const b = run(['SGS001', 'SGS009'], ['fa.tf', 'fb.tf'], [result('SGS001', 0, 0, 'a', '9.5'), result('SGS009', 1, 1, 'c', '0.5', 'fb.tf')], 2);
    const merged = JSON.parse(mergeSarifLogs([{ file: 'a', report: { version: '2.1.0', runs: [a] } }, { file: 'b', report: { version: '2.1.0', runs: [b] } }]).text) as Sarif.Log;
    const out = merged.runs[0];
    expect(out.tool.driver.rules!.map((r) => r.id)).toEqual(['SGS001', 'SGS009']);
    expect(out.artifacts!.map((x) => x.location!.uri)).toEqual(['fb.tf', 'fa.tf']);
    for (const r of out.results!) {
      expect(out.tool.driver.rules![r.ruleIndex!].id).toBe(r.ruleId);
      const loc = r.locations![0].physicalLocation!.artifactLocation!;
      expect(out.artifacts![loc.index!].location!.uri).toBe(loc.uri);
    }
    // Report order (file, then line, ...), and each rule's security-severity that of its worst result.
    expect(out.results!.map((r) => r.partialFingerprints!['sgscan/v1'])).toEqual(['a', 'b', 'c']);
    expect(out.tool.driver.rules!.map((r) => r.properties!['security-severity'])).toEqual(['9.5', '2.0']);
    expect(out.automationDetails!.id).toBe('sgscan/');
  });

  it('keeps GitHub\'s limit of results per run, the most severe, and says how many were cut', () => {
    const a = run(['SGS001'], [], [result('SGS001', 0, -1, 'a', '2.0'), result('SGS001', 0, -1, 'b', '9.5')], 1);
    const b = run(['SGS001'], [], [result('SGS001', 0, -1, 'c', '5.5')], 2);
    const out = (JSON.parse(mergeSarifLogs([{ file: 'a', report: { version: '2.1.0', runs: [a] } }, { file: 'b', report: { version: '2.1.0', runs: [b] } }], { maxResults: 2 }).text) as Sarif.Log).runs[0];
    expect(out.results!.map((r) => r.partialFingerprints!['sgscan/v1'])).toEqual(['b', 'c']);
    expect(out.invocations![0].toolExecutionNotifications!.map((n) => n.message.text)).toEqual(['1 result omitted: only the 2 most severe of 3 are reported.']);
  });
});
