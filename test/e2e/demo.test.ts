import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline/scan.js';
import { ALL_CHECKS } from '../../rules/index.js';

const REPO = path.resolve(__dirname, '../..');

/** The demo is written twice; both must give the findings fixtures/demo/README.md lists, at these lines. */
describe('the demo estate', () => {
  it('gives exactly the documented findings in both formats', async () => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: ['fixtures/demo'], cwd: REPO, version: '0', today: '2026-01-01' });
    const got = result.findings.map((f) => `${f.ruleId} ${f.severity} ${f.file.replace('fixtures/demo/', '')}:${f.line} ${f.resource}`).sort();
    expect(got).toEqual(
      [
        // The bastion's SSH rule: one finding, telling the exposure (SGS040) and the unlisted port (SGS005) it folds.
        'SGS001 critical cloudformation/demo.yaml:231 BastionSecurityGroup',
        'SGS001 critical terraform/security.tf:45 aws_security_group.bastion',
        'SGS003 low cloudformation/demo.yaml:274 AppFromBastionIngress',
        'SGS003 low terraform/security.tf:79 aws_vpc_security_group_ingress_rule.app_from_bastion',
        'SGS006 medium terraform/security.tf:129 aws_default_security_group.default',
        'SGS006 medium terraform/security.tf:137 aws_default_security_group.default',
        'SGS009 info terraform/security.tf:137 aws_default_security_group.default',
        'SGS030 low cloudformation/demo.yaml:58 PublicSubnetA',
        'SGS030 low cloudformation/demo.yaml:71 PublicSubnetB',
        'SGS030 low terraform/network.tf:20 aws_subnet.public_a',
        'SGS030 low terraform/network.tf:30 aws_subnet.public_b',
        'SGS031 medium cloudformation/demo.yaml:398 Bastion',
        'SGS031 medium terraform/compute.tf:88 aws_instance.bastion',
        'SGS040 info cloudformation/demo.yaml:312 LoadBalancer',
        'SGS040 info cloudformation/demo.yaml:312 LoadBalancer',
        'SGS040 info terraform/compute.tf:4 aws_lb.web',
        'SGS040 info terraform/compute.tf:4 aws_lb.web',
        // East-west: one finding per admitting rule (bastion -> both app servers; both app servers -> database).
        'SGS041 info cloudformation/demo.yaml:274 AppFromBastionIngress',
        'SGS041 info cloudformation/demo.yaml:301 DbFromAppIngress',
        'SGS041 info terraform/security.tf:113 aws_security_group_rule.db_from_app',
        'SGS041 info terraform/security.tf:79 aws_vpc_security_group_ingress_rule.app_from_bastion',
      ].sort(),
    );
  });

  it('shows the bastion reachable on SSH with its path, and the ALB as public by design', async () => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: ['fixtures/demo/terraform'], cwd: REPO, version: '0' });
    // Told at the SSH rule that opens it, with the exposure's path ending at the bastion.
    const bastion = result.findings.find((f) => f.ruleId === 'SGS001' && f.resource === 'aws_security_group.bastion');
    expect(bastion?.message).toMatch(/^Security group aws_security_group\.bastion allows SSH \(tcp\/22\) from the whole internet \(0\.0\.0\.0\/0\)\. Reachable from the internet: aws_instance\.bastion on tcp\/22 \(SSH\)\.$/);
    expect(bastion?.path?.map((s) => `${s.file.replace('fixtures/demo/terraform/', '')}:${s.line}`)).toEqual([
      'compute.tf:88',
      'network.tf:51',
      'network.tf:76',
      'network.tf:4',
      'security.tf:45',
      'network.tf:4',
      'compute.tf:84',
    ]);
    const alb = result.findings.filter((f) => f.ruleId === 'SGS040' && f.resource === 'aws_lb.web');
    expect(alb.map((f) => f.message)).toEqual([expect.stringContaining('(public by design)'), expect.stringContaining('(public by design)')]);
  });
});
