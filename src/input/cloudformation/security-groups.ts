import { type SourceLocation, at } from '../../model/location.js';
import type { CoverageNotice, Direction, Rule, SecurityGroup } from '../../model/model.js';
import { type Peer, parseCidr } from '../../model/peer.js';
import { parsePorts } from '../../model/ports.js';
import { parseProtocol } from '../../model/protocol.js';
import { ResourceRef, Unknown, type Value, describeValue } from '../../model/value.js';
import { type EvalContext, NO_VALUE, evalCondition, evaluate, select } from './intrinsics.js';
import { type PEntry, type PMap, type PNode, child, entry, scalarString } from './node.js';
import { resourceType } from './template.js';
import { append } from '../../model/arrays.js';

// AWS::EC2::SecurityGroup (with inline rules) and standalone SecurityGroupIngress/Egress into the
// shared model, for one evaluation branch.

export const SG_TYPE = 'AWS::EC2::SecurityGroup';
export const INGRESS_TYPE = 'AWS::EC2::SecurityGroupIngress';
export const EGRESS_TYPE = 'AWS::EC2::SecurityGroupEgress';
export const SG_TYPES = new Set([SG_TYPE, INGRESS_TYPE, EGRESS_TYPE]);

export interface BranchResult {
  groups: SecurityGroup[];
  rules: Rule[];
  notices: CoverageNotice[];
}

/** Evaluated resource condition: undefined (always), false (absent) or Unknown. */
export function resourceCondition(resource: PEntry, ctx: EvalContext): Unknown | false | undefined {
  const name = scalarString(child(resource.value, 'Condition'));
  if (name === undefined) return undefined;
  const c = evalCondition(name, ctx);
  if (c instanceof Unknown) return new Unknown([`exists only when condition ${name} is true`, ...c.reasons]);
  return c ? undefined : false;
}

export function resourceMetadata(resource: PEntry): Record<string, string> {
  const path = scalarString(child(child(resource.value, 'Metadata'), 'aws:cdk:path'));
  return path === undefined ? {} : { 'aws:cdk:path': path };
}

export function resourceLines(resource: PEntry): Record<string, number> {
  const lines: Record<string, number> = {};
  if (resource.value.kind !== 'map') return lines;
  for (const e of resource.value.entries) lines[e.key] = e.keyLine;
  const props = child(resource.value, 'Properties');
  if (props?.kind === 'map') for (const e of props.entries) lines[e.key] = e.keyLine;
  return lines;
}

/** Evaluated property, with `AWS::NoValue` and absent both meaning undefined. */
function prop(node: PNode | undefined, key: string, ctx: EvalContext): Value | undefined {
  const n = select(child(node, key), ctx);
  if (n === undefined || n === NO_VALUE) return undefined;
  const v = evaluate(n, ctx);
  return v === NO_VALUE ? undefined : v;
}

function textValue(v: Value | undefined): string | Unknown | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Unknown) return v;
  if (v instanceof ResourceRef) return new Unknown(`${v.toString()} is known only after deployment`);
  return typeof v === 'object' ? describeValue(v) : String(v);
}

/** Address of the group a rule belongs to: the logical ID for `!Ref X` / `!GetAtt X.GroupId`. */
function groupAddress(v: Value | undefined): string {
  if (v instanceof ResourceRef) return v.address;
  if (v === undefined || v === null) return 'unknown (no GroupId or GroupName)';
  return describeValue(v);
}

function cidrPeer(v: Value, family: 'ipv4' | 'ipv6'): Peer {
  if (v instanceof ResourceRef) return { kind: 'unknown', unknown: new Unknown(`${v.toString()} is known only after deployment`) };
  return parseCidr(v, family);
}

/**
 * The property says what the peer is: SourceSecurityGroupId from a parameter or an import is still
 * a group whose id is not known, never an address range.
 */
function groupPeer(v: Value, group: string): Peer {
  if (v instanceof Unknown) return { kind: 'securityGroup', ref: v, self: false };
  if (v instanceof ResourceRef) return { kind: 'securityGroup', ref: v, self: v.address === group };
  if (typeof v === 'string') return { kind: 'securityGroup', ref: v, self: false };
  return { kind: 'invalid', raw: describeValue(v), reason: 'not a security group id or name' };
}

function prefixListPeer(v: Value): Peer {
  if (v instanceof Unknown || v instanceof ResourceRef || typeof v === 'string') return { kind: 'prefixList', ref: v };
  return { kind: 'invalid', raw: describeValue(v), reason: 'not a prefix list id' };
}

