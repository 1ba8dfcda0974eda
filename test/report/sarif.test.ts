import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Sarif from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import {
  INFORMATION_URI,
  SECURITY_SEVERITY,
  artifactUri,
  buildSarif,
  renderSarif,
  sarifLevel,
} from '../../src/report/sarif.js';
import { validateSarifMultitool, validateSarifSchema } from '../helpers/sarif-validate.js';
import { FINDINGS, META_SSH, finding, scanResult } from './fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'sgscan-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function log(...args: Parameters<typeof buildSarif>): Sarif.Log {
  return JSON.parse(renderSarif(...args)) as Sarif.Log;
}

describe('SARIF', () => {
  const sarif = log(scanResult());
  const run = sarif.runs[0];
  const results = run.results!;
  const rules = run.tool.driver.rules!;

  it('is valid against the SARIF 2.1.0 schema', () => {
    expect(validateSarifSchema(sarif)).toEqual([]);
  });

  it('the schema check catches a broken log (the validator is not vacuous)', () => {
    const bad = structuredClone(sarif);
    (bad.runs[0].results![0].locations![0].physicalLocation!.artifactLocation as { uri: string }).uri = 'C:\\x y.tf';
    delete (bad.runs[0].tool.driver as Partial<Sarif.ToolComponent>).name;
    const problems = validateSarifSchema(bad);
    expect(problems.some((p) => p.includes('/artifactLocation/uri'))).toBe(true);
    expect(problems.some((p) => p.includes("'name'"))).toBe(true);
  });

  it("passes Microsoft's validator (SARIF, GitHub and Azure DevOps rules)", () => {
    const file = join(tmp, 'report.sarif');
    writeFileSync(file, renderSarif(scanResult(), { maxResults: 2 }));
    expect(validateSarifMultitool(file)).toEqual([]);
  });

  it("the multitool check reports real problems (not vacuous)", () => {
    const bad = structuredClone(sarif);
    delete bad.runs[0].tool.driver.informationUri;
    delete bad.runs[0].tool.driver.fullName;
    const file = join(tmp, 'bad.sarif');
    writeFileSync(file, JSON.stringify(bad));
    const problems = validateSarifMultitool(file);
    expect(problems).toContainEqual(expect.objectContaining({ ruleId: 'SARIF2005', level: 'warning' }));
    expect(problems).toContainEqual(expect.objectContaining({ ruleId: 'GHAzDO1018', level: 'error' }));
    expect(problems.find((p) => p.ruleId === 'SARIF2005')!.message).toContain("does not provide 'informationUri'");
  });

  it('has the log and run envelope', () => {
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({
      name: 'sgscan',
      semanticVersion: '0.1.0',
      version: '0.1.0',
      informationUri: INFORMATION_URI,
    });
    expect(run.tool.driver.fullName).toMatch(/^sgscan/);
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.automationDetails).toEqual({ id: 'sgscan/' });
    expect(log(scanResult(), { category: 'infra/prod' }).runs[0].automationDetails).toEqual({ id: 'infra/prod/' });
  });

  it('lists every check that ran and every rule a finding names, sorted by id', () => {
    expect(rules.map((r) => r.id)).toEqual(['SGS001', 'SGS010', 'SGS099']);
    for (const r of results) expect(rules[r.ruleIndex!].id).toBe(r.ruleId);
  });

  it('describes a rule fully', () => {
    const ssh = rules[0];
    expect(ssh.name).toBe('admin-port-open-to-world');
    expect(ssh.shortDescription!.text).toBe('Administrative port open to the whole internet.');
    expect(ssh.fullDescription!.text).toBe(META_SSH.fullDescription);
    expect(ssh.help!.text).toContain(META_SSH.remediation);
    expect(ssh.help!.text).toContain('cidr_blocks = ["10.0.0.0/8"]');
    expect(ssh.help!.text).toContain('Checkov CKV_AWS_24, CKV_AWS_25; Trivy AVD-AWS-0107');
    expect(ssh.help!.markdown).toContain('```hcl\ningress {');
    expect(ssh.help!.markdown).toContain('```yaml\nSecurityGroupIngress:');
    expect(ssh.help!.markdown).toContain('- CIS AWS Foundations 5.2');
    expect(ssh.helpUri).toBe(META_SSH.references[0]);
    expect(ssh.defaultConfiguration).toEqual({ level: 'error' });
    expect(ssh.properties).toEqual({
      tags: ['security', 'network', 'ssh', 'rdp', 'exposure'],
      precision: 'high',
      'security-severity': '9.5',
    });
    expect(rules[1].defaultConfiguration).toEqual({ level: 'note' });
    expect(rules[1].properties!['security-severity']).toBe('2.0');
    // A finding whose check is not in the list still gets a descriptor, from the finding itself.
    expect(rules[2]).toMatchObject({ id: 'SGS099', name: 'other-rule', defaultConfiguration: { level: 'warning' } });
  });

  it('caps tags at 10 with "security" first and no duplicates', () => {
    const meta = { ...META_SSH, tags: ['a', 'security', ...'bcdefghijkl'.split('')] };
    const r = log(scanResult({ checks: [{ meta, run: () => [] }], findings: [] })).runs[0].tool.driver.rules![0];
    expect(r.properties!.tags).toEqual(['security', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
  });

  it('maps severities to levels and GitHub security-severity bands', () => {
    expect(['critical', 'high', 'medium', 'low', 'info'].map((s) => sarifLevel(s as never))).toEqual([
      'error',
      'error',
      'warning',
      'note',
      'note',
    ]);
    // GitHub: > 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, <= 3.9 low.
    const score = (s: keyof typeof SECURITY_SEVERITY) => Number(SECURITY_SEVERITY[s]);
    expect(score('critical')).toBeGreaterThan(9.0);
    expect(score('high')).toBeGreaterThanOrEqual(7.0);
    expect(score('high')).toBeLessThan(9.0);
    expect(score('medium')).toBeGreaterThanOrEqual(4.0);
    expect(score('medium')).toBeLessThan(7.0);
    expect(score('low')).toBeGreaterThan(0);
    expect(score('low')).toBeLessThan(4.0);
    expect(score('info')).toBeGreaterThan(0);
    expect(score('info')).toBeLessThan(score('low'));
  });

  it('writes one location per result with a relative uri and the exact lines', () => {
    expect(results.map((r) => [r.ruleId, r.level, r.locations![0].physicalLocation!.artifactLocation!.uri, r.locations![0].physicalLocation!.region])).toEqual([
      ['SGS099', 'warning', 'cfn/stack.yaml', { startLine: 7, endLine: 8 }],
      ['SGS001', 'error', 'main.tf', { startLine: 4, endLine: 10 }],
      ['SGS010', 'note', 'main.tf', { startLine: 12, endLine: 12 }],
      ['SGS001', 'error', 'modules/app/sg.tf', { startLine: 3, endLine: 5 }],
    ]);
    for (const r of results) expect(r.locations).toHaveLength(1);
    expect(results[1].locations![0].logicalLocations).toEqual([
      { fullyQualifiedName: 'aws_security_group.web', kind: 'resource' },
    ]);
  });

  it('keeps the message first and ends sentences with a period', () => {
    expect(results[1].message.text).toBe('SSH (tcp/22) is open to 0.0.0.0/0 on aws_security_group.web.');
    expect(results[2].message.text).toBe('Ingress rule tcp/443 has no description.');
  });

  it('links the module call chain through relatedLocations', () => {
    const r = results[3];
    expect(r.message.text).toBe(
      'RDP (tcp/3389) may be open to the world on module.app.aws_security_group.this. ' +
        'Reached through module call [main.tf:20](1). ' +
        'Possible, depending on values unknown statically: var.admin_cidr has no value.',
    );
    expect(r.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: 'main.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 20, endLine: 24 } },
        message: { text: 'Module call 1 of 1.' },
      },
    ]);
    expect(r.properties).toEqual({ 'security-severity': '9.5', certainty: 'possible', assumptions: ['var.admin_cidr has no value'] });
    expect(results[1].relatedLocations).toBeUndefined();
  });

  it('escapes brackets that would read as a link in our own text', () => {
    const f = finding({ ruleId: 'SGS001', severity: 'high', message: 'Name [x](y) is odd' });
    const r = log(scanResult({ findings: [f] })).runs[0].results![0];
    expect(r.message.text).toBe('Name \\[x\\](y) is odd.');
    const plain = finding({ ruleId: 'SGS001', severity: 'high', message: 'cidr_blocks = ["0.0.0.0/0"]' });
    expect(log(scanResult({ findings: [plain] })).runs[0].results![0].message.text).toBe('cidr_blocks = ["0.0.0.0/0"].');
  });

  it('carries the fingerprint', () => {
    expect(results[1].partialFingerprints).toEqual({ 'sgscan/v1': 'aa11aa11aa11aa11aa11aa11aa11aa11' });
  });

  it('reports errors and notices as tool execution notifications', () => {
    expect(run.invocations).toHaveLength(1);
    const inv = run.invocations![0];
    expect(inv.executionSuccessful).toBe(true);
    expect(inv.toolExecutionNotifications).toEqual([
      {
        level: 'error',
        message: { text: 'Unexpected token "}".' },
        descriptor: { id: 'scan-error', index: 0 },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'broken.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 3 } } }],
      },
      {
        level: 'warning',
        message: { text: 'dynamic "ingress" block not expanded: for_each is unknown.' },
        descriptor: { id: 'coverage-notice', index: 1 },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'modules/app/sg.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 9 } } }],
      },
    ]);
    expect(run.tool.driver.notifications!.map((n) => n.id)).toEqual(['scan-error', 'coverage-notice', 'results-truncated']);
    const noLine = log(scanResult({ errors: [{ file: 'x.yaml', message: 'not YAML' }], notices: [] }));
    expect(noLine.runs[0].invocations![0].toolExecutionNotifications![0].locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: 'x.yaml', uriBaseId: '%SRCROOT%' } } },
    ]);
  });

  it('caps results keeping the most severe, and says how many were cut', () => {
    const capped = log(scanResult(), { maxResults: 2 }).runs[0];
    expect(capped.results!.map((r) => [r.ruleId, r.locations![0].physicalLocation!.artifactLocation!.uri])).toEqual([
      ['SGS001', 'main.tf'],
      ['SGS001', 'modules/app/sg.tf'],
    ]);
    const notes = capped.invocations![0].toolExecutionNotifications!;
    expect(notes.at(-1)).toEqual({
      level: 'warning',
      message: { text: '2 results omitted: only the 2 most severe of 4 are reported.' },
      descriptor: { id: 'results-truncated', index: 2 },
    });
    // The default cap is 5000.
    const many = Array.from({ length: 5003 }, (_, i) =>
      finding({ ruleId: 'SGS010', severity: i === 5002 ? 'critical' : 'low', line: i + 1, endLine: i + 1, fingerprint: `f${i}` }),
    );
    const big = buildSarif(scanResult({ findings: many })).runs[0];
    expect(big.results).toHaveLength(5000);
    expect(big.results!.some((r) => r.locations![0].physicalLocation!.region!.startLine === 5003)).toBe(true);
    expect(big.invocations![0].toolExecutionNotifications!.at(-1)!.message.text).toBe(
      '3 results omitted: only the 5000 most severe of 5003 are reported.',
    );
  });

  it('is identical whatever order findings, checks, errors and notices come in', () => {
    const base = scanResult({
      errors: [
        { file: 'b.tf', line: 2, message: 'x' },
        { file: 'a.tf', message: 'y' },
        { file: 'a.tf', line: 9, message: 'z' },
      ],
    });
    const expected = renderSarif(base);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const shuffle = <T>(xs: readonly T[]) => {
      const a = [...xs];
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [a[i], a[j]] = [a[j], a[i]];
      }
      return a;
    };
    for (let i = 0; i < 10; i++) {
      const shuffled = { ...base, findings: shuffle(FINDINGS), checks: shuffle(base.checks), errors: shuffle(base.errors) };
      expect(renderSarif(shuffled)).toBe(expected);
    }
  });
});

