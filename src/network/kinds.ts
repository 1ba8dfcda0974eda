import type { NetworkResource } from '../model/model.js';
import { Unknown, describeValue } from '../model/value.js';
import type { EndpointKind, Opens, PortRange, Role, Serves } from './model.js';
import { attr, toInt, toText } from './resolve.js';

// What each kind of resource that takes security groups is on the network: the ports it answers on
// and whether it opens connections. A group admitting SSH says nothing about an EC2 Instance Connect
// Endpoint (it answers on no port) or an Aurora PostgreSQL cluster (it answers on 5432 only); a
// group's egress says nothing about an interface VPC endpoint (it never opens a connection). Kinds
// not in the table are reported as unknown, never as an SSH server. The vocabulary (Role, Serves,
// Opens) is in model.ts.

const tcp = (from: number, to = from): PortRange => ({ protocol: 'tcp', from, to });

/** Engine names (lower case, by prefix) to the port the engine listens on by default. */
const ENGINE_PORTS: readonly [RegExp, number, string][] = [
  [/^aurora-postgresql|^postgres/, 5432, 'PostgreSQL'],
  [/^aurora-mysql|^aurora$|^mysql|^mariadb/, 3306, 'MySQL'],
  [/^oracle/, 1521, 'Oracle'],
  [/^sqlserver/, 1433, 'SQL Server'],
  [/^db2/, 50000, 'Db2'],
  [/^docdb/, 27017, 'MongoDB'],
  [/^neptune/, 8182, 'Neptune'],
  [/^redis|^valkey/, 6379, 'Redis'],
  [/^memcached/, 11211, 'Memcached'],
];

/** RDS Proxy engine families. */
const PROXY_FAMILIES: Record<string, [number, string]> = { MYSQL: [3306, 'MySQL'], POSTGRESQL: [5432, 'PostgreSQL'], SQLSERVER: [1433, 'SQL Server'] };

interface Spec {
  what: string;
  /** 'engine': the port/Port attribute, else the engine's default (RDS, ElastiCache, DocumentDB, ...). */
  serves: 'any' | 'listeners' | 'none' | 'engine' | 'proxy' | { ports: PortRange[]; service: string };
  opens: Opens;
  store?: boolean;
  privateOnly?: boolean;
  /** Default engine when the resource names none (DocumentDB clusters are always docdb). */
  engine?: string;
}

const INSTANCE: Spec = { what: 'an EC2 instance', serves: 'any', opens: { kind: 'any' } };
const CLIENT_ONLY = (what: string): Spec => ({ what, serves: 'none', opens: { kind: 'any' }, privateOnly: true });

const BY_KIND: Partial<Record<EndpointKind, Spec>> = {
  instance: INSTANCE,
  'launch-template': { ...INSTANCE, what: 'a launch template' },
  'launch-configuration': { ...INSTANCE, what: 'a launch configuration' },
  asg: { ...INSTANCE, what: 'an Auto Scaling group' },
  eni: { ...INSTANCE, what: 'a network interface' },
  lb: { what: 'a load balancer', serves: 'listeners', opens: { kind: 'targets' } },
  db: { what: 'an RDS database', serves: 'engine', opens: { kind: 'none' }, store: true },
  'db-cluster': { what: 'an RDS database cluster', serves: 'engine', opens: { kind: 'none' }, store: true },
  cache: { what: 'an ElastiCache cluster', serves: 'engine', opens: { kind: 'none' }, store: true, privateOnly: true, engine: 'redis' },
  lambda: CLIENT_ONLY('a Lambda function'),
  'ecs-service': { what: 'an ECS service', serves: 'any', opens: { kind: 'any' } },
  eks: { what: 'an EKS control plane', serves: { ports: [tcp(443)], service: 'Kubernetes API' }, opens: { kind: 'any' }, privateOnly: true },
  'vpc-endpoint': { what: 'an interface VPC endpoint', serves: { ports: [tcp(443)], service: 'HTTPS' }, opens: { kind: 'none' }, privateOnly: true },
};

