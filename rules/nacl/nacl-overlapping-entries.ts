import type { Check } from '../../src/model/check.js';
import { decidersText, overlapReports } from '../kit/nacl-overlap.js';

export const check: Check = {
  meta: {
    id: 'SGS049',
    name: 'nacl-overlapping-entries',
    severity: 'info',
    preset: 'strict',
    shortDescription: 'Network ACL allow entry that lower-numbered deny entries partly override',
    fullDescription:
      'Network ACL entries are tried in rule-number order and the first match decides. An allow entry that ' +
      'overlaps a lower-numbered deny entry (same direction, overlapping protocol, ports and CIDR) does not allow ' +
      'the overlapping part: the deny decides it first. Often that is the intent (deny one range, then allow the ' +
      'rest), but the allow entry then says more than it does, and the finding names the part it never allows ' +
      'and the entries that deny it. Overlaps of entries with the same action change nothing and are not ' +
      'reported; a deny overridden by earlier allows is SGS048\'s, an entry wholly covered by earlier ones ' +
      'SGS027\'s (cfn_nag W72 reports any two entries with overlapping ports, whatever their actions and CIDRs). ' +
      'Entries with unknown values are not judged; earlier ones make a finding "possible". Strict preset only; ' +
      'severity info.',
    remediation:
      'Leave the order if the exception is intended (and say so in a comment), or narrow the allow entry so that it no longer overlaps the deny.',
    remediationTerraform: [
      '# rule 50 denies 198.51.100.0/24 on purpose; rule 100 allows HTTPS from everyone else',
      'resource "aws_network_acl_rule" "https_in" {',
      '  network_acl_id = aws_network_acl.public.id',
      '  rule_number    = 100',
      '  egress         = false',
      '  protocol       = "tcp"',
      '  rule_action    = "allow"',
      '  cidr_block     = "0.0.0.0/0"',
      '  from_port      = 443',
      '  to_port        = 443',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      '# rule 50 denies 198.51.100.0/24 on purpose; rule 100 allows HTTPS from everyone else',
      'HttpsIn:',
      '  Type: AWS::EC2::NetworkAclEntry',
      '  Properties:',
      '    NetworkAclId: !Ref PublicAcl',
      '    RuleNumber: 100',
      '    Protocol: 6',
      '    RuleAction: allow',
      '    CidrBlock: 0.0.0.0/0',
      '    PortRange: { From: 443, To: 443 }',
    ].join('\n'),
    tags: ['security', 'misleading', 'nacl'],
    references: ['https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html', 'https://docs.aws.amazon.com/vpc/latest/userguide/nacl-basics.html'],
    equivalents: { kics: ['77b6f1e2-bde4-4a6a-ae7e-a40659ff1576'], cfnNag: ['W72'] },
  },
  run(model) {
    return overlapReports(
      model,
      'allow',
      (o) => `Network ACL ${o.nacl.id} ${o.direction} ${o.entry} (allow) does not allow ${o.part}: ${decidersText(o.by)} to deny it first`,
    );
  },
};
