import type { Check, Report } from '../../src/model/check.js';
import { analyzeEntries, entryName, nonEmpty } from '../../src/network/nacl-analysis.js';
import { certainty, conditionAssumptions, networkOf } from '../kit/network.js';
import { intersect } from '../../src/sets/index.js';

export const check: Check = {
  meta: {
    id: 'SGS027',
    name: 'nacl-unreachable-entry',
    severity: 'low',
    shortDescription: 'Network ACL entry that no packet can reach (shadowed by lower-numbered entries)',
    fullDescription:
      'Network ACL entries are tried in rule-number order and the first match decides. An entry whose match ' +
      'set (protocol × ports × CIDR) lies entirely inside the union of the lower-numbered entries\' match sets ' +
      'never decides anything: computed exactly as match − ∪ earlier matches = ∅. Usually the entries are in the ' +
      'wrong order (a deny after a broader allow) and the ACL does not do what it says. Entries with values that ' +
      'cannot be resolved statically are not judged; unknown earlier entries could only shadow more, so a ' +
      'reported entry is shadowed whatever they turn out to be. Severity low: a misleading rule, like SGS008.',
    remediation: 'Give the entry a lower rule number than the broader entries that cover it, or delete it.',
    remediationTerraform: [
      'resource "aws_network_acl_rule" "deny_bad_range" {',
      '  network_acl_id = aws_network_acl.public.id',
      '  rule_number    = 50 # before the broad allow at 100',
      '  protocol       = "-1"',
      '  rule_action    = "deny"',
      '  cidr_block     = "198.51.100.0/24"',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'DenyBadRange:',
      '  Type: AWS::EC2::NetworkAclEntry',
      '  Properties:',
      '    NetworkAclId: !Ref PublicAcl',
      '    RuleNumber: 50 # before the broad allow at 100',
      '    Protocol: -1',
      '    RuleAction: deny',
      '    CidrBlock: 198.51.100.0/24',
    ].join('\n'),
    tags: ['security', 'misleading', 'nacl'],
    references: ['https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html'],
  },
  run(model) {
    const reports: Report[] = [];
    for (const nacl of networkOf(model).nacls) {
      if (!nacl.declared) continue;
      for (const [direction, entries] of [['ingress', nacl.ingress], ['egress', nacl.egress]] as const) {
        const verdicts = analyzeEntries(entries);
        for (const [i, v] of verdicts.entries()) {
          if (v.match === null || nonEmpty(v.effective) || !v.entry.declared) continue;
          {
            const by = verdicts
              .slice(0, i)
              .filter((w) => w.match !== null && nonEmpty(intersect(w.match, v.match!)))
              .map((w) => entryName(w.entry));
            reports.push({
              message: `Network ACL ${nacl.id} ${direction} ${entryName(v.entry)} (${v.entry.action === 'deny' ? 'deny' : 'allow'}) never matches a packet: ${by.join(', ')} decide${by.length === 1 ? 's' : ''} all of its traffic first`,
              location: v.entry.location,
              via: v.entry.via,
              resource: v.entry.resource,
              key: `${direction}|${String(v.entry.ruleNumber)}|shadowed`,
              ...certainty(conditionAssumptions(nacl)),
            });
          }
        }
      }
    }
    return reports;
  },
};
