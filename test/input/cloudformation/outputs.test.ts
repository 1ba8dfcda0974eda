import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../../src/pipeline/scan.js';
import { ALL_CHECKS } from '../../../rules/index.js';

const REPO = path.resolve(__dirname, '../../..');

describe('CloudFormation outputs', () => {
  it('a group exported through Outputs counts as used; a group used by nothing is still reported', async () => {
    const { model, result } = await scan({ checks: ALL_CHECKS, paths: ['fixtures/cloudformation/outputs'], cwd: REPO, version: '0' });
    const output = model.resources.find((r) => r.resourceType === 'output');
    expect(output?.address).toBe('Outputs.SharedSecurityGroupId');
    expect(output?.location.line).toBe(23);
    expect(result.findings.filter((f) => f.ruleId === 'SGS022').map((f) => [f.resource, f.line])).toEqual([['ForgottenSecurityGroup', 12]]);
  });
});
