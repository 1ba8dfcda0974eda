import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { scan } from '../../src/pipeline/scan.js';

// A resource that exists only under a condition reaches, or is reached, only if it exists; two under
// conditions that exclude each other never reach each other (corpus re-read #18, #21: the AD domain
// controllers and the MSK client instances of the provisioned and serverless variants).
const sgs041 = async (file: string) => {
  const { result } = await scan({ checks: ALL_CHECKS, paths: [file], cwd: process.cwd(), version: 't' });
  return result.findings.filter((f) => f.ruleId === 'SGS041');
};

describe('east-west and resource conditions', () => {
  it('CloudFormation: exclusive conditions never reach each other; the bastion possibly reaches whichever exists', async () => {
    const ew = await sgs041('fixtures/endpoints/conditions/template.yaml');
    expect(ew.map((f) => [f.line, f.certainty, f.message])).toEqual([
      [34, 'possible', 'Bastion may reach ClientA and ClientB on tcp/22 (SSH), admitted by security group ClientGroup (if ClientA exists (EnvType = A); or ClientB exists (EnvType = B)).'],
    ]);
  });

  it('Terraform: an instance whose count is not known is possibly reached, naming what it depends on', async () => {
    const ew = await sgs041('fixtures/endpoints/conditions/main.tf');
    expect(ew.map((f) => [f.line, f.certainty])).toEqual([[34, 'possible']]);
    expect(ew[0].message).toMatch(/^aws_instance\.bastion may reach aws_instance\.client_a\[0\] on tcp\/22 \(SSH\), admitted by security group aws_security_group\.client \(if aws_instance\.client_a\[0\] exists \(.*var\.env.*\)\)\.$/);
  });
});
