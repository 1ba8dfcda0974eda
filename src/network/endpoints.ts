import type { Model, NetworkResource } from '../model/model.js';
import { named as kindNamed } from '../model/naming.js';
import { ResourceRef, Unknown, type Value, describeValue, isObject } from '../model/value.js';
import { roleOf } from './kinds.js';
import type { Endpoint, EndpointKind, Fact, GroupRef, Listener, Network, Subnet } from './model.js';
import { ResourceIndex, SUBNET_TYPES, VPC_TYPES, attr, field, items, list, placed, toBool, toInt, toText, typeSet } from './resolve.js';
import { append } from '../model/arrays.js';

// Endpoints: everything that puts network interfaces into security groups, with the groups it names,
// its subnets and whether it gets a public IP address (with the reason and the deciding line).

const KINDS: Record<string, EndpointKind> = {
  aws_instance: 'instance',
  'AWS::EC2::Instance': 'instance',
  aws_launch_template: 'launch-template',
  'AWS::EC2::LaunchTemplate': 'launch-template',
  'AWS::AutoScaling::LaunchConfiguration': 'launch-configuration',
  aws_launch_configuration: 'launch-configuration',
  aws_autoscaling_group: 'asg',
  'AWS::AutoScaling::AutoScalingGroup': 'asg',
  aws_network_interface: 'eni',
  'AWS::EC2::NetworkInterface': 'eni',
  aws_lb: 'lb',
  aws_alb: 'lb',
  aws_elb: 'lb',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'lb',
  'AWS::ElasticLoadBalancing::LoadBalancer': 'lb',
  aws_db_instance: 'db',
  'AWS::RDS::DBInstance': 'db',
  aws_rds_cluster: 'db-cluster',
  'AWS::RDS::DBCluster': 'db-cluster',
  aws_elasticache_cluster: 'cache',
  aws_elasticache_replication_group: 'cache',
  'AWS::ElastiCache::CacheCluster': 'cache',
  'AWS::ElastiCache::ReplicationGroup': 'cache',
  aws_lambda_function: 'lambda',
  'AWS::Lambda::Function': 'lambda',
  'AWS::Serverless::Function': 'lambda',
  aws_ecs_service: 'ecs-service',
  'AWS::ECS::Service': 'ecs-service',
  aws_eks_cluster: 'eks',
  'AWS::EKS::Cluster': 'eks',
  aws_vpc_endpoint: 'vpc-endpoint',
  'AWS::EC2::VPCEndpoint': 'vpc-endpoint',
};

const ENI_TYPES = typeSet('aws_network_interface', 'AWS::EC2::NetworkInterface');
const TEMPLATE_TYPES = typeSet('aws_launch_template', 'AWS::EC2::LaunchTemplate', 'aws_launch_configuration', 'AWS::AutoScaling::LaunchConfiguration');
const DB_SUBNET_GROUP_TYPES = typeSet(
  'aws_db_subnet_group',
  'AWS::RDS::DBSubnetGroup',
  'aws_elasticache_subnet_group',
  'AWS::ElastiCache::SubnetGroup',
  'aws_docdb_subnet_group',
  'AWS::DocDB::DBSubnetGroup',
  'AWS::Neptune::DBSubnetGroup',
  'AWS::Redshift::ClusterSubnetGroup',
  'AWS::MemoryDB::SubnetGroup',
  'AWS::DMS::ReplicationSubnetGroup',
  'aws_neptune_subnet_group',
  'aws_redshift_subnet_group',
  'aws_memorydb_subnet_group',
  'aws_dms_replication_subnet_group',
);
const TARGET_GROUP_TYPES = typeSet('aws_lb_target_group', 'AWS::ElasticLoadBalancingV2::TargetGroup');
const LB_TYPES = typeSet('aws_lb', 'aws_alb', 'AWS::ElasticLoadBalancingV2::LoadBalancer');
/** CloudFormation resources of other types kept because they name groups or subnets. */
const OTHER_GROUP_PROPS = ['SecurityGroupIds', 'SecurityGroups', 'VpcSecurityGroupIds'];
/** Terraform attributes that attach groups, on any resource type (top level or in a nested block). */
const TF_GROUP_ATTRIBUTES = ['vpc_security_group_ids', 'security_group_ids', 'security_groups'];
const TF_SUBNET_ATTRIBUTES = ['subnet_ids', 'subnets', 'subnet_id', 'vpc_subnet_ids', 'client_subnets'];
const TF_SUBNET_GROUP_ATTRIBUTES = ['db_subnet_group_name', 'neptune_subnet_group_name', 'cluster_subnet_group_name', 'subnet_group_name', 'replication_subnet_group_id'];
/** Terraform types of the generic kind whose interfaces never get public addresses. */
const TF_PRIVATE_ONLY = /^aws_(efs_mount_target|opensearch_domain|elasticsearch_domain|docdb_cluster|docdb_elastic_cluster|neptune_cluster|memorydb_cluster|db_proxy|apprunner_vpc_connector|fsx_.*|elasticache_serverless_cache|msk_serverless_cluster|codebuild_project|route53_resolver_endpoint)$/;

