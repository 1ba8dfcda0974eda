// Hand-built networks for engine tests: one VPC 10.0.0.0/16 with an internet gateway, a public
// subnet (10.0.1.0/24, routes 0.0.0.0/0 to the gateway) and a private one (10.0.2.0/24), the
// default NACL allowing everything. Builders take overrides so each test changes one thing.
import { at } from '../../src/model/location.js';
import type { Rule, SecurityGroup } from '../../src/model/model.js';
import { parseCidr } from '../../src/model/peer.js';
import { parsePorts } from '../../src/model/ports.js';
import { parseProtocol } from '../../src/model/protocol.js';
import { ResourceRef } from '../../src/model/value.js';
import type { Endpoint, Nacl, NaclEntry, Network, Route, RouteTable, Subnet } from '../../src/network/model.js';
import { Engine } from '../../src/reach/engine.js';
import { emptyFacts, type ReachFacts } from '../../src/reach/facts.js';

export const F = 'net.tf';

const placed = (id: string, resourceType: string, line: number) => ({ id, format: 'terraform' as const, resourceType, location: at(F, line, line + 3), via: [] });

export function entry(ruleNumber: number, action: 'allow' | 'deny', protocol: string, cidr: string, from?: number, to?: number, line = 100): NaclEntry {
  const p = parseProtocol(protocol);
  return { ruleNumber, action, protocol: p, cidr, ports: p.kind === 'all' ? { kind: 'all' } : parsePorts(p, from, to), resource: 'aws_network_acl.custom', location: at(F, line), via: [], declared: true, attributeLines: {} } as NaclEntry;
}

export function nacl(id: string, ingress: NaclEntry[], egress: NaclEntry[], line = 90): Nacl {
  return { ...placed(id, 'aws_network_acl', line), vpc: 'aws_vpc.main', ingress, egress, subnets: [], isDefault: false, declared: true };
}

const allowAll = (n: number) => [entry(100, 'allow', '-1', '0.0.0.0/0', undefined, undefined, n), entry(101, 'allow', '-1', '::/0', undefined, undefined, n)];

export function route(destination: string, targetKind: Route['targetKind'], target: string, line: number): Route {
  return { destination, targetKind, target: targetKind === 'local' ? 'local' : new ResourceRef(target), location: at(F, line) };
}

export function baseNetwork(): Network {
  const publicRt: RouteTable = { ...placed('aws_route_table.public', 'aws_route_table', 20), vpc: 'aws_vpc.main', isMain: false, routes: [route('10.0.0.0/16', 'local', 'local', 20), route('0.0.0.0/0', 'igw', 'aws_internet_gateway.main', 22)] };
  const privateRt: RouteTable = { ...placed('aws_route_table.private', 'aws_route_table', 30), vpc: 'aws_vpc.main', isMain: true, routes: [route('10.0.0.0/16', 'local', 'local', 30)] };
  const defaultNacl: Nacl = { ...nacl('default-nacl(aws_vpc.main)', [], []), ingress: allowAll(1), egress: allowAll(1), isDefault: true, declared: false };
  for (const e of [...defaultNacl.ingress, ...defaultNacl.egress]) e.declared = false;
  const subnet = (id: string, cidr: string, rt: string, line: number): Subnet => ({
    ...placed(id, 'aws_subnet', line),
    vpc: 'aws_vpc.main',
    cidr,
    mapPublicIpOnLaunch: { value: false, reason: 'map_public_ip_on_launch unset (default false)' },
    routeTable: rt,
    nacl: defaultNacl.id,
  });
  return {
    vpcs: [{ ...placed('aws_vpc.main', 'aws_vpc', 1), cidrs: { ipv4: ['10.0.0.0/16'], ipv6: [] }, internetGateways: ['aws_internet_gateway.main'], mainRouteTable: privateRt.id, defaultNacl: defaultNacl.id }],
    subnets: [subnet('aws_subnet.public', '10.0.1.0/24', publicRt.id, 10), subnet('aws_subnet.private', '10.0.2.0/24', privateRt.id, 14)],
    routeTables: [publicRt, privateRt],
    internetGateways: [{ ...placed('aws_internet_gateway.main', 'aws_internet_gateway', 5), vpc: 'aws_vpc.main' }],
    egressOnlyInternetGateways: [],
    natGateways: [],
    peeringConnections: [],
    nacls: [defaultNacl],
    prefixLists: [],
    endpoints: [],
  };
}

export function instance(id: string, subnet: string, groups: string[], publicIp: boolean, line: number, extra: Partial<Endpoint> = {}): Endpoint {
  return {
    ...placed(id, 'aws_instance', line),
    kind: 'instance',
    securityGroups: groups.map((g) => new ResourceRef(g, 'id')),
    usesDefaultGroup: groups.length === 0,
    subnets: [subnet],
    vpc: 'aws_vpc.main',
    publicIp: publicIp ? { value: true, reason: 'associate_public_ip_address = true', line: line + 1 } : { value: false, reason: 'associate_public_ip_address = false', line: line + 1 },
    listeners: [],
    role: { what: 'an EC2 instance', serves: { kind: 'any' }, opens: { kind: 'any' }, store: false, privateOnly: false },
    ...extra,
  };
}

export function group(address: string, line: number): SecurityGroup {
  return { address, format: 'terraform', resourceType: 'aws_security_group', isDefault: false, location: at(F, line, line + 5), via: [], attributeLines: {}, mixesInlineAndStandalone: false, metadata: {} };
}

let counter = 0;
export function rule(group: string, direction: 'ingress' | 'egress', protocol: string, from: number | undefined, to: number | undefined, peer: string | { group: string }, line: number): Rule {
  const p = parseProtocol(protocol);
  return {
    id: `${group}/${direction}/${counter++}`,
    group,
    direction,
    protocol: p,
    ports: parsePorts(p, from, to),
    peer: typeof peer === 'string' ? parseCidr(peer) : { kind: 'securityGroup', ref: new ResourceRef(peer.group, 'id'), self: false },
    origin: 'inline',
    resource: group,
    resourceType: 'aws_security_group',
    location: at(F, line),
    via: [],
    attributeLines: {},
  };
}

export function allEgress(group: string, line: number): Rule {
  return rule(group, 'egress', '-1', 0, 0, '0.0.0.0/0', line);
}

export function engine(net: Network, groups: SecurityGroup[], rules: Rule[], facts: ReachFacts = emptyFacts()): Engine {
  return new Engine(net, groups, rules, facts);
}
