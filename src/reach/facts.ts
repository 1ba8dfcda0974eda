import type { Model, NetworkResource } from '../model/model.js';
import { ResourceRef, Unknown, describeValue, isObject, type Value } from '../model/value.js';
import type { Fact, Network, Subnet } from '../network/model.js';

// Facts the engine needs that the normalized network model does not carry (yet): load balancer
// type, target group port and client-IP preservation, and whether an endpoint has an IPv6 address.
// Read from the model's resources by address; hand-built tests give them directly.

export interface TargetGroupFacts {
  /** Port the targets receive traffic on; Unknown when not written (Lambda targets have none). */
  port: number | Unknown;
  protocol: string | Unknown;
  /** NLB only: targets see the client's address instead of the load balancer's. */
  preserveClientIp: Fact<boolean>;
  line?: number;
}

export interface ReachFacts {
  /** Load balancer id → 'application' | 'network' | 'gateway' | 'classic'. */
  lbType: Map<string, string | Unknown>;
  targetGroups: Map<string, TargetGroupFacts>;
  /** Endpoint id → has an IPv6 address (absent: no IPv6 address). */
  ipv6: Map<string, Fact<boolean>>;
}

export function emptyFacts(): ReachFacts {
  return { lbType: new Map(), targetGroups: new Map(), ipv6: new Map() };
}

function text(v: Value | undefined): string | Unknown | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Unknown) return v;
  if (v instanceof ResourceRef) return new Unknown(`${v.toString()} is known only after deployment`);
  return typeof v === 'object' ? new Unknown(`not a single value (${describeValue(v)})`) : String(v);
}

function bool(v: Value | undefined): boolean | Unknown | undefined {
  const t = text(v);
  if (t === undefined || t instanceof Unknown) return t;
  if (/^true$/i.test(t)) return true;
  if (/^false$/i.test(t)) return false;
  return new Unknown(`"${t}" is not a boolean`);
}

function first(r: NetworkResource, ...names: string[]): { value: Value | undefined; line?: number; name?: string } {
  for (const n of names) if (r.attributes[n] !== undefined) return { value: r.attributes[n], line: r.attributeLines[n], name: n };
  return { value: undefined };
}

export function factsFromModel(model: Model, network: Network): ReachFacts {
  const facts = emptyFacts();
  const byAddress = new Map(model.resources.map((r) => [r.address, r]));
  for (const r of model.resources) {
    if (['aws_lb', 'aws_alb', 'AWS::ElasticLoadBalancingV2::LoadBalancer'].includes(r.resourceType)) {
      facts.lbType.set(r.address, (text(first(r, 'load_balancer_type', 'Type').value) ?? 'application') as string | Unknown);
    }
    if (r.resourceType === 'aws_elb' || r.resourceType === 'AWS::ElasticLoadBalancing::LoadBalancer') facts.lbType.set(r.address, 'classic');
    if (['aws_lb_target_group', 'aws_alb_target_group', 'AWS::ElasticLoadBalancingV2::TargetGroup'].includes(r.resourceType)) {
      facts.targetGroups.set(r.address, targetGroupFacts(r));
    }
  }
  // By id: a search of every subnet for every endpoint is quadratic in a VPC of thousands of subnets.
  const subnets = new Map<string, Subnet>();
  for (const s of network.subnets) if (!subnets.has(s.id)) subnets.set(s.id, s);
  for (const e of network.endpoints) {
    const r = byAddress.get(e.id);
    if (!r) continue;
    const f = ipv6Fact(r, e.subnets, subnets, byAddress);
    if (f) facts.ipv6.set(e.id, f);
  }
  return facts;
}

function targetGroupFacts(r: NetworkResource): TargetGroupFacts {
  const port = first(r, 'port', 'Port');
  const p = text(port.value);
  const protocol = text(first(r, 'protocol', 'Protocol').value) ?? new Unknown(`${r.address} names no protocol`);
  const targetType = text(first(r, 'target_type', 'TargetType').value) ?? 'instance';
  let preserve = first(r, 'preserve_client_ip');
  if (preserve.value === undefined) {
    // CloudFormation: TargetGroupAttributes [{Key: preserve_client_ip.enabled, Value: "true"}].
    const attrs = r.attributes.TargetGroupAttributes;
    if (Array.isArray(attrs)) {
      for (const a of attrs) {
        if (isObject(a) && a.Key === 'preserve_client_ip.enabled') preserve = { value: a.Value, line: r.attributeLines.TargetGroupAttributes, name: 'preserve_client_ip.enabled' };
      }
    }
  }
  const b = bool(preserve.value);
  // AWS: on by default for instance and ECS targets, off for IP targets (TCP/TLS).
  const preserveClientIp: Fact<boolean> =
    b === undefined
      ? { value: targetType instanceof Unknown ? targetType : targetType.toLowerCase() === 'instance', reason: `${preserve.name ?? 'preserve_client_ip'} unset (default for target type ${describeValue(targetType as Value)})` }
      : { value: b, reason: `${preserve.name} = ${describeValue(preserve.value as Value)}`, line: preserve.line };
  const tg: TargetGroupFacts = {
    port: p === undefined ? new Unknown(`${r.address} has no port`) : p instanceof Unknown ? p : Number.isInteger(Number(p)) ? Number(p) : new Unknown(`port "${p}"`),
    protocol,
    preserveClientIp,
  };
  if (port.line !== undefined) tg.line = port.line;
  return tg;
}

function ipv6Fact(r: NetworkResource, subnets: (string | Unknown)[], subnetById: ReadonlyMap<string, Subnet>, byAddress: Map<string, NetworkResource>): Fact<boolean> | undefined {
  const own = first(r, 'ipv6_address_count', 'ipv6_addresses', 'Ipv6AddressCount', 'Ipv6Addresses', 'ip_address_type', 'IpAddressType');
  if (own.value !== undefined) {
    const v = own.value;
    const value =
      v instanceof Unknown ? v : typeof v === 'string' && /^dualstack/i.test(v) ? true : typeof v === 'string' && /^ipv4$/i.test(v) ? false : Array.isArray(v) ? v.length > 0 : Number(v) > 0;
    return { value, reason: `${own.name} = ${describeValue(v)}`, line: own.line };
  }
  for (const s of subnets) {
    if (typeof s !== 'string') continue;
    const sr = byAddress.get(s);
    const sub = subnetById.get(s);
    if (!sr || !sub?.ipv6Cidr) continue;
    const a = first(sr, 'assign_ipv6_address_on_creation', 'AssignIpv6AddressOnCreation');
    const b = bool(a.value);
    if (b === true || b instanceof Unknown) return { value: b, reason: `subnet ${s} ${a.name} = ${describeValue(a.value as Value)}`, line: a.line };
  }
  return undefined;
}