/** What one resource says about its interfaces, before links to other endpoints are followed. */
interface Draft {
  kind: EndpointKind;
  /** null: the resource names no groups itself. */
  groups: { refs: GroupRef[]; line?: number } | null;
  /** The resource takes groups at all (false for NLBs without groups, gateway endpoints, ...). */
  takesGroups: boolean;
  /** A template, ENI, cluster or replication group whose groups apply instead. */
  groupsFrom?: string | Unknown;
  subnets: (string | Unknown)[];
  vpc?: string | Unknown;
  /** Explicit public-IP fact from the resource itself; undefined to decide from subnets. */
  publicIp?: Fact<boolean>;
  /** A group AWS creates for the resource, outside the scan (see Endpoint.providedGroup). */
  providedGroup?: string;
}

const DEFAULT_ELB_GROUP = "ELB's default_elb group of the default VPC, which admits the listener ports";

export function buildEndpoints(model: Model, index: ResourceIndex, network: Network): Endpoint[] {
  const drafts = new Map<string, { r: NetworkResource; d: Draft }>();
  for (const r of model.resources) {
    const d = draft(r, index, model);
    if (d) drafts.set(r.address, { r, d });
  }
  const eips = elasticIps(model, index);
  // By id: a search of every subnet for every endpoint is quadratic in a VPC of thousands of subnets.
  const subnetById = new Map<string, Network['subnets'][number]>();
  for (const s of network.subnets) if (!subnetById.has(s.id)) subnetById.set(s.id, s);
  const out: Endpoint[] = [];
  for (const { r, d } of drafts.values()) {
    let refs = d.groups?.refs ?? [];
    let from: string | undefined;
    let usesDefault = d.takesGroups && d.groups === null;
    if (d.groups === null && d.groupsFrom !== undefined) {
      usesDefault = false;
      if (d.groupsFrom instanceof Unknown) {
        refs = [d.groupsFrom];
      } else {
        from = d.groupsFrom;
        const source = drafts.get(d.groupsFrom)?.d;
        if (!source) refs = [new Unknown(`the groups come from ${d.groupsFrom}, which is not in the scan`)];
        else if (source.groups) refs = source.groups.refs;
        // A template that names no groups either leaves the instances in the default group.
        else usesDefault = d.takesGroups && source.groupsFrom === undefined;
      }
    }
    let subnets = d.subnets;
    if (subnets.length === 0 && typeof d.groupsFrom === 'string') subnets = drafts.get(d.groupsFrom)?.d.subnets ?? [];
    const subnetObjs = subnets.map((s) => (typeof s === 'string' ? subnetById.get(s) : undefined));
    const vpc = d.vpc ?? subnetObjs.find((s) => s !== undefined)?.vpc ?? new Unknown(`the VPC of ${r.address} is not known from its subnets`);
    const attached = d.kind === 'instance' && typeof d.groupsFrom === 'string' && drafts.get(d.groupsFrom)?.d.kind === 'eni' ? d.groupsFrom : undefined;
    const role = roleOf(r, d.kind, (a) => index.get(a), d.kind === 'db' && typeof d.groupsFrom === 'string' ? d.groupsFrom : undefined);
    // A kind whose interfaces never get public addresses: no setting of its own says otherwise.
    if (d.kind === 'other' && d.publicIp?.value instanceof Unknown) {
      if (role.privateOnly) d.publicIp = { value: false, reason: `${role.what} has private addresses only` };
      else if (role.serves.kind !== 'unknown' && d.publicIp.reason === unknownKindAddress(typeOf(r)).reason) {
        const why = `${r.address} is ${role.what}, whose public address sgscan cannot tell`;
        d.publicIp = { value: new Unknown(why), reason: why };
      }
    }
    const e: Endpoint = {
      ...placed(r),
      kind: d.kind,
      securityGroups: refs,
      usesDefaultGroup: usesDefault,
      subnets,
      vpc,
      // An instance launched with an ENI of the scan has that interface's Elastic IP.
      publicIp: eips.get(r.address) ?? (attached ? eips.get(attached) : undefined) ?? d.publicIp ?? fromTemplate(r, d, drafts) ?? fromSubnets(subnets, subnetObjs, d, r),
      listeners: d.kind === 'lb' ? listeners(r, model, index) : [],
      role,
    };
    if (d.kind === 'db' && r.format === 'cloudformation' && e.publicIp.reason === 'PubliclyAccessible unset') e.publicIp = dbDefault(e, network);
    if (d.groups?.line !== undefined) e.securityGroupsLine = d.groups.line;
    if (from) e.groupsFrom = from;
    if (d.providedGroup) e.providedGroup = d.providedGroup;
    out.push(e);
  }
  // An ENI an instance of the scan launches with is that instance's interface: one endpoint, the instance.
  const launchedWith = new Set(out.filter((e) => e.kind === 'instance' && e.groupsFrom !== undefined && drafts.get(e.groupsFrom)?.d.kind === 'eni').map((e) => e.groupsFrom));
  return out.filter((e) => !(e.kind === 'eni' && launchedWith.has(e.id)));
}

