import type { SourceLocation } from '../model/location.js';
import type { SourceFormat } from '../model/model.js';
import type { PortSpec } from '../model/ports.js';
import type { Protocol } from '../model/protocol.js';
import type { ResourceRef, Unknown } from '../model/value.js';
import type { ManagedPrefixList } from './managed-prefix-lists.js';

// The normalized network: what the estate looks like, independent of the format it was written in.
// Checks and the reachability engine ask questions of this model instead of reading Terraform or
// CloudFormation attribute names. Every link between pieces is the id (address) of another piece in
// the same Network, or an Unknown saying why it could not be resolved.

/** Where a piece was written: the block and, when known, the attribute that decided a fact. */
export interface Placed {
  /** Terraform address or CloudFormation logical ID; synthesized pieces use `<kind>(<vpc id>)`. */
  id: string;
  format: SourceFormat;
  /** `aws_subnet`, `AWS::EC2::Subnet`, ... (`implicit` for pieces AWS creates by itself). */
  resourceType: string;
  location: SourceLocation;
  via: SourceLocation[];
  /** Set when the piece exists only under a condition. */
  condition?: Unknown;
}

/** A fact with the line of the attribute that states it (absent when it is a default). */
export interface Fact<T> {
  value: T | Unknown;
  /** Why the value is what it is ("associate_public_ip_address = true", "default: internal = false"). */
  reason: string;
  /** Line of the attribute the fact comes from; absent when the value is a default. */
  line?: number;
}

export interface Vpc extends Placed {
  cidrs: { ipv4: (string | Unknown)[]; ipv6: (string | Unknown)[] };
  /** Internet gateways attached to this VPC (ids). */
  internetGateways: string[];
  /** The VPC's main route table: declared (aws_default_route_table / main association) or implicit. */
  mainRouteTable: string;
  /** The VPC's default NACL: declared (aws_default_network_acl) or implicit (allows everything). */
  defaultNacl: string;
}

export interface Subnet extends Placed {
  vpc: string | Unknown;
  cidr?: string | Unknown;
  ipv6Cidr?: string | Unknown;
  availabilityZone?: string | Unknown;
  mapPublicIpOnLaunch: Fact<boolean>;
  /** Explicit association, else the VPC's main route table. */
  routeTable: string | Unknown;
  /** Explicit association, else the VPC's default NACL. */
  nacl: string | Unknown;
}

export type RouteTargetKind = 'igw' | 'eigw' | 'nat' | 'peering' | 'endpoint' | 'instance' | 'eni' | 'tgw' | 'local' | 'unknown';

export interface Route {
  /** Canonical destination CIDR (IPv4 or IPv6), a prefix list, or Unknown. */
  destination: string | Unknown;
  targetKind: RouteTargetKind;
  /** The target as written: a reference to a resource in the scan, a literal id, or Unknown. */
  target: ResourceRef | string | Unknown;
  location: SourceLocation;
}

export interface RouteTable extends Placed {
  vpc: string | Unknown;
  routes: Route[];
  isMain: boolean;
}

export interface InternetGateway extends Placed {
  /** The VPC it is attached to (aws_internet_gateway.vpc_id, AWS::EC2::VPCGatewayAttachment). */
  vpc: string | Unknown | null;
}

export interface EgressOnlyInternetGateway extends Placed {
  vpc: string | Unknown;
}

export interface NatGateway extends Placed {
  subnet: string | Unknown;
  /** `public` unless connectivity_type / ConnectivityType says private. */
  connectivity: 'public' | 'private' | Unknown;
  /** Line of connectivity_type / ConnectivityType when written. */
  connectivityLine?: number;
  /** The Elastic IP of a public NAT gateway (allocation_id / AllocationId), where it is declared. */
  elasticIp?: { id: string; location: SourceLocation } | Unknown;
}

export interface PeeringConnection extends Placed {
  vpc: string | Unknown;
  peerVpc: string | Unknown;
}

export interface NaclEntry {
  ruleNumber: number | Unknown;
  action: 'allow' | 'deny' | Unknown;
  protocol: Protocol;
  /** Canonical CIDR (IPv4 or IPv6) or Unknown. */
  cidr: string | Unknown;
  /** Ports for tcp/udp, type/code for icmp (see parsePorts). */
  ports: PortSpec;
  /** Address of the resource that declares the entry (the NACL for inline entries). */
  resource: string;
  /** The entry's own block (inline) or resource. */
  location: SourceLocation;
  via: SourceLocation[];
  /** Written by the user (false for the entries of an implicit default NACL). */
  declared: boolean;
  /** Lines of the entry's attributes (`rule_number`, `cidr_block`, `CidrBlock`, ...), inline entries included when the front end records them. */
  attributeLines: Record<string, number>;
}

