import { type SourceLocation, at } from '../../model/location.js';
import type { Direction, Rule, SecurityGroup } from '../../model/model.js';
import { type Peer, parseCidr } from '../../model/peer.js';
import { parsePorts } from '../../model/ports.js';
import { parseProtocol } from '../../model/protocol.js';
import { ResourceRef, Unknown, type Value, isObject } from '../../model/value.js';
import type { BodyPos } from './locate.js';
import type { EvalBlock, EvalBody } from './module.js';
import { addressOf } from './values.js';
import { append } from '../../model/arrays.js';
import { maxOf } from '../../model/arrays.js';

// Security groups and their rules, from evaluated resource bodies. One model Rule per (rule block,
// peer): `cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]` is two rules, as AWS stores it.

export const GROUP_TYPES = new Set(['aws_security_group', 'aws_default_security_group']);
export const RULE_TYPES = new Set(['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']);

/** Where and under what condition a resource instance was declared. */
export interface InstanceInfo {
  address: string;
  resourceType: string;
  location: SourceLocation;
  via: SourceLocation[];
  condition?: Unknown;
  /** Raw hcl2json body, for readable fallbacks ("var.sg_id"). */
  raw: Record<string, unknown>;
}

export function buildGroup(inst: InstanceInfo, body: EvalBody): { group: SecurityGroup; rules: Rule[] } {
  const a = body.attrs;
  const group: SecurityGroup = {
    address: inst.address,
    format: 'terraform',
    resourceType: inst.resourceType,
    name: text(a.name),
    namePrefix: text(a.name_prefix),
    description: text(a.description),
    vpc: a.vpc_id,
    isDefault: inst.resourceType === 'aws_default_security_group',
    location: inst.location,
    via: inst.via,
    attributeLines: { ...body.attrLines },
    mixesInlineAndStandalone: false,
    condition: inst.condition,
    metadata: {},
  };
  if (group.vpc === undefined) delete group.vpc;
  for (const k of ['name', 'namePrefix', 'description', 'condition'] as const) if (group[k] === undefined) delete group[k];
  const rules: Rule[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    inlineItems(inst, body, direction).forEach((item, i) => {
      append(rules, rulesOf(`${inst.address}/${direction}/${i}`, inst.address, direction, item, inst, 'inline', legacyPeers(item.attrs, new ResourceRef(inst.address, 'id'))));
    });
  }
  return { group, rules };
}

interface RuleItem {
  attrs: Record<string, Value>;
  attrLines: Record<string, number>;
  location: SourceLocation;
  condition?: Unknown;
}

// Inline rules: `ingress { }` blocks (dynamic ones included) or the attribute-list form `ingress = [{ }]`.
function inlineItems(inst: InstanceInfo, body: EvalBody, direction: Direction): RuleItem[] {
  const file = inst.location.file;
  const blocks: EvalBlock[] | undefined = body.blocks[direction];
  if (blocks) {
    return blocks.map((b) => ({ attrs: b.attrs, attrLines: b.attrLines, location: at(file, b.line, b.endLine), condition: b.condition }));
  }
  if (!(direction in body.attrs)) return [];
  const value = body.attrs[direction];
  const line = body.attrLines[direction] ?? inst.location.line;
  const elements: BodyPos[] = body.attrElements[direction] ?? [];
  const whole = at(file, line, elements.length ? maxOf(elements.map((e) => e.endLine)) : line);
  if (value instanceof Unknown) {
    return [{ attrs: unknownRule(value), attrLines: {}, location: whole, condition: value }];
  }
  const list = Array.isArray(value) ? value : isObject(value) ? [value] : [];
  return list.map((v, i) => {
    const e = elements[i];
    const attrLines = e ? Object.fromEntries([...e.attrs].map(([k, p]) => [k, p.line])) : {};
    if (v instanceof Unknown) return { attrs: unknownRule(v), attrLines, location: whole, condition: v };
    return { attrs: isObject(v) ? v : {}, attrLines, location: e ? at(file, e.line, e.endLine) : whole };
  });
}

function unknownRule(u: Unknown): Record<string, Value> {
  return { protocol: u, from_port: u, to_port: u, cidr_blocks: u };
}

