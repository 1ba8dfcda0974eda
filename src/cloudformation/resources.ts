import { at } from '../model/location.js';
import type { CoverageNotice, NetworkResource } from '../model/model.js';
import { Unknown, type Value, describeValue, isObject } from '../model/value.js';
import { type EvalContext, NO_VALUE, evaluate } from './intrinsics.js';
import { type PNode, child, entry } from './node.js';
import { type Template, resourceType } from './template.js';
import { SG_TYPES, resourceCondition, resourceLines, resourceMetadata } from './security-groups.js';

// Everything else the reachability engine needs: VPC plumbing, compute and endpoints that carry
// security groups. Properties are evaluated once, with parameters at their defaults.

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
]);

/** Other resources are kept when they attach security groups or sit in a VPC. */
const NETWORK_PROPERTIES = ['SecurityGroupIds', 'SecurityGroups', 'VpcSecurityGroupIds', 'VpcConfig', 'NetworkConfiguration', 'SubnetIds', 'VpcId'];

function toRecord(v: Value | typeof NO_VALUE): Record<string, Value> {
  if (v === NO_VALUE || v === null) return {};
  if (isObject(v)) return v;
  return { Properties: v instanceof Unknown ? v : new Unknown(`Properties is not a map (${describeValue(v)})`) };
}

export function networkResources(template: Template, file: string, ctx: EvalContext): { resources: NetworkResource[]; notices: CoverageNotice[] } {
  const resources: NetworkResource[] = [];
  const notices: CoverageNotice[] = [];
  for (const [id, res] of template.resources) {
    const type = resourceType(res);
    if (type === undefined) continue;
    const props = child(res.value, 'Properties');
    if (type === 'AWS::CloudFormation::Stack') {
      const url = props ? evaluate(child(props, 'TemplateURL') ?? props, ctx) : undefined;
      const local = typeof url === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url);
      if (!local) {
        notices.push({ file, line: res.keyLine, message: `nested stack ${id} (TemplateURL ${url === undefined ? 'missing' : describeValue(url as Value)}) is not scanned` });
      }
      continue;
    }
    const keep = NETWORK_TYPES.has(type) || (!SG_TYPES.has(type) && props?.kind === 'map' && NETWORK_PROPERTIES.some((p) => entry(props, p)));
    if (!keep) continue;
    const condition = resourceCondition(res, ctx);
    if (condition === false) continue;
    const attributes = props ? toRecord(evaluate(props, ctx)) : {};
    const attributeLines = resourceLines(res);
    if (type === 'AWS::Serverless::Function' && attributes.VpcConfig === undefined) {
      // SAM applies Globals.Function properties to every function that does not set them.
      const globalVpc = entry(child(template.globals, 'Function'), 'VpcConfig');
      if (globalVpc) {
        const v = evaluate(globalVpc.value, ctx);
        if (v !== NO_VALUE) {
          attributes.VpcConfig = v;
          attributeLines.VpcConfig = globalVpc.keyLine;
        }
      }
    }
    const resource: NetworkResource = {
      address: id,
      format: 'cloudformation',
      resourceType: type,
      location: at(file, res.keyLine, res.value.endLine),
      via: [],
      attributes,
      attributeLines,
      metadata: resourceMetadata(res),
    };
    if (condition) resource.condition = condition;
    resources.push(resource);
  }
  return { resources, notices };
}

export type { PNode };