/** Resource types of kind `other` that sgscan knows, Terraform and CloudFormation. */
const BY_TYPE: Record<string, Spec> = {};
function known(types: string[], spec: Spec): void {
  for (const t of types) BY_TYPE[t] = spec;
}
known(['aws_ec2_instance_connect_endpoint', 'AWS::EC2::InstanceConnectEndpoint'], {
  what: 'an EC2 Instance Connect Endpoint',
  serves: 'none',
  opens: { kind: 'vpc', ports: [tcp(22), tcp(3389)] },
  privateOnly: true,
});
known(['aws_efs_mount_target', 'AWS::EFS::MountTarget', 'AWS::S3Files::MountTarget'], { what: 'a file system mount target', serves: { ports: [tcp(2049)], service: 'NFS' }, opens: { kind: 'none' }, store: true, privateOnly: true });
known(['aws_docdb_cluster', 'AWS::DocDB::DBCluster', 'aws_docdb_elastic_cluster', 'AWS::DocDBElastic::Cluster'], { what: 'a DocumentDB cluster', serves: 'engine', opens: { kind: 'none' }, store: true, privateOnly: true, engine: 'docdb' });
known(['aws_neptune_cluster', 'AWS::Neptune::DBCluster'], { what: 'a Neptune cluster', serves: 'engine', opens: { kind: 'none' }, store: true, privateOnly: true, engine: 'neptune' });
known(['aws_memorydb_cluster', 'AWS::MemoryDB::Cluster', 'aws_elasticache_serverless_cache', 'AWS::ElastiCache::ServerlessCache'], { what: 'a Redis-compatible cache', serves: 'engine', opens: { kind: 'none' }, store: true, privateOnly: true, engine: 'redis' });
known(['aws_redshift_cluster', 'AWS::Redshift::Cluster'], { what: 'a Redshift cluster', serves: { ports: [tcp(5439)], service: 'Redshift' }, opens: { kind: 'none' }, store: true });
known(['aws_opensearch_domain', 'aws_elasticsearch_domain', 'AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain'], { what: 'an OpenSearch domain', serves: { ports: [tcp(443)], service: 'HTTPS' }, opens: { kind: 'none' }, store: true, privateOnly: true });
known(['aws_mq_broker', 'AWS::AmazonMQ::Broker'], {
  what: 'an Amazon MQ broker',
  serves: { ports: [tcp(443), tcp(5671), tcp(8162), tcp(8883), tcp(15671), tcp(61614), tcp(61617), tcp(61619)], service: 'message broker' },
  opens: { kind: 'none' },
  store: true,
});
const MSK: Spec = { what: 'an MSK cluster', serves: { ports: [tcp(2181, 2182), tcp(9092, 9098)], service: 'Kafka' }, opens: { kind: 'none' }, store: true };
// Provisioned clusters may turn public access on (connectivity_info); serverless ones never.
known(['aws_msk_cluster', 'AWS::MSK::Cluster'], MSK);
known(['aws_msk_serverless_cluster', 'AWS::MSK::ServerlessCluster'], { ...MSK, privateOnly: true });
known(['aws_db_proxy', 'AWS::RDS::DBProxy'], { what: 'an RDS proxy', serves: 'proxy', opens: { kind: 'databases' }, store: true, privateOnly: true });
known(['aws_db_proxy_endpoint', 'AWS::RDS::DBProxyEndpoint'], { what: 'an RDS proxy endpoint', serves: 'proxy', opens: { kind: 'none' }, store: true, privateOnly: true });
known(['aws_apigatewayv2_vpc_link', 'AWS::ApiGatewayV2::VpcLink', 'aws_apprunner_vpc_connector', 'AWS::AppRunner::VpcConnector'], CLIENT_ONLY('a VPC link'));
known(['aws_vpclattice_resource_gateway', 'AWS::VpcLattice::ResourceGateway'], CLIENT_ONLY('a VPC Lattice resource gateway'));
known(['aws_vpclattice_service_network_vpc_association', 'AWS::VpcLattice::ServiceNetworkVpcAssociation'], {
  what: 'a VPC Lattice service network association',
  serves: 'none',
  opens: { kind: 'none' },
  privateOnly: true,
});
known(['aws_dms_replication_instance', 'AWS::DMS::ReplicationInstance'], { what: 'a DMS replication instance', serves: 'none', opens: { kind: 'any' } });
known(['aws_codebuild_project', 'AWS::CodeBuild::Project', 'aws_lambda_capacity_provider'], CLIENT_ONLY('a build or compute client'));
known(['aws_batch_compute_environment', 'AWS::Batch::ComputeEnvironment', 'aws_spot_instance_request', 'AWS::EC2::SpotFleet', 'aws_spot_fleet_request'], { ...INSTANCE, what: 'EC2 instances' });
known(['aws_route53_resolver_endpoint', 'AWS::Route53Resolver::ResolverEndpoint'], { what: 'a Route 53 Resolver endpoint', serves: { ports: [tcp(53), { protocol: 'udp', from: 53, to: 53 }], service: 'DNS' }, opens: { kind: 'any' }, privateOnly: true });

