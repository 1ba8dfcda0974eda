import {
  describeWorldPeer,
  ALL_PORTS,
  allTrafficTogether,
  both,
  coverPartners,
  portSet,
  probe,
  worldCovers,
  worldTogetherReport,
  conditionOf,
  describeRuleTraffic,
  groupsByAddress,
  isDefinite,
  joinAssumptions,
  lowerFirst,
  type Match,
  peerIsWorld,
  portListOption,
  ruleAdmitsAllTraffic,
  ruleKey,
  ruleSubject,
  DEFINITE,
} from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';
import type { Rule } from '../../src/model/model.js';
import { TCP, UDP } from '../../src/model/protocol.js';
import { subtract, union } from '../../src/sets/index.js';

const DEFAULT_ALLOWED_TCP = [80, 443];
const DEFAULT_ALLOWED_UDP: number[] = [];

function rangeWithin(from: number, to: number, allowed: ReadonlySet<number>): boolean {
  if (to - from + 1 > allowed.size) return false;
  for (let p = from; p <= to; p++) if (!allowed.has(p)) return false;
  return true;
}

/** Does the rule admit some tcp/udp port outside the allowed lists? Other protocols are not ports. */
function admitsUnlistedPort(rule: Rule, tcp: ReadonlySet<number>, udp: ReadonlySet<number>): Match | null {
  const { protocol, ports } = rule;
  if (protocol.kind === 'invalid' || protocol.kind === 'all') return null;
  if (protocol.kind === 'number' && protocol.number !== TCP && protocol.number !== UDP) return null;
  const allowedSets = protocol.kind === 'number' ? [protocol.number === TCP ? tcp : udp] : [tcp, udp];
  const unknownProtocol: Match =
    protocol.kind === 'unknown' ? { assumptions: protocol.unknown.reasons.map((r) => `the protocol is unknown: ${r}`) } : DEFINITE;
  switch (ports.kind) {
    case 'all':
      return unknownProtocol;
    case 'range':
      return allowedSets.some((allowed) => !rangeWithin(ports.from, ports.to, allowed)) ? unknownProtocol : null;
    case 'unknown':
      return both(unknownProtocol, { assumptions: ports.unknown.reasons.map((r) => `the port range is unknown: ${r}`) });
    default:
      return null;
  }
}

function listPorts(tcp: readonly number[], udp: readonly number[]): string {
  const parts = [...(tcp.length ? [`tcp ${tcp.join(', ')}`] : []), ...(udp.length ? [`udp ${udp.join(', ')}`] : [])];
  return parts.length ? parts.join('; ') : 'none';
}

