import path from 'node:path';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { buildSarif } from '../../src/report/sarif.js';
import { CHECKS, finding, scanResult } from './fixture.js';

// GitHub code scanning's bands for security-severity (docs: "SARIF support for code scanning",
// reportingDescriptor): critical >= 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9.
function band(score: string): string {
  const n = Number(score);
  return n >= 9.0 ? 'critical' : n >= 7.0 ? 'high' : n >= 4.0 ? 'medium' : n >= 0.1 ? 'low' : 'none';
}

const REPO = path.resolve(__dirname, '../..');

async function sarifOf(target: string): Promise<Sarif.Run> {
  let out = '';
  await main(['scan', target, '--format', 'sarif'], { stdout: (s) => void (out += s), stderr: () => {}, isTTY: false, env: {}, cwd: REPO });
  return (JSON.parse(out) as Sarif.Log).runs[0];
}

const score = (r: { properties?: Record<string, unknown> }) => String(r.properties?.['security-severity']);

describe('SARIF security-severity and level follow the re-ranked severity', () => {
  it('a world-open SSH rule on a host the internet cannot reach: low (< 4.0), level note, in Terraform and CloudFormation', async () => {
    const run = await sarifOf('fixtures/sarif-severity');
    const ssh = run.results!.filter((r) => r.ruleId === 'SGS001');
    expect(ssh.map((r) => r.locations![0].physicalLocation!.artifactLocation!.uri).sort()).toEqual([
      'fixtures/sarif-severity/cloudformation/template.yaml',
      'fixtures/sarif-severity/terraform/main.tf',
    ]);
    for (const r of ssh) {
      expect(r.properties?.reachability).toBe('not-reachable');
      expect(Number(score(r))).toBeLessThan(4.0);
      expect(band(score(r))).toBe('low');
      expect(r.level).toBe('note');
    }
    // GitHub applies the rule's value to every alert of the rule: it must not say critical either.
    const rule = run.tool.driver.rules!.find((d) => d.id === 'SGS001')!;
    expect(band(score(rule))).toBe('low');
  });

  it.each([
    { target: 'fixtures/demo/terraform', bastion: 'aws_instance\\.bastion' },
    { target: 'fixtures/demo/cloudformation', bastion: 'Bastion' },
  ])('a reachable SSH exposure ($target bastion): critical (>= 9.0), level error, rule and result alike', async ({ target, bastion }) => {
    const run = await sarifOf(target);
    // The exposure is told at the rule that opens it (SGS001), not again as an SGS040 result.
    const reachable = run.results!.filter((r) => r.ruleId === 'SGS001' && r.properties?.reachability === 'reachable');
    expect(reachable).toHaveLength(1);
    expect(reachable[0].message.text).toMatch(new RegExp(`SSH \\(tcp/22\\).*Reachable from the internet: ${bastion} `, 's'));
    expect(Number(score(reachable[0]))).toBeGreaterThanOrEqual(9.0);
    expect(reachable[0].level).toBe('error');
    expect(band(score(run.tool.driver.rules!.find((d) => d.id === 'SGS001')!))).toBe('critical');
    expect(run.results!.filter((r) => r.ruleId === 'SGS040' && /tcp\/22|SSH/.test(r.message.text!))).toEqual([]);
  });

  it("every result's band is its finding's severity; a rule's value is its worst result's, its catalog default without results", () => {
    const findings = [
      finding({ ruleId: 'SGS001', severity: 'low', fingerprint: 'a'.repeat(32) }),
      finding({ ruleId: 'SGS001', severity: 'high', fingerprint: 'b'.repeat(32), line: 9, endLine: 9 }),
      finding({ ruleId: 'SGS001', severity: 'medium', fingerprint: 'c'.repeat(32), line: 20, endLine: 20 }),
    ];
    const run = buildSarif(scanResult({ checks: CHECKS, findings })).runs[0];
    expect(run.results!.map((r) => [band(score(r)), r.level])).toEqual([
      ['low', 'note'],
      ['high', 'error'],
      ['medium', 'warning'],
    ]);
    const rules = run.tool.driver.rules!;
    expect(band(score(rules.find((d) => d.id === 'SGS001')!))).toBe('high');
    expect(band(score(rules.find((d) => d.id === 'SGS010')!))).toBe('low'); // no result: SGS010's own (low)
  });
});
