import { expect, test } from 'vitest';
import { check as internetExposure } from '../../rules/reachability/internet-exposure.js';
import { buildModel } from '../../src/pipeline/scan.js';
import { runChecks } from '../../src/pipeline/runner.js';

// Review #10: VPCZoneIdentifier is a nested !If on NumberOfSubnets whose branches all select from
// parameter Subnet. The branches disagree only on how many subnets; what the exposure depends on is
// Subnet. CloudFormation only: Terraform has no evaluation per allowed value to merge.

test('SGS040 names the parameter the subnets come from, not the one that counts them', async () => {
  const model = await buildModel({ paths: ['fixtures/reach/subnet-count-branches/template.yaml'], cwd: process.cwd() });
  const findings = runChecks(model, [internetExposure]);
  expect(findings.map((f) => `${f.file}:${f.line} ${f.certainty}`)).toEqual(['fixtures/reach/subnet-count-branches/template.yaml:17 possible']);
  const [f] = findings;
  expect(f.message).toContain('if its security groups (parameter BastionSecurityGroup) admit it and parameter Subnet names a public subnet');
  expect(f.message).not.toContain('NumberOfSubnets');
  expect(f.assumptions.join('\n')).not.toMatch(/NumberOfSubnets|\[/);
  expect(f.assumptions).toContain('a subnet of Bastion is not known (parameter Subnet has no value)');
});
