import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { runChecks } from '../../src/pipeline/runner.js';
import { buildModel } from '../../src/pipeline/scan.js';

// Messages say what is true, in a reviewer's words (issue 14, message list). CloudFormation only:
// a Terraform address is never the bare word `VPC`, and conditions are CloudFormation's.

describe('messages (fixtures/endpoints/messages/template.yaml)', () => {
  it('no "VPC VPC", no "only if only when", no empty path', async () => {
    const model = await buildModel({ paths: ['fixtures/endpoints/messages'], cwd: process.cwd() });
    const findings = runChecks(model, ALL_CHECKS);
    const texts = findings.flatMap((f) => [f.message, ...(f.assumptions ?? []), ...(f.path ?? []).map((h) => h.message)]);
    expect(texts.some((t) => t.includes('local route within VPC'))).toBe(true);
    expect(texts.filter((t) => /\bVPC VPC\b/.test(t))).toEqual([]);
    // No doubled word anywhere ("subnet Subnet", "listener Listener").
    expect(texts.filter((t) => /\b(\w+) \1\b/i.test(t))).toEqual([]);
    expect(texts.filter((t) => /only if only when/.test(t))).toEqual([]);
    expect(findings.find((f) => f.ruleId === 'SGS011')?.assumptions).toEqual(['the rule exists only if Mode = wide']);
    expect(findings.filter((f) => /path: *$/.test(f.message))).toEqual([]);
  });
});
