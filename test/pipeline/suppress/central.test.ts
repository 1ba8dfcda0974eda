import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { applySuppressions } from '../../../src/pipeline/suppress.js';
import { finding } from '../../report/fixture.js';
import { emptyModel } from '../../../src/model/model.js';
import { brief, scanAndSuppress } from './helpers.js';
import { ALL_CHECKS } from '../../../rules/index.js';

const CONFIG = 'fixtures/suppress/central/.sgscan.yml';
const DIR = 'fixtures/suppress/central';

describe('central suppressions from the configuration', () => {
  const loaded = loadConfig(CONFIG, { checks: ALL_CHECKS });

  it('the fixture configuration is valid', () => {
    expect(loaded.errors).toEqual([]);
  });

  it('match by rule, path glob (relative to the config or the working directory) and resource glob; inline wins', async () => {
    const { findings } = await scanAndSuppress([DIR], loaded.config);
    expect(findings.map(brief)).toEqual([
      'SGS001 app/main.tf:4 aws_security_group.web [inline@1: SSH goes through the load balancer\'s proxy protocol listener]',
      'SGS005 app/main.tf:4 aws_security_group.web [config@7: Web tier, reviewed]',
      'SGS001 legacy/main.tf:3 aws_security_group.public_bastion [config@2: Public bastion, accepted until the VPN is ready]',
      'SGS005 legacy/main.tf:3 aws_security_group.public_bastion',
      'SGS001 legacy/main.tf:14 aws_security_group.private',
      'SGS005 legacy/main.tf:14 aws_security_group.private',
    ]);
    expect(findings[2].suppression).toEqual({
      kind: 'config',
      reason: 'Public bastion, accepted until the VPN is ready',
      expires: '2030-01-31',
      file: CONFIG,
      line: 2,
    });
  });

  it('warns about an expired entry (not applied) and one that matched nothing, at their lines', async () => {
    const { warnings } = await scanAndSuppress([DIR], loaded.config);
    expect(warnings).toEqual([
      { file: CONFIG, line: 11, message: 'suppression of SGS005 expired on 2024-12-31 and is no longer applied' },
      { file: CONFIG, line: 14, message: 'suppression of SGS002, resource * matched no finding' },
    ]);
  });

  it('an entry applies through its expiry day and stops the day after', () => {
    const { config } = loadConfig('c.yml', { checks: ALL_CHECKS, text: 'suppressions:\n  - rule: SGS001\n    reason: r\n    expires: 2030-01-31\n' });
    const f = [finding({ ruleId: 'SGS001', severity: 'critical' })];
    const run = (today: string) => applySuppressions(f, emptyModel(), config, { inline: true, readLines: () => undefined, today });
    expect(run('2030-01-31').findings[0].suppression?.reason).toBe('r');
    expect(run('2030-01-31').warnings).toEqual([]);
    const after = run('2030-02-01');
    expect(after.findings[0].suppression).toBeUndefined();
    expect(after.warnings).toEqual([{ file: 'c.yml', line: 2, message: 'suppression of SGS001 expired on 2030-01-31 and is no longer applied' }]);
  });

  it('never changes the findings it is given, and keeps their order', () => {
    const { config } = loadConfig('c.yml', { checks: ALL_CHECKS, text: 'suppressions:\n  - rule: "*"\n    resource: "*.web"\n    reason: r\n' });
    const input = [
      finding({ ruleId: 'SGS010', severity: 'low', line: 9 }),
      finding({ ruleId: 'SGS001', severity: 'critical', line: 2, resource: 'aws_security_group.db' }),
    ];
    const snapshot = structuredClone(input);
    const { findings } = applySuppressions(input, emptyModel(), config, { inline: true, readLines: () => undefined, today: '2025-01-01' });
    expect(input).toEqual(snapshot);
    expect(findings.map((f) => [f.line, f.suppression?.kind])).toEqual([[9, 'config'], [2, undefined]]);
  });
});
