import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { withFolded } from '../../../src/model/check.js';
import { scan } from '../../../src/pipeline/scan.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DIR = 'fixtures/service-ports';

async function sgs060(file: string) {
  const { result } = await scan({ checks: ALL_CHECKS, paths: [file], cwd: ROOT, version: 'test' });
  expect(result.errors).toEqual([]);
  return withFolded(result.findings)
    .filter((f) => f.ruleId === 'SGS060')
    .map((f) => ({ file: f.file, line: f.line, resource: f.resource, certainty: f.certainty, message: f.message }));
}

describe('SGS060 rule-port-not-served', () => {
  it('the twin positive names the member, its port and why (Terraform and CloudFormation)', async () => {
    const tf = await sgs060('fixtures/twins/SGS060-rule-port-not-served/positive/main.tf');
    expect(tf[0]).toEqual({
      file: 'fixtures/twins/SGS060-rule-port-not-served/positive/main.tf',
      line: 10,
      resource: 'aws_security_group.db',
      certainty: 'definite',
      message:
        'Security group aws_security_group.db admits tcp port 3306 (MySQL), but its only member, aws_rds_cluster.db (an RDS database cluster), ' +
        'listens on tcp/5432 only (engine aurora-postgresql listens on 5432): the rule admits nothing.',
    });
    const cfn = await sgs060('fixtures/twins/SGS060-rule-port-not-served/positive/template.yaml');
    expect(cfn.map((f) => f.message)[1]).toBe(
      'Security group CacheSecurityGroup (rule CacheDefaultPort) admits tcp port 6379 (Redis), but its only member, Cache (an ElastiCache cluster), ' +
        'listens on tcp/6380 only (Cache sets Port = 6380): the rule admits nothing.',
    );
  });

  it('a group also passed to a module that is not scanned is not judged; without the module it is', async () => {
    expect(await sgs060(`${DIR}/module-not-scanned/main.tf`)).toEqual([]);
    expect((await sgs060(`${DIR}/module-absent/main.tf`)).map((f) => f.line)).toEqual([6]);
  });

  it('a group an instance may be in (groups chosen by a condition, a group looked up by name) is not judged', async () => {
    expect(await sgs060(`${DIR}/condition/template.yaml`)).toEqual([]);
    expect(await sgs060(`${DIR}/group-lookup/main.tf`)).toEqual([]);
  });

  it("a load balancer listens on its listeners' ports; one whose listeners are not in the scan is not judged", async () => {
    const tf = await sgs060(`${DIR}/alb/main.tf`);
    expect(tf.map((f) => [f.line, f.resource])).toEqual([[13, 'aws_security_group.lb']]);
    expect(tf[0].message).toBe(
      'Security group aws_security_group.lb admits tcp port 80 (HTTP), but its only member, aws_lb.internal (a load balancer), listens on tcp/443 only ' +
        '(listener aws_lb_listener.https): the rule admits nothing.',
    );
    const cfn = await sgs060(`${DIR}/alb/template.yaml`);
    expect(cfn.map((f) => [f.line, f.resource])).toEqual([[14, 'LoadBalancerSecurityGroup']]);
  });

  it('several members: the ports of all of them, each with its reason', async () => {
    const [f] = await sgs060(`${DIR}/two-members/main.tf`);
    expect(f.message).toBe(
      'Security group aws_security_group.db admits tcp port 3306 (MySQL), but its 2 members listen on tcp/5432 and tcp/5433 only: ' +
        'aws_db_instance.a (engine postgres listens on 5432) and aws_db_instance.b (aws_db_instance.b sets port = 5433): the rule admits nothing.',
    );
  });
});

describe('membershipOf', () => {
  // Deterministic count, not a timing: the members of each group are found from an index of the
  // references, so each group's address is read a few times, not once per resource of the namespace.
  it('reads each group address a bounded number of times, however many resources there are', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const { buildModel } = await import('../../../src/pipeline/scan.js');
    const { reachContext } = await import('../../../src/reach/exposure.js');
    const { membershipOf } = await import('../../../rules/attachment/rule-port-not-served.js');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sgs060-'));
    try {
      const n = 60;
      const tf: string[] = ['resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n', 'resource "aws_subnet" "a" {\n  vpc_id     = aws_vpc.main.id\n  cidr_block = "10.0.1.0/24"\n}\n'];
      for (let i = 0; i < n; i++) {
        tf.push(`resource "aws_security_group" "g${i}" {\n  vpc_id = aws_vpc.main.id\n}\n`);
        tf.push(`resource "aws_db_instance" "db${i}" {\n  engine                 = "postgres"\n  db_subnet_group_name   = "x"\n  vpc_security_group_ids = [aws_security_group.g${i}.id]\n}\n`);
      }
      writeFileSync(path.join(dir, 'main.tf'), tf.join('\n'));
      const model = await buildModel({ paths: [dir], cwd: dir });
      const [part] = reachContext(model).parts;
      let reads = 0;
      for (const g of part.model.groups) {
        const address = g.address;
        Object.defineProperty(g, 'address', { get: () => (reads++, address), configurable: true });
      }
      const m = membershipOf(part.model, part.engine, model.notices);
      expect(part.model.groups.length).toBe(n);
      for (const [g, { members }] of m) expect(members.map((e) => e.id)).toEqual([g.address.replace('aws_security_group.g', 'aws_db_instance.db')]);
      // n groups × (2n + 2) resources read pairwise would be thousands of reads.
      expect(reads).toBeLessThanOrEqual(4 * n);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