function groupsOf(r: NetworkResource, ...names: string[]): { refs: GroupRef[]; line?: number } | null {
  const a = attr(r, ...names);
  return groupList(a.value, a.line);
}

function groupList(v: Value | undefined, line?: number): { refs: GroupRef[]; line?: number } | null {
  if (v === undefined || v === null) return null;
  const l = list(v);
  if (l instanceof Unknown) return { refs: [l], line };
  const refs = l.map((x): GroupRef => (x instanceof ResourceRef || x instanceof Unknown ? x : typeof x === 'string' ? x : new Unknown(`group ${describeValue(x)}`)));
  return refs.length === 0 ? null : { refs, line };
}

function subnetsOf(v: Value | undefined, index: ResourceIndex): (string | Unknown)[] {
  const l = list(v);
  if (l instanceof Unknown) return [l];
  return l.map((s) => index.link(s, SUBNET_TYPES, 'subnet') ?? new Unknown('empty subnet id'));
}

function fact(r: NetworkResource, names: string[], what: string): Fact<boolean> | undefined {
  const a = attr(r, ...names);
  const b = toBool(a.value, a.name ?? what);
  if (b === undefined) return undefined;
  return { value: b, reason: `${a.name} = ${describeValue(a.value as Value)}`, line: a.line };
}

