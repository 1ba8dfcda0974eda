import type { Check } from '../../src/model/check.js';
import { decidersText, overlapReports } from '../kit/nacl-overlap.js';

export const check: Check = {
  meta: {
    id: 'SGS048',
    name: 'nacl-deny-partly-ineffective',
    severity: 'low',
    preset: 'strict',
    shortDescription: 'Network ACL deny entry that lower-numbered allow entries partly override',
    fullDescription:
      'Network ACL entries are tried in rule-number order and the first match decides. A deny entry part of ' +
      'whose traffic (protocol × ports × CIDR) a lower-numbered allow entry already matches does not deny that ' +
      'part: the packets are allowed before the deny is reached. The finding names the allowed part exactly and ' +
      'the entries that let it through. A deny wholly covered by earlier entries is SGS027\'s. This is what ' +
      '"ineffective deny" means under AWS\'s ordered evaluation. cfn_nag\'s W69 and KICS\'s "EC2 Network ACL Ineffective ' +
      'Denied Traffic" instead report every deny whose CIDR is not 0.0.0.0/0, which is no fault (a deny of one bad ' +
      'range denies exactly that range) and is not reported here. ' +
      'Entries with unknown values are not judged; earlier ones make a finding "possible". Strict preset only; ' +
      'severity low, as SGS027.',
    remediation: 'Give the deny entry a lower rule number than the allow entries that overlap it, so that it decides first.',
    remediationTerraform: [
      'resource "aws_network_acl_rule" "deny_ssh" {',
      '  network_acl_id = aws_network_acl.public.id',
      '  rule_number    = 50 # before the allow at 100 that covers it',
      '  egress         = false',
      '  protocol       = "tcp"',
      '  rule_action    = "deny"',
      '  cidr_block     = "0.0.0.0/0"',
      '  from_port      = 22',
      '  to_port        = 22',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'DenySsh:',
      '  Type: AWS::EC2::NetworkAclEntry',
      '  Properties:',
      '    NetworkAclId: !Ref PublicAcl',
      '    RuleNumber: 50 # before the allow at 100 that covers it',
      '    Protocol: 6',
      '    RuleAction: deny',
      '    CidrBlock: 0.0.0.0/0',
      '    PortRange: { From: 22, To: 22 }',
    ].join('\n'),
    tags: ['security', 'misleading', 'nacl'],
    references: ['https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html', 'https://docs.aws.amazon.com/vpc/latest/userguide/nacl-basics.html'],
  },
  run(model) {
    return overlapReports(
      model,
      'deny',
      (o) => `Network ACL ${o.nacl.id} ${o.direction} ${o.entry} (deny) does not deny ${o.part}: ${decidersText(o.by)} to allow it first`,
    );
  },
};
