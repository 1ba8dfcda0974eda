import { describe, expect, it } from 'vitest';
import { at } from '../../src/model/location.js';
import { emptyModel, type Model, type NetworkResource } from '../../src/model/model.js';
import { ResourceRef, Unknown, type Value } from '../../src/model/value.js';
import { buildNetwork } from '../../src/network/build.js';
import type { Network } from '../../src/network/model.js';
import { analyzeEntries } from '../../src/network/nacl-analysis.js';
import { isPublicSubnet } from '../../src/network/query.js';
import { buildModel } from '../../src/pipeline/scan.js';

const ROOT = new URL('../..', import.meta.url).pathname;

async function networkOf(path: string): Promise<Network> {
  const model = await buildModel({ paths: [path], cwd: ROOT});
  expect(model.errors).toEqual([]);
  return buildNetwork(model);
}

/** The shape of a network with format-specific names mapped to roles, for comparing twins. */
function shape(n: Network, names: Record<string, string>) {
  const name = (id: unknown) => (typeof id === 'string' ? (names[id] ?? id) : id instanceof ResourceRef ? (names[id.address] ?? id.address) : 'unknown');
  return {
    vpcs: n.vpcs.map((v) => ({ id: name(v.id), ipv4: v.cidrs.ipv4, igws: v.internetGateways.map(name) })),
    subnets: n.subnets.map((s) => ({
      id: name(s.id),
      vpc: name(s.vpc),
      cidr: s.cidr,
      public: isPublicSubnet(n, s),
      mapPublicIp: s.mapPublicIpOnLaunch.value,
      routeTable: name(s.routeTable),
      nacl: name(s.nacl),
    })),
    nacls: n.nacls.map((x) => ({ id: name(x.id), isDefault: x.isDefault, declared: x.declared, subnets: x.subnets.map(name).sort() })),
    endpoints: n.endpoints.map((e) => ({
      id: name(e.id),
      kind: e.kind,
      groups: e.securityGroups.map(name),
      usesDefaultGroup: e.usesDefaultGroup,
      subnets: e.subnets.map(name),
      vpc: name(e.vpc),
      publicIp: e.publicIp.value,
      listeners: e.listeners.map((l) => ({ port: l.port, targets: l.targets.map(name) })),
    })),
  };
}

const TF: Record<string, string> = {
  'aws_vpc.main': 'vpc',
  'aws_internet_gateway.main': 'igw',
  'aws_subnet.public_a': 'public-a',
  'aws_subnet.public_b': 'public-b',
  'aws_subnet.private_a': 'private-a',
  'aws_subnet.private_b': 'private-b',
  'aws_route_table.public': 'rt-public',
  'aws_route_table.private': 'rt-private',
  'default-nacl(aws_vpc.main)': 'default-nacl',
  'aws_lb.web': 'alb',
  'aws_instance.app_a': 'app-a',
  'aws_instance.app_b': 'app-b',
  'aws_instance.bastion': 'bastion',
  'aws_db_instance.main': 'db',
  'aws_security_group.alb': 'sg-alb',
  'aws_security_group.app': 'sg-app',
  'aws_security_group.bastion': 'sg-bastion',
  'aws_security_group.db': 'sg-db',
};
const CFN: Record<string, string> = {
  Vpc: 'vpc',
  InternetGateway: 'igw',
  PublicSubnetA: 'public-a',
  PublicSubnetB: 'public-b',
  PrivateSubnetA: 'private-a',
  PrivateSubnetB: 'private-b',
  PublicRouteTable: 'rt-public',
  PrivateRouteTable: 'rt-private',
  'default-nacl(Vpc)': 'default-nacl',
  LoadBalancer: 'alb',
  AppServerA: 'app-a',
  AppServerB: 'app-b',
  Bastion: 'bastion',
  Database: 'db',
  AlbSecurityGroup: 'sg-alb',
  AppSecurityGroup: 'sg-app',
  BastionSecurityGroup: 'sg-bastion',
  DbSecurityGroup: 'sg-db',
};