/** The role of a resource of `kind`; `lookup` finds the cluster an instance belongs to (for its engine). */
export function roleOf(r: NetworkResource, kind: EndpointKind, lookup: (address: string) => NetworkResource | undefined, cluster?: string): Role {
  const spec = kind === 'other' ? BY_TYPE[r.resourceType] : BY_KIND[kind];
  if (!spec) return { what: `a resource of type ${r.resourceType} that sgscan does not know`, serves: { kind: 'unknown' }, opens: { kind: 'unknown' }, store: false, privateOnly: false };
  const role: Role = { what: spec.what, serves: { kind: 'any' }, opens: spec.opens, store: spec.store === true, privateOnly: spec.privateOnly === true };
  if (spec.serves === 'any' || spec.serves === 'listeners') role.serves = { kind: spec.serves };
  else if (spec.serves === 'none') role.serves = { kind: 'none', reason: `${spec.what} accepts no connections` };
  else if (spec.serves === 'engine') role.serves = enginePort(r, cluster ? lookup(cluster) : undefined, spec.engine);
  else if (spec.serves === 'proxy') role.serves = proxyPort(r, lookup);
  else role.serves = { kind: 'ports', ports: spec.serves.ports, service: spec.serves.service, known: true, reason: spec.what };
  return role;
}

/** The port a database answers on: `port`/`Port` (its own, else its cluster's), else the engine's default. */
function enginePort(r: NetworkResource, cluster: NetworkResource | undefined, fallback?: string): Serves {
  const engineOf = (x: NetworkResource | undefined) => (x ? toText(attr(x, 'engine', 'Engine').value, 'engine') : undefined);
  const engine = engineOf(r) ?? engineOf(cluster) ?? fallback;
  const named = typeof engine === 'string' ? ENGINE_PORTS.find(([re]) => re.test(engine.toLowerCase())) : undefined;
  const service = named?.[2] ?? 'database';
  for (const x of [r, cluster]) {
    if (!x) continue;
    const p = attr(x, 'port', 'Port');
    const n = toInt(p.value, 'port');
    if (typeof n === 'number') return { kind: 'ports', ports: [tcp(n)], service, known: true, reason: `${x.address} sets ${p.name} = ${n}` };
    if (n instanceof Unknown) return { kind: 'ports', ports: ALL_ENGINE_PORTS, service, known: false, reason: `the port of ${x.address} is not known (${n})` };
  }
  if (named) return { kind: 'ports', ports: [tcp(named[1])], service, known: true, reason: `engine ${String(engine)} listens on ${named[1]}` };
  const why = engine instanceof Unknown ? `the engine of ${r.address} is not known (${engine})` : engine === undefined ? `${r.address} names no engine` : `engine ${describeValue(engine)} is not one sgscan knows`;
  return { kind: 'ports', ports: ALL_ENGINE_PORTS, service, known: false, reason: why };
}

const ALL_ENGINE_PORTS: readonly PortRange[] = [...new Set(ENGINE_PORTS.map(([, p]) => p))].sort((a, b) => a - b).map((p) => tcp(p));

function proxyPort(r: NetworkResource, lookup: (address: string) => NetworkResource | undefined): Serves {
  const family = toText(attr(r, 'engine_family', 'EngineFamily').value, 'engine family');
  const hit = typeof family === 'string' ? PROXY_FAMILIES[family.toUpperCase()] : undefined;
  if (hit) return { kind: 'ports', ports: [tcp(hit[0])], service: hit[1], known: true, reason: `engine family ${String(family)}` };
  void lookup;
  const ports = Object.values(PROXY_FAMILIES).map(([p]) => tcp(p));
  return { kind: 'ports', ports, service: 'database', known: false, reason: `the engine family of ${r.address} is not known` };
}

/** "tcp/5432", "tcp/22 and tcp/3389", for messages. */
export function portsText(ports: readonly PortRange[]): string {
  const t = ports.map((p) => `${p.protocol}/${p.from === p.to ? p.from : `${p.from}-${p.to}`}`);
  return t.length <= 1 ? (t[0] ?? 'no port') : `${t.slice(0, -1).join(', ')} and ${t[t.length - 1]}`;
}
