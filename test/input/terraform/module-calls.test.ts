import { describe, expect, it } from 'vitest';
import { renderText } from '../../../src/report/text.js';
import { scan } from '../../../src/pipeline/scan.js';
import { ALL_CHECKS } from '../../../rules/index.js';

const F = 'fixtures/terraform-plan/module-three';

describe('one module called three times', () => {
  it('reports each address once, with distinct fingerprints and its own call site', async () => {
    const { model, result } = await scan({ checks: ALL_CHECKS, paths: [`${F}/main.tf`, `${F}/modules`], cwd: process.cwd(), version: 't' });
    expect(model.groups.map((g) => g.address)).toEqual(['module.a.aws_security_group.this', 'module.b.aws_security_group.this', 'module.c.aws_security_group.this']);
    const ssh = result.findings.filter((f) => f.ruleId === 'SGS001');
    expect(ssh.map((f) => [f.resource, f.line, f.via.map((v) => v.line)])).toEqual([
      ['module.a.aws_security_group.this', 9, [1]],
      ['module.b.aws_security_group.this', 9, [6]],
      ['module.c.aws_security_group.this', 9, [11]],
    ]);
    expect(new Set(result.findings.map((f) => f.fingerprint)).size).toBe(result.findings.length);
    // The text report tells the three apart by address and call site.
    const text = renderText(result, {} as never);
    for (const [m, line] of [['a', 1], ['b', 6], ['c', 11]] as const) {
      expect(text).toContain(`Security group module.${m}.aws_security_group.this allows SSH`);
      expect(text).toContain(`via ${F}/main.tf:${line}`);
    }
  });
});