describe('buildNetwork on the demo twins', () => {
  it('gives the same network shape for Terraform and CloudFormation', async () => {
    const tf = shape(await networkOf('fixtures/demo/terraform'), TF);
    const cfn = shape(await networkOf('fixtures/demo/cloudformation'), CFN);
    const byId = <T extends { id: unknown }>(xs: T[]) => [...xs].sort((a, b) => String(a.id).localeCompare(String(b.id)));
    expect(byId(tf.subnets)).toEqual(byId(cfn.subnets));
    expect(byId(tf.nacls)).toEqual(byId(cfn.nacls));
    expect(byId(tf.endpoints)).toEqual(byId(cfn.endpoints));
    expect(tf.vpcs).toEqual(cfn.vpcs);
  });

  it('knows which subnets are public, their route tables and the default NACL', async () => {
    const n = shape(await networkOf('fixtures/demo/terraform'), TF);
    expect(n.vpcs).toEqual([{ id: 'vpc', ipv4: ['10.0.0.0/16'], igws: ['igw'] }]);
    expect(n.subnets.map((s) => [s.id, s.public, s.mapPublicIp, s.routeTable, s.nacl])).toEqual([
      ['public-a', true, true, 'rt-public', 'default-nacl'],
      ['public-b', true, true, 'rt-public', 'default-nacl'],
      ['private-a', false, false, 'rt-private', 'default-nacl'],
      ['private-b', false, false, 'rt-private', 'default-nacl'],
    ]);
    expect(n.nacls).toEqual([{ id: 'default-nacl', isDefault: true, declared: false, subnets: ['private-a', 'private-b', 'public-a', 'public-b'] }]);
  });

  it('gives endpoints their groups, subnets, public IP verdicts and listeners', async () => {
    const n = shape(await networkOf('fixtures/demo/cloudformation'), CFN);
    const e = Object.fromEntries(n.endpoints.map((x) => [x.id, x]));
    expect(e.alb).toMatchObject({ kind: 'lb', groups: ['sg-alb'], subnets: ['public-a', 'public-b'], publicIp: true, usesDefaultGroup: false });
    expect(e.alb.listeners).toEqual([
      { port: 443, targets: ['app-a', 'app-b'] },
      { port: 80, targets: [] },
    ]);
    expect(e.bastion).toMatchObject({ kind: 'instance', groups: ['sg-bastion'], subnets: ['public-a'], publicIp: true });
    expect(e['app-a']).toMatchObject({ groups: ['sg-app'], publicIp: false, vpc: 'vpc' });
    expect(e.db).toMatchObject({ kind: 'db', groups: ['sg-db'], subnets: ['private-a', 'private-b'], publicIp: false });
  });

  it('points facts at the attribute lines', async () => {
    const n = await networkOf('fixtures/demo/terraform');
    const bastion = n.endpoints.find((x) => x.id === 'aws_instance.bastion')!;
    expect(bastion.publicIp).toEqual({ value: true, reason: 'associate_public_ip_address = true', line: 88 });
    expect(n.subnets.find((s) => s.id === 'aws_subnet.public_a')!.mapPublicIpOnLaunch.line).toBe(20);
    const lb = n.endpoints.find((x) => x.id === 'aws_lb.web')!;
    expect(lb.publicIp).toEqual({ value: true, reason: 'internal = false', line: 6 });
  });
});

// ---- hand-made models -------------------------------------------------------------------------

function res(address: string, resourceType: string, attributes: Record<string, Value>, line = 1, format: 'terraform' | 'cloudformation' = 'terraform'): NetworkResource {
  const attributeLines = Object.fromEntries(Object.keys(attributes).map((k, i) => [k, line + 1 + i]));
  return { address, format, resourceType, location: at('main.tf', line, line + 10), via: [], attributes, attributeLines, metadata: {} };
}

function model(...resources: NetworkResource[]): Model {
  return { ...emptyModel(), resources };
}

const ref = (a: string, attr = 'id') => new ResourceRef(a, attr);