describe('artifactUri', () => {
  it('normalizes report paths to relative URI references', () => {
    expect(artifactUri('./main.tf')).toBe('main.tf');
    expect(artifactUri('././a//b/./c.tf')).toBe('a/b/c.tf');
    expect(artifactUri('modules\\sg\\main.tf')).toBe('modules/sg/main.tf');
    expect(artifactUri('../shared/sg.tf')).toBe('../shared/sg.tf');
    expect(artifactUri('my dir/a#b?.tf')).toBe('my%20dir/a%23b%3F.tf');
    expect(artifactUri('c:odd/x.tf')).toBe('c%3Aodd/x.tf');
    expect(artifactUri('/abs/x.tf')).toBe('file:///abs/x.tf');
    expect(artifactUri('C:\\repo\\x.tf')).toBe('file:///C:/repo/x.tf');
  });
});

describe('determinism of ties', () => {
  it('orders findings the runner considers equal by their remaining fields', () => {
    const a = finding({ ruleId: 'SGS001', severity: 'high', via: [{ file: 'main.tf', line: 5, endLine: 5 }], fingerprint: 'aaaa' });
    const b = finding({ ruleId: 'SGS001', severity: 'high', via: [{ file: 'main.tf', line: 9, endLine: 9 }], fingerprint: 'aaaa' });
    const c = finding({ ruleId: 'SGS001', severity: 'high', fingerprint: '0000' });
    const one = renderSarif(scanResult({ findings: [a, b, c] }));
    expect(renderSarif(scanResult({ findings: [c, b, a] }))).toBe(one);
    expect(renderSarif(scanResult({ findings: [b, c, a] }))).toBe(one);
  });
});
