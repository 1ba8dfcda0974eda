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
        'SGS001 critical cloudformation/demo.yaml:231 BastionSecurityGroup',
        'SGS001 critical terraform/security.tf:45 aws_security_group.bastion',
        'SGS003 low cloudformation/demo.yaml:274 AppFromBastionIngress',
        'SGS003 low terraform/security.tf:79 aws_vpc_security_group_ingress_rule.app_from_bastion',
        'SGS005 medium cloudformation/demo.yaml:231 BastionSecurityGroup',
        'SGS005 medium terraform/security.tf:45 aws_security_group.bastion',
        'SGS006 medium terraform/security.tf:129 aws_default_security_group.default',
        'SGS006 medium terraform/security.tf:137 aws_default_security_group.default',
        'SGS009 info terraform/security.tf:137 aws_default_security_group.default',
        'SGS030 low cloudformation/demo.yaml:58 PublicSubnetA',
        'SGS030 low cloudformation/demo.yaml:71 PublicSubnetB',
        'SGS030 low terraform/network.tf:20 aws_subnet.public_a',
        'SGS030 low terraform/network.tf:30 aws_subnet.public_b',
        'SGS031 medium cloudformation/demo.yaml:398 Bastion',
        'SGS031 medium terraform/compute.tf:88 aws_instance.bastion',
        'SGS040 critical cloudformation/demo.yaml:393 Bastion',
        'SGS040 critical terraform/compute.tf:84 aws_instance.bastion',
        'SGS040 info cloudformation/demo.yaml:312 LoadBalancer',
        'SGS040 info cloudformation/demo.yaml:312 LoadBalancer',
        'SGS040 info terraform/compute.tf:4 aws_lb.web',
        'SGS040 info terraform/compute.tf:4 aws_lb.web',
        'SGS041 info cloudformation/demo.yaml:368 AppServerA',
        'SGS041 info cloudformation/demo.yaml:380 AppServerB',
        'SGS041 info cloudformation/demo.yaml:418 Database',
        'SGS041 info cloudformation/demo.yaml:418 Database',
        'SGS041 info terraform/compute.tf:54 aws_instance.app_a',
        'SGS041 info terraform/compute.tf:63 aws_instance.app_b',
        'SGS041 info terraform/database.tf:9 aws_db_instance.main',
        'SGS041 info terraform/database.tf:9 aws_db_instance.main',
      ].sort(),
    );
  });

  it('shows the bastion reachable on SSH with its path, and the ALB as public by design', async () => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: ['fixtures/demo/terraform'], cwd: REPO, version: '0' });
    const bastion = result.findings.find((f) => f.ruleId === 'SGS040' && f.resource === 'aws_instance.bastion');
    expect(bastion?.message).toMatch(/^aws_instance\.bastion is reachable from the internet on tcp\/22 \(SSH\)/);
    expect(bastion?.path?.map((s) => `${s.file.replace('fixtures/demo/terraform/', '')}:${s.line}`)).toEqual([
      'compute.tf:88',
      'network.tf:51',
      'network.tf:76',
      'network.tf:4',
      'security.tf:45',
      'network.tf:4',
    ]);
    const alb = result.findings.filter((f) => f.ruleId === 'SGS040' && f.resource === 'aws_lb.web');
    expect(alb.map((f) => f.message)).toEqual([expect.stringContaining('(public by design)'), expect.stringContaining('(public by design)')]);
  });
});
