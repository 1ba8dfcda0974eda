import { describe as suite, expect, test } from 'vitest';
import { buildNetwork } from '../../src/network/build.js';
import { buildModel } from '../../src/pipeline/scan.js';
import { load } from '../reach/helpers.js';

// A route added to a VPC's main route table (issue 14 class 6): Terraform names the table through
// the VPC (`route_table_id = aws_vpc.main.main_route_table_id`); subnets with no explicit association
// use it. CloudFormation cannot name the main table (AWS::EC2::VPC returns no route table id), so a
// template's subnets without an association have the local route only.

const internet = { kind: 'internet' } as const;

suite('routes on the main route table (Terraform)', async () => {
  const { engine } = await load('main-route');

  test('the route is on the main table, and a subnet without an association uses it', async () => {
    const network = buildNetwork(await buildModel({ paths: ['fixtures/reach/main-route/main.tf'], cwd: process.cwd() }));
    const main = network.routeTables.find((t) => t.id === 'main-route-table(aws_vpc.main)');
    expect(main?.routes.map((r) => `${String(r.destination)} ${r.targetKind} ${r.location.line}`)).toEqual(['10.0.0.0/16 local 3', '0.0.0.0/0 igw 13']);
    expect(network.subnets.map((s) => `${s.id} ${String(s.routeTable)}`)).toEqual([
      'aws_subnet.implicit main-route-table(aws_vpc.main)',
      'aws_subnet.explicit_main main-route-table(aws_vpc.main)',
      'aws_subnet.isolated aws_route_table.isolated',
    ]);
  });

  test('reachable through that route; a subnet on a table of its own is not', () => {
    const r = engine.reach(internet, 'aws_instance.implicit');
    expect(r.verdict).toBe('reachable');
    expect(r.path.map((h) => `${h.line} ${h.message}`)).toContain('13 route 0.0.0.0/0 → aws_internet_gateway.main in main-route-table(aws_vpc.main) (subnet aws_subnet.implicit)');
    expect(engine.reach(internet, 'aws_instance.explicit_main').verdict).toBe('reachable');
    expect(engine.reach(internet, 'aws_instance.isolated').verdict).toBe('not-reachable');
  });
});

suite('the main route table (CloudFormation)', async () => {
  const { engine } = await load('main-route', 'template.yaml');

  test('a subnet without an association has the main table’s local route only; an associated one is public', () => {
    const r = engine.reach(internet, 'ImplicitInstance');
    expect(r.verdict).toBe('not-reachable');
    expect(r.blockers.map((b) => `${b.line} ${b.message}`)).toEqual(['6 route table main-route-table(Vpc) of subnet Implicit has no route to an internet gateway']);
    expect(engine.reach(internet, 'AssociatedInstance').verdict).toBe('reachable');
  });
});
