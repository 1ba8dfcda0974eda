import { type SourceLocation, at } from '../../model/location.js';
import { takesSecurityGroups } from '../../model/attachments.js';
import type { NetworkResource } from '../../model/model.js';
import { Unknown, type Value, describeValue, isObject } from '../../model/value.js';
import { type Branch, assumptionsFor, conditionFrom, mergeBranchValues } from './branches.js';
import { type EvalContext, NO_VALUE, evaluate } from './intrinsics.js';
import { type PEntry, type PNode, child, entry } from './node.js';
import { type Template, resourceType } from './template.js';
import { SG_TYPES, resourceCondition, resourceLines, resourceMetadata } from './security-groups.js';

// Everything else the reachability engine needs: VPC plumbing, compute and endpoints that carry
// security groups. Properties are evaluated in every branch (see branches.ts) and merged.

const NETWORK_TYPES = new Set([
  'AWS::EC2::VPC',
  'AWS::EC2::VPCCidrBlock',
  'AWS::EC2::Subnet',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::VPCGatewayAttachment',
  'AWS::EC2::EgressOnlyInternetGateway',
  'AWS::EC2::NatGateway',
  'AWS::EC2::EIP',
  'AWS::EC2::EIPAssociation',
  'AWS::EC2::RouteTable',
  'AWS::EC2::Route',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::NetworkAcl',
  'AWS::EC2::NetworkAclEntry',
  'AWS::EC2::SubnetNetworkAclAssociation',
  'AWS::EC2::VPCPeeringConnection',
  'AWS::EC2::PrefixList',
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::Instance',
  'AWS::EC2::NetworkInterface',
  'AWS::EC2::NetworkInterfaceAttachment',
  'AWS::EC2::LaunchTemplate',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::AutoScaling::LaunchConfiguration',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::ElasticLoadBalancing::LoadBalancer',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBSubnetGroup',
  'AWS::ElastiCache::CacheCluster',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::SubnetGroup',
  'AWS::Lambda::Function',
  'AWS::Serverless::Function',
  'AWS::ECS::Service',
  'AWS::EKS::Cluster',
  'AWS::EKS::Nodegroup',
  // The AWS CDK's custom resource that strips a VPC's default group of its rules (SGS051).
  'Custom::VpcRestrictDefaultSG',
  // EC2-Classic groups, retired: read so that SGS053/SGS054 can say so (AWS::RDS::DBSecurityGroup and
  // its ingress are kept already: their schema names EC2 groups).
  'AWS::Redshift::ClusterSecurityGroup',
  'AWS::Redshift::ClusterSecurityGroupIngress',
  'AWS::ElastiCache::SecurityGroup',
  'AWS::ElastiCache::SecurityGroupIngress',
]);

/** List properties whose items' lines are recorded (`DBSecurityGroupIngress[0]`, `...[0].CIDRIP`). */
const ITEM_LINES: Record<string, string> = { 'AWS::RDS::DBSecurityGroup': 'DBSecurityGroupIngress' };

/** Other resources are kept when they attach security groups or sit in a VPC. */
const NETWORK_PROPERTIES = ['SecurityGroupIds', 'SecurityGroups', 'VpcSecurityGroupIds', 'VpcConfig', 'NetworkConfiguration', 'SubnetIds', 'VpcId'];

function toRecord(v: Value | typeof NO_VALUE): Record<string, Value> {
  if (v === NO_VALUE || v === null) return {};
  if (isObject(v)) return v;
  return { Properties: v instanceof Unknown ? v : new Unknown(`Properties is not a map (${describeValue(v)})`) };
}

/** Whether a resource matters to reachability (decided on the written template, before evaluation). */
export function isNetworkResource(res: PEntry): boolean {
  const type = resourceType(res);
  if (type === undefined || type === 'AWS::CloudFormation::Stack') return false;
  const props = child(res.value, 'Properties');
  // Every type whose resource schema takes security groups is kept (see src/model/attachments.ts).
  return NETWORK_TYPES.has(type) || takesSecurityGroups(type) || (!SG_TYPES.has(type) && props?.kind === 'map' && NETWORK_PROPERTIES.some((p) => entry(props, p)));
}

