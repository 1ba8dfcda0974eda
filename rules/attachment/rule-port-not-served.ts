import type { Check, Report } from '../../src/model/check.js';
import type { Model, NetworkResource, Rule, SecurityGroup } from '../../src/model/model.js';
import { TCP, UDP } from '../../src/model/protocol.js';
import { joinList, serviceName } from '../../src/model/services.js';
import { ResourceRef, Unknown, type Value } from '../../src/model/value.js';
import { groupValues } from '../../src/model/attachments.js';
import { portsText } from '../../src/network/kinds.js';
import type { Endpoint, PortRange } from '../../src/network/model.js';
import { baseAddress, refersTo, refsIn } from '../../src/network/query.js';
import { addTo } from '../../src/model/arrays.js';
import { attr } from '../../src/network/resolve.js';
import type { Engine } from '../../src/reach/engine.js';
import { reachContext } from '../../src/reach/exposure.js';
import { listenerProtocols } from '../../src/reach/load-balancers.js';
import { describeRuleTraffic, ruleKey, ruleSubject } from '../kit/security-group.js';

// A rule that admits ports the group's members do not listen on admits nothing: a leftover, or a
// rule written for another service (3306 on the group of an aurora-postgresql cluster), which then
// leaves the port the service does listen on closed. Judged only where the members and their ports
// are known for certain; anything less (a member of a kind whose ports depend on more than the scan
// shows, a group passed somewhere the scan cannot follow) is no finding.

/**
 * Services whose endpoints listen on exactly the port the role names. Oracle and SQL Server are left
 * out: option groups add ports (Oracle SSL 2484, OEM; SQL Server SSRS). Redshift, OpenSearch, MQ, MSK,
 * interface endpoints, Resolver endpoints (DoH on 443) and EKS serve more than kinds.ts lists, or may.
 */
const EXACT_SERVICES = new Set(['PostgreSQL', 'MySQL', 'Redis', 'Memcached', 'MongoDB', 'Neptune', 'NFS']);
/** ElastiCache Serverless also answers on 6380 (reads from replicas). */
const NOT_EXACT_TYPES = new Set(['aws_elasticache_serverless_cache', 'AWS::ElastiCache::ServerlessCache']);

/**
 * Aurora PostgreSQL with Babelfish (a cluster parameter group's rds.babelfish_status) also answers
 * on the TDS port (1433 unless babelfishpg_tds.port says otherwise): a cluster that names its own
 * parameter group may.
 */
function mayRunBabelfish(e: Endpoint, resource: (address: string) => NetworkResource | undefined): boolean {
  const own = resource(e.id);
  const cluster = e.groupsFrom !== undefined ? resource(e.groupsFrom) : undefined;
  const rs = [own, cluster].filter((r): r is NetworkResource => r !== undefined);
  const engine = rs.map((r) => attr(r, 'engine', 'Engine').value).find((v) => v !== undefined);
  if (typeof engine !== 'string' || !/^aurora-postgresql/i.test(engine)) return false;
  return rs.some((r) => attr(r, 'db_cluster_parameter_group_name', 'DBClusterParameterGroupName').value !== undefined);
}

/** What an endpoint listens on, when known exactly: the ports and the reason, else null. */
export function exactPorts(e: Endpoint, resource: (address: string) => NetworkResource | undefined): { ports: readonly PortRange[]; why: string } | null {
  const s = e.role.serves;
  if (s.kind === 'ports') {
    if (!s.known || !EXACT_SERVICES.has(s.service) || NOT_EXACT_TYPES.has(e.resourceType)) return null;
    if (mayRunBabelfish(e, resource)) return null;
    return { ports: s.ports, why: s.reason };
  }
  if (s.kind === 'listeners' && e.kind === 'lb') {
    // The listeners the scan shows: all of them known, at least one (a load balancer whose listeners
    // live elsewhere shows none).
    if (e.listeners.length === 0) return null;
    const ports: PortRange[] = [];
    for (const l of e.listeners) {
      const protos = listenerProtocols(l.protocol);
      if (typeof l.port !== 'number' || protos === null) return null;
      for (const p of protos) ports.push({ protocol: p === UDP ? 'udp' : 'tcp', from: l.port, to: l.port });
    }
    const ids = [...new Set(e.listeners.map((l) => l.id))];
    return { ports: dedupe(ports), why: `${ids.length === 1 ? 'listener' : 'listeners'} ${joinList(ids)}` };
  }
  return null;
}

function dedupe(ports: PortRange[]): PortRange[] {
  const seen = new Map<string, PortRange>();
  for (const p of ports) seen.set(`${p.protocol}/${p.from}-${p.to}`, p);
  return [...seen.values()].sort((a, b) => a.from - b.from || a.protocol.localeCompare(b.protocol));
}

