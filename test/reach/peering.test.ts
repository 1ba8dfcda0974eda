import { describe as suite, expect, test } from 'vitest';
import * as iv from '../../src/sets/interval.js';
import { ALL_ADDRESSES, serviceFrom } from '../../src/sets/setops.js';
import { load } from './helpers.js';

// Peering blockers name the route table that lacks the route (issue 14 class 6, issue 20): here the
// return route from b to a is missing; b's only peering route goes to c.

const ssh = serviceFrom(6, iv.range(22), ALL_ADDRESSES);
const from = (id: string) => ({ kind: 'endpoint', id }) as const;

for (const [format, file, ids] of [
  ['Terraform', undefined, { a: 'aws_instance.a', b: 'aws_instance.b', tableB: 'aws_route_table.b', subnetA: 'aws_subnet.a', subnetB: 'aws_subnet.b', vpcA: 'aws_vpc.a', vpcB: 'aws_vpc.b', lineB: 43 }],
  ['CloudFormation', 'template.yaml', { a: 'InstanceA', b: 'InstanceB', tableB: 'RoutesB', subnetA: 'SubnetA', subnetB: 'SubnetB', vpcA: 'VpcA', vpcB: 'VpcB', lineB: 47 }],
] as const) {
  suite(`a missing return route (${format})`, async () => {
    const { engine } = await load('peering-return', file);

    test('a → b: the blocker is b’s route table, which has no route back to a', () => {
      const r = engine.reach(from(ids.a), ids.b, ssh);
      expect(r.verdict).toBe('not-reachable');
      expect(r.blockers).toEqual([
        {
          file: `fixtures/reach/peering-return/${file ?? "main.tf"}`,
          line: ids.lineB,
          message: `route table ${ids.tableB} of subnet ${ids.subnetB} has no route back to ${ids.a} (10.1.1.0/24) through a peering connection with VPC ${ids.vpcA}, so replies cannot return`,
        },
      ]);
    });

    test('b → a: the same table, which has no route to a', () => {
      const r = engine.reach(from(ids.b), ids.a);
      expect(r.verdict).toBe('not-reachable');
      expect(r.blockers.map((b) => `${b.line} ${b.message}`)).toContain(
        `${ids.lineB} route table ${ids.tableB} of subnet ${ids.subnetB} has no route to ${ids.a} (10.1.1.0/24) through a peering connection with VPC ${ids.vpcA}`,
      );
    });
  });
}

suite('peering is not transitive (peering/main.tf)', async () => {
  const { engine } = await load('peering');

  test('both route tables that send the traffic to the wrong peering are named', () => {
    const r = engine.reach(from('aws_instance.a'), 'aws_instance.c');
    expect(r.verdict).toBe('not-reachable');
    expect(r.blockers.map((b) => `${b.line} ${b.message}`)).toEqual([
      '42 route table aws_route_table.a of subnet aws_subnet.a sends traffic for aws_instance.c (10.3.1.0/24) to aws_vpc_peering_connection.ab, which joins VPC aws_vpc.a and VPC aws_vpc.b, not VPC aws_vpc.c (peering is not transitive)',
      '62 route table aws_route_table.c of subnet aws_subnet.c sends replies for aws_instance.a (10.1.1.0/24) to aws_vpc_peering_connection.bc, which joins VPC aws_vpc.b and VPC aws_vpc.c, not VPC aws_vpc.a (peering is not transitive)',
    ]);
  });
});
