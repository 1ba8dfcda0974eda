import type { Check, Report } from '../../src/model/check.js';
import { protocolName } from '../../src/model/protocol.js';
import { worldAllowEntries, entryName } from '../../src/network/nacl-analysis.js';
import { certainty, conditionAssumptions, entryLine, networkOf, entrySubject } from '../kit/network.js';

export const check: Check = {
  meta: {
    id: 'SGS025',
    name: 'nacl-all-ports-from-world',
    severity: 'low',
    shortDescription: 'Network ACL allows every tcp or udp port from the whole internet',
    fullDescription:
      'An inbound network ACL entry for tcp or udp covers every port (0-65535) and allows 0.0.0.0/0 or ::/0, ' +
      'and decides at least some traffic (first match wins; wholly covered entries are SGS027\'s). Every ' +
      'service in the subnet is then filtered by its security groups alone. Return traffic for outbound ' +
      'connections only needs the ephemeral range (1024-65535). An entry whose ports are unknown is reported ' +
      'as "possible". Protocol -1 entries are SGS024\'s. Severity low: a missing layer rather than an exposure.',
    remediation: 'Allow the service ports and the ephemeral return range (1024-65535) instead of every port.',
    remediationTerraform: [
      'resource "aws_network_acl_rule" "ephemeral_in" {',
      '  network_acl_id = aws_network_acl.public.id',
      '  rule_number    = 200',
      '  protocol       = "tcp"',
      '  rule_action    = "allow"',
      '  cidr_block     = "0.0.0.0/0"',
      '  from_port      = 1024 # not 0',
      '  to_port        = 65535',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'EphemeralIn:',
      '  Type: AWS::EC2::NetworkAclEntry',
      '  Properties:',
      '    NetworkAclId: !Ref PublicAcl',
      '    RuleNumber: 200',
      '    Protocol: 6',
      '    RuleAction: allow',
      '    CidrBlock: 0.0.0.0/0',
      '    PortRange: { From: 1024, To: 65535 } # not 0-65535',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'nacl', 'internet'],
    references: ['https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html', 'https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html'],
    overlaps: { family: 'nacl-entry', rank: 2 },
    equivalents: { trivy: ['AVD-AWS-0105'] },
  },
  run(model) {
    const reports: Report[] = [];
    for (const nacl of networkOf(model).nacls) {
      if (!nacl.declared) continue;
      for (const { verdict, assumptions } of worldAllowEntries(nacl.ingress)) {
        const e = verdict.entry;
        if (e.protocol.kind !== 'number' || (e.protocol.number !== 6 && e.protocol.number !== 17)) continue;
        if (e.ports.kind === 'unknown') assumptions.push(`the port range is unknown: ${e.ports.unknown}`);
        else if (e.ports.kind !== 'all') continue;
        const proto = protocolName(e.protocol);
        reports.push({
          message: `Network ACL ${nacl.id} ${entryName(e)} allows every ${proto} port from the whole internet (${String(e.cidr)})`,
          location: entryLine(e, 'from_port', 'to_port', 'PortRange'),
          via: e.via,
          resource: e.resource,
          subject: entrySubject(e),
          key: `ingress|${String(e.ruleNumber)}|${proto}|${String(e.cidr)}`,
          ...certainty([...assumptions, ...conditionAssumptions(nacl)]),
        });
      }
    }
    return reports;
  },
};
