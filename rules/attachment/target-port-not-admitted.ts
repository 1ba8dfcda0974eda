import type { Check, Report } from '../../src/model/check.js';
import { at } from '../../src/model/location.js';
import type { Model, NetworkResource } from '../../src/model/model.js';
import { TCP, UDP } from '../../src/model/protocol.js';
import { joinList, serviceName } from '../../src/model/services.js';
import { Unknown } from '../../src/model/value.js';
import type { Endpoint } from '../../src/network/model.js';
import { ResourceIndex, attr, field, items, toInt, typeSet } from '../../src/network/resolve.js';
import type { Engine } from '../../src/reach/engine.js';
import { reachContext } from '../../src/reach/exposure.js';
import * as iv from '../../src/sets/interval.js';
import { type Addresses, ALL_ADDRESSES, anyTrafficFrom, serviceFrom } from '../../src/sets/setops.js';
import { intersect, isEmpty, unionAll } from '../../src/sets/traffic.js';

// A load balancer sends its targets traffic, and health checks, from its own addresses (and, with
// security groups, as a member of its groups). A target whose groups admit neither on the target
// group's port never gets a request and never passes a health check: the target group stays
// unhealthy. Judged with the reach engine's group layer, so a rule naming the load balancer's group,
// a CIDR covering its subnets, or anything not known (no finding then) counts as it does for reachability.

const TARGET_GROUP_TYPES = typeSet('aws_lb_target_group', 'aws_alb_target_group', 'AWS::ElasticLoadBalancingV2::TargetGroup');
const ATTACHMENT_TYPES = typeSet('aws_lb_target_group_attachment', 'aws_alb_target_group_attachment');
/** Targets whose groups are the endpoint's own (instances, Auto Scaling groups, ALBs behind an NLB). */
const TARGET_KINDS = new Set(['instance', 'asg', 'eni', 'lb']);

/** The protocols traffic reaches the targets by: tcp for HTTP(S), TCP and TLS; null for GENEVE or unknown. */
function targetProtocols(protocol: string | Unknown, lbType: string | Unknown | undefined): number[] | null {
  if (protocol instanceof Unknown) return lbType === 'application' ? [TCP] : null;
  const p = protocol.toUpperCase();
  if (p === 'UDP') return [UDP];
  if (p === 'TCP_UDP') return [TCP, UDP];
  if (['HTTP', 'HTTPS', 'TCP', 'TLS'].includes(p)) return [TCP];
  return null;
}

/**
 * The port each target receives on, where an attachment (aws_lb_target_group_attachment `port`, a
 * CloudFormation `Targets` item's `Port`) overrides the target group's; Unknown when written but not known.
 */
function portOverrides(tg: NetworkResource, model: Model, index: ResourceIndex): Map<string, number | Unknown> {
  const out = new Map<string, number | Unknown>();
  const any = typeSet(...model.resources.map((r) => r.resourceType));
  for (const t of items(attr(tg, 'Targets').value)) {
    const id = index.link(field(t, 'Id'), any, 'target');
    const port = toInt(field(t, 'Port'), 'target port');
    if (typeof id === 'string' && port !== undefined) out.set(id, port);
  }
  for (const r of model.resources) {
    if (!ATTACHMENT_TYPES.has(r.resourceType) || index.link(attr(r, 'target_group_arn').value, TARGET_GROUP_TYPES, 'target group') !== tg.address) continue;
    const id = index.link(attr(r, 'target_id').value, any, 'target');
    const port = toInt(attr(r, 'port').value, 'target port');
    if (typeof id === 'string' && port !== undefined) out.set(id, port);
  }
  return out;
}

