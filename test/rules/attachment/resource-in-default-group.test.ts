import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { withFolded } from '../../../src/model/check.js';
import { buildNetwork } from '../../../src/network/build.js';
import { buildModel, scan } from '../../../src/pipeline/scan.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function sgs020(file: string) {
  const { result } = await scan({ checks: ALL_CHECKS, paths: [file], cwd: ROOT, version: 'test' });
  expect(result.errors).toEqual([]);
  return withFolded(result.findings)
    .filter((f) => f.ruleId === 'SGS020')
    .map((f) => ({ file: f.file, line: f.line, resource: f.resource, message: f.message }));
}

// Review #51: a Classic Load Balancer without groups in the default VPC (availability zones, no
// subnets) gets ELB's own default_elb_<id> group, not the VPC's default group. With subnets of a
// nondefault VPC it does get that VPC's default group (ELB guide, "Configure security groups for
// your Classic Load Balancer").
describe('SGS020 Classic Load Balancer without security groups', () => {
  it('Terraform: reports only the ELB with subnets, at its resource line', async () => {
    const file = 'fixtures/review/sgs020-classic-elb/main.tf';
    expect(await sgs020(file)).toEqual([
      { file, line: 25, resource: 'aws_elb.in_vpc', message: "load balancer aws_elb.in_vpc names no security group, so AWS places it in the VPC's default security group" },
    ]);
  });

  it('CloudFormation: reports only the ELB with subnets, at its resource line', async () => {
    const file = 'fixtures/review/sgs020-classic-elb/template.yaml';
    expect(await sgs020(file)).toEqual([
      { file, line: 23, resource: 'InVpcElb', message: "load balancer InVpcElb names no security group, so AWS places it in the VPC's default security group" },
    ]);
  });

  it('the default-VPC ELB is in ELB\'s default_elb group (reach paths name it), the other in the VPC default group', async () => {
    for (const [file, inDefaultVpc, inVpc] of [
      ['fixtures/review/sgs020-classic-elb/main.tf', 'aws_elb.default_vpc', 'aws_elb.in_vpc'],
      ['fixtures/review/sgs020-classic-elb/template.yaml', 'DefaultVpcElb', 'InVpcElb'],
    ]) {
      const model = await buildModel({ paths: [file], cwd: ROOT });
      const byId = new Map(buildNetwork(model).endpoints.map((e) => [e.id, e]));
      expect(byId.get(inDefaultVpc)).toMatchObject({ usesDefaultGroup: false, securityGroups: [], providedGroup: "ELB's default_elb group of the default VPC, which admits the listener ports" });
      expect(byId.get(inVpc)?.usesDefaultGroup).toBe(true);
      expect(byId.get(inVpc)?.providedGroup).toBeUndefined();
    }
  });
});
