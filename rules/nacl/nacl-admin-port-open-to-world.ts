import { DEFINITE, type Match, portListOption, portsInclude, protocolIncludes, both, describeProtocolPort } from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';
import { TCP, UDP } from '../../src/model/protocol.js';
import { Unknown } from '../../src/model/value.js';
import { analyzeEntries, entryName, isWorldCidr } from '../../src/network/nacl-analysis.js';
import { CIDR_ATTRIBUTES, certainty, conditionAssumptions, entryLine, networkOf, entrySubject } from '../kit/network.js';
import { allowedByNacl, isEmpty, trafficOf, meets } from '../../src/sets/index.js';
import { append } from '../../src/model/arrays.js';

const DEFAULT_TCP_PORTS = [22, 3389];
const DEFAULT_UDP_PORTS = [3389];

export const check: Check = {
  meta: {
    id: 'SGS023',
    name: 'nacl-admin-port-open-to-world',
    severity: 'medium',
    shortDescription: 'Network ACL admits the whole internet to a remote administration port (SSH, RDP)',
    fullDescription:
      'An inbound network ACL entry allows 0.0.0.0/0 or ::/0 to reach SSH (tcp/22) or RDP (tcp/3389, udp/3389) ' +
      'by default, and the entry actually decides that traffic: entries are evaluated in rule-number order and ' +
      'the first match wins, so an allow that a lower-numbered deny already covers does not count (the exact ' +
      'first-match semantics of allowedByNacl). Protocol -1 and port ranges containing the port count. An earlier ' +
      'entry with unknown values may deny the traffic first, and an entry with unknown values may be the one that ' +
      'allows it: such findings are "possible" and say which. The implicit default ACL of a VPC is not in the ' +
      'code and is not reported; an aws_default_network_acl written out is. Severity medium, as Security Hub ' +
      'EC2.21: the ACL is one of two layers, and the security groups still decide whether an instance answers. ' +
      'Options: `ports` (tcp, default [22, 3389]) and `udpPorts` (default [3389]).',
    remediation:
      'Deny SSH and RDP from the internet in the subnet ACL (a low-numbered deny entry), or narrow the allow ' +
      'entry to the administration network. Prefer Session Manager over inbound SSH/RDP.',
    remediationTerraform: [
      'resource "aws_network_acl_rule" "ssh_office" {',
      '  network_acl_id = aws_network_acl.public.id',
      '  rule_number    = 100',
      '  egress         = false',
      '  protocol       = "tcp"',
      '  rule_action    = "allow"',
      '  cidr_block     = "203.0.113.0/24" # not 0.0.0.0/0',
      '  from_port      = 22',
      '  to_port        = 22',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'SshFromOffice:',
      '  Type: AWS::EC2::NetworkAclEntry',
      '  Properties:',
      '    NetworkAclId: !Ref PublicAcl',
      '    RuleNumber: 100',
      '    Protocol: 6',
      '    RuleAction: allow',
      '    CidrBlock: 203.0.113.0/24 # not 0.0.0.0/0',
      '    PortRange: { From: 22, To: 22 }',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'nacl', 'internet', 'ssh', 'rdp', 'cis'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html',
      'https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-21',
      'CIS AWS Foundations Benchmark v1.5.0, 5.1: ensure no network ACLs allow ingress from 0.0.0.0/0 to remote server administration ports',
    ],
    // Checkov's CKV_AWS_229/230 check FTP (21, 20) and Trivy's AVD-AWS-0105 any port: not the same check.
    overlaps: { family: 'nacl-entry', rank: 1 },
    equivalents: {
      checkov: ['CKV_AWS_231', 'CKV_AWS_232'],
      kics: ['3af7f2fd-06e6-4dab-b996-2912bea19ba4', 'a20be318-cac7-457b-911d-04cc6e812c25'],
    },
    strictEquivalents: { checkov: ['CKV_AWS_229', 'CKV_AWS_230'] },
  },
  run(model, context) {
    const tcpPorts = portListOption(context.options.ports, DEFAULT_TCP_PORTS);
    const udpPorts = portListOption(context.options.udpPorts, DEFAULT_UDP_PORTS);
    const wanted: [number, number][] = [...tcpPorts.map((p): [number, number] => [TCP, p]), ...udpPorts.map((p): [number, number] => [UDP, p])];
    const reports: Report[] = [];
    for (const nacl of networkOf(model).nacls) {
      if (!nacl.declared) continue;
      const whole = allowedByNacl(nacl.ingress.map((e) => ({ ruleNumber: e.ruleNumber instanceof Unknown ? -1 : e.ruleNumber, action: e.action === 'deny' ? 'deny' : 'allow', protocol: e.protocol, cidr: e.cidr instanceof Unknown ? '' : e.cidr, ports: e.ports })));
      for (const v of analyzeEntries(nacl.ingress)) {
        const e = v.entry;
        if (e.action === 'deny' || !(isWorldCidr(e.cidr) || e.cidr instanceof Unknown)) continue;
        const definite: string[] = [];
        const possible: string[] = [];
        const assumptions: string[] = [];
        for (const [proto, port] of wanted) {
          let m: Match | null;
          if (v.effective !== null && typeof e.cidr === 'string') {
            const probe = trafficOf({ kind: 'number', number: proto }, { kind: 'range', from: port, to: port }, e.cidr);
            m = 'notAddressSet' in probe || !meets(v.effective, probe) ? null : DEFINITE;
          } else {
            m = both(protocolIncludes(e.protocol, proto), portsInclude(e.ports, port));
            if (m && e.cidr instanceof Unknown) m = both(m, { assumptions: [`the CIDR is unknown: ${e.cidr}`] });
          }
          if (!m) continue;
          m = both(m, e.action instanceof Unknown ? { assumptions: [`the action is unknown: ${e.action}`] } : DEFINITE, {
            assumptions: v.uncertainBefore.map((u) => `${entryName(u)} is not known statically and may deny it first`),
          });
          if (!m) continue;
          const name = describeProtocolPort(proto, port);
          (m.assumptions.length === 0 ? definite : possible).push(name);
          append(assumptions, m.assumptions);
        }
        const ports = [...definite, ...possible];
        if (ports.length === 0) continue;
        // allowedByNacl is the authority on the whole ACL; a definite verdict must agree with it.
        if (whole.ok && possible.length === 0 && isEmpty(whole.allowed)) continue;
        reports.push({
          message: `Network ACL ${nacl.id} ${entryName(e)} allows ${ports.join(', ')} from ${typeof e.cidr === 'string' ? `the whole internet (${e.cidr})` : 'an unknown source'}`,
          location: entryLine(e, ...CIDR_ATTRIBUTES),
          via: e.via,
          resource: e.resource,
          subject: entrySubject(e),
          key: `ingress|${e.ruleNumber instanceof Unknown ? '?' : e.ruleNumber}|${ports.join(',')}`,
          ...certainty([...(definite.length > 0 ? [] : assumptions), ...conditionAssumptions(nacl)]),
        });
      }
    }
    return reports;
  },
};
