import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { defaultConfig } from '../../../src/config/index.js';
import { scan } from '../../../src/pipeline/scan.js';

const DIR = 'fixtures/twins/SGS052-load-balancer-group-without-rules';

async function findings(file: string) {
  const { result } = await scan({ checks: ALL_CHECKS, paths: [file], cwd: process.cwd(), version: 'test', config: { ...defaultConfig(), preset: 'strict' } });
  return result.findings.filter((f) => f.ruleId === 'SGS052').map((f) => [f.resource, f.certainty, f.message]).sort();
}

describe('SGS052 load-balancer-group-without-rules', () => {
  it('an egress-less group in front of IP targets is definite; rules are counted as AWS applies them', async () => {
    expect(await findings(`${DIR}/positive/main.tf`)).toEqual([
      ['aws_lb.internal', 'definite', 'Load balancer aws_lb.internal: its security group aws_security_group.internal_lb has no egress rule, so it cannot reach its targets (nor health-check them)'],
      ['aws_lb.web', 'definite', 'Load balancer aws_lb.web: its security group aws_security_group.lb has no ingress rule, so no client can reach its listeners'],
    ]);
    // The CloudFormation group without SecurityGroupEgress keeps the implicit allow-all egress.
    expect(await findings(`${DIR}/positive/template.yaml`)).toEqual([
      ['Web', 'definite', 'Load balancer Web: its security group LbSecurityGroup has no ingress rule, so no client can reach its listeners'],
    ]);
  });
});