function draft(r: NetworkResource, index: ResourceIndex, model: Model): Draft | null {
  const t = r.resourceType;
  const kind = KINDS[t];
  const tf = r.format !== 'cloudformation';
  switch (kind) {
    case 'instance': {
      const nics = items(attr(r, 'network_interface', 'NetworkInterfaces').value);
      const nicLine = attr(r, 'network_interface', 'NetworkInterfaces').line;
      let groups = groupsOf(r, 'vpc_security_group_ids', 'security_groups', 'SecurityGroupIds', 'SecurityGroups');
      const subnets = subnetsOf(attr(r, 'subnet_id', 'SubnetId').value, index);
      let publicIp = fact(r, ['associate_public_ip_address'], 'associate_public_ip_address');
      let groupsFrom: string | Unknown | undefined;
      for (const nic of nics) {
        const set = groupList(field(nic, 'GroupSet'), nicLine);
        if (set) groups = { refs: [...(groups?.refs ?? []), ...set.refs], line: groups?.line ?? nicLine };
        append(subnets, subnetsOf(field(nic, 'SubnetId'), index));
        const eni = field(nic, 'network_interface_id', 'NetworkInterfaceId');
        if (eni !== undefined) groupsFrom ??= index.link(eni, ENI_TYPES, 'network interface');
        const assoc = toBool(field(nic, 'AssociatePublicIpAddress'), 'AssociatePublicIpAddress');
        if (assoc !== undefined) publicIp = { value: assoc, reason: `NetworkInterfaces AssociatePublicIpAddress = ${describeValue(assoc)}`, line: nicLine };
      }
      const template = attr(r, 'launch_template', 'LaunchTemplate').value;
      if (template !== undefined && groupsFrom === undefined) groupsFrom = templateRef(template, index);
      return { kind, groups, takesGroups: true, groupsFrom, subnets, publicIp };
    }
    case 'launch-template': {
      const data = tf ? r.attributes : (attr(r, 'LaunchTemplateData').value as Record<string, Value> | undefined);
      const get = (n: string) => (tf ? r.attributes[n] : field(data, n));
      const dataLine = tf ? undefined : attr(r, 'LaunchTemplateData').line;
      let groups = tf ? groupsOf(r, 'vpc_security_group_ids', 'security_group_names') : groupList(field(data, 'SecurityGroupIds') ?? field(data, 'SecurityGroups'), dataLine);
      let publicIp: Fact<boolean> | undefined;
      const subnets: (string | Unknown)[] = [];
      const nicsName = tf ? 'network_interfaces' : 'NetworkInterfaces';
      const nicLine = tf ? r.attributeLines.network_interfaces : dataLine;
      for (const nic of items(get(nicsName))) {
        const set = groupList(field(nic, 'security_groups', 'Groups'), nicLine);
        if (set) groups = { refs: [...(groups?.refs ?? []), ...set.refs], line: groups?.line ?? nicLine };
        append(subnets, subnetsOf(field(nic, 'subnet_id', 'SubnetId'), index));
        const assoc = toBool(field(nic, 'associate_public_ip_address', 'AssociatePublicIpAddress'), 'associate_public_ip_address');
        if (assoc !== undefined) {
          publicIp = { value: assoc, reason: `${nicsName} ${tf ? 'associate_public_ip_address' : 'AssociatePublicIpAddress'} = ${describeValue(assoc)}`, line: nicLine };
        }
      }
      publicIp ??= { value: new Unknown(`the public IP of instances from ${r.address} is decided by the subnet they launch in`), reason: 'no associate_public_ip_address in the template' };
      // Whoever launches from a template may add groups, so the template alone is not "no groups".
      return { kind, groups, takesGroups: false, subnets, publicIp };
    }
    case 'launch-configuration':
      return {
        kind,
        groups: groupsOf(r, 'security_groups', 'SecurityGroups'),
        takesGroups: true,
        subnets: [],
        publicIp: fact(r, ['associate_public_ip_address', 'AssociatePublicIpAddress'], 'associate public IP') ?? {
          value: new Unknown(`the public IP of instances from ${r.address} is decided by the subnet they launch in`),
          reason: 'AssociatePublicIpAddress unset',
        },
      };
    case 'asg': {
      const spec =
        attr(r, 'launch_template', 'LaunchTemplate').value ??
        field(field(field(items(attr(r, 'mixed_instances_policy').value)[0], 'launch_template'), 'launch_template_specification')) ??
        field(field(attr(r, 'MixedInstancesPolicy').value, 'LaunchTemplate'), 'LaunchTemplateSpecification');
      const config = attr(r, 'launch_configuration', 'LaunchConfigurationName').value;
      const groupsFrom = spec !== undefined ? templateRef(spec, index) : config !== undefined ? index.link(config, TEMPLATE_TYPES, 'launch configuration') : undefined;
      return { kind, groups: null, takesGroups: true, groupsFrom: groupsFrom ?? new Unknown(`${r.address} names no launch template`), subnets: subnetsOf(attr(r, 'vpc_zone_identifier', 'VPCZoneIdentifier').value, index) };
    }
    case 'eni':
      return {
        kind,
        groups: groupsOf(r, 'security_groups', 'GroupSet'),
        takesGroups: true,
        subnets: subnetsOf(attr(r, 'subnet_id', 'SubnetId').value, index),
        publicIp: { value: false, reason: 'a network interface gets a public IP only from an Elastic IP or at instance launch' },
      };
    case 'lb': {
      const type = toText(attr(r, 'load_balancer_type', 'Type').value, 'load balancer type') ?? 'application';
      const classic = t === 'aws_elb' || t === 'AWS::ElasticLoadBalancing::LoadBalancer';
      const groups = groupsOf(r, 'security_groups', 'SecurityGroups');
      const subnets = subnetsOf(attr(r, 'subnets', 'Subnets').value, index);
      for (const m of items(attr(r, 'subnet_mapping', 'SubnetMappings').value)) append(subnets, subnetsOf(field(m, 'subnet_id', 'SubnetId'), index));
      // A Classic Load Balancer without subnets is in the default VPC, where ELB gives it its own
      // default_elb_<id> group (listener ports open), never the VPC's default group (ELB guide,
      // "Configure security groups for your Classic Load Balancer").
      const defaultElbGroup = classic && groups === null && subnets.length === 0;
      // NLBs may run without groups (then none apply); gateway LBs take none.
      const takesGroups = (classic && !defaultElbGroup) || (!classic && (type === 'application' || type instanceof Unknown));
      const internal = attr(r, 'internal');
      const scheme = attr(r, 'Scheme');
      let publicIp: Fact<boolean>;
      if (tf) {
        const b = toBool(internal.value, 'internal');
        publicIp =
          b === undefined
            ? { value: true, reason: 'internal unset (default false: internet-facing)' }
            : { value: b instanceof Unknown ? b : !b, reason: `internal = ${describeValue(internal.value as Value)}`, line: internal.line };
      } else {
        const s = toText(scheme.value, 'Scheme');
        publicIp =
          s === undefined
            ? { value: true, reason: 'Scheme unset (default internet-facing)' }
            : { value: s instanceof Unknown ? s : s.toLowerCase() !== 'internal', reason: `Scheme = ${describeValue(scheme.value as Value)}`, line: scheme.line };
      }
      return { kind, groups, takesGroups, subnets, publicIp, ...(defaultElbGroup ? { providedGroup: DEFAULT_ELB_GROUP } : {}) };
    }
    case 'db': {
      const cluster = attr(r, 'cluster_identifier', 'DBClusterIdentifier').value;
      const subnetGroup = subnetGroupSubnets(attr(r, 'db_subnet_group_name', 'DBSubnetGroupName').value, index, r);
      const explicit = fact(r, ['publicly_accessible', 'PubliclyAccessible'], 'publicly accessible');
      return {
        kind,
        groups: groupsOf(r, 'vpc_security_group_ids', 'VPCSecurityGroups', 'DBSecurityGroups'),
        takesGroups: true,
        groupsFrom: cluster !== undefined ? (index.link(cluster, typeSet('aws_rds_cluster', 'AWS::RDS::DBCluster'), 'DB cluster') as string | Unknown) : undefined,
        subnets: subnetGroup,
        publicIp:
          explicit ??
          (tf
            ? { value: false, reason: 'publicly_accessible unset (default false)' }
            : { value: new Unknown('PubliclyAccessible unset: RDS makes the instance public when its VPC has an internet gateway'), reason: 'PubliclyAccessible unset' }),
      };
    }
    case 'db-cluster':
      return {
        kind,
        groups: groupsOf(r, 'vpc_security_group_ids', 'VpcSecurityGroupIds'),
        takesGroups: true,
        subnets: subnetGroupSubnets(attr(r, 'db_subnet_group_name', 'DBSubnetGroupName').value, index, r),
        publicIp: fact(r, ['PubliclyAccessible', 'publicly_accessible'], 'publicly accessible') ?? {
          value: false,
          reason: "public access is set on the cluster's DB instances",
        },
      };
    case 'cache': {
      const rg = attr(r, 'replication_group_id').value;
      return {
        kind,
        groups: groupsOf(r, 'security_group_ids', 'security_group_names', 'VpcSecurityGroupIds', 'SecurityGroupIds', 'CacheSecurityGroupNames'),
        takesGroups: true,
        groupsFrom: rg !== undefined ? (index.link(rg, typeSet('aws_elasticache_replication_group'), 'replication group') as string | Unknown) : undefined,
        subnets: subnetGroupSubnets(attr(r, 'subnet_group_name', 'CacheSubnetGroupName').value, index, r),
        publicIp: { value: false, reason: 'ElastiCache nodes have no public IP addresses' },
      };
    }
    case 'lambda': {
      const vpcConfig = tf ? items(attr(r, 'vpc_config').value)[0] : attr(r, 'VpcConfig').value;
      if (vpcConfig === undefined) return null;
      const line = attr(r, 'vpc_config', 'VpcConfig').line;
      return {
        kind,
        groups: groupList(field(vpcConfig, 'security_group_ids', 'SecurityGroupIds'), line),
        takesGroups: true,
        subnets: subnetsOf(field(vpcConfig, 'subnet_ids', 'SubnetIds'), index),
        publicIp: { value: false, reason: 'Lambda network interfaces never get public IP addresses' },
      };
    }
    case 'ecs-service': {
      const net = tf ? items(attr(r, 'network_configuration').value)[0] : field(attr(r, 'NetworkConfiguration').value, 'AwsvpcConfiguration');
      if (net === undefined) return null;
      const line = attr(r, 'network_configuration', 'NetworkConfiguration').line;
      const assign = field(net, 'assign_public_ip', 'AssignPublicIp');
      const b = tf ? toBool(assign, 'assign_public_ip') : assign === undefined ? undefined : typeof assign === 'string' ? assign.toUpperCase() === 'ENABLED' : toBool(assign, 'AssignPublicIp');
      return {
        kind,
        groups: groupList(field(net, 'security_groups', 'SecurityGroups'), line),
        takesGroups: true,
        subnets: subnetsOf(field(net, 'subnets', 'Subnets'), index),
        publicIp: b === undefined ? { value: false, reason: `${tf ? 'assign_public_ip' : 'AssignPublicIp'} unset (default off)` } : { value: b, reason: `${tf ? 'assign_public_ip' : 'AssignPublicIp'} = ${describeValue(assign as Value)}`, line },
      };
    }
    case 'eks': {
      const cfg = tf ? items(attr(r, 'vpc_config').value)[0] : attr(r, 'ResourcesVpcConfig').value;
      const line = attr(r, 'vpc_config', 'ResourcesVpcConfig').line;
      return {
        kind,
        groups: groupList(field(cfg, 'security_group_ids', 'SecurityGroupIds'), line),
        // EKS always adds its own cluster security group, so naming none is not the default group.
        takesGroups: false,
        subnets: subnetsOf(field(cfg, 'subnet_ids', 'SubnetIds'), index),
        publicIp: { value: false, reason: 'the control-plane network interfaces have no public IP addresses' },
      };
    }
    case 'vpc-endpoint': {
      const type = toText(attr(r, 'vpc_endpoint_type', 'VpcEndpointType').value, 'endpoint type') ?? 'Gateway';
      // Gateway endpoints are route-table targets without interfaces; GWLB endpoints take no groups.
      if (typeof type === 'string' && type.toLowerCase() !== 'interface') return null;
      return {
        kind,
        groups: groupsOf(r, 'security_group_ids', 'SecurityGroupIds'),
        takesGroups: true,
        subnets: subnetsOf(attr(r, 'subnet_ids', 'SubnetIds').value, index),
        vpc: index.link(attr(r, 'vpc_id', 'VpcId').value, VPC_TYPES, 'VPC'),
        publicIp: { value: false, reason: 'interface endpoints have private addresses only' },
      };
    }
    default: {
      if (r.format !== 'cloudformation') return genericTerraform(r, index);
      if (!OTHER_GROUP_PROPS.some((p) => r.attributes[p] !== undefined)) return null;
      if (KINDS[t] === undefined && /::(Subnet|SecurityGroup|DBSubnetGroup|SubnetGroup|TargetGroup|Listener)$/.test(t)) return null;
      void model;
      return {
        kind: 'other',
        groups: groupsOf(r, ...OTHER_GROUP_PROPS),
        takesGroups: false,
        subnets: cfnSubnets(r, index),
        publicIp: fact(r, ['PubliclyAccessible'], 'publicly accessible') ?? unknownKindAddress(t),
      };
    }
  }
}

