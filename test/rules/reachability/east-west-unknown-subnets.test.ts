import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { scan } from '../../../src/pipeline/scan.js';

// Two members of one group whose subnets come from values without value: the exposure is possible,
// and the message names what it depends on once (the subnets' sources), not the engine's list of
// unknowns per pair ("a subnet of A is not known (...), the network ACL of the source subnet is not
// known (the subnet is not known), the route from B to A is not known (subnet not known) ...; or ...").
const ROOT = path.resolve(__dirname, '../../..');
const DIR = 'fixtures/east-west/unknown-subnets';

async function sgs041(file: string) {
  const { result } = await scan({ checks: ALL_CHECKS, paths: [`${DIR}/${file}`], cwd: ROOT, version: 'test' });
  return result.findings.filter((f) => f.ruleId === 'SGS041');
}

describe('SGS041 with subnets that are not known', () => {
  it('CloudFormation: parameters SubnetA and SubnetB', async () => {
    const [f, ...more] = await sgs041('template.yaml');
    expect(more).toEqual([]);
    expect([f.line, f.certainty]).toEqual([11, 'possible']);
    expect(f.message).toBe(
      'A and B may reach each other on tcp/5432 (PostgreSQL), admitted by security group Sg (rule SgSelf) ' +
        '(if the network ACLs of their subnets let it through (the subnets come from parameter SubnetA and parameter SubnetB)).',
    );
    // The engine's words stay in the assumptions.
    expect(f.assumptions).toContain('a subnet of A is not known (parameter SubnetA has no value)');
  });

  it('Terraform: var.subnet_a and var.subnet_b', async () => {
    const [f, ...more] = await sgs041('main.tf');
    expect(more).toEqual([]);
    expect([f.line, f.certainty]).toEqual([8, 'possible']);
    expect(f.message).toContain('(if the network ACLs of their subnets let it through (the subnets come from var.subnet_a and var.subnet_b)).');
    expect(f.message).not.toMatch(/not known|has no value/);
  });
});
