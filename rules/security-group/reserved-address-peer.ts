import { describeRuleTraffic, ruleKey, ruleSubject } from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';
import type { Rule } from '../../src/model/model.js';
import { parseCidrText, type Peer } from '../../src/model/peer.js';

type Cidr = Extract<Peer, { kind: 'cidr' }>;

/** Reserved space no packet comes from or goes to, with the words a reviewer would use. */
const RESERVED: readonly { cidr: string; what: string }[] = [
  { cidr: '240.0.0.0/4', what: 'reserved space (240.0.0.0/4, "future use"), never routed' },
];

/** Documentation ranges (RFC 5737, RFC 3849): placeholders, assigned to no real network. */
const DOCUMENTATION: readonly string[] = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32'];

/** The reserved and documentation blocks, parsed once (parsing them per rule was 1.5% of a 10,000-group scan). */
const PARSED = new Map([...RESERVED.map((r) => r.cidr), ...DOCUMENTATION].map((c) => [c, parseCidrText(c)]));

function inside(peer: Cidr, cidr: string): boolean {
  const [net, prefix] = PARSED.get(cidr) ?? parseCidrText(cidr);
  // The network address of the peer's canonical CIDR, IPv4 parsed first when it can only be IPv4.
  const [addr] = parseCidrText(peer.cidr);
  return addr.kind() === net.kind() && peer.prefix >= prefix && addr.match(net, prefix);
}

/** The documentation range (RFC 5737, RFC 3849) a peer lies in: a placeholder, no real network. */
export function documentationRange(peer: Peer): string | undefined {
  return peer.kind === 'cidr' ? DOCUMENTATION.find((d) => inside(peer, d)) : undefined;
}

/** Why the peer is no real network, or null. */
function reason(peer: Peer, documentation: boolean): { why: string; typo: boolean } | null {
  if (peer.kind !== 'cidr' || peer.prefix === 0) return null;
  const network = peer.cidr.split('/')[0];
  // 0.0.0.0/N and ::/N: the whole internet's prefix with a stray length. Only N >= 8 lies wholly in
  // reserved space; 0.0.0.0/4 also holds public addresses, so it matches traffic: a wide public range,
  // which the public-range checks report (one finding, by the check that is true).
  if (network === '0.0.0.0') {
    return peer.prefix >= 8 ? { why: 'lies in 0.0.0.0/8 ("this network", reserved: never the address of a packet)', typo: true } : null;
  }
  if (network === '::') {
    return peer.prefix >= 8 && peer.prefix <= 96 ? { why: 'lies in ::/8 (the unspecified address and reserved space around it)', typo: true } : null;
  }
  // CDK's "no egress" marker (255.255.255.255/32) is deliberate.
  if (peer.cidr === '255.255.255.255/32') return null;
  for (const r of RESERVED) if (inside(peer, r.cidr)) return { why: `is ${r.what}`, typo: false };
  if (documentation) {
    const doc = DOCUMENTATION.find((d) => inside(peer, d));
    if (doc) return { why: `is in the documentation range ${doc}, a placeholder assigned to no real network`, typo: false };
  }
  return null;
}

function message(rule: Rule, peer: Cidr, r: { why: string; typo: boolean }): string {
  const way = rule.direction === 'ingress' ? 'from' : 'to';
  const world = peer.family === 'ipv4' ? '0.0.0.0/0' : '::/0';
  const base = `${ruleSubject(rule)} allows ${describeRuleTraffic(rule)} ${way} ${peer.raw}, which ${r.why}, so the rule matches no traffic.`;
  return r.typo
    ? `${base} Likely a typo for ${world} (every address): write the range that was meant; if it was ${world}, that opens ${describeRuleTraffic(rule)} to the whole internet.`
    : `${base} Likely a placeholder or a typo: write the range that was meant.`;
}

export const check: Check = {
  meta: {
    id: 'SGS043',
    name: 'reserved-address-peer',
    severity: 'low',
    shortDescription: 'Rule source or destination in reserved address space: likely a typo',
    fullDescription:
      'A rule names a CIDR in address space that no packet comes from or goes to: 0.0.0.0/N with N >= 8 (inside ' +
      '0.0.0.0/8, "this network"), ::/N with N >= 8 (inside ::/8), or 240.0.0.0/4. (0.0.0.0/4 holds public ' +
      'addresses too: it is a wide public range, reported as such.) The rule matches nothing, so whatever it was written for ' +
      'does not work, and the likeliest intent is worse: `0.0.0.0/24` on SSH is almost always a mistyped ' +
      '`0.0.0.0/0`. Option `documentationRanges` (true in the strict preset) also reports the documentation ' +
      'ranges 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32, placeholders left in code. ' +
      'CDK\'s deliberate "no egress" rule to 255.255.255.255/32 is not reported.',
    remediation: 'Write the range that was meant: a real network, a security group reference, or 0.0.0.0/0 only if the whole internet is intended.',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "ssh" {',
      '  security_group_id = aws_security_group.admin.id',
      '  description       = "SSH from the office"',
      '  ip_protocol       = "tcp"',
      '  from_port         = 22',
      '  to_port           = 22',
      '  cidr_ipv4         = "198.51.100.0/24" # not "0.0.0.0/24"',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'AdminSshIngress:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref AdminSecurityGroup',
      '    Description: SSH from the office',
      '    IpProtocol: tcp',
      '    FromPort: 22',
      '    ToPort: 22',
      '    CidrIp: 198.51.100.0/24 # not 0.0.0.0/24',
    ].join('\n'),
    tags: ['security', 'correctness', 'typo'],
    references: [
      'https://www.rfc-editor.org/rfc/rfc6890',
      'https://www.rfc-editor.org/rfc/rfc5737',
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
    ],
  },
  run(model, context) {
    const documentation = context.options.documentationRanges === true;
    const reports: Report[] = [];
    for (const rule of model.rules) {
      if (rule.origin === 'implicit' || rule.peer.kind !== 'cidr') continue;
      const r = reason(rule.peer, documentation);
      if (!r) continue;
      reports.push({ message: message(rule, rule.peer, r), location: rule.location, via: rule.via, resource: rule.resource, key: ruleKey(rule) });
    }
    return reports;
  },
};
