import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { FINDINGS, exposureResult, scanResult } from './fixture.js';

const schema = JSON.parse(readFileSync('schemas/sgscan-report.schema.json', 'utf8'));
// CommonJS module: under NodeNext the default import is module.exports, whose `.default` is the class.
const validate = new Ajv.default({ allErrors: true }).compile(schema);

describe('JSON report', () => {
  const text = renderJson(scanResult());
  const report = JSON.parse(text);

  it('is valid against schemas/sgscan-report.schema.json', () => {
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the schema rejects drift (a missing or extra field)', () => {
    const missing = structuredClone(report);
    delete missing.findings[0].fingerprint;
    expect(validate(missing)).toBe(false);
    const extra = structuredClone(report);
    extra.findings[0].key = 'x';
    expect(validate(extra)).toBe(false);
  });

  it('uses 2-space indentation and ends with a newline', () => {
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "tool": {');
  });

  it('has the documented shape and key order', () => {
    expect(Object.keys(report)).toEqual(['tool', 'findings', 'errors', 'notices', 'summary']);
    expect(report.tool).toEqual({ name: 'sgscan', version: '0.1.0' });
    expect(Object.keys(report.findings[0])).toEqual([
      'ruleId', 'ruleName', 'severity', 'message', 'file', 'line', 'endLine', 'resource', 'fingerprint',
      'certainty', 'assumptions', 'via',
    ]);
    expect(report.findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`)).toEqual([
      'cfn/stack.yaml:7',
      'main.tf:4',
      'main.tf:12',
      'modules/app/sg.tf:3',
    ]);
    expect(report.findings[3]).toMatchObject({
      certainty: 'possible',
      assumptions: ['var.admin_cidr has no value'],
      via: [{ file: 'main.tf', line: 20, endLine: 24 }],
    });
    expect(report.errors).toEqual([{ file: 'broken.tf', line: 3, message: 'Unexpected token "}"' }]);
    expect(report.notices[0]).toEqual({
      file: 'modules/app/sg.tf',
      line: 9,
      message: 'dynamic "ingress" block not expanded: for_each is unknown',
    });
    expect(report.summary).toEqual({
      filesScanned: 4,
      filesWithErrors: 1,
      groups: 3,
      rules: 7,
      findings: 4,
      suppressed: 0,
      bySeverity: { critical: 2, high: 0, medium: 1, low: 1, info: 0 },
    });
    expect(Object.keys(report.summary.bySeverity)).toEqual(['critical', 'high', 'medium', 'low', 'info']);
  });

  it('writes an unknown error line as null, so every entry has the same keys', () => {
    const r = JSON.parse(renderJson(scanResult({ errors: [{ file: 'x.yaml', message: 'not YAML' }] })));
    expect(r.errors).toEqual([{ file: 'x.yaml', line: null, message: 'not YAML' }]);
    expect(validate(r)).toBe(true);
  });

  it('is byte-identical for the same input, whatever order it was assembled in', () => {
    expect(renderJson(scanResult())).toBe(text);
    const reversed = scanResult({
      findings: [...FINDINGS].reverse().map((f) => {
        // Same values, keys inserted in another order.
        const { via, key, message, ruleId, ...rest } = f;
        return { via, key, ...rest, message, ruleId };
      }),
      summary: { ...scanResult().summary, bySeverity: { low: 1, medium: 1, critical: 2 } },
    });
    expect(renderJson(reversed)).toBe(text);
  });
});

describe('JSON report: reachability findings', () => {
  it('carries path, reachability, certainty and assumptions, and stays valid against the schema', () => {
    const report = JSON.parse(renderJson(exposureResult()));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const f = report.findings.find((x: { ruleId: string }) => x.ruleId === 'SGS040');
    expect(Object.keys(f)).toEqual([
      'ruleId', 'ruleName', 'severity', 'message', 'file', 'line', 'endLine', 'resource', 'fingerprint',
      'certainty', 'assumptions', 'via', 'reachability', 'path',
    ]);
    expect(f.reachability).toBe('reachable');
    expect(f.path).toHaveLength(4);
    // endLine is always present: the step's own line when it has no span.
    expect(f.path[0]).toEqual({ file: 'infra/compute.tf', line: 3, endLine: 3, message: expect.stringContaining('public IPv4') });
    expect(f.path[1]).toMatchObject({ file: 'infra/network.tf', line: 2, endLine: 4 });
    // Findings without a path keep the old shape: no empty path key.
    expect(report.findings.find((x: { ruleId: string }) => x.ruleId === 'SGS010')).not.toHaveProperty('path');
  });

  it('the schema rejects a malformed path step', () => {
    const report = JSON.parse(renderJson(exposureResult()));
    const bad = structuredClone(report);
    bad.findings.find((x: { ruleId: string }) => x.ruleId === 'SGS040').path[0].line = 0;
    expect(validate(bad)).toBe(false);
    const extra = structuredClone(report);
    extra.findings.find((x: { ruleId: string }) => x.ruleId === 'SGS040').path[0].hop = 1;
    expect(validate(extra)).toBe(false);
    const wrong = structuredClone(report);
    wrong.findings.find((x: { ruleId: string }) => x.ruleId === 'SGS040').reachability = 'yes';
    expect(validate(wrong)).toBe(false);
  });
});
