import { describe as suite, expect, test } from 'vitest';
import { check as eastWest } from '../../rules/reachability/east-west-exposure.js';
import { check as internetExposure } from '../../rules/reachability/internet-exposure.js';
import { buildModel } from '../../src/pipeline/scan.js';
import { runChecks } from '../../src/pipeline/runner.js';
import { load } from '../reach/helpers.js';

// Instances of an Auto Scaling group are endpoints like instances (issue 14 class 6): groups and the
// public IP from the launch template (Terraform) or launch configuration (CloudFormation), subnets
// from vpc_zone_identifier / VPCZoneIdentifier. The template's associate_public_ip_address wins over
// the subnet default (the subnets here do not map public IPs).

for (const [format, file, ids] of [
  ['Terraform', undefined, { asg: 'aws_autoscaling_group.web', db: 'aws_instance.db', template: 'aws_launch_template.web' }],
  ['CloudFormation', 'template.yaml', { asg: 'WebGroupAsg', db: 'Db', template: 'WebConfig' }],
] as const) {
  suite(`an Auto Scaling group (${format})`, async () => {
    const { engine } = await load('asg', file);

    test('is an endpoint with the template’s groups, the group’s subnets and the template’s public IP', () => {
      const e = engine.endpoint(ids.asg)!;
      expect(e.kind).toBe('asg');
      expect(e.groupsFrom).toBe(ids.template);
      expect(e.subnets).toEqual([format === 'Terraform' ? 'aws_subnet.public' : 'PublicSubnet']);
      expect(e.publicIp.value).toBe(true);
      expect(e.publicIp.reason).toContain(`${ids.template} sets`);
    });

    test('is reachable from the internet on SSH, and reaches the database as a member of its group', () => {
      expect(engine.reach({ kind: 'internet' }, ids.asg).verdict).toBe('reachable');
      expect(engine.reach({ kind: 'endpoint', id: ids.asg }, ids.db).verdict).toBe('reachable');
    });
  });
}

test('SGS040 and SGS041 report the Auto Scaling group like an instance', async () => {
  const model = await buildModel({ paths: ['fixtures/reach/asg'], cwd: process.cwd() });
  expect(runChecks(model, [internetExposure]).map((f) => `${f.severity} ${f.resource} ${f.key}`)).toEqual(['critical aws_autoscaling_group.web internet tcp/22', 'critical WebGroupAsg internet tcp/22']);
  expect(runChecks(model, [eastWest]).map((f) => f.message.replace(/; path: .*/, ''))).toEqual(['aws_autoscaling_group.web can reach aws_instance.db on tcp/5432 (PostgreSQL), admitted by security group aws_security_group.db.', 'WebGroupAsg can reach Db on tcp/5432 (PostgreSQL), admitted by security group DbGroup.']);
});
