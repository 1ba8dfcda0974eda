import { at, type SourceLocation } from '../model/location.js';
import type { Model, NetworkResource } from '../model/model.js';
import { parseCidr } from '../model/peer.js';
import { parsePorts } from '../model/ports.js';
import { parseProtocol, type Protocol } from '../model/protocol.js';
import { ResourceRef, Unknown, type Value, describeValue } from '../model/value.js';
import { buildEndpoints } from './endpoints.js';
import { managedById, managedByName } from './managed-prefix-lists.js';
import type {
  EgressOnlyInternetGateway,
  InternetGateway,
  Nacl,
  NaclEntry,
  NatGateway,
  Network,
  PeeringConnection,
  Placed,
  PrefixList,
  Route,
  RouteTable,
  RouteTargetKind,
  Subnet,
  Vpc,
} from './model.js';
import { partitionModel } from './query.js';
import { ResourceIndex, SUBNET_TYPES, VPC_TYPES, attr, field, items, list, placed, toBool, toInt, toText, typeSet } from './resolve.js';
import { addTo, append } from '../model/arrays.js';

// Model → Network: the format-independent network. Pure; unresolvable links become Unknown.

const IGW_TYPES = typeSet('aws_internet_gateway', 'AWS::EC2::InternetGateway');
const EIGW_TYPES = typeSet('aws_egress_only_internet_gateway', 'AWS::EC2::EgressOnlyInternetGateway');
const NAT_TYPES = typeSet('aws_nat_gateway', 'AWS::EC2::NatGateway');
const EIP_TYPES = typeSet('aws_eip', 'AWS::EC2::EIP');
const PEERING_TYPES = typeSet('aws_vpc_peering_connection', 'AWS::EC2::VPCPeeringConnection');
const ROUTE_TABLE_TYPES = typeSet('aws_route_table', 'aws_default_route_table', 'AWS::EC2::RouteTable');
const NACL_TYPES = typeSet('aws_network_acl', 'aws_default_network_acl', 'AWS::EC2::NetworkAcl');
const PREFIX_LIST_TYPES = typeSet('aws_ec2_managed_prefix_list', 'AWS::EC2::PrefixList');

export function buildNetwork(model: Model): Network {
  const parts = partitionModel(model).map(scopeNetwork);
  const keys = Object.keys(parts[0] ?? emptyNetwork()) as (keyof Network)[];
  const all = emptyNetwork();
  for (const p of parts) for (const k of keys) append((all[k] as unknown[]), (p[k] as unknown[]));
  return all;
}

function emptyNetwork(): Network {
  return { vpcs: [], subnets: [], routeTables: [], internetGateways: [], egressOnlyInternetGateways: [], natGateways: [], peeringConnections: [], nacls: [], prefixLists: [], endpoints: [] };
}

/**
 * The network of one scope, built once for the same items: the checks' whole model, the reach
 * estate's namespaces and the per-scope checks each partition the model into new Model objects that
 * hold the same groups, rules and resources, and building each was a network build per caller (four
 * per scan). Pure memoization on the items' identities (a model is not changed after the scan builds
 * it); the WeakMap is keyed by the scope's first item, so it holds no model alive.
 */
const scopeNetworks = new WeakMap<object, { part: Model; network: Network }[]>();

