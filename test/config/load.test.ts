import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findConfigFile, loadConfig } from '../../src/config/index.js';
import { ALL_CHECKS } from '../../rules/index.js';

const DIR = 'fixtures/config';

describe('loadConfig', () => {
  it('reads every kind of setting, resolving names to ids and keeping lines', () => {
    const { config, errors } = loadConfig(`${DIR}/full.yml`, { checks: ALL_CHECKS });
    expect(errors).toEqual([]);
    expect(config.inlineSuppressions).toBe(false);
    expect(config.rules).toEqual({
      SGS009: { enabled: false, line: 5 },
      SGS003: { severity: 'low', line: 6 },
      SGS002: { enabled: false, line: 7 },
      SGS001: { severity: 'high', options: { ports: [22, 3389, 5985, 5986] }, line: 8 },
      SGS005: { enabled: true, options: { allowedPorts: [80, 443, 8443] }, line: 12 },
    });
    expect(config.suppressions).toEqual([
      {
        rule: 'SGS005',
        path: 'legacy/**',
        resource: 'aws_security_group.public_*',
        reason: 'Public API, reviewed by security',
        expires: '2030-01-31',
        file: `${DIR}/full.yml`,
        line: 17,
      },
      { rule: '*', path: '*.tf', reason: 'Everything in Terraform files', file: `${DIR}/full.yml`, line: 22 },
    ]);
    expect(config.dir).toBe(path.resolve(DIR));
  });

  it('a YAML syntax error names the file and line, and nothing of the file applies', () => {
    const { config, errors } = loadConfig(`${DIR}/bad-yaml.yml`, { checks: ALL_CHECKS });
    expect(errors).toEqual([
      { file: `${DIR}/bad-yaml.yml`, line: 3, message: expect.stringMatching(/^invalid YAML: /) },
    ]);
    expect(config.rules).toEqual({});
  });

  it('schema and semantic errors each point at the offending key, the valid rest still applies', () => {
    const { config, errors } = loadConfig(`${DIR}/bad-values.yml`, { checks: ALL_CHECKS });
    const file = `${DIR}/bad-values.yml`;
    expect(errors).toEqual([
      { file, line: 3, message: 'rules.SGS001.severity: must be one of critical, high, medium, low, info (got "urgent")' },
      { file, line: 4, message: expect.stringMatching(/^rules\.SGS004: must be off, on, true, false, a severity .*\(got "sometimes"\)$/) },
      { file, line: 7, message: 'rules.SGS005.options.allowedPort: unknown key' },
      { file, line: 8, message: 'rules.SGS999: unknown check "SGS999" (`sgscan rules` lists them)' },
      { file, line: 11, message: 'suppressions[0]: missing required key "reason"' },
      { file, line: 13, message: 'suppressions[1].rule: unknown check "no-such-check" (`sgscan rules` lists them)' },
      { file, line: 17, message: 'suppressions[2].expires: "2025-02-30" is not a calendar date' },
      { file, line: 20, message: 'suppressions[3].expires: must be a date written YYYY-MM-DD (got "next week")' },
      { file, line: 21, message: 'colour: unknown key' },
    ]);
    expect(config.rules).toEqual({ SGS003: { severity: 'low', line: 9 } });
    expect(config.suppressions).toEqual([]);
  });

  it('the same check configured twice (by id and by name) is an error at the second key', () => {
    const text = 'rules:\n  SGS001: off\n  admin-port-open-to-world: high\n';
    const { config, errors } = loadConfig('x.yml', { checks: ALL_CHECKS, text });
    expect(errors).toEqual([{ file: 'x.yml', line: 3, message: 'rules.admin-port-open-to-world: check SGS001 is already configured at line 2' }]);
    expect(config.rules).toEqual({ SGS001: { enabled: false, line: 2 } });
  });

  it('an empty file is the default configuration; a non-mapping is an error at line 1', () => {
    expect(loadConfig('x.yml', { checks: ALL_CHECKS, text: '# nothing yet\n' })).toMatchObject({ errors: [], config: { rules: {}, suppressions: [], inlineSuppressions: true } });
    expect(loadConfig('x.yml', { checks: ALL_CHECKS, text: '- a\n' }).errors).toEqual([{ file: 'x.yml', line: 1, message: '(top level): must be object' }]);
  });

  it('a missing file is an error naming it, not a throw', () => {
    const { errors } = loadConfig(`${DIR}/does-not-exist.yml`, { checks: ALL_CHECKS });
    expect(errors).toEqual([{ file: `${DIR}/does-not-exist.yml`, message: expect.stringMatching(/^cannot read the configuration file: /) }]);
  });

});

describe('findConfigFile', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'sgscan-config-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('finds .sgscan.yml from a nested folder upward', () => {
    expect(findConfigFile(`${DIR}/nested/app/network`)).toBe(path.resolve(`${DIR}/nested/.sgscan.yml`));
    expect(findConfigFile(`${DIR}/nested/app/network/main.tf`)).toBe(path.resolve(`${DIR}/nested/.sgscan.yml`));
    expect(findConfigFile(`${DIR}/nested`)).toBe(path.resolve(`${DIR}/nested/.sgscan.yml`));
  });

  it('also finds .sgscan.yaml, and prefers .sgscan.yml in the same folder', () => {
    expect(findConfigFile(`${DIR}/yaml-ext/sub`)).toBe(path.resolve(`${DIR}/yaml-ext/.sgscan.yaml`));
    writeFileSync(path.join(tmp, '.sgscan.yaml'), 'rules: {}\n');
    writeFileSync(path.join(tmp, '.sgscan.yml'), 'rules: {}\n');
    expect(findConfigFile(tmp)).toBe(path.join(tmp, '.sgscan.yml'));
  });

  it('returns undefined when no folder up to the root has one', () => {
    expect(findConfigFile(path.parse(process.cwd()).root)).toBeUndefined();
  });
});
