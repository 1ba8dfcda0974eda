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
  it('the twin positive: at the group that lacks the rule, naming the load balancer, the port, the target group and the target', async () => {
    expect(await sgs061('fixtures/twins/SGS061-target-port-not-admitted/positive/main.tf')).toEqual([
      {
        line: 16,
        resource: 'aws_security_group.app',
        certainty: 'definite',
        assumptions: [],
        message:
          'Load balancer aws_lb.web forwards tcp/8080 through target group aws_lb_target_group.app to aws_instance.app, but no ingress rule of its security group ' +
          'aws_security_group.app admits it from the load balancer (its group aws_security_group.lb or its subnets): the load balancer cannot reach the target ' +
          'and its health checks fail.',
      },
    ]);
  });

  it('the twin positive in CloudFormation: at the group too', async () => {
    const found = await sgs061('fixtures/twins/SGS061-target-port-not-admitted/positive/template.yaml');
    expect(found.map((f) => [f.line, f.resource, f.certainty])).toEqual([[17, 'AppSecurityGroup', 'definite']]);
    expect(found[0].message).toBe(
      'Load balancer LoadBalancer forwards tcp/8080 through target group AppTargetGroup to App, but no ingress rule of its security group AppSecurityGroup ' +
        'admits it from the load balancer (its group LoadBalancerSecurityGroup or its subnets): the load balancer cannot reach the target and its health checks fail.',
    );
  });

  it('the port an attachment registers a target on wins over the target group port', async () => {
    const found = await sgs061(`${DIR}/attachment-port/main.tf`);
    expect(found.map((f) => [f.line, f.resource, f.certainty])).toEqual([[7, 'aws_security_group.app', 'definite']]);
    expect(found[0].message).toContain('forwards tcp/80 (HTTP) through target group aws_lb_target_group.app to aws_instance.legacy, but');
  });

  it("a target in the default group of a VPC the scan does not declare: possibly (the VPC's creator may give that group rules), at the target", async () => {
    const [f] = await sgs061(`${DIR}/default-group-unknown-vpc/main.tf`);
    expect(f).toMatchObject({ line: 30, resource: 'aws_instance.app', certainty: 'possible', assumptions: ["the default group of the VPC, which is not in the scan, keeps AWS's default rules"] });
    expect(f.message).toMatch(
      /^Possibly: load balancer aws_lb\.web forwards tcp\/80 \(HTTP\) through target group aws_lb_target_group\.app to aws_instance\.app, but it names no security group, and the default group of its VPC does not admit it/,
    );
  });

  // Terraform and CloudFormation twins of one design: several target groups of one load balancer.
  const SEVERAL = [
    {
      file: `${DIR}/several-target-groups/main.tf`,
      lb: 'aws_lb.net',
      tg: (n: string) => `aws_lb_target_group.${n}`,
      bare: ['aws_instance.bare', 107],
      spare: ['aws_instance.spare', 113],
      group: ['aws_security_group.app', 19],
      app: 'aws_instance.app and aws_instance.worker',
      lbGroup: 'aws_security_group.lb',
      tgLines: { one: 40, two: 46, three: 52, four: 58 },
    },
    {
      file: `${DIR}/several-target-groups/template.yaml`,
      lb: 'LoadBalancer',
      tg: (n: string) => `${n[0].toUpperCase()}${n.slice(1)}TargetGroup`,
      bare: ['Bare', 109],
      spare: ['Spare', 115],
      group: ['AppSecurityGroup', 20],
      app: 'App and Worker',
      lbGroup: 'LoadBalancerSecurityGroup',
      tgLines: { one: 42, two: 50, three: 58, four: 67 },
    },
  ] as const;

  for (const t of SEVERAL) {
    describe(t.file.endsWith('.tf') ? 'several target groups (Terraform)' : 'several target groups (CloudFormation)', () => {
      it('one finding per thing to fix: the ungrouped instance behind three target groups once, the other ungrouped instance, the group lacking the rule', async () => {
        const found = await sgs061(t.file);
        expect(found.map((f) => [f.line, f.resource, f.certainty])).toEqual([
          [t.group[1], t.group[0], 'definite'],
          [t.bare[1], t.bare[0], 'definite'],
          [t.spare[1], t.spare[0], 'definite'],
        ]);
        const [group, bare, spare] = found;
        expect(bare.message).toBe(
          `Load balancer ${t.lb} forwards tcp/81, udp/81-82 and tcp/83 through target groups ${t.tg('one')}, ${t.tg('two')} and ${t.tg('three')} to ${t.bare[0]}, ` +
            `but it names no security group, and the default group of its VPC does not admit it from the load balancer (its group ${t.lbGroup} or its subnets): ` +
            'the load balancer cannot reach the target and its health checks fail.',
        );
        expect(spare.message).toMatch(new RegExp(`^Load balancer ${t.lb} forwards tcp/83 through target group ${t.tg('three')} to ${t.spare[0]}, but it names no security group`));
        expect(group.message).toMatch(
          new RegExp(`^Load balancer ${t.lb} forwards tcp/84 through target group ${t.tg('four')} to ${t.app}, but no ingress rule of their security group ${t.group[0]} admits it`),
        );
      });

      it('the target group ports are the related locations (the path), the load balancer first', async () => {
        const { result } = await scan({ checks: ALL_CHECKS, paths: [t.file], cwd: ROOT, version: 'test' });
        const bare = withFolded(result.findings).find((f) => f.ruleId === 'SGS061' && f.resource === t.bare[0])!;
        expect(bare.path!.map((s) => [s.line, s.message])).toEqual([
          [expect.any(Number), `load balancer ${t.lb}`],
          [t.tgLines.one, `target group ${t.tg('one')} forwards tcp/81 and udp/81`],
          [t.tgLines.two, `target group ${t.tg('two')} forwards udp/82`],
          [t.tgLines.three, `target group ${t.tg('three')} forwards tcp/83`],
        ]);
      });

      it("the report tells an ungrouped target once: SGS020's finding on the same instance folds into it", async () => {
        const { result } = await scan({ checks: ALL_CHECKS, paths: [t.file], cwd: ROOT, version: 'test' });
        const atBare = result.findings.filter((f) => f.line === t.bare[1]);
        expect(atBare.map((f) => [f.ruleId, f.severity, (f.folded ?? []).map((x) => x.ruleId)])).toEqual([['SGS061', 'medium', ['SGS020']]]);
      });
    });
  }
});