/** CloudFormation properties naming subnets (RDS Proxy: VpcSubnetIds), else a subnet group (DocumentDB, Neptune, ...). */
function cfnSubnets(r: NetworkResource, index: ResourceIndex): (string | Unknown)[] {
  const direct = attr(r, 'SubnetIds', 'Subnets', 'SubnetId', 'VpcSubnetIds').value;
  if (direct !== undefined) return subnetsOf(direct, index);
  const group = attr(r, 'DBSubnetGroupName', 'CacheSubnetGroupName', 'SubnetGroupName', 'ClusterSubnetGroupName', 'ReplicationSubnetGroupIdentifier').value;
  return subnetGroupSubnets(group, index, r);
}

/**
 * A Terraform resource of a type not modelled above that attaches security groups (EFS mount
 * targets, MSK brokers, OpenSearch domains, ...): its groups and subnets from the top level or the
 * nested blocks that hold them (`vpc_config`, `vpc_options`, `broker_node_group_info`, ...).
 */
function genericTerraform(r: NetworkResource, index: ResourceIndex): Draft | null {
  const holders: { item: Value; prefix: string }[] = [{ item: r.attributes, prefix: '' }];
  for (const [k, v] of Object.entries(r.attributes)) {
    if (k === 'tags' || k === 'tags_all') continue;
    items(v).forEach((item, i) => {
      if (isObject(item)) holders.push({ item, prefix: `${k}[${i}].` });
    });
  }
  const refs: GroupRef[] = [];
  let groupsLine: number | undefined;
  const subnets: (string | Unknown)[] = [];
  for (const { item, prefix } of holders) {
    const name = TF_GROUP_ATTRIBUTES.find((n) => field(item, n) !== undefined && field(item, n) !== null);
    if (name === undefined) continue;
    const line = r.attributeLines[`${prefix}${name}`] ?? r.attributeLines[prefix.replace(/\[\d+\]\.$/, '')];
    const found = groupList(field(item, name), line);
    if (found) {
      if (refs.length === 0) groupsLine = found.line;
      append(refs, found.refs);
    }
    const subnetName = TF_SUBNET_ATTRIBUTES.find((n) => field(item, n) !== undefined);
    if (subnetName) append(subnets, subnetsOf(field(item, subnetName), index));
  }
  if (refs.length === 0) return null;
  const groups = { refs, line: groupsLine };
  if (subnets.length === 0) {
    const sg = attr(r, ...TF_SUBNET_GROUP_ATTRIBUTES);
    if (sg.value !== undefined) append(subnets, subnetGroupSubnets(sg.value, index, r));
  }
  const t = r.resourceType;
  const vpcId = attr(r, 'vpc_id').value;
  const draft: Draft = {
    kind: 'other',
    groups,
    // Without a schema it is not known whether naming none leaves the resource in the default group.
    takesGroups: false,
    subnets,
    publicIp:
      fact(r, ['publicly_accessible', 'associate_public_ip_address'], 'publicly accessible') ??
      (TF_PRIVATE_ONLY.test(t)
        ? { value: false, reason: `${t} has private addresses only` }
        : t === 'aws_mq_broker'
          ? { value: false, reason: 'publicly_accessible unset (default false)' }
          : unknownKindAddress(t)),
  };
  if (vpcId !== undefined) draft.vpc = index.link(vpcId, VPC_TYPES, 'VPC');
  return draft;
}

