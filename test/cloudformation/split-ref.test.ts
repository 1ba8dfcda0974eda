import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { ResourceRef } from '../../src/model/value.js';

const REPO = path.resolve(__dirname, '../..');

describe('Fn::Split of a resource reference', () => {
  it('keeps the reference, so the group counts as attached', async () => {
    const { model, result } = await scan({ paths: ['fixtures/cloudformation/split-ref'], cwd: REPO, version: '0' });
    const instance = model.resources.find((r) => r.address === 'Instance');
    expect(instance?.attributes.SecurityGroupIds).toEqual([new ResourceRef('InstanceSecurityGroup', 'GroupId')]);
    expect(result.findings.filter((f) => f.ruleId === 'SGS022' || f.ruleId === 'SGS020')).toEqual([]);
  });
});