/** Evaluated properties of one resource in one branch (SAM Globals applied). */
function attributesIn(res: PEntry, type: string, template: Template, ctx: EvalContext): Record<string, Value> {
  const props = child(res.value, 'Properties');
  const attributes = props ? toRecord(evaluate(props, ctx)) : {};
  if (type === 'AWS::Serverless::Function' && attributes.VpcConfig === undefined) {
    // SAM applies Globals.Function properties to every function that does not set them.
    const globalVpc = entry(child(template.globals, 'Function'), 'VpcConfig');
    if (globalVpc) {
      const v = evaluate(globalVpc.value, ctx);
      if (v !== NO_VALUE) attributes.VpcConfig = v;
    }
  }
  return attributes;
}

/**
 * Network resources, evaluated in every branch: a property that differs between branches becomes an
 * Unknown naming the choices, and a resource that exists only in some branches carries a condition.
 */
export function networkResources(
  template: Template,
  file: string,
  branches: Branch[],
  via: SourceLocation[] = [],
  /** The template's network resources (isNetworkResource), when the caller has picked them already. */
  picked?: Array<[string, PEntry]>,
): NetworkResource[] {
  const resources: NetworkResource[] = [];
  const prefix = branches[0]?.ctx.prefix ?? '';
  for (const [id, res] of picked ?? template.resources) {
    const type = resourceType(res);
    if (type === undefined || (!picked && !isNetworkResource(res))) continue;
    const present: Array<{ branch: Branch; condition: Unknown | undefined }> = [];
    for (const branch of branches) {
      const c = resourceCondition(res, branch.ctx);
      if (c !== false) present.push({ branch, condition: c });
    }
    if (present.length === 0) continue;
    const records = present.map((p) => ({ branch: p.branch, attributes: attributesIn(res, type, template, p.branch.ctx) }));
    const keys: string[] = [];
    for (const r of records) for (const k of Object.keys(r.attributes)) if (!keys.includes(k)) keys.push(k);
    const attributes: Record<string, Value> = {};
    for (const k of keys) {
      const merged = mergeBranchValues(k, records.map((r) => ({ branch: r.branch, value: r.attributes[k] })));
      if (merged !== undefined) attributes[k] = merged;
    }
    const attributeLines = resourceLines(res);
    if (Object.hasOwn(ITEM_LINES, type)) itemLines(child(child(res.value, 'Properties'), ITEM_LINES[type]), ITEM_LINES[type], attributeLines);
    const globalVpc = entry(child(template.globals, 'Function'), 'VpcConfig');
    if (type === 'AWS::Serverless::Function' && attributeLines.VpcConfig === undefined && globalVpc && attributes.VpcConfig !== undefined) {
      attributeLines.VpcConfig = globalVpc.keyLine;
    }
    const resource: NetworkResource = {
      address: prefix + id,
      format: 'cloudformation',
      resourceType: type,
      location: at(file, res.keyLine, res.value.endLine),
      via,
      attributes,
      attributeLines,
      metadata: resourceMetadata(res),
    };
    const assumptions = assumptionsFor(present.map((p) => p.branch), branches);
    const undecided = present.find((p) => p.condition)?.condition;
    const condition = assumptions ? conditionFrom(undecided, assumptions) : undecided;
    if (condition) resource.condition = condition;
    resources.push(resource);
  }
  return resources;
}

/** Lines of the items of a literal list and of their keys, in NetworkResource.attributeLines' key format. */
function itemLines(node: PNode | undefined, key: string, out: Record<string, number>): void {
  if (node?.kind !== 'seq') return;
  node.items.forEach((item, i) => {
    out[`${key}[${i}]`] = item.line;
    if (item.kind === 'map') for (const e of item.entries) out[`${key}[${i}].${e.key}`] = e.keyLine;
  });
}

export type { PNode };
