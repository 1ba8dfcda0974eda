import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { withFolded } from '../../../src/model/check.js';
import { scan } from '../../../src/pipeline/scan.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DIR = 'fixtures/service-ports';

async function sgs061(file: string) {
  const { result } = await scan({ checks: ALL_CHECKS, paths: [file], cwd: ROOT, version: 'test' });
  expect(result.errors).toEqual([]);
  return withFolded(result.findings)
    .filter((f) => f.ruleId === 'SGS061')
    .map((f) => ({ line: f.line, resource: f.resource, certainty: f.certainty, assumptions: f.assumptions, message: f.message }));
}

describe('SGS061 target-port-not-admitted', () => {
  it('the twin positive: at the target group port, naming the target, its groups and the load balancer', async () => {
    expect(await sgs061('fixtures/twins/SGS061-target-port-not-admitted/positive/main.tf')).toEqual([
      {
        line: 36,
        resource: 'aws_lb_target_group.app',
        certainty: 'definite',
        assumptions: [],
        message:
          'Target group aws_lb_target_group.app forwards tcp/8080 from load balancer aws_lb.web to aws_instance.app, but no ingress rule of its security group ' +
          'aws_security_group.app admits it from the load balancer (its group aws_security_group.lb or its subnets): the load balancer cannot reach the target ' +
          'and its health checks fail.',
      },
    ]);
  });

  it('the port an attachment registers a target on wins over the target group port', async () => {
    const found = await sgs061(`${DIR}/attachment-port/main.tf`);
    expect(found.map((f) => [f.line, f.resource, f.certainty])).toEqual([[27, 'aws_lb_target_group.app', 'definite']]);
    expect(found[0].message).toContain('to aws_instance.legacy, but');
  });

  it("a target in the default group of a VPC the scan does not declare: possibly (the VPC's creator may give that group rules)", async () => {
    const [f] = await sgs061(`${DIR}/default-group-unknown-vpc/main.tf`);
    expect(f).toMatchObject({ line: 13, resource: 'aws_lb_target_group.app', certainty: 'possible', assumptions: ["the default group of the VPC, which is not in the scan, keeps AWS's default rules"] });
    expect(f.message).toMatch(/^Possibly: target group aws_lb_target_group\.app forwards tcp\/80 \(HTTP\) .* it names no security group, and the default group of its VPC does not admit it/);
  });
});
