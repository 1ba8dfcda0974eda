import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../../src/pipeline/scan.js';
import { ResourceRef } from '../../../src/model/value.js';
import { ALL_CHECKS } from '../../../rules/index.js';

const REPO = path.resolve(__dirname, '../../..');

describe('Fn::Split of a resource reference', () => {
  it('keeps the reference, so the group counts as attached', async () => {
    const { model, result } = await scan({ checks: ALL_CHECKS, paths: ['fixtures/cloudformation/split-ref'], cwd: REPO, version: '0' });
    const instance = model.resources.find((r) => r.address === 'Instance');
    expect(instance?.attributes.SecurityGroupIds).toEqual([new ResourceRef('InstanceSecurityGroup', 'GroupId')]);
    expect(result.findings.filter((f) => f.ruleId === 'SGS022' || f.ruleId === 'SGS020')).toEqual([]);
  });
});
