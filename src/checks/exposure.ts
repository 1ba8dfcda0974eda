import type { Model, Rule, SecurityGroup } from '../model/model.js';
import { type Peer, describePeer, isWorld } from '../model/peer.js';
import { type PortSpec, describePorts, portsContain } from '../model/ports.js';
import { type Protocol, TCP, UDP, hasPorts, protocolName } from '../model/protocol.js';
import { Unknown } from '../model/value.js';
import type { Report } from './types.js';
import { type ServicePort, describeServices } from './services.js';

// Shared helpers for checks that ask "does this rule open X to Y?". Each question answers
// definitely yes, definitely no, or "possibly" with the unknowns that make it so — never a silent
// guess either way.

/** A three-valued answer: `null` is no; otherwise yes, definite unless `assumptions` is non-empty. */
export interface Match {
  /** Why the answer is only "possibly" (the reasons of the Unknowns involved); empty when definite. */
  assumptions: string[];
}

export const DEFINITE: Match = { assumptions: [] };

function possible(u: Unknown, what: string): Match {
  return { assumptions: u.reasons.map((r) => `${what} is unknown: ${r}`) };
}

/** Combine answers with AND: no if any is no; the union of the assumptions otherwise. */
export function both(...parts: (Match | null)[]): Match | null {
  if (parts.some((p) => p === null)) return null;
  const assumptions = [...new Set(parts.flatMap((p) => (p as Match).assumptions))];
  return { assumptions };
}

/** Combine answers with OR: definite if any is definite; otherwise the first possible one. */
export function either(...parts: (Match | null)[]): Match | null {
  const yes = parts.filter((p): p is Match => p !== null);
  if (yes.length === 0) return null;
  return yes.find((p) => p.assumptions.length === 0) ?? { assumptions: [...new Set(yes.flatMap((p) => p.assumptions))] };
}

export function isDefinite(m: Match): boolean {
  return m.assumptions.length === 0;
}

/**
 * Is the peer the whole internet (0.0.0.0/0 or ::/0, by value)? An unknown peer possibly is. Security
 * groups, prefix lists and invalid peers are not: a prefix list's entries are not in the code we read.
 */
export function peerIsWorld(peer: Peer): Match | null {
  if (peer.kind === 'unknown') return possible(peer.unknown, 'the peer');
  return isWorld(peer) ? DEFINITE : null;
}

/** Does the protocol include the given IANA number? `-1` includes every protocol. */
export function protocolIncludes(protocol: Protocol, number: number): Match | null {
  switch (protocol.kind) {
    case 'all':
      return DEFINITE;
    case 'number':
      return protocol.number === number ? DEFINITE : null;
    case 'unknown':
      return possible(protocol.unknown, 'the protocol');
    case 'invalid':
      return null;
  }
}

/** Does the port spec include this port (for a protocol with ports)? */
export function portsInclude(ports: PortSpec, port: number): Match | null {
  const c = portsContain(ports, port);
  if (c instanceof Unknown) return possible(c, 'the port range');
  return c ? DEFINITE : null;
}

/** Does the rule admit traffic on `protocol` (tcp 6 / udp 17) to `port`? */
export function ruleAdmitsPort(rule: Rule, protocol: number, port: number): Match | null {
  return both(protocolIncludes(rule.protocol, protocol), portsInclude(rule.ports, port));
}

/**
 * Does the rule admit every protocol, or every port of tcp or udp? That is "all traffic" in the
 * sense of Security Hub EC2.18/EC2.19 and Checkov CKV_AWS_277. Protocols without ports (e.g. 50, ESP)
 * also match "all ports" in the model but are one protocol only, so they do not count here.
 */
export function ruleAdmitsAllTraffic(rule: Rule): Match | null {
  const { protocol, ports } = rule;
  switch (protocol.kind) {
    case 'all':
      return DEFINITE;
    case 'invalid':
      return null;
    case 'unknown':
      // An unknown protocol may well be -1.
      return possible(protocol.unknown, 'the protocol');
    case 'number':
      if (!hasPorts(protocol)) return null;
      if (ports.kind === 'all') return DEFINITE;
      if (ports.kind === 'unknown') return possible(ports.unknown, 'the port range');
      return null;
  }
}

/** Is the rule or its group present only under a condition? Then any finding on it is "possible". */
export function conditionOf(rule: Rule, group: SecurityGroup | undefined): Match {
  const parts: Match[] = [];
  if (rule.condition) parts.push({ assumptions: rule.condition.reasons.map((r) => `the rule exists only if ${r}`) });
  if (group?.condition) {
    parts.push({ assumptions: group.condition.reasons.map((r) => `the group exists only if ${r}`) });
  }
  return both(DEFINITE, ...parts) as Match;
}

/** Groups by address, for looking up a rule's group. */
export function groupsByAddress(model: Model): Map<string, SecurityGroup> {
  return new Map(model.groups.map((g) => [g.address, g]));
}

/** Stable text for a peer in keys: canonical CIDR, so `::/0` and `0:0:0:0:0:0:0:0/0` are the same. */
export function peerKey(peer: Peer): string {
  switch (peer.kind) {
    case 'cidr':
      return peer.cidr;
    case 'securityGroup':
      return peer.self ? 'self' : `sg:${String(peer.ref)}`;
    case 'prefixList':
      return `pl:${String(peer.ref)}`;
    case 'invalid':
      return `invalid:${peer.raw}`;
    case 'unknown':
      return `unknown:${peer.unknown.toString()}`;
  }
}