/** The addresses a load balancer sends from: its subnets' ranges, or every address when a subnet is not known. */
function lbAddresses(engine: Engine, lb: Endpoint): Addresses {
  const { subnets, unknown } = engine.subnetsOf(lb);
  if (unknown.length > 0 || subnets.length === 0) return ALL_ADDRESSES;
  const cidrs: string[] = [];
  for (const s of subnets) {
    if (typeof s.cidr !== 'string') return ALL_ADDRESSES;
    cidrs.push(s.cidr);
    if (typeof s.ipv6Cidr === 'string') cidrs.push(s.ipv6Cidr);
  }
  return engine.addrs(cidrs);
}

/** A group id in words: the implicit default group of a VPC reads as such. */
function groupName(id: string): string {
  const m = /^default-sg\((.*)\)$/.exec(id);
  if (!m) return id;
  return m[1] === 'a VPC that is not known' ? 'the default group of its VPC' : `the default group of VPC ${m[1]}`;
}

/**
 * The implicit default groups (none declared) of VPCs the scan does not declare: AWS's default rules
 * are assumed for them, but whatever creates the VPC (a module that is not scanned) may give it others.
 */
function undeclaredDefaults(engine: Engine, ids: readonly string[]): string[] {
  const vpcs = new Set(engine.network.vpcs.map((v) => v.id));
  return ids.filter((id) => {
    const m = /^default-sg\((.*)\)$/.exec(id);
    return m !== null && !vpcs.has(m[1]);
  });
}

