import type { NetworkResource } from '../model/model.js';
import type { Value } from '../model/value.js';
import type { EvalBlock, EvalBody } from './module.js';
import type { InstanceInfo } from './security-groups.js';

// Network resources the reachability engine reads, with their evaluated attributes. Nested blocks
// become lists of objects, as in Terraform's own state.

export const NETWORK_TYPES = new Set([
  'aws_vpc',
  'aws_subnet',
  'aws_internet_gateway',
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
  'aws_autoscaling_group',
  'aws_lb',
  'aws_alb',
  'aws_elb',
  'aws_lb_listener',
  'aws_lb_target_group',
  'aws_lb_target_group_attachment',
  'aws_db_instance',
  'aws_rds_cluster',
  'aws_db_subnet_group',
  'aws_elasticache_cluster',
  'aws_elasticache_replication_group',
  'aws_lambda_function',
  'aws_ecs_service',
  'aws_eks_cluster',
  'aws_eks_node_group',
]);

export function buildNetworkResource(inst: InstanceInfo, body: EvalBody): NetworkResource {
  const r: NetworkResource = {
    address: inst.address,
    format: 'terraform',
    resourceType: inst.resourceType,
    location: inst.location,
    via: inst.via,
    attributes: bodyValue(body),
    attributeLines: { ...body.attrLines },
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