export interface Nacl extends Placed {
  vpc: string | Unknown;
  ingress: NaclEntry[];
  egress: NaclEntry[];
  /** Subnets associated explicitly (by id); Unknown entries when an association could not be resolved. */
  subnets: (string | Unknown)[];
  isDefault: boolean;
  /** False for the implicit default NACL of a VPC (nothing in the code to point at). */
  declared: boolean;
}

export interface PrefixList extends Placed {
  entries: (string | Unknown)[];
  maxEntries?: number | Unknown;
  /** An AWS-managed list (looked up by name, or a gateway endpoint's list): a named source, not its entries. */
  managed?: ManagedPrefixList;
}

export type EndpointKind =
  | 'instance'
  | 'launch-template'
  | 'launch-configuration'
  | 'asg'
  | 'eni'
  | 'lb'
  | 'db'
  | 'db-cluster'
  | 'cache'
  | 'lambda'
  | 'ecs-service'
  | 'eks'
  | 'vpc-endpoint'
  | 'other';

// ---- What an endpoint is (the table is kinds.ts) --------------------------------------------

export interface PortRange {
  protocol: 'tcp' | 'udp';
  from: number;
  to: number;
}

export type Serves =
  /** Whatever its groups admit (instances, tasks, ENIs). */
  | { kind: 'any' }
  /** Load balancers: their listeners' ports (the engine's listener layer). */
  | { kind: 'listeners' }
  /** These ports only; `known` false when they depend on a value that is not known (the engine). */
  | { kind: 'ports'; ports: readonly PortRange[]; service: string; known: boolean; reason: string }
  | { kind: 'none'; reason: string }
  | { kind: 'unknown' };

export type Opens =
  | { kind: 'any' }
  /** Load balancers: to their registered targets only. */
  | { kind: 'targets' }
  /** RDS proxies: to the databases behind them only. */
  | { kind: 'databases' }
  /** EC2 Instance Connect Endpoints: these ports, to resources in their own VPC only. */
  | { kind: 'vpc'; ports: readonly PortRange[] }
  | { kind: 'none' }
  | { kind: 'unknown' };

export interface Role {
  /** The resource in a reviewer's words: "an EC2 Instance Connect Endpoint". */
  what: string;
  serves: Serves;
  opens: Opens;
  /** A database, cache or other data store: its engine port is what a client reaches. */
  store: boolean;
  /** Its interfaces never get public addresses. */
  privateOnly: boolean;
}

export type GroupRef = ResourceRef | string | Unknown;

export interface Listener {
  id: string;
  port: number | Unknown;
  protocol: string | Unknown;
  /** Target groups the default actions forward to (ids, or Unknown). */
  targetGroups: (string | Unknown)[];
  /** Endpoint ids (or literal ids/IPs) registered in those target groups. */
  targets: (string | Unknown)[];
  location: SourceLocation;
}

/** Anything with network interfaces in security groups. */
export interface Endpoint extends Placed {
  kind: EndpointKind;
  /** Groups as written; empty when none are named (see `usesDefaultGroup`). */
  securityGroups: GroupRef[];
  /** Line of the attribute that names the groups, when written. */
  securityGroupsLine?: number;
  /** The resource takes security groups but names none, so AWS puts it in the VPC's default group. */
  usesDefaultGroup: boolean;
  /**
   * Where the groups come from when not named on the resource itself (the launch template of an
   * ASG, the cluster of an Aurora instance); absent otherwise.
   */
  groupsFrom?: string;
  subnets: (string | Unknown)[];
  /** The VPC, from the subnets or the resource itself; Unknown when it cannot be told. */
  vpc: string | Unknown;
  publicIp: Fact<boolean>;
  /** Load balancers only. */
  listeners: Listener[];
  /** What it serves and whether it opens connections (kinds.ts). */
  role: Role;
}

export interface Network {
  vpcs: Vpc[];
  subnets: Subnet[];
  routeTables: RouteTable[];
  internetGateways: InternetGateway[];
  egressOnlyInternetGateways: EgressOnlyInternetGateway[];
  natGateways: NatGateway[];
  peeringConnections: PeeringConnection[];
  nacls: Nacl[];
  prefixLists: PrefixList[];
  endpoints: Endpoint[];
}