function portsKey(ports: PortSpec): string {
  switch (ports.kind) {
    case 'all':
      return 'all';
    case 'range':
      return `${ports.from}-${ports.to}`;
    case 'icmp':
      return `icmp:${ports.type}:${ports.code}`;
    case 'invalid':
      return `invalid:${ports.from ?? ''}-${ports.to ?? ''}`;
    case 'unknown':
      return `unknown:${ports.unknown.toString()}`;
  }
}

/**
 * What identifies a rule's content independently of line numbers and of its position among the
 * group's rules: direction, protocol, ports and peer. Feeds finding fingerprints.
 */
export function ruleKey(rule: Rule): string {
  return `${rule.direction}|${protocolName(rule.protocol)}|${portsKey(rule.ports)}|${peerKey(rule.peer)}`;
}

/**
 * How to name the rule in a message: "security group aws_security_group.web" for inline rules, and
 * "security group aws_security_group.web (rule aws_security_group_rule.ssh)" for standalone ones.
 */
export function ruleSubject(rule: Rule): string {
  const standalone = rule.origin === 'standalone' && rule.resource !== rule.group;
  return standalone ? `Security group ${rule.group} (rule ${rule.resource})` : `Security group ${rule.group}`;
}

/** "the whole internet (0.0.0.0/0)", or for an unknown peer "a source that is not known statically". */
export function describeWorldPeer(peer: Peer, direction: Rule['direction']): string {
  if (peer.kind === 'cidr') return `the whole internet (${peer.cidr})`;
  if (peer.kind === 'unknown') return `an unknown ${direction === 'ingress' ? 'source' : 'destination'}`;
  return describePeer(peer);
}

/** "tcp/22", "udp/3389". */
export function describeProtocolPort(protocol: number, port: number): string {
  return `${protocolName({ kind: 'number', number: protocol })}/${port}`;
}

/** "all traffic", "tcp ports 20-30", "every tcp port (0-65535)", "proto-50". */
export function describeRuleTraffic(rule: Rule): string {
  const name = protocolName(rule.protocol);
  if (rule.protocol.kind === 'all') return 'all traffic';
  if (hasPorts(rule.protocol) && rule.ports.kind === 'all') return `every ${name} port (0-65535)`;
  if (rule.protocol.kind === 'number' && !hasPorts(rule.protocol) && rule.ports.kind === 'all') return name;
  return `${name} ${describePorts(rule.ports)}`;
}

/** Options arrive from user configuration: accept a list of port numbers, else the default. */
export function portListOption(value: unknown, fallback: readonly number[]): number[] {
  if (!Array.isArray(value)) return [...fallback];
  const ports = value.filter((p): p is number => Number.isInteger(p) && p >= 0 && p <= 65535);
  return [...new Set(ports)].sort((a, b) => a - b);
}

/** Assumptions into a sentence fragment: "the peer is unknown: var.x has no value". */
export function joinAssumptions(assumptions: readonly string[]): string {
  return assumptions.join('; ');
}

/** The listed ports an ingress rule opens to the world, split by certainty. */
export interface WorldOpenPorts {
  definite: ServicePort[];
  possible: ServicePort[];
  /** Why the `possible` ones are only possible. */
  assumptions: string[];
}

/**
 * Which of the given tcp and udp ports does this rule open to the whole internet? Only ingress rules
 * count; `null` when none can be.
 */
export function worldOpenPorts(
  rule: Rule,
  group: SecurityGroup | undefined,
  tcpPorts: readonly number[],
  udpPorts: readonly number[],
): WorldOpenPorts | null {
  if (rule.direction !== 'ingress') return null;
  const world = peerIsWorld(rule.peer);
  if (!world) return null;
  const condition = conditionOf(rule, group);
  const result: WorldOpenPorts = { definite: [], possible: [], assumptions: [] };
  const candidates: [ServicePort, number][] = [
    ...tcpPorts.map((port): [ServicePort, number] => [{ protocol: 'tcp', port }, TCP]),
    ...udpPorts.map((port): [ServicePort, number] => [{ protocol: 'udp', port }, UDP]),
  ];
  for (const [service, number] of candidates) {
    const m = both(world, condition, ruleAdmitsPort(rule, number, service.port));
    if (!m) continue;
    if (isDefinite(m)) result.definite.push(service);
    else {
      result.possible.push(service);
      for (const a of m.assumptions) if (!result.assumptions.includes(a)) result.assumptions.push(a);
    }
  }
  return result.definite.length || result.possible.length ? result : null;
}

/**
 * The report for a rule that opens ports to the world: definite when any listed port definitely is
 * open (the possible ones are then left out, to keep one clear verdict per rule), "possible" otherwise.
 */
export function worldOpenPortsReport(rule: Rule, open: WorldOpenPorts): Report {
  const subject = ruleSubject(rule);
  const traffic = describeRuleTraffic(rule);
  if (open.definite.length) {
    const services = describeServices(open.definite);
    const single = open.definite.length === 1 && rule.ports.kind === 'range' && rule.ports.from === rule.ports.to;
    const scope = single ? '' : ` The rule admits ${traffic}.`;
    return {
      message: `${subject} allows ${services} from ${describeWorldPeer(rule.peer, rule.direction)}.${scope}`,
      location: rule.location,
      via: rule.via,
      resource: rule.resource,
      key: ruleKey(rule),
      certainty: 'definite',
      assumptions: [],
    };
  }
  const services = describeServices(open.possible);
  return {
    message:
      `Possibly: ${lowerFirst(subject)} allows ${services} from the whole internet, depending on values ` +
      `not known statically (${joinAssumptions(open.assumptions)}).`,
    location: rule.location,
    via: rule.via,
    resource: rule.resource,
    key: ruleKey(rule),
    certainty: 'possible',
    assumptions: open.assumptions,
  };
}

export function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