const typeOf = (r: NetworkResource): string => r.resourceType;

/** Whether a resource of a type sgscan does not know has a public address: not known, and why. */
function unknownKindAddress(t: string): Fact<boolean> {
  const why = `a resource of type ${t} that sgscan does not know`;
  return { value: new Unknown(why), reason: why };
}

function templateRef(spec: Value, index: ResourceIndex): string | Unknown {
  const first = Array.isArray(spec) ? spec[0] : spec;
  const id = field(first, 'id', 'name', 'LaunchTemplateId', 'LaunchTemplateName') ?? first;
  return index.link(id, TEMPLATE_TYPES, 'launch template') ?? new Unknown('launch template without id');
}

/** The names a subnet group is known by (a literal DBSubnetGroupName names the group that declares it). */
const SUBNET_GROUP_NAMES = ['name', 'DBSubnetGroupName', 'CacheSubnetGroupName', 'SubnetGroupName', 'ReplicationSubnetGroupIdentifier'];

function subnetGroupSubnets(v: Value | undefined, index: ResourceIndex, from: NetworkResource): (string | Unknown)[] {
  if (v === undefined) return [];
  const id = index.link(v, DB_SUBNET_GROUP_TYPES, 'subnet group');
  if (id instanceof Unknown) return [id];
  const g = id === undefined ? undefined : (index.get(id) ?? index.byName(id, from, DB_SUBNET_GROUP_TYPES, SUBNET_GROUP_NAMES));
  if (!g) return [new Unknown(`subnet group ${id} is not in the scan`)];
  return subnetsOf(attr(g, 'subnet_ids', 'SubnetIds').value, index);
}

