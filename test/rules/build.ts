// Tiny builders for hand-made models in check tests. Values go through the real normalizers
// (parseProtocol, parsePorts, parseCidr), as the front ends do.
import { at } from '../../src/model/location.js';
import { type Direction, type Model, type Rule, type SecurityGroup, emptyModel } from '../../src/model/model.js';
import { type Peer, parseCidr } from '../../src/model/peer.js';
import { parsePorts } from '../../src/model/ports.js';
import { parseProtocol } from '../../src/model/protocol.js';
import { ResourceRef, Unknown } from '../../src/model/value.js';

export const FILE = 'main.tf';

export function group(address: string, line: number, extra: Partial<SecurityGroup> = {}): SecurityGroup {
  return {
    address,
    format: 'terraform',
    resourceType: 'aws_security_group',
    description: `Group ${address}`,
    isDefault: false,
    location: at(FILE, line, line + 10),
    via: [],
    attributeLines: {},
    mixesInlineAndStandalone: false,
    metadata: {},
    ...extra,
  };
}

export interface RuleSpec {
  group: string;
  line: number;
  direction?: Direction;
  protocol: unknown;
  from?: unknown;
  to?: unknown;
  /** A CIDR string or Unknown (parsed), or a ready Peer. */
  peer: unknown;
  description?: string | Unknown;
  /** Inline rules get `${group}/${direction}/${index}`; standalone rules use `resource`. */
  index?: number;
  resource?: string;
  origin?: Rule['origin'];
  condition?: Unknown;
  file?: string;
}

export function rule(s: RuleSpec): Rule {
  const direction = s.direction ?? 'ingress';
  const protocol = parseProtocol(s.protocol);
  const origin = s.origin ?? (s.resource ? 'standalone' : 'inline');
  const resource = s.resource ?? s.group;
  return {
    id: origin === 'standalone' ? resource : `${s.group}/${direction}/${s.index ?? 0}`,
    group: s.group,
    direction,
    protocol,
    ports: parsePorts(protocol, s.from, s.to),
    peer: toPeer(s.peer),
    description: 'description' in s ? s.description : 'a rule',
    fromPort: s.from as Rule['fromPort'],
    toPort: s.to as Rule['toPort'],
    origin,
    resource,
    resourceType: origin === 'standalone' ? 'aws_security_group_rule' : 'aws_security_group',
    location: at(s.file ?? FILE, s.line, s.line + 6),
    via: [],
    attributeLines: {},
    condition: s.condition,
  };
}

function toPeer(p: unknown): Peer {
  if (typeof p === 'object' && p !== null && 'kind' in p) return p as Peer;
  return parseCidr(p);
}

export function sgPeer(address: string, self = false): Peer {
  return { kind: 'securityGroup', ref: new ResourceRef(address, 'id'), self };
}

export function model(groups: SecurityGroup[], rules: Rule[]): Model {
  return { ...emptyModel(), groups, rules, files: [FILE] };
}