const PEER_KEYS: Record<Direction, Array<[string, 'ipv4' | 'ipv6' | 'group' | 'prefixList']>> = {
  ingress: [
    ['CidrIp', 'ipv4'],
    ['CidrIpv6', 'ipv6'],
    ['SourceSecurityGroupId', 'group'],
    ['SourceSecurityGroupName', 'group'],
    ['SourcePrefixListId', 'prefixList'],
  ],
  egress: [
    ['CidrIp', 'ipv4'],
    ['CidrIpv6', 'ipv6'],
    ['DestinationSecurityGroupId', 'group'],
    ['DestinationPrefixListId', 'prefixList'],
  ],
};

interface RuleBody {
  protocol: Rule['protocol'];
  ports: Rule['ports'];
  peers: Peer[];
  description?: string | Unknown;
  fromPort?: Value;
  toPort?: Value;
  attributeLines: Record<string, number>;
  ownerId?: string;
}

function ruleBody(node: PNode, direction: Direction, group: string, ctx: EvalContext): RuleBody {
  const protocolRaw = prop(node, 'IpProtocol', ctx);
  const protocol = parseProtocol(protocolRaw);
  const fromPort = prop(node, 'FromPort', ctx);
  const toPort = prop(node, 'ToPort', ctx);
  const ports = parsePorts(protocol, fromPort instanceof ResourceRef ? new Unknown(String(fromPort)) : fromPort, toPort instanceof ResourceRef ? new Unknown(String(toPort)) : toPort);
  const peers: Peer[] = [];
  for (const [key, kind] of PEER_KEYS[direction]) {
    const v = prop(node, key, ctx);
    if (v === undefined || v === null) continue;
    peers.push(kind === 'group' ? groupPeer(v, group) : kind === 'prefixList' ? prefixListPeer(v) : cidrPeer(v, kind));
  }
  if (peers.length === 0) {
    peers.push({ kind: 'invalid', raw: '', reason: 'no CidrIp, CidrIpv6, security group or prefix list given' });
  }
  const attributeLines: Record<string, number> = {};
  if (node.kind === 'map') for (const e of node.entries) attributeLines[e.key] = e.keyLine;
  const owner = prop(node, 'SourceSecurityGroupOwnerId', ctx);
  return {
    protocol,
    ports,
    peers,
    description: textValue(prop(node, 'Description', ctx)),
    fromPort,
    toPort,
    attributeLines,
    ownerId: owner === undefined ? undefined : describeValue(owner),
  };
}

/** CDK writes these egress rules to mean "no egress at all" (they match nothing useful). */
function isCdkNoEgress(body: RuleBody): boolean {
  if (body.peers.length !== 1 || body.peers[0].kind !== 'cidr') return false;
  const peer = body.peers[0];
  if (peer.cidr === '127.0.0.1/32') return true;
  return peer.cidr === '255.255.255.255/32' && body.ports.kind === 'icmp' && body.ports.type === 252 && body.ports.code === 86;
}

function rulesFrom(
  body: RuleBody,
  base: Omit<Rule, 'id' | 'protocol' | 'ports' | 'peer' | 'description' | 'fromPort' | 'toPort' | 'attributeLines'>,
  id: string,
): Rule[] {
  return body.peers.map((peer, i) => {
    const rule: Rule = {
      ...base,
      id: body.peers.length > 1 ? `${id}#${i}` : id,
      protocol: body.protocol,
      ports: body.ports,
      peer,
      fromPort: body.fromPort,
      toPort: body.toPort,
      attributeLines: body.attributeLines,
    };
    if (body.description !== undefined) rule.description = body.description;
    if (body.ownerId !== undefined) rule.metadata = { ...(rule.metadata ?? {}), SourceSecurityGroupOwnerId: body.ownerId };
    return rule;
  });
}