/**
 * Unknown group values that cannot hide one of the scan's groups: inputs from outside the scan (a
 * variable or parameter without a value, a data source other than a group lookup, an import) never
 * hold a reference to a group the scan declares. Anything else (a choice between branches, an
 * expression not evaluated, data.aws_security_group finding the group by its name) may.
 */
const OUTSIDE_INPUT = [
  /^var\.[\w-]+ has no value$/,
  /^parameter [\w:]+ (has no value|is read from SSM parameter .*)$/,
  /^data source data\.(?!aws_security_groups?\.)[\w-]+\.[\w-]+ is read at apply time$/,
  /^imported from another stack/,
];

function mayHideGroup(v: Value): boolean {
  if (v instanceof Unknown) return !v.reasons.every((r) => OUTSIDE_INPUT.some((re) => re.test(r)));
  if (Array.isArray(v)) return v.some(mayHideGroup);
  return false;
}

/** Coverage notices that may hide an attachment: a module, nested stack, transform or loop not scanned. */
const HIDES_RESOURCES = /is not scanned|not expanded|was not installed|what it generates is not scanned/;

export interface Membership {
  members: Endpoint[];
  /** Why the membership is not known for certain; empty when it is. */
  unknown: string[];
}

/**
 * Who is in each group of one namespace, and whether that is all: every reference to the group must
 * come from an endpoint that has it among its groups. A reference from anything else (an output, a
 * launch template's network interface, a resource sgscan does not model as an endpoint) leaves the
 * membership open.
 */
export function membershipOf(model: Model, engine: Engine, wholeNotices: Model['notices']): Map<SecurityGroup, Membership> {
  const out = new Map<SecurityGroup, Membership>();
  const files = new Set<string>();
  for (const x of [...model.groups, ...model.rules, ...model.resources]) {
    files.add(x.location.file);
    for (const v of x.via) files.add(v.file);
  }
  const hidden = wholeNotices.filter((n) => files.has(n.file) && HIDES_RESOURCES.test(n.message)).map((n) => `${n.file}${n.line ? `:${n.line}` : ''}: ${n.message}`);
  const opaque: string[] = [];
  const names = new Set<string>();
  for (const r of model.resources) {
    for (const f of groupValues(r)) {
      if (mayHideGroup(f.value)) opaque.push(`the groups of ${r.address} are not known`);
      for (const v of Array.isArray(f.value) ? f.value : [f.value]) if (typeof v === 'string') for (const n of v.split(',')) names.add(n.trim());
    }
  }
  for (const e of engine.network.endpoints) {
    if (e.securityGroups.some((g) => mayHideGroup(g as Value))) opaque.push(`the groups of ${e.id} are not known`);
    for (const g of e.securityGroups) if (typeof g === 'string') names.add(g);
  }
  const endpoints = new Map(engine.network.endpoints.map((e) => [e.id, e]));
  // Each resource's references, read once, and the resources by the base address they refer to
  // (refersTo is equality of base addresses): per group only the resources that name it, in model
  // order, not every resource per group.
  const referring = new Map<string, NetworkResource[]>();
  for (const r of model.resources) {
    for (const base of new Set(refsIn(r.attributes).map((ref) => baseAddress(ref.address)))) addTo(referring, base, r);
  }
  const inheriting = engine.network.endpoints.filter((e) => e.groupsFrom !== undefined);
  for (const g of model.groups) {
    const unknown = [...hidden, ...opaque];
    if (g.isDefault) unknown.push('a default group takes every resource that names no group');
    if (g.format === 'terraform-plan') unknown.push('a planned group may be attached by its id');
    if (typeof g.name === 'string' && names.has(g.name)) unknown.push(`a resource names a group "${g.name}"`);
    const members: Endpoint[] = [];
    for (const r of referring.get(baseAddress(g.address)) ?? []) {
      const e = endpoints.get(r.address);
      if (e && e.securityGroups.some((ref) => ref instanceof ResourceRef && refersTo(ref.address, g.address))) members.push(e);
      else unknown.push(`${r.address} refers to it`);
    }
    // Members whose groups come from another resource (an Aurora instance from its cluster).
    for (const e of inheriting) {
      if (members.includes(e)) continue;
      if (e.securityGroups.some((ref) => ref instanceof ResourceRef && refersTo(ref.address, g.address))) members.push(e);
    }
    out.set(g, { members, unknown });
  }
  return out;
}

/** The ports of `rule` (tcp or udp, a range) that some member port meets; null when the rule is not a port rule. */
function meetsAny(rule: Rule, ports: readonly PortRange[]): boolean | null {
  if (rule.protocol.kind !== 'number' || (rule.protocol.number !== TCP && rule.protocol.number !== UDP)) return null;
  if (rule.ports.kind !== 'range') return null;
  const proto = rule.protocol.number === TCP ? 'tcp' : 'udp';
  const { from, to } = rule.ports;
  return ports.some((p) => p.protocol === proto && p.from <= to && from <= p.to);
}