function scopeNetwork(part: Model): Network {
  const anchor: object | undefined = part.groups[0] ?? part.rules[0] ?? part.resources[0];
  if (anchor === undefined) return buildScope(part);
  let seen = scopeNetworks.get(anchor);
  const hit = seen?.find((s) => sameItems(s.part.groups, part.groups) && sameItems(s.part.rules, part.rules) && sameItems(s.part.resources, part.resources));
  if (hit) return hit.network;
  const network = buildScope(part);
  if (!seen) scopeNetworks.set(anchor, (seen = []));
  // The arrays are copied: a caller's part may be a model that goes on growing.
  seen.push({ part: { ...part, groups: [...part.groups], rules: [...part.rules], resources: [...part.resources] }, network });
  return network;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One template or Terraform root module: addresses are unique here. */
function buildScope(model: Model): Network {
  const index = new ResourceIndex(model);
  const of = resourcesOfTypes(model.resources);

  const internetGateways = buildInternetGateways(of, index);
  const routeTables = buildRouteTables(of, index);
  const nacls = buildNacls(of, index);
  const vpcs = of('aws_vpc', 'AWS::EC2::VPC').map((r) => buildVpc(r, of, index, internetGateways, routeTables, nacls));
  addLocalRoutes(routeTables, vpcs);
  const placement = subnetPlacement(of, index, nacls);
  const subnets = of('aws_subnet', 'AWS::EC2::Subnet').map((r) => buildSubnet(r, placement, index, vpcs));
  const subnetsOnNacl = new Map<string, Subnet[]>();
  for (const s of subnets) if (typeof s.nacl === 'string') addTo(subnetsOnNacl, s.nacl, s);
  for (const n of nacls) {
    // Subnets that end up on a NACL (explicit association or the VPC default) are its subnets.
    const has = new Set(n.subnets);
    for (const s of subnetsOnNacl.get(n.id) ?? []) {
      if (has.has(s.id)) continue;
      n.subnets.push(s.id);
      has.add(s.id);
    }
  }
  const network: Network = {
    vpcs,
    subnets,
    routeTables,
    internetGateways,
    egressOnlyInternetGateways: of('aws_egress_only_internet_gateway', 'AWS::EC2::EgressOnlyInternetGateway').map(
      (r): EgressOnlyInternetGateway => ({ ...placed(r), vpc: index.link(attr(r, 'vpc_id', 'VpcId').value, VPC_TYPES, 'VPC') ?? missing('VPC', r) }),
    ),
    natGateways: of('aws_nat_gateway', 'AWS::EC2::NatGateway').map((r): NatGateway => {
      const ct = attr(r, 'connectivity_type', 'ConnectivityType');
      const c = toText(ct.value, 'connectivity type');
      const nat: NatGateway = {
        ...placed(r),
        subnet: index.link(attr(r, 'subnet_id', 'SubnetId').value, SUBNET_TYPES, 'subnet') ?? missing('subnet', r),
        connectivity: c === undefined ? 'public' : c instanceof Unknown ? c : c.toLowerCase() === 'private' ? 'private' : 'public',
      };
      if (ct.line !== undefined) nat.connectivityLine = ct.line;
      const eip = index.link(attr(r, 'allocation_id', 'AllocationId').value, EIP_TYPES, 'Elastic IP');
      const eipResource = typeof eip === 'string' ? index.get(eip) : undefined;
      if (eipResource) nat.elasticIp = { id: eipResource.address, location: eipResource.location };
      else if (eip instanceof Unknown) nat.elasticIp = eip;
      return nat;
    }),
    peeringConnections: of('aws_vpc_peering_connection', 'AWS::EC2::VPCPeeringConnection').map(
      (r): PeeringConnection => ({
        ...placed(r),
        vpc: index.link(attr(r, 'vpc_id', 'VpcId').value, VPC_TYPES, 'VPC') ?? missing('VPC', r),
        peerVpc: index.link(attr(r, 'peer_vpc_id', 'PeerVpcId').value, VPC_TYPES, 'VPC') ?? missing('peer VPC', r),
      }),
    ),
    nacls,
    prefixLists: [...of('aws_ec2_managed_prefix_list', 'AWS::EC2::PrefixList').map((r) => buildPrefixList(r, of, index)), ...managedPrefixLists(of)],
    endpoints: [],
  };
  network.endpoints = buildEndpoints(model, index, network);
  return network;
}

function missing(what: string, r: NetworkResource): Unknown {
  return new Unknown(`${r.address} does not name its ${what}`);
}

type Of = (...types: string[]) => NetworkResource[];

/**
 * The resources of some types, in model order, grouped by type once: filtering every resource on
 * each call made building a VPC of thousands of subnets quadratic.
 */
function resourcesOfTypes(resources: readonly NetworkResource[]): Of {
  const byType = new Map<string, { r: NetworkResource; at: number }[]>();
  resources.forEach((r, at) => addTo(byType, r.resourceType, { r, at }));
  const memo = new Map<string, NetworkResource[]>();
  return (...types) => {
    const k = types.join('\u0000');
    let hit = memo.get(k);
    if (!hit) {
      const found = [...new Set(types)].flatMap((t) => byType.get(t) ?? []);
      if (types.length > 1) found.sort((a, b) => a.at - b.at);
      memo.set(k, (hit = found.map((x) => x.r)));
    }
    // A copy: callers may keep or change what they get.
    return [...hit];
  };
}

// ---- VPCs -------------------------------------------------------------------------------------

function buildVpc(r: NetworkResource, of: Of, index: ResourceIndex, igws: InternetGateway[], tables: RouteTable[], nacls: Nacl[]): Vpc {
  const ipv4: (string | Unknown)[] = [];
  const ipv6: (string | Unknown)[] = [];
  const v4 = attr(r, 'cidr_block', 'CidrBlock').value;
  if (v4 !== undefined) ipv4.push(cidrOf(v4, 'the VPC CIDR'));
  else ipv4.push(new Unknown(`${r.address} has no literal CIDR block (allocated from IPAM or not written)`));
  const v6 = attr(r, 'ipv6_cidr_block').value;
  if (v6 !== undefined) ipv6.push(cidrOf(v6, 'the VPC IPv6 CIDR'));
  else if (toBool(attr(r, 'assign_generated_ipv6_cidr_block').value, '') === true) ipv6.push(new Unknown(`the IPv6 CIDR of ${r.address} is assigned by AWS`));
  for (const b of of('AWS::EC2::VPCCidrBlock', 'aws_vpc_ipv4_cidr_block_association', 'aws_vpc_ipv6_cidr_block_association')) {
    if (index.link(attr(b, 'VpcId', 'vpc_id').value, VPC_TYPES, 'VPC') !== r.address) continue;
    const c4 = attr(b, 'CidrBlock', 'cidr_block').value;
    const c6 = attr(b, 'Ipv6CidrBlock', 'ipv6_cidr_block').value;
    if (c4 !== undefined) ipv4.push(cidrOf(c4, 'the VPC CIDR'));
    else if (b.resourceType === 'aws_vpc_ipv4_cidr_block_association') ipv4.push(new Unknown(`the CIDR of ${b.address} is allocated from IPAM`));
    if (c6 !== undefined) ipv6.push(cidrOf(c6, 'the VPC IPv6 CIDR'));
    else if (c4 === undefined && b.resourceType !== 'aws_vpc_ipv4_cidr_block_association') ipv6.push(new Unknown(`the IPv6 CIDR of ${b.address} is assigned by AWS`));
  }
  const implicitMain = `main-route-table(${r.address})`;
  let main = tables.find((t) => t.isMain && t.vpc === r.address);
  for (const a of of('aws_main_route_table_association')) {
    if (index.link(attr(a, 'vpc_id').value, VPC_TYPES, 'VPC') !== r.address) continue;
    const t = index.link(attr(a, 'route_table_id').value, ROUTE_TABLE_TYPES, 'route table');
    const table = tables.find((x) => x.id === t);
    if (table) {
      table.isMain = true;
      main = table;
    }
  }
  if (!main) {
    main = { ...implicit(r, implicitMain), vpc: r.address, routes: [], isMain: true };
    tables.push(main);
  }
  // Terraform routes added to the main table through the VPC (`route_table_id = aws_vpc.x.main_route_table_id`).
  // CloudFormation has no such attribute (AWS::EC2::VPC returns no route table): its main table stays implicit.
  for (const rt of of('aws_route')) {
    if (!namesMainTable(attr(rt, 'route_table_id').value, r.address)) continue;
    const line = attr(rt, 'destination_cidr_block', 'destination_ipv6_cidr_block').line;
    main.routes.push(routeFrom(index, line ? at(rt.location.file, line) : rt.location, (n) => rt.attributes[n]));
  }
  let defaultNacl = nacls.find((n) => n.isDefault && n.vpc === r.address);
  if (!defaultNacl) {
    defaultNacl = implicitDefaultNacl(r);
    nacls.push(defaultNacl);
  }
  return {
    ...placed(r),
    cidrs: { ipv4, ipv6 },
    internetGateways: igws.filter((g) => g.vpc === r.address).map((g) => g.id),
    mainRouteTable: main.id,
    defaultNacl: defaultNacl.id,
  };
}

/** `aws_vpc.x.main_route_table_id` (or `default_route_table_id`, the same table) for VPC `vpc`. */
function namesMainTable(v: Value | undefined, vpc: string): boolean {
  const ref = Array.isArray(v) && v.length === 1 ? v[0] : v;
  return ref instanceof ResourceRef && ref.address === vpc && (ref.attribute === 'main_route_table_id' || ref.attribute === 'default_route_table_id');
}

function implicit(vpc: NetworkResource, id: string): Placed {
  return { id, format: vpc.format, resourceType: 'implicit', location: vpc.location, via: vpc.via };
}

/** AWS's default NACL: rule 100 allows all IPv4 and rule 101 all IPv6, both directions. */
function implicitDefaultNacl(vpc: NetworkResource): Nacl {
  const entry = (ruleNumber: number, cidr: string): NaclEntry => ({
    ruleNumber,
    action: 'allow',
    protocol: { kind: 'all' },
    cidr,
    ports: { kind: 'all' },
    resource: `default-nacl(${vpc.address})`,
    location: vpc.location,
    via: vpc.via,
    declared: false,
    attributeLines: {},
  });
  const entries = () => [entry(100, '0.0.0.0/0'), entry(101, '::/0')];
  return { ...implicit(vpc, `default-nacl(${vpc.address})`), vpc: vpc.address, ingress: entries(), egress: entries(), subnets: [], isDefault: true, declared: false };
}

function cidrOf(v: Value, what: string): string | Unknown {
  if (v instanceof Unknown) return v;
  if (v instanceof ResourceRef) return new Unknown(`${what} is ${v.toString()}, known only after deployment`);
  const p = parseCidr(v);
  if (p.kind === 'cidr') return p.cidr;
  if (p.kind === 'unknown') return p.unknown;
  return new Unknown(`${what} "${describeValue(v)}" is not a valid CIDR`);
}

// ---- Gateways ---------------------------------------------------------------------------------

function buildInternetGateways(of: Of, index: ResourceIndex): InternetGateway[] {
  return of('aws_internet_gateway', 'AWS::EC2::InternetGateway').map((r): InternetGateway => {
    let vpc: string | Unknown | null = index.link(attr(r, 'vpc_id').value, VPC_TYPES, 'VPC') ?? null;
    for (const a of of('AWS::EC2::VPCGatewayAttachment', 'aws_internet_gateway_attachment')) {
      if (index.link(attr(a, 'InternetGatewayId', 'internet_gateway_id').value, IGW_TYPES, 'internet gateway') !== r.address) continue;
      vpc = index.link(attr(a, 'VpcId', 'vpc_id').value, VPC_TYPES, 'VPC') ?? missing('VPC', a);
    }
    return { ...placed(r), vpc };
  });
}

// ---- Route tables -----------------------------------------------------------------------------

const ROUTE_TARGETS: [string, RouteTargetKind][] = [
  ['gateway_id', 'unknown'],
  ['GatewayId', 'unknown'],
  ['nat_gateway_id', 'nat'],
  ['NatGatewayId', 'nat'],
  ['egress_only_gateway_id', 'eigw'],
  ['EgressOnlyInternetGatewayId', 'eigw'],
  ['vpc_peering_connection_id', 'peering'],
  ['VpcPeeringConnectionId', 'peering'],
  ['vpc_endpoint_id', 'endpoint'],
  ['VpcEndpointId', 'endpoint'],
  ['network_interface_id', 'eni'],
  ['NetworkInterfaceId', 'eni'],
  ['instance_id', 'instance'],
  ['InstanceId', 'instance'],
  ['transit_gateway_id', 'tgw'],
  ['TransitGatewayId', 'tgw'],
  ['local_gateway_id', 'unknown'],
  ['LocalGatewayId', 'unknown'],
  ['carrier_gateway_id', 'unknown'],
  ['CarrierGatewayId', 'unknown'],
  ['core_network_arn', 'unknown'],
  ['CoreNetworkArn', 'unknown'],
];

const KIND_BY_TYPE: Record<string, RouteTargetKind> = {
  aws_internet_gateway: 'igw',
  'AWS::EC2::InternetGateway': 'igw',
  aws_egress_only_internet_gateway: 'eigw',
  'AWS::EC2::EgressOnlyInternetGateway': 'eigw',
  aws_nat_gateway: 'nat',
  'AWS::EC2::NatGateway': 'nat',
  aws_vpc_peering_connection: 'peering',
  'AWS::EC2::VPCPeeringConnection': 'peering',
  aws_vpc_endpoint: 'endpoint',
  'AWS::EC2::VPCEndpoint': 'endpoint',
  aws_instance: 'instance',
  'AWS::EC2::Instance': 'instance',
  aws_network_interface: 'eni',
  'AWS::EC2::NetworkInterface': 'eni',
};

const KIND_BY_PREFIX: [string, RouteTargetKind][] = [
  ['igw-', 'igw'],
  ['eigw-', 'eigw'],
  ['nat-', 'nat'],
  ['pcx-', 'peering'],
  ['vpce-', 'endpoint'],
  ['eni-', 'eni'],
  ['i-', 'instance'],
  ['tgw-', 'tgw'],
];

function routeFrom(index: ResourceIndex, location: SourceLocation, read: (name: string) => Value | undefined): Route {
  // Plan JSON and state fill unused destinations and targets with "" (or null).
  const get = (name: string) => {
    const v = read(name);
    return v === '' || v === null ? undefined : v;
  };
  const v4 = get('cidr_block') ?? get('destination_cidr_block') ?? get('DestinationCidrBlock');
  const v6 = get('ipv6_cidr_block') ?? get('destination_ipv6_cidr_block') ?? get('DestinationIpv6CidrBlock');
  const pl = get('destination_prefix_list_id') ?? get('DestinationPrefixListId');
  const dest = v4 ?? v6;
  const destination: string | Unknown =
    dest !== undefined ? cidrOf(dest, 'the route destination') : pl !== undefined ? (toText(pl, 'the destination prefix list') ?? new Unknown('no destination')) : new Unknown('the route has no destination');
  for (const [name, kind] of ROUTE_TARGETS) {
    const t = get(name);
    if (t === undefined || t === null || t === '') continue;
    return { destination, targetKind: targetKind(t, kind, index), target: t instanceof ResourceRef || t instanceof Unknown ? t : String(t), location };
  }
  return { destination, targetKind: 'unknown', target: new Unknown('the route names no target'), location };
}

function targetKind(t: Value, byName: RouteTargetKind, index: ResourceIndex): RouteTargetKind {
  if (t instanceof ResourceRef) return KIND_BY_TYPE[index.get(t.address)?.resourceType ?? ''] ?? byName;
  if (typeof t === 'string') {
    if (t === 'local') return 'local';
    return KIND_BY_PREFIX.find(([p]) => t.startsWith(p))?.[1] ?? byName;
  }
  return byName;
}

function buildRouteTables(of: Of, index: ResourceIndex): RouteTable[] {
  const tables = of('aws_route_table', 'aws_default_route_table', 'AWS::EC2::RouteTable').map((r): RouteTable => {
    const isMain = r.resourceType === 'aws_default_route_table';
    let vpc = index.link(attr(r, 'vpc_id', 'VpcId').value, VPC_TYPES, 'VPC');
    if (isMain) vpc = vpcOfDefault(attr(r, 'default_route_table_id').value, index);
    const routes = items(r.attributes.route).map((item, i) => routeFrom(index, itemLocation(r, 'route', i), (n) => field(item, n)));
    return { ...placed(r), vpc: vpc ?? missing('VPC', r), routes, isMain };
  });
  for (const r of of('aws_route', 'AWS::EC2::Route')) {
    const t = index.link(attr(r, 'route_table_id', 'RouteTableId').value, ROUTE_TABLE_TYPES, 'route table');
    const table = tables.find((x) => x.id === t);
    if (!table) continue;
    const line = attr(r, 'destination_cidr_block', 'destination_ipv6_cidr_block', 'DestinationCidrBlock', 'DestinationIpv6CidrBlock').line;
    table.routes.push(routeFrom(index, line ? at(r.location.file, line) : r.location, (n) => r.attributes[n]));
  }
  return tables;
}

/** `aws_vpc.main.default_route_table_id` / `default_network_acl_id` → the VPC. */
function vpcOfDefault(v: Value | undefined, index: ResourceIndex): string | Unknown | undefined {
  if (v instanceof ResourceRef) return index.link(new ResourceRef(v.address), VPC_TYPES, 'VPC');
  if (v === undefined) return undefined;
  return v instanceof Unknown ? v : new Unknown(`the default table/ACL id ${describeValue(v)} names no VPC in the scan`);
}

function addLocalRoutes(tables: RouteTable[], vpcs: Vpc[]): void {
  for (const t of tables) {
    const vpc = vpcs.find((v) => v.id === t.vpc);
    if (!vpc) continue;
    const local = [...vpc.cidrs.ipv4, ...vpc.cidrs.ipv6].map((c): Route => ({ destination: c, targetKind: 'local', target: 'local', location: t.location }));
    t.routes = [...local, ...t.routes];
  }
}

// ---- Subnets ----------------------------------------------------------------------------------

/** What places a subnet: its route table and NACL associations (the last one written wins) and the declared NACLs listing it. */
interface SubnetPlacement {
  routeTableAssociation: Map<string, NetworkResource>;
  naclAssociation: Map<string, NetworkResource>;
  /** The first declared NACL whose subnets name the subnet. */
  listedOn: Map<string, string>;
}

/** Associations by subnet, in one pass each (looking them up per subnet was quadratic). */
function subnetPlacement(of: Of, index: ResourceIndex, nacls: readonly Nacl[]): SubnetPlacement {
  const bySubnet = (types: string[]) => {
    const m = new Map<string, NetworkResource>();
    for (const a of of(...types)) {
      const s = index.link(attr(a, 'subnet_id', 'SubnetId').value, SUBNET_TYPES, 'subnet');
      if (typeof s === 'string') m.set(s, a);
    }
    return m;
  };
  const listedOn = new Map<string, string>();
  for (const n of nacls) if (n.declared) for (const s of n.subnets) if (typeof s === 'string' && !listedOn.has(s)) listedOn.set(s, n.id);
  return { routeTableAssociation: bySubnet(['aws_route_table_association', 'AWS::EC2::SubnetRouteTableAssociation']), naclAssociation: bySubnet(['aws_network_acl_association', 'AWS::EC2::SubnetNetworkAclAssociation']), listedOn };
}

function buildSubnet(r: NetworkResource, placement: SubnetPlacement, index: ResourceIndex, vpcs: Vpc[]): Subnet {
  const vpc = index.link(attr(r, 'vpc_id', 'VpcId').value, VPC_TYPES, 'VPC') ?? missing('VPC', r);
  const home = vpcs.find((v) => v.id === vpc);
  const map = attr(r, 'map_public_ip_on_launch', 'MapPublicIpOnLaunch');
  const mapValue = toBool(map.value, `${map.name}`);
  let routeTable: string | Unknown | undefined;
  const ta = placement.routeTableAssociation.get(r.address);
  if (ta) {
    const t = attr(ta, 'route_table_id', 'RouteTableId').value;
    routeTable = home && namesMainTable(t, home.id) ? home.mainRouteTable : (index.link(t, ROUTE_TABLE_TYPES, 'route table') ?? missing('route table', ta));
  }
  routeTable ??= home ? home.mainRouteTable : new Unknown(`the main route table of ${describeValue(vpc)} is not in the scan`);
  let nacl: string | Unknown | undefined = placement.listedOn.get(r.address);
  const na = placement.naclAssociation.get(r.address);
  if (na) nacl = index.link(attr(na, 'network_acl_id', 'NetworkAclId').value, NACL_TYPES, 'network ACL') ?? missing('network ACL', na);
  nacl ??= home ? home.defaultNacl : new Unknown(`the default network ACL of ${describeValue(vpc)} is not in the scan`);
  const subnet: Subnet = {
    ...placed(r),
    vpc,
    mapPublicIpOnLaunch:
      mapValue === undefined
        ? { value: false, reason: `${r.format === 'terraform' ? 'map_public_ip_on_launch' : 'MapPublicIpOnLaunch'} unset (default false)` }
        : { value: mapValue, reason: `${map.name} = ${describeValue(map.value as Value)}`, line: map.line },
    routeTable,
    nacl,
  };
  const cidr = attr(r, 'cidr_block', 'CidrBlock').value;
  if (cidr !== undefined) subnet.cidr = cidrOf(cidr, 'the subnet CIDR');
  const v6 = attr(r, 'ipv6_cidr_block', 'Ipv6CidrBlock').value;
  if (v6 !== undefined) subnet.ipv6Cidr = cidrOf(v6, 'the subnet IPv6 CIDR');
  const az = attr(r, 'availability_zone', 'AvailabilityZone').value;
  if (az !== undefined) subnet.availabilityZone = toText(az, 'the availability zone');
  return subnet;
}

// ---- Network ACLs -----------------------------------------------------------------------------

function buildNacls(of: Of, index: ResourceIndex): Nacl[] {
  const nacls = of('aws_network_acl', 'aws_default_network_acl', 'AWS::EC2::NetworkAcl').map((r): Nacl => {
    const isDefault = r.resourceType === 'aws_default_network_acl';
    const vpc = isDefault ? vpcOfDefault(attr(r, 'default_network_acl_id').value, index) : index.link(attr(r, 'vpc_id', 'VpcId').value, VPC_TYPES, 'VPC');
    const lines = linesByItem(r);
    const inline = (dir: 'ingress' | 'egress') =>
      items(r.attributes[dir]).map((item, i) => naclEntry(r, itemLocation(r, dir, i), (n) => field(item, n), lines.get(`${dir}[${i}]`) ?? {}));
    const subnets = list(attr(r, 'subnet_ids').value);
    return {
      ...placed(r),
      vpc: vpc ?? missing('VPC', r),
      ingress: inline('ingress'),
      egress: inline('egress'),
      subnets: subnets instanceof Unknown ? [subnets] : subnets.map((s) => index.link(s, SUBNET_TYPES, 'subnet') ?? new Unknown('empty subnet id')),
      isDefault,
      declared: true,
    };
  });
  // By id: a first-match lookup per entry resource is quadratic in an estate of many NACLs.
  const byId = new Map<string, Nacl>();
  for (const n of nacls) if (!byId.has(n.id)) byId.set(n.id, n);
  for (const r of of('aws_network_acl_rule', 'AWS::EC2::NetworkAclEntry')) {
    const id = index.link(attr(r, 'network_acl_id', 'NetworkAclId').value, NACL_TYPES, 'network ACL');
    const nacl = typeof id === 'string' ? byId.get(id) : undefined;
    if (!nacl) continue;
    const egress = toBool(attr(r, 'egress', 'Egress').value, 'egress');
    const entry = naclEntry(r, r.location, (n) => r.attributes[n], r.attributeLines);
    // An unknown direction could be either; keeping it on ingress is the more cautious reading.
    (egress === true ? nacl.egress : nacl.ingress).push(entry);
  }
  const associated = new Map<Nacl, Set<string>>();
  for (const r of of('aws_network_acl_association', 'AWS::EC2::SubnetNetworkAclAssociation')) {
    const id = index.link(attr(r, 'network_acl_id', 'NetworkAclId').value, NACL_TYPES, 'network ACL');
    const nacl = typeof id === 'string' ? byId.get(id) : undefined;
    const subnet = index.link(attr(r, 'subnet_id', 'SubnetId').value, SUBNET_TYPES, 'subnet') ?? missing('subnet', r);
    if (!nacl) continue;
    let has = associated.get(nacl);
    if (!has) associated.set(nacl, (has = new Set(nacl.subnets.filter((x): x is string => typeof x === 'string'))));
    if (typeof subnet === 'string' && has.has(subnet)) continue;
    nacl.subnets.push(subnet);
    if (typeof subnet === 'string') has.add(subnet);
  }
  return nacls;
}

function naclEntry(r: NetworkResource, location: SourceLocation, get: (name: string) => Value | undefined, attributeLines: Record<string, number>): NaclEntry {
  const protocolRaw = get('protocol') ?? get('Protocol');
  const protocol: Protocol = protocolRaw === undefined ? { kind: 'invalid', raw: 'missing' } : parseProtocol(protocolRaw);
  const portRange = get('PortRange');
  const icmp = get('Icmp');
  const isIcmp = protocol.kind === 'number' && (protocol.number === 1 || protocol.number === 58);
  const from = isIcmp ? (get('icmp_type') ?? field(icmp, 'Type')) : (get('from_port') ?? field(portRange, 'From'));
  const to = isIcmp ? (get('icmp_code') ?? field(icmp, 'Code')) : (get('to_port') ?? field(portRange, 'To'));
  const v4 = get('cidr_block') ?? get('CidrBlock');
  const v6 = get('ipv6_cidr_block') ?? get('Ipv6CidrBlock');
  const cidrRaw = v4 !== undefined && v4 !== '' && v4 !== null ? v4 : v6;
  const action = toText(get('action') ?? get('rule_action') ?? get('RuleAction'), 'the rule action');
  return {
    ruleNumber: toInt(get('rule_no') ?? get('rule_number') ?? get('RuleNumber'), 'the rule number') ?? new Unknown('no rule number'),
    action: action instanceof Unknown ? action : action?.toLowerCase() === 'allow' ? 'allow' : action?.toLowerCase() === 'deny' ? 'deny' : new Unknown(`rule action "${action}"`),
    protocol,
    cidr: cidrRaw === undefined ? new Unknown('no CIDR block') : cidrOf(cidrRaw, 'the entry CIDR'),
    ports: protocol.kind === 'all' ? { kind: 'all' } : parsePorts(protocol, from, to),
    resource: r.address,
    location,
    via: r.via,
    declared: true,
    attributeLines,
  };
}

/**
 * Where the `i`th item of a nested block list (`route`, `ingress`) was written: its own line when
 * the front end recorded it (`ingress[2]`), else the first block's line, else the resource.
 */
function itemLocation(r: NetworkResource, key: string, i: number): SourceLocation {
  return at(r.location.file, r.attributeLines[`${key}[${i}]`] ?? r.attributeLines[key] ?? r.location.line);
}

/**
 * A resource's attribute lines grouped by the item they are in (`ingress[2].cidr_block` -> `ingress[2]`:
 * `{ cidr_block: 7 }`), in one pass: scanning every line for every item was quadratic in a NACL of
 * thousands of entries.
 */
function linesByItem(r: NetworkResource): Map<string, Record<string, number>> {
  const m = new Map<string, Record<string, number>>();
  for (const [k, line] of Object.entries(r.attributeLines)) {
    const dot = k.lastIndexOf('.');
    if (dot < 0) continue;
    const item = k.slice(0, dot);
    let out = m.get(item);
    if (!out) m.set(item, (out = {}));
    out[k.slice(dot + 1)] = line;
  }
  return m;
}

// ---- Prefix lists -----------------------------------------------------------------------------

function buildPrefixList(r: NetworkResource, of: Of, index: ResourceIndex): PrefixList {
  const entries: (string | Unknown)[] = items(attr(r, 'entry', 'Entries').value).map((e) => {
    const c = field(e, 'cidr', 'Cidr');
    return c === undefined ? new Unknown('entry without a CIDR') : cidrOf(c, 'the prefix list entry');
  });
  for (const e of of('aws_ec2_managed_prefix_list_entry')) {
    if (index.link(attr(e, 'prefix_list_id').value, PREFIX_LIST_TYPES, 'prefix list') !== r.address) continue;
    const c = attr(e, 'cidr').value;
    entries.push(c === undefined ? new Unknown('entry without a CIDR') : cidrOf(c, 'the prefix list entry'));
  }
  const p: PrefixList = { ...placed(r), entries };
  const max = attr(r, 'max_entries', 'MaxEntries').value;
  if (max !== undefined) p.maxEntries = toInt(max, 'max entries');
  return p;
}

/**
 * AWS-managed prefix lists: Terraform data sources that look one up by name (`name`, or a filter on
 * `prefix-list-name`), and gateway endpoints (`aws_vpc_endpoint.s3.prefix_list_id`) whose service is S3
 * or DynamoDB. A data source naming a list that is not AWS's has entries that are read at apply time.
 */
function managedPrefixLists(of: Of): PrefixList[] {
  const out: PrefixList[] = [];
  for (const r of of('data.aws_ec2_managed_prefix_list', 'data.aws_prefix_list')) {
    let name = toText(attr(r, 'name').value, 'the prefix list name');
    for (const f of items(attr(r, 'filter').value)) {
      const values = field(f, 'values');
      if (field(f, 'name') === 'prefix-list-name' && Array.isArray(values) && values.length === 1) name = toText(values[0], 'the prefix list name');
    }
    const id = toText(attr(r, 'prefix_list_id', 'id').value, 'the prefix list id');
    const managed = typeof name === 'string' ? managedByName(name) : typeof id === 'string' ? managedById(id) : undefined;
    const p: PrefixList = { ...placed(r), entries: managed ? [] : [new Unknown(`the entries of ${r.address} are read at apply time`)] };
    if (managed) p.managed = managed;
    out.push(p);
  }
  for (const r of of('aws_vpc_endpoint')) {
    const type = toText(attr(r, 'vpc_endpoint_type').value, 'endpoint type') ?? 'Gateway';
    const service = toText(attr(r, 'service_name').value, 'the service name');
    const managed = typeof service === 'string' && typeof type === 'string' && type.toLowerCase() === 'gateway' ? managedByName(service) : undefined;
    if (managed) out.push({ ...placed(r), entries: [], managed });
  }
  return out;
}

/**
 * The network of a model, built once per Model object. Pure memoization: a model is not changed
 * after the scan builds it, and every network check (and the reach estate) asks for the same
 * network, so building it per rule was a tenth of a corpus scan. The WeakMap holds no model alive.
 */
const networks = new WeakMap<Model, Network>();

export function networkOf(model: Model): Network {
  let n = networks.get(model);
  if (!n) {
    n = buildNetwork(model);
    networks.set(model, n);
  }
  return n;
}
