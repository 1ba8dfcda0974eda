import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as Sarif from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSarif } from '../../src/report/sarif.js';
import { scan } from '../../src/pipeline/scan.js';
import { sharedPath } from '../helpers/shared.js';
import { MULTITOOL_ALLOWLIST, validateSarifSchema } from '../helpers/sarif-validate.js';
import { validateSarifDirectory, type BatchProblem } from '../helpers/multitool-batch.js';
import { ALL_CHECKS } from '../../rules/index.js';
import { mergeSarifLogs } from '../../src/report/merge-sarif.js';
import { shardCategory } from '../../src/pipeline/shard.js';

// Every SARIF log the project can produce from its own inputs — the demo, each fixture folder, and the
// whole shared corpus in one scan — against the OASIS schema and Microsoft's validator (SARIF, GitHub
// and Azure DevOps rules). The multitool runs once over a folder of all the logs: one .NET start-up.

const repoRoot = path.resolve(__dirname, '../..');

/**
 * Multitool warnings and errors we accept, each with why (MULTITOOL_ALLOWLIST in test/helpers holds
 * the two Azure DevOps pipeline-identity rules, GHAzDO1019/GHAzDO1020, for the same reason: only an
 * Azure pipeline knows its build definition, and our automationDetails.id is GitHub's category).
 * Nothing else is allowlisted: with code flows, related locations and properties as written by
 * src/report/sarif.ts, the logs below raise no other error or warning (notes are not checked).
 */
const ALLOWED: Record<string, string> = { ...MULTITOOL_ALLOWLIST };

interface Case {
  name: string;
  cwd: string;
  paths: string[];
}

function fixtureCases(): Case[] {
  const dir = path.join(repoRoot, 'fixtures');
  return readdirSync(dir)
    .filter((d) => statSync(path.join(dir, d)).isDirectory())
    .sort()
    .map((d) => ({ name: `fixtures-${d}`, cwd: repoRoot, paths: [`fixtures/${d}`] }));
}

const CASES: Case[] = [
  ...fixtureCases(),
  // As a user runs it: from the root of the repository scanned, so URIs are relative to it.
  { name: 'corpus', cwd: sharedPath('corpus'), paths: ['.'] },
];

/** `sgscan merge` of the shards of fixtures/shard (shared local modules): its log goes through the same batch. */
const MERGED = [2, 3].map((n) => ({ name: `merged-shards-${n}`, n }));

const tmp = mkdtempSync(path.join(tmpdir(), 'sgscan-sarif-all-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const logs = new Map<string, Sarif.Log>();
let multitool: { scanned: number; problems: BatchProblem[] };

beforeAll(async () => {
  for (const c of CASES) {
    const { result } = await scan({ checks: ALL_CHECKS, paths: c.paths, cwd: c.cwd, version: '0.1.0' });
    const text = renderSarif(result);
    writeFileSync(path.join(tmp, `${c.name}.sarif`), text);
    logs.set(c.name, JSON.parse(text) as Sarif.Log);
  }
  for (const { name, n } of MERGED) {
    const shards = [];
    for (let index = 1; index <= n; index++) {
      const { result } = await scan({ checks: ALL_CHECKS, paths: ['fixtures/shard'], cwd: repoRoot, version: '0.1.0', shard: { index, count: n } });
      shards.push({ file: `shard-${index}`, report: JSON.parse(renderSarif(result, { category: shardCategory({ index, count: n }) })) as Sarif.Log });
    }
    const text = mergeSarifLogs(shards).text;
    writeFileSync(path.join(tmp, `${name}.sarif`), text);
    logs.set(name, JSON.parse(text) as Sarif.Log);
  }
  multitool = validateSarifDirectory(tmp);
}, 180_000);

describe('every SARIF log the fixtures and the corpus produce', () => {
  it('covers the demo, the fixture folders and the corpus, with results and code flows', () => {
    expect([...logs.keys()]).toEqual(expect.arrayContaining(['fixtures-demo', 'fixtures-reach', 'fixtures-terraform', 'fixtures-cloudformation', 'fixtures-twins', 'fixtures-terraform-plan', 'corpus']));
    const results = [...logs.values()].flatMap((l) => l.runs[0].results ?? []);
    expect(results.length).toBeGreaterThan(1000);
    expect(results.filter((r) => r.codeFlows).length).toBeGreaterThan(100);
  });

  it.each(CASES.map((c) => c.name))('%s is valid against the OASIS SARIF 2.1.0 schema', (name) => {
    expect(validateSarifSchema(logs.get(name))).toEqual([]);
  });

  it.each(MERGED.map((m) => m.name))('%s (sgscan merge of shard logs) is valid against the OASIS SARIF 2.1.0 schema and has results', (name) => {
    expect(validateSarifSchema(logs.get(name))).toEqual([]);
    expect(logs.get(name)!.runs[0].results!.length).toBeGreaterThan(10);
  });

  it("passes Microsoft's validator under Sarif, Gh and Ado with no error or unexplained warning", () => {
    // The batch run read every file: a glob that matched nothing would otherwise pass vacuously.
    expect(multitool.scanned).toBe(CASES.length + MERGED.length);
    const unexplained = multitool.problems.filter((p) => !(p.ruleId in ALLOWED));
    expect(unexplained).toEqual([]);
  });

  it('every code flow step points at an existing file and line', () => {
    let steps = 0;
    for (const c of CASES) {
      const lineCount = new Map<string, number>();
      for (const r of logs.get(c.name)!.runs[0].results ?? []) {
        for (const flow of r.codeFlows ?? []) {
          for (const tf of flow.threadFlows) {
            expect(tf.locations.length).toBeGreaterThan(0);
            for (const l of tf.locations) {
              const pl = l.location!.physicalLocation!;
              const file = decodeURIComponent(pl.artifactLocation!.uri!);
              expect(path.isAbsolute(file), file).toBe(false);
              if (!lineCount.has(file)) lineCount.set(file, readFileSync(path.join(c.cwd, file), 'utf8').split(/\r\n|\r|\n/).length);
              const { startLine, endLine } = pl.region!;
              expect(startLine, `${c.name}: ${file}`).toBeGreaterThanOrEqual(1);
              expect(endLine ?? startLine, `${c.name}: ${file}:${startLine}`).toBeLessThanOrEqual(lineCount.get(file)!);
              expect(l.location!.message!.text!.length).toBeGreaterThan(0);
              steps++;
            }
          }
        }
      }
    }
    expect(steps).toBeGreaterThan(500);
  });
});
