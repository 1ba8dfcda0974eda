import type { Check, Report } from '../../src/model/check.js';
import { worldAllowEntries, entryName } from '../../src/network/nacl-analysis.js';
import { certainty, conditionAssumptions, entryLine, networkOf, entrySubject } from '../kit/network.js';

export const check: Check = {
  meta: {
    id: 'SGS024',
    name: 'nacl-all-traffic-from-world',
    severity: 'low',
    shortDescription: 'Network ACL allows all protocols from the whole internet',
    fullDescription:
      'An inbound network ACL entry with protocol -1 (all protocols, all ports) allows 0.0.0.0/0 or ::/0 and ' +
      'decides at least some traffic (it is not wholly covered by lower-numbered entries; first match wins). ' +
      'Such an ACL adds no filtering: the security groups are the only layer left. An entry whose protocol ' +
      'is unknown may be -1 and is reported as "possible", as is one that unknown earlier entries may cover. ' +
      'The implicit default ACL of a VPC (which does exactly this) is not reported; a written ' +
      'aws_default_network_acl is. Severity low: common by design, a missing layer of defence rather than ' +
      'an exposure.',
    remediation:
      'Allow only the protocols and ports the subnet serves (for example tcp 443 and the ephemeral return ' +
      'ports 1024-65535), and let the implicit deny drop the rest.',
    remediationTerraform: [
      'resource "aws_network_acl_rule" "https_in" {',
      '  network_acl_id = aws_network_acl.public.id',
      '  rule_number    = 100',
      '  protocol       = "tcp" # not "-1"',
      '  rule_action    = "allow"',
      '  cidr_block     = "0.0.0.0/0"',
      '  from_port      = 443',
      '  to_port        = 443',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'HttpsIn:',
      '  Type: AWS::EC2::NetworkAclEntry',
      '  Properties:',
      '    NetworkAclId: !Ref PublicAcl',
      '    RuleNumber: 100',
      '    Protocol: 6 # not -1',
      '    RuleAction: allow',
      '    CidrBlock: 0.0.0.0/0',
      '    PortRange: { From: 443, To: 443 }',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'nacl', 'internet'],
    references: ['https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html', 'https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html'],
    overlaps: { family: 'nacl-entry', rank: 0 },
    equivalents: { trivy: ['AVD-AWS-0105'] },
  },
  run(model) {
    const reports: Report[] = [];
    for (const nacl of networkOf(model).nacls) {
      if (!nacl.declared) continue;
      for (const { verdict, assumptions } of worldAllowEntries(nacl.ingress)) {
        const e = verdict.entry;
        const p = e.protocol;
        if (p.kind !== 'all' && p.kind !== 'unknown') continue;
        if (p.kind === 'unknown') assumptions.push(`the protocol is unknown: ${p.unknown}`);
        reports.push({
          message: `Network ACL ${nacl.id} ${entryName(e)} allows all traffic (protocol -1) from the whole internet (${String(e.cidr)})`,
          location: entryLine(e, 'protocol', 'Protocol'),
          via: e.via,
          resource: e.resource,
          subject: entrySubject(e),
          key: `ingress|${String(e.ruleNumber)}|all|${String(e.cidr)}`,
          ...certainty([...assumptions, ...conditionAssumptions(nacl)]),
        });
      }
    }
    return reports;
  },
};

