import { describe, expect, it } from 'vitest';
import { GOOD_TF, GOOD_TF_LINE, scanTree, tmpTree } from './helpers.js';

// Issue 16: hostile inputs that hung, crashed or were silently lost. Each case scans the hostile
// file beside good.tf (SSH open to the world, line 3) and asserts that finding survives; each must
// finish well inside 5 s.

type Result = Awaited<ReturnType<typeof scanTree>>['result'];

function goodFindingPresent(result: Result) {
  expect(result.findings.some((f) => f.ruleId === 'SGS001' && f.file === 'good.tf' && f.line === GOOD_TF_LINE)).toBe(true);
}

async function scanWithGood(hostile: Record<string, string | Buffer>) {
  const root = tmpTree({ 'good.tf': GOOD_TF, ...hostile });
  const { result, model } = await scanTree(root);
  goodFindingPresent(result);
  return { root, result, model };
}

const sshRule = (cidr: string) => `  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [${cidr}]\n  }\n`;

describe('regular expressions (RE2, linear time)', () => {
  it('regex("^(a+)+$", "aaaa...a!") feeding a rule finishes fast and gives Terraform\'s answer', async () => {
    const evil = `${'a'.repeat(30_000)}!`;
    const tf = `locals {\n  safe = can(regex("^(a+)+$", "${evil}"))\n}\nresource "aws_security_group" "r" {\n  description = "r"\n${sshRule('local.safe ? "10.0.0.0/8" : "0.0.0.0/0"')}}\n`;
    const started = Date.now();
    const { result } = await scanWithGood({ 'redos.tf': tf });
    expect(Date.now() - started).toBeLessThan(5000);
    // no match, so can() is false and the rule is open to the world (certain, not "possibly")
    expect(result.findings).toContainEqual(expect.objectContaining({ ruleId: 'SGS001', file: 'redos.tf', line: 6, certainty: 'definite' }));
  }, 10_000);
});