export const check: Check = {
  meta: {
    id: 'SGS060',
    name: 'rule-port-not-served',
    severity: 'low',
    shortDescription: 'Ingress rule opens a port that no member of the group listens on',
    fullDescription:
      'An ingress rule of a security group admits tcp or udp ports on which none of the resources in the ' +
      'group listens: the rule admits nothing. It is a leftover, or a rule written for another service (tcp/3306 ' +
      'on the group of an aurora-postgresql cluster), and then the port the service does listen on is likely ' +
      'closed to the clients that need it. Reported only when every member and its ports are known: RDS and ' +
      'Aurora PostgreSQL, MySQL and MariaDB (their `port`, else the engine default 5432 or 3306), RDS proxies, ' +
      'ElastiCache Redis and Memcached (6379, 11211 or `port`), MemoryDB, DocumentDB (27017), Neptune (8182), EFS ' +
      'mount targets (2049), and load balancers whose listeners are all in the scan with known ports. A group with ' +
      'any other member (an instance, a task, a launch template), a reference the scan cannot follow (an output, a ' +
      'module or nested stack that is not scanned, groups chosen by a condition), or no member at all is not ' +
      'judged. Rules for every port or every protocol, ICMP and rules whose ports are not known are never dead. ' +
      'Oracle and SQL Server are not judged: option groups add ports (SSL, OEM, SSRS); nor is an Aurora PostgreSQL ' +
      'cluster that names its own cluster parameter group (Babelfish adds the TDS port, 1433).',
    remediation:
      'Open the port the service listens on instead (the database port, the listener port), or delete the rule ' +
      'if nothing needs it.',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "db_from_app" {',
      '  security_group_id            = aws_security_group.db.id # attached to an aurora-postgresql cluster',
      '  referenced_security_group_id = aws_security_group.app.id',
      '  ip_protocol                  = "tcp"',
      '  from_port                    = 5432 # not 3306: the cluster listens on 5432',
      '  to_port                      = 5432',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'DbIngressFromApp:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref DbSecurityGroup # attached to an aurora-postgresql cluster',
      '    SourceSecurityGroupId: !Ref AppSecurityGroup',
      '    IpProtocol: tcp',
      '    FromPort: 5432 # not 3306: the cluster listens on 5432',
      '    ToPort: 5432',
    ].join('\n'),
    tags: ['security', 'correctness', 'dead-rule'],
    references: [
      'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.RDSSecurityGroups.html',
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html',
    ],
  },
  run(model) {
    const reports: Report[] = [];
    for (const part of reachContext(model).parts) {
      const membership = membershipOf(part.model, part.engine, model.notices);
      const byAddress = new Map(part.model.groups.map((g) => [g.address, g]));
      const resources = new Map(part.model.resources.map((r) => [r.address, r]));
      const resource = (address: string) => resources.get(address);
      for (const rule of part.model.rules) {
        if (rule.direction !== 'ingress' || rule.origin === 'implicit') continue;
        const group = byAddress.get(rule.group);
        const m = group && membership.get(group);
        if (!m || m.unknown.length > 0 || m.members.length === 0) continue;
        const served = m.members.map((e) => ({ e, exact: exactPorts(e, resource) }));
        if (served.some((s) => s.exact === null)) continue;
        const all = dedupe(served.flatMap((s) => [...s.exact!.ports]));
        if (meetsAny(rule, all) !== false) continue;
        reports.push({
          message: `${ruleSubject(rule)} admits ${ruleTraffic(rule)}, but ${membersText(served as { e: Endpoint; exact: { ports: readonly PortRange[]; why: string } }[], all)}: the rule admits nothing.`,
          location: rule.location,
          via: rule.via,
          resource: rule.resource,
          key: `not-served|${ruleKey(rule)}`,
        });
      }
    }
    return reports;
  },
};

/** "its only member, X (an RDS database cluster), listens on tcp/5432 only (engine ... listens on 5432)". */
function membersText(served: { e: Endpoint; exact: { ports: readonly PortRange[]; why: string } }[], all: readonly PortRange[]): string {
  if (served.length === 1) {
    const s = served[0];
    return `its only member, ${s.e.id} (${s.e.role.what}), listens on ${portsText(s.exact.ports)} only (${s.exact.why})`;
  }
  const shown = served.slice(0, 3).map((s) => `${s.e.id} (${s.exact.why})`);
  const more = served.length - shown.length;
  return `its ${served.length} members listen on ${portsText(all)} only: ${joinList(more > 0 ? [...shown, `${more} more`] : shown)}`;
}

/** "tcp port 3306 (MySQL)": the rule's traffic, with the service a single port is known for. */
function ruleTraffic(rule: Rule): string {
  const name = rule.ports.kind === 'range' && rule.ports.from === rule.ports.to ? serviceName(rule.ports.from) : undefined;
  return `${describeRuleTraffic(rule)}${name ? ` (${name})` : ''}`;
}
