import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/model/check.js';
import { loadConfig } from '../../../src/config/index.js';
import { renderJson } from '../../../src/report/json.js';
import { buildSarif } from '../../../src/report/sarif.js';
import type { ScanResult } from '../../../src/model/scan-result.js';
import { validateSarifSchema } from '../../helpers/sarif-validate.js';
import { CHECKS, scanAndSuppress } from './helpers.js';
import { ALL_CHECKS } from '../../../rules/index.js';

const schema = JSON.parse(readFileSync('schemas/sgscan-report.schema.json', 'utf8'));
const validate = new Ajv.default({ allErrors: true }).compile(schema);

/** The central fixture: one inline-suppressed, two config-suppressed (one with expiry), three open. */
async function result(): Promise<ScanResult> {
  const { config } = loadConfig('fixtures/suppress/central/.sgscan.yml', { checks: ALL_CHECKS });
  const { result: r, findings } = await scanAndSuppress(['fixtures/suppress/central'], config);
  return { ...r, findings, checks: CHECKS };
}

describe('suppressed findings in reports', () => {
  it('JSON carries "suppressed" with kind, reason and expiry, only on suppressed findings, and stays schema-valid', async () => {
    const report = JSON.parse(renderJson(await result()));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const byKey = Object.fromEntries(
      report.findings.map((f: { ruleId: string; line: number; file: string; suppressed?: unknown }) => [
        `${f.ruleId} ${f.file.split('/').slice(-2).join('/')}:${f.line}`,
        f.suppressed,
      ]),
    );
    expect(byKey).toEqual({
      'SGS001 app/main.tf:4': { kind: 'inline', reason: "SSH goes through the load balancer's proxy protocol listener" },
      'SGS005 app/main.tf:4': { kind: 'config', reason: 'Web tier, reviewed' },
      'SGS001 legacy/main.tf:3': { kind: 'config', reason: 'Public bastion, accepted until the VPN is ready', expires: '2030-01-31' },
      'SGS005 legacy/main.tf:3': undefined,
      'SGS001 legacy/main.tf:14': undefined,
      'SGS005 legacy/main.tf:14': undefined,
    });
    expect(Object.keys(report.findings[0]).at(-1)).toBe('suppressed');
    const open = report.findings.find((f: { suppressed?: unknown }) => !f.suppressed);
    expect('suppressed' in open).toBe(false);
  });

  it('the report schema rejects a malformed suppression', async () => {
    const report = JSON.parse(renderJson(await result()));
    report.findings[0].suppressed = { kind: 'waived', reason: 'x' };
    expect(validate(report)).toBe(false);
  });

  it('SARIF leaves suppressed findings out by default', async () => {
    const sarif = buildSarif(await result());
    const results = sarif.runs[0].results!;
    expect(results.map((r) => `${r.ruleId} ${r.locations![0].physicalLocation!.region!.startLine}`)).toEqual([
      'SGS005 3',
      'SGS001 14',
      'SGS005 14',
    ]);
    expect(results.every((r) => r.suppressions === undefined)).toBe(true);
    expect(validateSarifSchema(sarif)).toEqual([]);
  });

  it('SARIF with includeSuppressed reports them with inSource/external suppressions and the reason', async () => {
    const sarif = buildSarif(await result(), { includeSuppressed: true });
    const results = sarif.runs[0].results!;
    expect(results).toHaveLength(6);
    const suppressions = results
      .filter((r) => r.suppressions)
      .map((r) => [r.ruleId, r.locations![0].physicalLocation!.artifactLocation!.uri, r.suppressions]);
    expect(suppressions).toEqual([
      ['SGS001', 'fixtures/suppress/central/app/main.tf', [{ kind: 'inSource', justification: "SSH goes through the load balancer's proxy protocol listener" }]],
      ['SGS005', 'fixtures/suppress/central/app/main.tf', [{ kind: 'external', justification: 'Web tier, reviewed' }]],
      ['SGS001', 'fixtures/suppress/central/legacy/main.tf', [{ kind: 'external', justification: 'Public bastion, accepted until the VPN is ready' }]],
    ]);
    expect(validateSarifSchema(sarif)).toEqual([]);
  });

  it('the SARIF result cap counts only the findings reported', async () => {
    const r = await result();
    const sarif = buildSarif(r, { maxResults: 2 });
    const notes = sarif.runs[0].invocations![0].toolExecutionNotifications!;
    expect(notes.at(-1)!.message.text).toBe('1 result omitted: only the 2 most severe of 3 are reported.');
    const unsuppressed: Finding[] = r.findings.filter((f) => !f.suppression);
    expect(unsuppressed).toHaveLength(3);
  });
});