export const check: Check = {
  meta: {
    id: 'SGS005',
    name: 'port-open-to-world',
    severity: 'medium',
    shortDescription: 'Port other than the allowed public ones (80, 443) open to the whole internet',
    fullDescription:
      'An ingress rule allows the whole internet (0.0.0.0/0 or ::/0, by value) to reach a tcp or udp port ' +
      'that is not on the list of ports meant to face the internet (by default tcp 80 and 443, as in ' +
      'Security Hub EC2.18). Anything else open to the world should be a deliberate, reviewed exception. ' +
      'Rules admitting all traffic are reported by SGS002 instead; ICMP and other protocols without ports ' +
      'are not considered. CIDR sources of one group that together cover all of IPv4 or IPv6 count as the ' +
      'world (each rule of the cover is reported). Unknown values that could open an unlisted port give a "possible" finding. ' +
      'Options: `allowedPorts` (tcp, default [80, 443]) and `allowedUdpPorts` (default []).',
    remediation:
      'Restrict the source to the clients that need the port, put the service behind a load balancer on ' +
      '443, or, if the exposure is intended, add the port to this check\'s allowed list in the configuration.',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "api" {',
      '  security_group_id = aws_security_group.api.id',
      '  description       = "API from the partner network"',
      '  ip_protocol       = "tcp"',
      '  from_port         = 8443',
      '  to_port           = 8443',
      '  cidr_ipv4         = "198.51.100.0/24" # not 0.0.0.0/0',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'ApiIngress:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref ApiSecurityGroup',
      '    Description: API from the partner network',
      '    IpProtocol: tcp',
      '    FromPort: 8443',
      '    ToPort: 8443',
      '    CidrIp: 198.51.100.0/24 # not 0.0.0.0/0',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'internet'],
    references: [
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18',
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
    ],
    overlaps: { family: 'world-open-rule', rank: 3 },
    equivalents: {
      checkov: ['CKV2_AWS_7'],
      kics: [
        '4728cd65-a20c-49da-8b31-9c08b423e4db',
        '381c3f2a-ef6f-4eff-99f7-b169cda3422c',
        '590d878b-abdc-428f-895a-e2b68a0e1998',
        '54c417bf-c762-48b9-9d31-b3d87047e3f0',
        'cdbb0467-2957-4a77-9992-7b55b29df7b7',
        '494b03d3-bf40-4464-8524-7c56ad0700ed',
        '78055456-f670-4d2e-94d5-392d1cf4f5e4',
        '4a1e6b34-1008-4e61-a5f2-1f7c276f8d14',
      ],
      cfnNag: ['W2'],
    },
    strictEquivalents: { checkov: ['CKV_AWS_260'], kics: ['ffac8a12-322e-42c1-b9b9-81ff85c39ef7'] },
  },
  run(model, context) {
    const tcpList = portListOption(context.options.allowedPorts, DEFAULT_ALLOWED_TCP);
    const udpList = portListOption(context.options.allowedUdpPorts, DEFAULT_ALLOWED_UDP);
    const tcp = new Set(tcpList);
    const udp = new Set(udpList);
    const groups = groupsByAddress(model);
    const covers = worldCovers(model);
    // tcp/udp traffic on ports outside the allowed lists, from anywhere.
    const unlisted = union(
      subtract(probe(portSet([TCP]), ALL_PORTS), probe(portSet([TCP]), portSet(tcpList))),
      subtract(probe(portSet([UDP]), ALL_PORTS), probe(portSet([UDP]), portSet(udpList))),
    );
    const reports: Report[] = [];
    for (const rule of model.rules) {
      if (rule.direction !== 'ingress') continue;
      const all = ruleAdmitsAllTraffic(rule);
      if (all && isDefinite(all)) continue; // SGS002's
      const m = both(peerIsWorld(rule.peer), admitsUnlistedPort(rule, tcp, udp), conditionOf(rule, groups.of(rule)));
      if (!m) {
        const entry = covers.get(rule);
        const partners = entry && !allTrafficTogether(entry) ? coverPartners(entry, unlisted) : null;
        if (partners) {
          const report = worldTogetherReport(rule, describeRuleTraffic(rule), partners);
          report.message = report.message.replace(/\.$/, `, outside the ports allowed to face it (${listPorts(tcpList, udpList)}).`);
          reports.push(report);
        }
        continue;
      }
      const base = { location: rule.location, via: rule.via, resource: rule.resource, key: ruleKey(rule), exposes: rule };
      const allowed = listPorts(tcpList, udpList);
      if (isDefinite(m)) {
        reports.push({
          ...base,
          message: `${ruleSubject(rule)} allows ${describeRuleTraffic(rule)} from ${describeWorldPeer(rule.peer, rule.direction)}, outside the ports allowed to face it (${allowed}).`,
          certainty: 'definite',
          assumptions: [],
        });
      } else {
        reports.push({
          ...base,
          // The traffic is named whenever it is known (only the source or a condition is not): "udp port 3391".
          message: knownTraffic(rule)
            ? `Possibly: ${lowerFirst(ruleSubject(rule))} allows ${describeRuleTraffic(rule)} from the whole internet, outside the ports allowed to face it (${allowed}), depending on values not known statically (${joinAssumptions(m.assumptions)}).`
            : `Possibly: ${lowerFirst(ruleSubject(rule))} allows ports other than the allowed ones (${allowed}) from the whole internet, depending on values not known statically (${joinAssumptions(m.assumptions)}).`,
          certainty: 'possible',
          assumptions: m.assumptions,
        });
      }
    }
    return reports;
  },
};

/** Are the rule's protocol and ports known, so a message can name them? */
function knownTraffic(rule: Rule): boolean {
  return rule.protocol.kind !== 'unknown' && rule.ports.kind !== 'unknown';
}
