import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../../src/pipeline/scan.js';
import { ALL_CHECKS } from '../../../rules/index.js';

const REPO = path.resolve(__dirname, '../../..');

describe('findings on CDK output', () => {
  it('name the construct path, not only the synthesized logical ID', async () => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: ['fixtures/cloudformation/cdk.json'], cwd: REPO, version: '0' });
    const f = result.findings.find((x) => x.resource === 'LegacyNoEgressSG');
    expect(f?.line).toBe(20);
    expect(f?.message).toMatch(/\(CDK construct Stack\/Legacy\/Resource\)$/);
  });
});
