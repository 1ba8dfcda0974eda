import type { SourceLocation } from '../../model/location.js';
import { type NetworkResource, OUTPUT_RESOURCE_TYPE } from '../../model/model.js';
import { takesSecurityGroups } from '../../model/attachments.js';
import { ResourceRef, type Value, isObject } from '../../model/value.js';
import type { EvalBlock, EvalBody } from './module.js';
import type { InstanceInfo } from './security-groups.js';
import { baseAddress } from '../../model/address.js';

// Network resources the reachability engine reads, with their evaluated attributes. Nested blocks
// become lists of objects, as in Terraform's own state.

export const NETWORK_TYPES = new Set([
  'aws_vpc',
  'aws_vpc_ipv4_cidr_block_association',
  'aws_vpc_ipv6_cidr_block_association',
  'aws_subnet',
  'aws_internet_gateway',
  'aws_internet_gateway_attachment',
  'aws_egress_only_internet_gateway',
  'aws_nat_gateway',
  'aws_eip',
  'aws_eip_association',
  'aws_route_table',
  'aws_route',
  'aws_route_table_association',
  'aws_main_route_table_association',
  'aws_default_route_table',
  'aws_network_acl',
  'aws_network_acl_rule',
  'aws_network_acl_association',
  'aws_default_network_acl',
  'aws_vpc_peering_connection',
  'aws_ec2_managed_prefix_list',
  'aws_ec2_managed_prefix_list_entry',
  'aws_vpc_endpoint',
  'aws_instance',
  'aws_network_interface',
  'aws_network_interface_sg_attachment',
  'aws_launch_template',
  'aws_launch_configuration',
  'aws_autoscaling_group',
  'aws_lb',
  'aws_alb',
  'aws_elb',
  'aws_lb_listener',
  'aws_alb_listener',
  'aws_lb_target_group',
  'aws_alb_target_group',
  'aws_lb_target_group_attachment',
  'aws_alb_target_group_attachment',
  'aws_db_instance',
  'aws_rds_cluster',
  'aws_db_subnet_group',
  'aws_elasticache_cluster',
  'aws_elasticache_replication_group',
  'aws_elasticache_subnet_group',
  'aws_docdb_subnet_group',
  'aws_neptune_subnet_group',
  'aws_redshift_subnet_group',
  'aws_memorydb_subnet_group',
  'aws_dms_replication_subnet_group',
  'aws_lambda_function',
  'aws_ecs_service',
  'aws_eks_cluster',
  'aws_eks_node_group',
  // EC2-Classic groups, retired (SGS053, SGS054).
  'aws_db_security_group',
  'aws_redshift_security_group',
  'aws_elasticache_security_group',
]);

/**
 * Attribute names that put a resource's interfaces into security groups, whatever the type
 * (aws_efs_mount_target, aws_msk_cluster's broker_node_group_info, aws_opensearch_domain's
 * vpc_options, ...). A resource naming one of them, at the top or in a nested block, is kept.
 */
export const GROUP_ATTRIBUTES = ['security_groups', 'security_group_ids', 'vpc_security_group_ids'];

/** Is the resource worth keeping: a known network type, or one that names security groups? */
export function isNetworkResource(type: string, ...raws: unknown[]): boolean {
  // Every type whose provider schema takes security groups is kept, naming them or not: a group used
  // only by an EMR cluster is attached, an OpenSearch domain in a VPC without groups is in the default one.
  return NETWORK_TYPES.has(type) || takesSecurityGroups(type) || raws.some((raw) => namesGroups(raw, 0));
}

// Decided on the written body (hcl2json: blocks are lists of objects, `dynamic` blocks included),
// so resources that name no groups are never evaluated.
function namesGroups(raw: unknown, depth: number): boolean {
  if (depth > 10 || raw === null || typeof raw !== 'object') return false;
  if (Array.isArray(raw)) return raw.some((x) => namesGroups(x, depth + 1));
  const body = raw as Record<string, unknown>;
  for (const [k, v] of Object.entries(body)) {
    if (GROUP_ATTRIBUTES.includes(k) && v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)) return true;
    if (k !== 'tags' && k !== 'tags_all' && namesGroups(v, depth + 1)) return true;
  }
  return false;
}

export function buildNetworkResource(inst: InstanceInfo, body: EvalBody): NetworkResource {
  const attributeLines: Record<string, number> = {};
  nestedLines(body, '', attributeLines);
  const r: NetworkResource = {
    address: inst.address,
    format: 'terraform',
    resourceType: inst.resourceType,
    location: inst.location,
    via: inst.via,
    attributes: bodyValue(body),
    attributeLines,
    condition: inst.condition,
    metadata: {},
  };
  if (!r.condition) delete r.condition;
  return r;
}

function bodyValue(body: EvalBody): Record<string, Value> {
  const out: Record<string, Value> = { ...body.attrs };
  for (const [k, blocks] of Object.entries(body.blocks)) out[k] = blocks.map((b: EvalBlock) => bodyValue(b));
  return out;
}

/**
 * Lines of attributes and of the items of nested blocks, in the key format of
 * NetworkResource.attributeLines: `route` (first block), `route[1]` (the second block, in
 * source order, the order of the attribute's list), `route[1].cidr_block`. The attribute-list form
 * (`ingress = [{ ... }, { ... }]`) gets the same keys when each item is an object literal.
 */
function nestedLines(body: EvalBody, prefix: string, out: Record<string, number>): void {
  for (const [k, line] of Object.entries(body.attrLines)) out[`${prefix}${k}`] = line;
  for (const [k, blocks] of Object.entries(body.blocks)) {
    blocks.forEach((b, i) => {
      const item = `${prefix}${k}[${i}]`;
      out[item] = b.line;
      nestedLines(b, `${item}.`, out);
    });
  }
  for (const [k, elements] of Object.entries(body.attrElements)) {
    const v = body.attrs[k];
    const list = Array.isArray(v) ? v : isObject(v) ? [v] : [];
    // Only when every item is written as an object literal can items and positions be paired.
    if (elements.length === 0 || elements.length !== list.length) continue;
    elements.forEach((e, i) => {
      const item = `${prefix}${k}[${i}]`;
      out[item] = e.line;
      for (const [a, p] of e.attrs) out[`${item}.${a}`] = p.line;
    });
  }
}

/**
 * A root module output whose value names security groups of the scan (`value =
 * aws_security_group.x.id`): the groups are exported for use outside the scan (remote state,
 * a calling configuration), so they are not unattached. Undefined when it names no group.
 */
export function outputResource(name: string, value: Value, groups: readonly string[], location: SourceLocation, valueLine?: number): NetworkResource | undefined {
  const named = refsIn(value).filter((ref) => groups.some((g) => sameResource(ref.address, g)));
  if (named.length === 0) return undefined;
  return {
    address: `output.${name}`,
    format: 'terraform',
    resourceType: OUTPUT_RESOURCE_TYPE,
    location,
    via: [],
    attributes: { value },
    attributeLines: valueLine === undefined ? {} : { value: valueLine },
    metadata: {},
  };
}

function refsIn(v: Value, out: ResourceRef[] = []): ResourceRef[] {
  if (v instanceof ResourceRef) out.push(v);
  else if (Array.isArray(v)) for (const x of v) refsIn(x, out);
  else if (isObject(v)) for (const x of Object.values(v)) refsIn(x, out);
  return out;
}

/** `x[0]` and `x` name the same resource (a reference to a counted resource as a whole). */
function sameResource(a: string, b: string): boolean {
  return a === b || baseAddress(a) === baseAddress(b);
}