export const check: Check = {
  meta: {
    id: 'SGS061',
    name: 'target-port-not-admitted',
    severity: 'low',
    shortDescription: "Load balancer target's security groups do not admit the target group port from the load balancer",
    fullDescription:
      "A load balancer forwards to a target group's port (the `port` of aws_lb_target_group / " +
      'AWS::ElasticLoadBalancingV2::TargetGroup, or the port an attachment registers the target on), and its ' +
      'health checks come from the same place: the load balancer\'s own addresses in its subnets, as a member of ' +
      "its security groups. When no ingress rule of a registered target's groups admits that port from the load " +
      "balancer's groups or from an address range covering its subnets, the target never gets a request and never " +
      'passes a health check. Judged as reachability judges the security group hop: a rule naming the load ' +
      "balancer's group, a CIDR that covers its subnets, or a value that is not known (then no finding) all count; " +
      "a target in the default group of a VPC the scan does not declare is judged by AWS's default rules for that " +
      'group, and the finding is then only possible (whatever creates the VPC may give its default group other rules). ' +
      'Only targets in the scan whose groups are all known are judged (instances, Auto Scaling groups, an ALB ' +
      'behind an NLB), through listeners that forward to one target group; Lambda and IP targets are not.',
    remediation:
      "Add an ingress rule to the target's group admitting the target group port from the load balancer's " +
      'security group (or, for a network load balancer without groups, from its subnets).',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "app_from_lb" {',
      '  security_group_id            = aws_security_group.app.id',
      '  referenced_security_group_id = aws_security_group.lb.id',
      '  ip_protocol                  = "tcp"',
      '  from_port                    = 8080 # aws_lb_target_group.app port',
      '  to_port                      = 8080',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'AppIngressFromLoadBalancer:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref AppSecurityGroup',
      '    SourceSecurityGroupId: !Ref LoadBalancerSecurityGroup',
      '    IpProtocol: tcp',
      '    FromPort: 8080 # AppTargetGroup Port',
      '    ToPort: 8080',
    ].join('\n'),
    tags: ['security', 'availability', 'load-balancer'],
    references: [
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-register-targets.html#target-security-groups',
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-register-targets.html#target-security-groups',
    ],
  },
  run(model) {
    const reports: Report[] = [];
    for (const part of reachContext(model).parts) {
      const { engine } = part;
      const index = new ResourceIndex(part.model);
      const seen = new Set<string>();
      for (const lb of engine.network.endpoints) {
        if (lb.kind !== 'lb') continue;
        const lbGroups = engine.groupsOf(lb);
        if (lbGroups.unknown.length > 0) continue;
        const from = lbAddresses(engine, lb);
        for (const listener of lb.listeners) {
          if (listener.targetGroups.length !== 1 || typeof listener.targetGroups[0] !== 'string') continue;
          const tgId = listener.targetGroups[0];
          const facts = engine.facts.targetGroups.get(tgId);
          const tg = index.get(tgId);
          if (!facts || !tg || seen.has(`${lb.id}\u0000${tgId}`)) continue;
          seen.add(`${lb.id}\u0000${tgId}`);
          const protocols = targetProtocols(facts.protocol, engine.facts.lbType.get(lb.id));
          if (protocols === null) continue;
          const overrides = portOverrides(tg, part.model, index);
          const blocked = new Map<string, { port: number; groups: string[]; assumed: string[]; targets: Endpoint[] }>();
          for (const id of new Set(listener.targets)) {
            const target = typeof id === 'string' ? engine.endpoint(id) : undefined;
            if (!target || !TARGET_KINDS.has(target.kind) || target.id === lb.id) continue;
            const port = overrides.get(target.id) ?? facts.port;
            if (typeof port !== 'number') continue;
            const groups = engine.groupsOf(target);
            if (groups.unknown.length > 0 || groups.ids.length === 0) continue;
            const layer = engine.groupLayer(target, from, { groups: new Set(lbGroups.ids), unknown: [] }, lb.id);
            const question = intersect(unionAll(protocols.map((p) => serviceFrom(p, iv.range(port), ALL_ADDRESSES))), anyTrafficFrom(from));
            if (!isEmpty(intersect(question, layer.possible))) continue;
            const key = `${port}\u0000${groups.ids.join(',')}`;
            const entry = blocked.get(key) ?? { port, groups: groups.ids, assumed: undeclaredDefaults(engine, groups.ids), targets: [] };
            entry.targets.push(target);
            blocked.set(key, entry);
          }
          for (const { port, groups, assumed, targets } of blocked.values()) {
            const traffic = joinList(protocols.map((p) => `${p === UDP ? 'udp' : 'tcp'}/${port}`));
            const named = serviceName(port);
            const names = targets.map((t) => t.id);
            const shown = names.length > 3 ? [...names.slice(0, 3), `${names.length - 3} more`] : names;
            const lbSide = lbGroups.ids.length > 0 ? `its group${lbGroups.ids.length > 1 ? 's' : ''} ${joinList(lbGroups.ids)} or its subnets` : 'its subnets';
            const many = names.length > 1;
            const onlyDefault = groups.every((g) => /^default-sg\(/.test(g));
            const denial = onlyDefault
              ? `${many ? 'they name' : 'it names'} no security group, and the default group of ${many ? 'their' : 'its'} VPC does not admit it`
              : `no ingress rule of ${many ? 'their' : 'its'} security group${groups.length > 1 ? 's' : ''} ${joinList(groups.map(groupName))} admits it`;
            const assumptions = assumed.length ? [`the default group of the VPC, which is not in the scan, keeps AWS's default rules`] : [];
            reports.push({
              message:
                `${assumptions.length ? 'Possibly: target group' : 'Target group'} ${tgId} forwards ${traffic}${named ? ` (${named})` : ''} from load balancer ${lb.id} to ${joinList(shown)}, ` +
                `but ${denial} from the load balancer (${lbSide}): the load balancer cannot reach ${many ? 'these targets' : 'the target'} and ${many ? 'their' : 'its'} health checks fail` +
                (assumptions.length ? ` (assuming ${assumptions[0]}).` : '.'),
              location: facts.line !== undefined ? at(tg.location.file, facts.line) : tg.location,
              via: tg.via,
              resource: tgId,
              key: `target-port|${lb.id}|${port}|${groups.join(',')}`,
              ...(assumptions.length ? { certainty: 'possible' as const, assumptions: [...new Set(assumptions)] } : {}),
            });
          }
        }
      }
    }
    return reports;
  },
};