/** Groups and rules of one branch. Addresses get the context's prefix; `via` is the nested-stack chain. */
export function securityGroupsForBranch(resources: Map<string, PEntry>, file: string, ctx: EvalContext, via: SourceLocation[] = []): BranchResult {
  const out: BranchResult = { groups: [], rules: [], notices: [] };
  for (const [logicalId, res] of resources) {
    const id = ctx.prefix + logicalId;
    const type = resourceType(res);
    if (type === undefined || !SG_TYPES.has(type)) continue;
    const condition = resourceCondition(res, ctx);
    if (condition === false) continue;
    const metadata = resourceMetadata(res);
    const location = at(file, res.keyLine, res.value.endLine);
    const propsNode = select(child(res.value, 'Properties'), ctx);
    const props = propsNode === NO_VALUE ? undefined : propsNode;
    if (type === SG_TYPE) securityGroup(id, res, props, file, ctx, condition, via, out);
    else {
      const direction: Direction = type === INGRESS_TYPE ? 'ingress' : 'egress';
      const groupValue = prop(props, 'GroupId', ctx) ?? prop(props, 'GroupName', ctx);
      const group = groupAddress(groupValue);
      const body = ruleBody(props ?? { kind: 'map', entries: [], line: res.keyLine, endLine: res.keyLine }, direction, group, ctx);
      const rules = rulesFrom(body, {
        group,
        direction,
        origin: 'standalone',
        resource: id,
        resourceType: type,
        location,
        via,
        ...(condition ? { condition } : {}),
        ...(metadata['aws:cdk:path'] ? { metadata: { ...metadata } } : {}),
      }, id);
      for (const r of rules) r.attributeLines = { ...resourceLines(res), ...r.attributeLines };
      append(out.rules, rules);
    }
  }
  return out;
}

function securityGroup(
  id: string,
  res: PEntry,
  props: PNode | undefined,
  file: string,
  ctx: EvalContext,
  condition: Unknown | undefined,
  via: SourceLocation[],
  out: BranchResult,
): void {
  const metadata = resourceMetadata(res);
  const location = at(file, res.keyLine, res.value.endLine);
  const group: SecurityGroup = {
    address: id,
    format: 'cloudformation',
    resourceType: SG_TYPE,
    isDefault: false,
    location,
    via,
    attributeLines: resourceLines(res),
    mixesInlineAndStandalone: false,
    metadata,
  };
  const name = textValue(prop(props, 'GroupName', ctx));
  if (name !== undefined) group.name = name;
  const description = textValue(prop(props, 'GroupDescription', ctx));
  if (description !== undefined) group.description = description;
  const vpc = prop(props, 'VpcId', ctx);
  if (vpc !== undefined) group.vpc = vpc;
  if (condition) group.condition = condition;
  out.groups.push(group);

  const base = {
    group: id,
    origin: 'inline' as const,
    resource: id,
    resourceType: SG_TYPE,
    via,
    ...(condition ? { condition } : {}),
    ...(metadata['aws:cdk:path'] ? { metadata: { ...metadata } } : {}),
  };
  let egressGiven = false;
  for (const [key, direction] of [
    ['SecurityGroupIngress', 'ingress'],
    ['SecurityGroupEgress', 'egress'],
  ] as const) {
    const listNode = select(child(props, key), ctx);
    if (listNode === undefined || listNode === NO_VALUE) continue;
    if (listNode.kind !== 'seq') {
      out.notices.push({ file, line: entry(props, key)?.keyLine, message: `${id}.${key} is not a literal list (${describeValue(evaluate(listNode, ctx) as Value)}); its rules are not scanned` });
      if (direction === 'egress') egressGiven = true;
      continue;
    }
    listNode.items.forEach((item, index) => {
      const chosen = select(item, ctx);
      if (chosen === undefined || chosen === NO_VALUE) return;
      if (direction === 'egress') egressGiven = true;
      if (chosen.kind !== 'map') {
        out.notices.push({ file, line: chosen.line, message: `${id}.${key}[${index}] is not a rule (${describeValue(evaluate(chosen, ctx) as Value)}); not scanned` });
        return;
      }
      const body = ruleBody(chosen, direction, id, ctx);
      if (direction === 'egress' && isCdkNoEgress(body)) return;
      append(out.rules, rulesFrom(body, { ...base, direction, location: at(file, chosen.line, chosen.endLine) }, `${id}/${direction}/${index}`));
    });
  }
  if (!egressGiven) {
    // CloudFormation keeps EC2's default allow-all egress unless SecurityGroupEgress is given inline.
    out.rules.push({
      ...base,
      id: `${id}/egress/implicit`,
      direction: 'egress',
      origin: 'implicit',
      protocol: parseProtocol('-1'),
      ports: { kind: 'all' },
      peer: parseCidr('0.0.0.0/0', 'ipv4'),
      location,
      attributeLines: {},
    });
  }
}

export type { PMap };
