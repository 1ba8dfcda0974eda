import { withFolded } from '../../../src/model/check.js';
import { describe, expect, it } from 'vitest';
import { renderText } from '../../../src/report/text.js';
import { scan } from '../../../src/pipeline/scan.js';
import { ALL_CHECKS } from '../../../rules/index.js';

const F = 'fixtures/terraform-plan/module-three';

describe('one module called three times', () => {
  it('reports the rule once, at its line, naming the other instances and their call sites (issue 14)', async () => {
    const { model, result } = await scan({ checks: ALL_CHECKS, paths: [`${F}/main.tf`, `${F}/modules`], cwd: process.cwd(), version: 't' });
    expect(model.groups.map((g) => g.address)).toEqual(['module.a.aws_security_group.this', 'module.b.aws_security_group.this', 'module.c.aws_security_group.this']);
    const ssh = result.findings.filter((f) => f.ruleId === 'SGS001');
    expect(ssh.map((f) => [f.resource, f.line, f.via.map((v) => v.line)])).toEqual([['module.a.aws_security_group.this', 9, [1]]]);
    expect(ssh[0].message).toContain('The same holds in 2 other instances of the module: module.b (main.tf:6) and module.c (main.tf:11).');
    // The instances are still there, with distinct fingerprints, for PR mode.
    const all = withFolded(result.findings);
    expect(all.filter((f) => f.ruleId === 'SGS001').map((f) => f.resource)).toEqual(['module.a.aws_security_group.this', 'module.b.aws_security_group.this', 'module.c.aws_security_group.this']);
    expect(new Set(all.map((f) => f.fingerprint)).size).toBe(all.length);
    const text = renderText(result, {} as never);
    expect(text).toContain('Security group module.a.aws_security_group.this allows SSH');
    expect(text).toContain(`via ${F}/main.tf:1`);
  });
});
