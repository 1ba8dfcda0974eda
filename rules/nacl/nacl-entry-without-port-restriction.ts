import type { Check, Report } from '../../src/model/check.js';
import { protocolName, TCP, UDP } from '../../src/model/protocol.js';
import { Unknown } from '../../src/model/value.js';
import { analyzeEntries, entryName, nonEmpty } from '../../src/network/nacl-analysis.js';
import { certainty, conditionAssumptions, entryLine, entrySubject, networkOf } from '../kit/network.js';

export const check: Check = {
  meta: {
    id: 'SGS047',
    name: 'nacl-entry-without-port-restriction',
    severity: 'low',
    preset: 'strict',
    shortDescription: 'Network ACL allow entry without a protocol or port restriction, in either direction',
    fullDescription:
      'An inbound or outbound network ACL allow entry with protocol -1 (every protocol and port), or for tcp or ' +
      'udp with every port (0-65535), whatever its CIDR: the ACL then filters only by address for that traffic ' +
      '(Trivy AVD-AWS-0102, cfn_nag W58 and W66, Checkov CKV_AWS_352 for inbound, KICS "TCP UDP Protocol Network ACL ' +
      'Entry Allows All Ports"; cfn_nag W58 and KICS also report deny entries, which restrict and are not reported ' +
      'here; a tcp or udp entry without a port range is one AWS rejects). The same entry from the whole ' +
      'internet inbound is also SGS024\'s or SGS025\'s (recommended); the report then keeps one finding for the ' +
      'entry. An allow for one other protocol (GRE 47, ESP 50) admits only that protocol, which has no ports, ' +
      'and is not reported (cfn_nag W66 reports it); ICMP entries are not port ranges (Checkov reads an ICMP ' +
      'entry without ports as all ports; AWS does not). An entry wholly shadowed by lower-numbered ones decides ' +
      'nothing (SGS027). Unknown protocol, ports or action make the finding "possible". Strict preset only: ' +
      'intra-VPC and return-traffic entries are commonly written this way. Severity low: a missing layer.',
    remediation:
      'Allow the protocols and ports the subnet serves (and, for return traffic, the ephemeral range 1024-65535) instead of everything.',
    remediationTerraform: [
      'resource "aws_network_acl_rule" "https_out" {',
      '  network_acl_id = aws_network_acl.private.id',
      '  rule_number    = 100',
      '  egress         = true',
      '  protocol       = "tcp" # not "-1"',
      '  rule_action    = "allow"',
      '  cidr_block     = "0.0.0.0/0"',
      '  from_port      = 443',
      '  to_port        = 443',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'HttpsOut:',
      '  Type: AWS::EC2::NetworkAclEntry',
      '  Properties:',
      '    NetworkAclId: !Ref PrivateAcl',
      '    RuleNumber: 100',
      '    Egress: true',
      '    Protocol: 6 # not -1',
      '    RuleAction: allow',
      '    CidrBlock: 0.0.0.0/0',
      '    PortRange: { From: 443, To: 443 }',
    ].join('\n'),
    tags: ['security', 'least-privilege', 'nacl'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html',
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkAclEntry.html',
    ],
    equivalents: { checkov: ['CKV_AWS_352'], trivy: ['AVD-AWS-0102'], kics: ['f57f849c-883b-4cb7-85e7-f7b199dff163', '03879981-efa2-47a0-a818-c843e1441b88'], cfnNag: ['W66', 'W67'] },
    // The same inbound entry from the world is SGS024's (protocol -1) or SGS025's (all ports): one finding.
    overlaps: { family: 'nacl-entry', rank: 3 },
  },
  run(model) {
    const reports: Report[] = [];
    for (const nacl of networkOf(model).nacls) {
      if (!nacl.declared) continue;
      for (const [direction, entries] of [['ingress', nacl.ingress], ['egress', nacl.egress]] as const) {
        for (const v of analyzeEntries(entries)) {
          const e = v.entry;
          if (!e.declared || e.action === 'deny') continue;
          if (v.match !== null && !nonEmpty(v.effective)) continue;
          const assumptions: string[] = [];
          if (e.action instanceof Unknown) assumptions.push(`the action is unknown: ${e.action}`);
          const p = e.protocol;
          let what: string;
          let lineOf: string[];
          if (p.kind === 'all' || p.kind === 'unknown') {
            if (p.kind === 'unknown') assumptions.push(`the protocol is unknown: ${p.unknown}`);
            what = 'all traffic (protocol -1)';
            lineOf = ['protocol', 'Protocol'];
          } else if (p.kind === 'number' && (p.number === TCP || p.number === UDP)) {
            if (e.ports.kind === 'unknown') assumptions.push(`the port range is unknown: ${e.ports.unknown}`);
            else if (e.ports.kind !== 'all') continue;
            what = `every ${protocolName(p)} port`;
            lineOf = ['from_port', 'to_port', 'PortRange'];
          } else continue;
          const peer = typeof e.cidr === 'string' ? e.cidr : 'an unknown CIDR';
          reports.push({
            message: `Network ACL ${nacl.id} ${direction} ${entryName(e)} allows ${what} ${direction === 'ingress' ? 'from' : 'to'} ${peer}, with no protocol or port restriction`,
            location: entryLine(e, ...lineOf),
            via: e.via,
            resource: e.resource,
            subject: entrySubject(e),
            key: `${direction}|${String(e.ruleNumber)}|unrestricted|${String(e.cidr)}`,
            ...certainty([...assumptions, ...v.uncertainBefore.map((u) => `${entryName(u)} is not known statically and may decide this traffic first`), ...conditionAssumptions(nacl)]),
          });
        }
      }
    }
    return reports;
  },
};
