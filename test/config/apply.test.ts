import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { runChecks } from '../../src/pipeline/runner.js';
import { applyConfig, loadConfig } from '../../src/config/index.js';
import { group, model, rule } from '../rules/build.js';

const ids = (checks: readonly { meta: { id: string } }[]) => checks.map((c) => c.meta.id);

describe('applyConfig', () => {
  it('overrides a severity on a copy, leaving the shipped check alone', () => {
    const { config } = loadConfig('x.yml', { checks: ALL_CHECKS, text: 'rules:\n  SGS001: high\n  missing-description:\n    severity: info\n' });
    const { checks } = applyConfig(ALL_CHECKS, config);
    const sgs001 = checks.find((c) => c.meta.id === 'SGS001')!;
    expect(sgs001.meta.severity).toBe('high');
    expect(checks.find((c) => c.meta.id === 'SGS003')!.meta.severity).toBe('info');
    expect(ALL_CHECKS.find((c) => c.meta.id === 'SGS001')!.meta.severity).toBe('critical');
    expect(ALL_CHECKS.find((c) => c.meta.id === 'SGS003')!.meta.severity).toBe('low');

    // Findings of the copy carry the new severity.
    const m = model([group('aws_security_group.web', 1)], [rule({ group: 'aws_security_group.web', line: 3, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/0' })]);
    const findings = runChecks(m, [sgs001]);
    expect(findings.map((f) => [f.ruleId, f.severity, f.line])).toEqual([['SGS001', 'high', 3]]);
  });

  it('disables a check by id and by name, keeping the order of the rest', () => {
    const { config } = loadConfig('x.yml', { checks: ALL_CHECKS, text: 'rules:\n  SGS009: off\n  missing-description: false\n  SGS002: on\n' });
    const { checks } = applyConfig(ALL_CHECKS, config);
    expect(ids(checks)).toEqual(ids(ALL_CHECKS).filter((id) => id !== 'SGS009' && id !== 'SGS003'));
    expect(checks.find((c) => c.meta.id === 'SGS002')).toBe(ALL_CHECKS.find((c) => c.meta.id === 'SGS002'));
  });

  it('the ports option changes what SGS001 flags', () => {
    const m = model(
      [group('aws_security_group.web', 1)],
      [
        rule({ group: 'aws_security_group.web', line: 3, index: 0, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/0' }),
        rule({ group: 'aws_security_group.web', line: 10, index: 1, protocol: 'tcp', from: 5985, to: 5986, peer: '0.0.0.0/0' }),
      ],
    );
    const sgs001 = ALL_CHECKS.filter((c) => c.meta.id === 'SGS001');
    expect(runChecks(m, sgs001).map((f) => f.line)).toEqual([3]);

    const { config, errors } = loadConfig('x.yml', { checks: ALL_CHECKS,
      text: 'rules:\n  admin-port-open-to-world:\n    options:\n      ports: [5985, 5986]\n',
    });
    expect(errors).toEqual([]);
    const { checks, options } = applyConfig(sgs001, config);
    expect(options).toEqual({ SGS001: { ports: [5985, 5986] } });
    const findings = runChecks(m, checks, { options });
    expect(findings.map((f) => [f.ruleId, f.line])).toEqual([['SGS001', 10]]);
    expect(findings[0].message).toContain('tcp/5985');
  });

  it('no configuration means the shipped checks unchanged and no options', () => {
    const { config } = loadConfig('x.yml', { checks: ALL_CHECKS, text: '' });
    const { checks, options } = applyConfig(ALL_CHECKS, config);
    expect(checks).toEqual([...ALL_CHECKS]);
    expect(options).toEqual({});
  });
});
