import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { runChecks } from '../../src/pipeline/runner.js';
import { applyConfig, inPreset, loadConfig } from '../../src/config/index.js';
import { group, model, rule } from '../rules/build.js';

const ids = (checks: readonly { meta: { id: string } }[]) => checks.map((c) => c.meta.id);
const RECOMMENDED = ALL_CHECKS.filter((c) => inPreset(c.meta, 'recommended'));

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
    expect(ids(checks)).toEqual(ids(RECOMMENDED).filter((id) => id !== 'SGS009' && id !== 'SGS003'));
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

  it('no configuration means the shipped recommended checks unchanged and no options', () => {
    const { config } = loadConfig('x.yml', { checks: ALL_CHECKS, text: '' });
    const { checks, options } = applyConfig(ALL_CHECKS, config);
    expect(checks).toEqual([...RECOMMENDED]);
    // The strict-only checks (SGS044-SGS052, SGS054) stay off.
    expect(ids(ALL_CHECKS).filter((id) => !ids(checks).includes(id))).toEqual(['SGS044', 'SGS045', 'SGS046', 'SGS047', 'SGS048', 'SGS049', 'SGS050', 'SGS051', 'SGS052', 'SGS054']);
    expect(options).toEqual({});
  });

  describe('presets', () => {
    // A copy of SGS003 marked strict stands in for a strict-only check (its findings are easy to predict).
    const sgs003 = ALL_CHECKS.find((c) => c.meta.id === 'SGS003')!;
    const strictOnly = { ...sgs003, meta: { ...sgs003.meta, id: 'SGS900', name: 'strict-only-probe', preset: 'strict' as const }, run: sgs003.run.bind(sgs003) };
    const catalog = [...ALL_CHECKS, strictOnly];
    const configured = (text: string) => {
      const { config, errors } = loadConfig('x.yml', { checks: catalog, text });
      expect(errors).toEqual([]);
      return applyConfig(catalog, config);
    };

    it('recommended (the default) leaves strict-only checks off; extends: strict turns them on', () => {
      expect(ids(configured('').checks)).not.toContain('SGS900');
      expect(ids(configured('extends: recommended\n').checks)).not.toContain('SGS900');
      expect(ids(configured('extends: strict\n').checks)).toEqual(ids(catalog));
    });

    it('rules.X: true turns a strict check on under recommended; false turns it off under strict', () => {
      expect(ids(configured('rules:\n  strict-only-probe: on\n').checks)).toContain('SGS900');
      expect(ids(configured('extends: strict\nrules:\n  SGS900: off\n  SGS001: off\n').checks)).toEqual(ids(catalog).filter((id) => id !== 'SGS900' && id !== 'SGS001'));
    });

    it('strict reports port 80 to the world (SGS005 allows only 443); the user\'s own options win', () => {
      const m = model([group('aws_security_group.web', 1)], [
        rule({ group: 'aws_security_group.web', line: 3, index: 0, protocol: 'tcp', from: 80, to: 80, peer: '0.0.0.0/0' }),
        rule({ group: 'aws_security_group.web', line: 9, index: 1, protocol: 'tcp', from: 443, to: 443, peer: '0.0.0.0/0' }),
      ]);
      const sgs005 = (text: string) => {
        const { checks, options } = configured(text);
        return runChecks(m, checks.filter((c) => c.meta.id === 'SGS005'), { options }).map((f) => [f.ruleId, f.line]);
      };
      expect(sgs005('')).toEqual([]);
      expect(configured('extends: strict\n').options.SGS005).toEqual({ allowedPorts: [443] });
      expect(sgs005('extends: strict\n')).toEqual([['SGS005', 3]]);
      expect(sgs005('extends: strict\nrules:\n  SGS005:\n    options:\n      allowedPorts: [80]\n')).toEqual([['SGS005', 9]]);
    });

    it('strict reports a documentation range as a source (SGS043); recommended does not', () => {
      const m = model([group('aws_security_group.web', 1)], [
        rule({ group: 'aws_security_group.web', line: 4, protocol: 'tcp', from: 22, to: 22, peer: '198.51.100.0/24' }),
      ]);
      const sgs043 = (text: string) => {
        const { checks, options } = configured(text);
        return runChecks(m, checks.filter((c) => c.meta.id === 'SGS043'), { options }).map((f) => [f.ruleId, f.line]);
      };
      expect(sgs043('')).toEqual([]);
      expect(sgs043('extends: strict\n')).toEqual([['SGS043', 4]]);
    });

    it('an unknown preset is an error naming the line, and the rest of the file still applies', () => {
      const { config, errors } = loadConfig('x.yml', { checks: catalog, text: 'rules:\n  SGS001: off\nextends: paranoid\n' });
      expect(errors.map((e) => [e.file, e.line])).toEqual([['x.yml', 3]]);
      expect(errors[0].message).toMatch(/^extends: /);
      expect(config.preset).toBeUndefined();
      expect(config.rules.SGS001?.enabled).toBe(false);
    });
  });
});