/** Instances and ENIs with an Elastic IP: aws_eip / aws_eip_association / AWS::EC2::EIP(Association). */
function elasticIps(model: Model, index: ResourceIndex): Map<string, Fact<boolean>> {
  const out = new Map<string, Fact<boolean>>();
  const targets = typeSet('aws_instance', 'AWS::EC2::Instance', ...ENI_TYPES);
  for (const r of model.resources) {
    if (!['aws_eip', 'aws_eip_association', 'AWS::EC2::EIP', 'AWS::EC2::EIPAssociation'].includes(r.resourceType)) continue;
    const a = attr(r, 'instance', 'instance_id', 'network_interface', 'network_interface_id', 'InstanceId', 'NetworkInterfaceId');
    const id = index.link(a.value, targets, 'instance or network interface');
    if (typeof id === 'string' && index.get(id)) out.set(id, { value: true, reason: `Elastic IP ${r.address}`, line: undefined });
  }
  return out;
}

/**
 * An instance or Auto Scaling group launched from a template or launch configuration that decides
 * the public IP itself (associate_public_ip_address / AssociatePublicIpAddress): that setting wins over
 * the subnet's default.
 */
function fromTemplate(r: NetworkResource, d: Draft, drafts: ReadonlyMap<string, { r: NetworkResource; d: Draft }>): Fact<boolean> | undefined {
  if ((d.kind !== 'instance' && d.kind !== 'asg') || typeof d.groupsFrom !== 'string') return undefined;
  const t = drafts.get(d.groupsFrom);
  if (!t || (t.d.kind !== 'launch-template' && t.d.kind !== 'launch-configuration')) return undefined;
  const f = t.d.publicIp;
  if (!f || typeof f.value !== 'boolean') return undefined;
  const out: Fact<boolean> = { value: f.value, reason: `${t.r.address} sets ${f.reason}` };
  // A fact's line is read in the endpoint's own file.
  if (f.line !== undefined && t.r.location.file === r.location.file) out.line = f.line;
  return out;
}

function fromSubnets(ids: (string | Unknown)[], subnets: (Subnet | undefined)[], d: Draft, r: NetworkResource): Fact<boolean> {
  if (d.kind !== 'instance' && d.kind !== 'asg') return { value: false, reason: `${r.resourceType} has no public IP setting` };
  if (ids.length === 0) {
    return { value: new Unknown(`${r.address} names no subnet, so it launches in the default VPC, whose subnets assign public IPs`), reason: 'no subnet' };
  }
  const reasons: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const s = subnets[i];
    if (!s) {
      reasons.push(ids[i] instanceof Unknown ? String(ids[i]) : `subnet ${String(ids[i])} is not in the scan`);
      continue;
    }
    const m = s.mapPublicIpOnLaunch.value;
    if (m === true) return { value: true, reason: `${kindNamed('subnet', s.id)} sets ${s.mapPublicIpOnLaunch.reason}` };
    if (m instanceof Unknown) append(reasons, m.reasons);
  }
  if (reasons.length > 0) return { value: new Unknown(reasons), reason: 'the subnet default is not known' };
  return { value: false, reason: `subnet ${subnets.map((s) => s?.id).join(', ')} does not map public IPs on launch` };
}