describe('buildNetwork details', () => {
  it('carries unresolvable links as Unknown, never guessing', () => {
    const n = buildNetwork(
      model(
        res('aws_subnet.a', 'aws_subnet', { vpc_id: new Unknown('var.vpc_id has no value'), cidr_block: '10.0.0.0/24' }),
        res('aws_instance.x', 'aws_instance', { subnet_id: ref('aws_subnet.a'), vpc_security_group_ids: new Unknown('var.groups has no value') }),
      ),
    );
    const s = n.subnets[0];
    expect(s.vpc).toBeInstanceOf(Unknown);
    expect(s.routeTable).toBeInstanceOf(Unknown);
    expect(isPublicSubnet(n, s)).toBeInstanceOf(Unknown);
    const e = n.endpoints[0];
    expect(e.securityGroups).toHaveLength(1);
    expect(e.securityGroups[0]).toBeInstanceOf(Unknown);
    expect(e.usesDefaultGroup).toBe(false);
    expect(e.publicIp.value).toBe(false);
  });

  it('flags resources that take groups but name none, and not those that get them elsewhere', () => {
    const n = buildNetwork(
      model(
        res('aws_instance.bare', 'aws_instance', { ami: 'ami-1' }),
        res('aws_db_instance.aurora', 'aws_db_instance', { cluster_identifier: ref('aws_rds_cluster.c') }),
        res('aws_rds_cluster.c', 'aws_rds_cluster', { vpc_security_group_ids: [ref('aws_security_group.db')] }),
        res('aws_lb.nlb', 'aws_lb', { load_balancer_type: 'network' }),
        res('aws_lb.alb', 'aws_lb', {}),
        res('aws_launch_template.t', 'aws_launch_template', { image_id: 'ami-1' }),
        res('aws_autoscaling_group.g', 'aws_autoscaling_group', { launch_template: [{ id: ref('aws_launch_template.t') }] }),
        res('aws_lambda_function.outside_vpc', 'aws_lambda_function', {}),
      ),
    );
    const flags = Object.fromEntries(n.endpoints.map((e) => [e.id, e.usesDefaultGroup]));
    expect(flags).toEqual({
      'aws_instance.bare': true,
      'aws_db_instance.aurora': false,
      'aws_rds_cluster.c': false,
      'aws_lb.nlb': false,
      'aws_lb.alb': true,
      'aws_launch_template.t': false,
      'aws_autoscaling_group.g': true,
    });
    expect(n.endpoints.find((e) => e.id === 'aws_db_instance.aurora')!.securityGroups).toEqual([ref('aws_security_group.db')]);
    // An instance with no subnet launches in the default VPC, whose subnets map public IPs.
    expect(n.endpoints.find((e) => e.id === 'aws_instance.bare')!.publicIp.value).toBeInstanceOf(Unknown);
  });

  it('reads Terraform NACLs and their associations; CloudFormation DBs default by internet gateway', () => {
    const n = buildNetwork(
      model(
        res('aws_vpc.v', 'aws_vpc', { cidr_block: '10.0.0.0/16' }),
        res('aws_subnet.s', 'aws_subnet', { vpc_id: ref('aws_vpc.v'), cidr_block: '10.0.0.0/24' }),
        res('aws_network_acl.n', 'aws_network_acl', {
          vpc_id: ref('aws_vpc.v'),
          ingress: [{ rule_no: 100, action: 'allow', protocol: 'tcp', cidr_block: '0.0.0.0/0', from_port: 22, to_port: 22 }],
        }),
        res('aws_network_acl_rule.r', 'aws_network_acl_rule', { network_acl_id: ref('aws_network_acl.n'), rule_number: 50, egress: true, protocol: '-1', rule_action: 'deny', cidr_block: '10.9.0.0/16' }),
        res('aws_network_acl_association.a', 'aws_network_acl_association', { network_acl_id: ref('aws_network_acl.n'), subnet_id: ref('aws_subnet.s') }),
      ),
    );
    const acl = n.nacls.find((x) => x.id === 'aws_network_acl.n')!;
    expect(acl.subnets).toEqual(['aws_subnet.s']);
    expect(n.subnets[0].nacl).toBe('aws_network_acl.n');
    expect(acl.ingress.map((e) => [e.ruleNumber, e.action, e.cidr, e.ports])).toEqual([[100, 'allow', '0.0.0.0/0', { kind: 'range', from: 22, to: 22 }]]);
    expect(acl.egress.map((e) => [e.ruleNumber, e.action, e.protocol.kind, e.location.line])).toEqual([[50, 'deny', 'all', 1]]);

    const cfn = (withIgw: boolean) =>
      buildNetwork(
        model(
          res('Vpc', 'AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' }, 1, 'cloudformation'),
          ...(withIgw
            ? [res('Igw', 'AWS::EC2::InternetGateway', {}, 5, 'cloudformation'), res('Att', 'AWS::EC2::VPCGatewayAttachment', { VpcId: ref('Vpc', ''), InternetGatewayId: ref('Igw', '') }, 8, 'cloudformation')]
            : []),
          res('Sub', 'AWS::EC2::Subnet', { VpcId: ref('Vpc', ''), CidrBlock: '10.0.0.0/24' }, 12, 'cloudformation'),
          res('Group', 'AWS::RDS::DBSubnetGroup', { SubnetIds: [ref('Sub', '')] }, 16, 'cloudformation'),
          res('Db', 'AWS::RDS::DBInstance', { DBSubnetGroupName: ref('Group', ''), VPCSecurityGroups: ['sg-1'] }, 20, 'cloudformation'),
        ),
      ).endpoints.find((e) => e.id === 'Db')!.publicIp.value;
    expect(cfn(true)).toBe(true);
    expect(cfn(false)).toBe(false);
  });
});

describe('analyzeEntries (first match per entry)', () => {
  const entry = (ruleNumber: number | Unknown, action: 'allow' | 'deny', cidr: string, from: number, to: number) => ({
    ruleNumber,
    action,
    protocol: { kind: 'number' as const, number: 6 },
    cidr,
    ports: { kind: 'range' as const, from, to },
    resource: 'acl',
    location: at('main.tf', 1),
    via: [],
    declared: true,
    attributeLines: {},
  });

  it('evaluates in rule-number order, not written order, and finds shadowed entries', () => {
    const v = analyzeEntries([entry(200, 'allow', '0.0.0.0/0', 22, 22), entry(100, 'deny', '0.0.0.0/0', 0, 1023)]);
    expect(v.map((x) => x.entry.ruleNumber)).toEqual([100, 200]);
    expect(v[1].effective && v[1].effective.ipv4.length).toBe(0);
  });

  it('marks entries after an unknown one as uncertain', () => {
    const v = analyzeEntries([entry(new Unknown('var.n'), 'deny', '0.0.0.0/0', 22, 22), entry(100, 'allow', '0.0.0.0/0', 22, 22)]);
    const allow = v.find((x) => x.entry.ruleNumber === 100)!;
    expect(allow.uncertainBefore).toHaveLength(1);
  });
});