/** Peers of aws_security_group inline rules and aws_security_group_rule. */
function legacyPeers(a: Record<string, Value>, self: ResourceRef | string): Peer[] {
  const peers: Peer[] = [];
  for (const v of list(a.cidr_blocks)) peers.push(cidrPeer(v, 'ipv4'));
  for (const v of list(a.ipv6_cidr_blocks)) peers.push(cidrPeer(v, 'ipv6'));
  for (const v of list(a.prefix_list_ids)) peers.push(refPeer(v, 'prefixList'));
  for (const v of list(a.security_groups)) peers.push(refPeer(v, 'securityGroup'));
  if (a.source_security_group_id !== undefined && a.source_security_group_id !== null) peers.push(refPeer(a.source_security_group_id, 'securityGroup'));
  // Terraform converts "true" to a bool attribute's true (`list(map(string))` inputs give strings).
  if (a.self === true || a.self === 'true') peers.push({ kind: 'securityGroup', ref: self, self: true });
  // Not known whether it is the group itself or no one: a group either way, never addresses.
  else if (a.self instanceof Unknown) peers.push({ kind: 'securityGroup', ref: new Unknown(`self: ${a.self}`), self: false });
  return peers;
}

function list(v: Value | undefined): Value[] {
  if (v === undefined || v === null) return [];
  if (v instanceof Unknown) return [v];
  return Array.isArray(v) ? v : [v];
}

function cidrPeer(v: Value, family: 'ipv4' | 'ipv6'): Peer {
  if (v instanceof ResourceRef) return { kind: 'unknown', unknown: new Unknown(`${v} is known only after apply`) };
  return parseCidr(v, family);
}

/**
 * The attribute says what the peer is: a group id (or a prefix list id) whose value is not known
 * (a variable, a data source) is still a group, never an address range.
 */
function refPeer(v: Value, kind: 'prefixList' | 'securityGroup'): Peer {
  const ref = v instanceof ResourceRef || v instanceof Unknown ? v : String(v);
  return kind === 'securityGroup' ? { kind, ref, self: false } : { kind, ref };
}

function rulesOf(
  baseId: string,
  group: string,
  direction: Direction,
  item: RuleItem,
  inst: InstanceInfo,
  origin: 'inline' | 'standalone',
  peers: Peer[],
  protocolKey = 'protocol',
): Rule[] {
  const a = item.attrs;
  const protocol = parseProtocol(a[protocolKey]);
  const ports = parsePorts(protocol, a.from_port, a.to_port);
  const all = peers.length ? peers : [{ kind: 'invalid', raw: '', reason: 'no source or destination given' } as Peer];
  const condition = item.condition && inst.condition ? Unknown.merge(inst.condition, item.condition) : (item.condition ?? inst.condition);
  return all.map((peer, k) => {
    const rule: Rule = {
      id: all.length > 1 ? `${baseId}#${k}` : baseId,
      group,
      direction,
      protocol,
      ports,
      peer,
      description: text(a.description),
      fromPort: a.from_port,
      toPort: a.to_port,
      origin,
      resource: inst.address,
      resourceType: inst.resourceType,
      location: item.location,
      via: inst.via,
      attributeLines: { ...item.attrLines },
      condition,
    };
    for (const key of ['description', 'fromPort', 'toPort', 'condition'] as const) if (rule[key] === undefined) delete rule[key];
    return rule;
  });
}

/** aws_security_group_rule, aws_vpc_security_group_ingress_rule / _egress_rule. */
export function buildStandaloneRules(inst: InstanceInfo, body: EvalBody): { rules: Rule[]; problem?: string } {
  const a = body.attrs;
  const group = addressOf(a.security_group_id ?? null, inst.raw.security_group_id);
  const item: RuleItem = { attrs: a, attrLines: body.attrLines, location: inst.location };
  if (inst.resourceType === 'aws_security_group_rule') {
    const type = a.type;
    if (type !== 'ingress' && type !== 'egress') {
      return { rules: [], problem: `${inst.address}: type ${type instanceof Unknown ? `is not known (${type})` : `"${String(type)}" is neither ingress nor egress`}; rule not modelled` };
    }
    return { rules: rulesOf(inst.address, group, type, item, inst, 'standalone', legacyPeers(a, a.security_group_id instanceof ResourceRef ? new ResourceRef(group, 'id') : group)) };
  }
  const direction: Direction = inst.resourceType.endsWith('_egress_rule') ? 'egress' : 'ingress';
  const peers: Peer[] = [];
  if (a.cidr_ipv4 != null) peers.push(cidrPeer(a.cidr_ipv4, 'ipv4'));
  if (a.cidr_ipv6 != null) peers.push(cidrPeer(a.cidr_ipv6, 'ipv6'));
  if (a.prefix_list_id != null) peers.push(refPeer(a.prefix_list_id, 'prefixList'));
  if (a.referenced_security_group_id != null) {
    const p = refPeer(a.referenced_security_group_id, 'securityGroup');
    if (p.kind === 'securityGroup' && p.ref instanceof ResourceRef && p.ref.address === group) p.self = true;
    peers.push(p);
  }
  return { rules: rulesOf(inst.address, group, direction, item, inst, 'standalone', peers, 'ip_protocol') };
}

function text(v: Value | undefined): string | Unknown | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Unknown || typeof v === 'string') return v;
  return String(v);
}
