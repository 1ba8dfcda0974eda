import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { GITLAB_SEVERITY, renderGitlab, type GitlabIssue } from '../../src/report/gitlab.js';
import { EXPOSURE, FINDINGS, exposureResult, finding, scanResult } from './fixture.js';

/** sgscan's severities, most severe first. */
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
const SCHEMA = 'schemas/third-party/gitlab-code-quality.schema.json';
const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'));
// CommonJS module: under NodeNext the default import is module.exports, whose `.default` is the class.
const validate = new Ajv.default({ allErrors: true }).compile(schema);

function report(...args: Parameters<typeof renderGitlab>): GitlabIssue[] {
  return JSON.parse(renderGitlab(...args)) as GitlabIssue[];
}

const suppressed = finding({
  ruleId: 'SGS010',
  severity: 'low',
  message: 'Ingress rule tcp/80 has no description',
  file: 'legacy/old.tf',
  line: 3,
  endLine: 3,
  fingerprint: 'ff66ff66ff66ff66ff66ff66ff66ff66',
  suppression: { kind: 'inline', reason: 'Reviewed', file: 'legacy/old.tf', line: 2 },
});

describe('GitLab code quality report', () => {
  const text = renderGitlab(exposureResult());
  const issues = JSON.parse(text) as GitlabIssue[];

  it(`is valid against ${SCHEMA}`, () => {
    for (const r of [issues, report(scanResult()), report(scanResult({ findings: [] })), report(exposureResult(), { pathPrefix: './infra/' })]) {
      expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('the schema rejects what GitLab would not read (not vacuous)', () => {
    const bad = (mutate: (i: Record<string, any>) => void) => {
      const copy = structuredClone(issues) as unknown as Record<string, any>[];
      mutate(copy[0]!);
      return validate(copy);
    };
    expect(bad((i) => delete i.fingerprint)).toBe(false);
    expect(bad((i) => delete i.check_name)).toBe(false);
    expect(bad((i) => (i.severity = 'high'))).toBe(false);
    expect(bad((i) => delete i.location.lines)).toBe(false);
    expect(bad((i) => (i.location.lines.begin = 0))).toBe(false);
    expect(bad((i) => (i.location.path = './main.tf'))).toBe(false);
    expect(bad((i) => (i.location.path = '/abs/main.tf'))).toBe(false);
    expect(bad((i) => (i.location.path = 'a\\b.tf'))).toBe(false);
    expect(bad((i) => (i.categories = ['Security risk']))).toBe(false);
    expect(bad((i) => (i.location = { path: 'main.tf', positions: { begin: { line: 3 } } }))).toBe(true);
    expect(validate({ not: 'an array' })).toBe(false);
  });

  it('has the documented fields for every finding, in report order', () => {
    expect(issues.map((i) => `${i.location.path}:${i.location.lines.begin}`)).toEqual([
      'cfn/stack.yaml:7',
      'infra/compute.tf:1',
      'main.tf:4',
      'main.tf:12',
      'modules/app/sg.tf:3',
    ]);
    expect(issues[2]).toEqual({
      type: 'issue',
      check_name: 'SGS001',
      description: 'SSH (tcp/22) is open to 0.0.0.0/0 on aws_security_group.web. [SGS001 admin-port-open-to-world]',
      categories: ['Security'],
      severity: 'blocker',
      fingerprint: 'aa11aa11aa11aa11aa11aa11aa11aa11',
      location: { path: 'main.tf', lines: { begin: 4, end: 10 } },
    });
  });

  it('maps the five severities onto GitLab’s five, in order', () => {
    expect(SEVERITIES.map((s) => GITLAB_SEVERITY[s])).toEqual(['blocker', 'critical', 'major', 'minor', 'info']);
    const all = SEVERITIES.map((severity, n) => finding({ ruleId: 'SGS010', severity, line: n + 1, fingerprint: `f${n}` }));
    expect(report(scanResult({ findings: all })).map((i) => i.severity)).toEqual(['blocker', 'critical', 'major', 'minor', 'info']);
  });

  it('the description is one line without the path tail', () => {
    const exposure = issues.find((i) => i.check_name === 'SGS040')!;
    expect(exposure.description).toBe('aws_instance.bastion is reachable from the internet on tcp/22 (SSH) [SGS040 internet-exposure]');
    expect(report(scanResult({ findings: [finding({ ruleId: 'SGS010', severity: 'low', message: 'a\nb\t c' })] }))[0]!.description).toBe(
      'a b c [SGS010 rule-without-description]',
    );
  });

  it('leaves suppressed findings out', () => {
    const r = report(scanResult({ findings: [...FINDINGS, suppressed] }));
    expect(r).toHaveLength(FINDINGS.length);
    expect(r.map((i) => i.fingerprint)).not.toContain(suppressed.fingerprint);
  });

  it('keeps fingerprints line-independent and unique', () => {
    const moved = report(exposureResult({ findings: [...FINDINGS, EXPOSURE].map((f) => ({ ...f, line: f.line + 3, endLine: f.endLine + 3 })) }));
    expect(moved.map((i) => i.fingerprint)).toEqual(issues.map((i) => i.fingerprint));
    const twin = finding({ ruleId: 'SGS010', severity: 'low', line: 5, fingerprint: '0123456789abcdef0123456789abcdef' });
    const r = report(scanResult({ findings: [twin, { ...twin, line: 9 }, { ...twin, line: 14 }] }));
    const fps = r.map((i) => i.fingerprint);
    expect(fps[0]).toBe(twin.fingerprint);
    expect(new Set(fps).size).toBe(3);
    for (const fp of fps) expect(fp).toMatch(/^[0-9a-f]{32}$/);
    expect(report(scanResult({ findings: [twin, { ...twin, line: 9 }, { ...twin, line: 14 }] })).map((i) => i.fingerprint)).toEqual(fps);
  });

  it('paths are relative to the repository: forward slashes, no "./", with an optional prefix', () => {
    const odd = finding({ ruleId: 'SGS010', severity: 'low', file: './sub\\x.tf' });
    expect(report(scanResult({ findings: [odd] }))[0]!.location.path).toBe('sub/x.tf');
    for (const prefix of ['infra', 'infra/', './infra', 'infra\\']) {
      expect(report(scanResult({ findings: [odd] }), { pathPrefix: prefix })[0]!.location.path).toBe('infra/sub/x.tf');
    }
    for (const prefix of ['', '.', './']) {
      expect(report(scanResult({ findings: [odd] }), { pathPrefix: prefix })[0]!.location.path).toBe('sub/x.tf');
    }
  });

  it('is an empty array without findings; no byte order mark; deterministic', () => {
    expect(renderGitlab(scanResult({ findings: [] }))).toBe('[]\n');
    expect(text.charCodeAt(0)).toBe('['.charCodeAt(0));
    expect(text.endsWith(']\n')).toBe(true);
    const r = exposureResult();
    expect(renderGitlab(exposureResult({ findings: [...r.findings].reverse() }))).toBe(text);
  });
});