// ---- Load balancer listeners ------------------------------------------------------------------

function listeners(lb: NetworkResource, model: Model, index: ResourceIndex): Listener[] {
  const out: Listener[] = [];
  for (const r of model.resources) {
    if (r.resourceType !== 'aws_lb_listener' && r.resourceType !== 'aws_alb_listener' && r.resourceType !== 'AWS::ElasticLoadBalancingV2::Listener') continue;
    if (index.link(attr(r, 'load_balancer_arn', 'LoadBalancerArn').value, LB_TYPES, 'load balancer') !== lb.address) continue;
    const targetGroups: (string | Unknown)[] = [];
    for (const action of items(attr(r, 'default_action', 'DefaultActions').value)) {
      const direct = field(action, 'target_group_arn', 'TargetGroupArn');
      if (direct !== undefined) targetGroups.push(index.link(direct, TARGET_GROUP_TYPES, 'target group') ?? new Unknown('empty target group'));
      const forward = items(field(action, 'forward'))[0] ?? field(action, 'ForwardConfig');
      for (const tg of items(field(forward, 'target_group', 'TargetGroups'))) {
        const arn = field(tg, 'arn', 'TargetGroupArn');
        if (arn !== undefined) targetGroups.push(index.link(arn, TARGET_GROUP_TYPES, 'target group') ?? new Unknown('empty target group'));
      }
    }
    const port = attr(r, 'port', 'Port');
    const protocol = toText(attr(r, 'protocol', 'Protocol').value, 'listener protocol');
    out.push({
      id: r.address,
      port: toInt(port.value, 'listener port') ?? new Unknown('listener port unset'),
      protocol: protocol ?? new Unknown('listener protocol unset'),
      targetGroups,
      targets: targetGroups.flatMap((tg) => (tg instanceof Unknown ? [tg] : targetsOf(tg, model, index))),
      location: r.location,
    });
  }
  return out;
}

function targetsOf(tg: string, model: Model, index: ResourceIndex): (string | Unknown)[] {
  const out: (string | Unknown)[] = [];
  const any = new Set(Object.keys(KINDS));
  const g = index.get(tg);
  for (const t of items(g ? attr(g, 'Targets').value : undefined)) out.push(byPrivateIp(index.link(field(t, 'Id'), any, 'target') ?? new Unknown('target without Id'), model));
  for (const r of model.resources) {
    if (r.resourceType === 'aws_lb_target_group_attachment' || r.resourceType === 'aws_alb_target_group_attachment') {
      if (index.link(attr(r, 'target_group_arn').value, TARGET_GROUP_TYPES, 'target group') === tg) out.push(byPrivateIp(index.link(attr(r, 'target_id').value, any, 'target') ?? new Unknown('no target_id'), model));
    }
    if (r.resourceType === 'aws_autoscaling_group' || r.resourceType === 'AWS::AutoScaling::AutoScalingGroup') {
      const arns = list(attr(r, 'target_group_arns', 'TargetGroupARNs').value);
      if (!(arns instanceof Unknown) && arns.some((a) => index.link(a, TARGET_GROUP_TYPES, 'target group') === tg)) out.push(r.address);
    }
  }
  return out;
}

/** An IP target written as an address: the instance declared with that private IP, when there is one. */
function byPrivateIp(target: string | Unknown, model: Model): string | Unknown {
  if (typeof target !== 'string' || !/^[0-9.]+$|:/.test(target)) return target;
  const hit = model.resources.find((r) => (r.resourceType === 'aws_instance' || r.resourceType === 'AWS::EC2::Instance') && attr(r, 'private_ip', 'PrivateIpAddress').value === target);
  return hit ? hit.address : target;
}

/**
 * RDS with PubliclyAccessible unset and a subnet group: public exactly when the subnets' VPC has an
 * internet gateway attached (CreateDBInstance). Decided only when that VPC is in the scan.
 */
function dbDefault(e: Endpoint, network: Network): Fact<boolean> {
  const vpc = network.vpcs.find((v) => v.id === e.vpc);
  if (e.subnets.length === 0 || !vpc) return e.publicIp;
  if (vpc.internetGateways.length > 0) {
    return { value: true, reason: `PubliclyAccessible unset and VPC ${vpc.id} has an internet gateway, so RDS makes the instance public` };
  }
  return { value: false, reason: `PubliclyAccessible unset and VPC ${vpc.id} has no internet gateway, so RDS keeps the instance private` };
}
