import type { Check, Report } from '../../src/model/check.js';
import { certainty, conditionAssumptions, entryLine, networkOf } from '../kit/network.js';

export const check: Check = {
  meta: {
    id: 'SGS026',
    name: 'nacl-duplicate-rule-number',
    severity: 'medium',
    shortDescription: 'Two entries of a network ACL share a rule number in the same direction',
    fullDescription:
      'Network ACL entries are evaluated in rule-number order and each number may appear once per direction. ' +
      'AWS rejects the second entry, so the deployment fails or, with Terraform\'s separate ' +
      'aws_network_acl_rule resources, one entry replaces the other on every apply and the ACL flips between ' +
      'them. Which entry wins then decides what the subnet admits. Every entry after the first with the same ' +
      'number is reported, at its rule number. Severity medium, like other rules AWS would reject.',
    remediation: 'Give every entry its own rule number, leaving gaps (100, 110, 120, ...) for later insertions.',
    remediationTerraform: [
      'resource "aws_network_acl_rule" "https_in" {',
      '  network_acl_id = aws_network_acl.public.id',
      '  rule_number    = 110 # unique among the ingress entries',
      '  protocol       = "tcp"',
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
      '    RuleNumber: 110 # unique among the ingress entries',
      '    Protocol: 6',
      '    RuleAction: allow',
      '    CidrBlock: 0.0.0.0/0',
      '    PortRange: { From: 443, To: 443 }',
    ].join('\n'),
    tags: ['security', 'configuration', 'nacl'],
    references: ['https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html', 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkAclEntry.html'],
    equivalents: { kics: ['045ddb54-cfc5-4abb-9e05-e427b2bc96fe'], cfnNag: ['F79'] },
  },
  run(model) {
    const reports: Report[] = [];
    for (const nacl of networkOf(model).nacls) {
      if (!nacl.declared) continue;
      for (const [direction, entries] of [['ingress', nacl.ingress], ['egress', nacl.egress]] as const) {
        const first = new Map<number, (typeof entries)[number]>();
        for (const e of entries) {
          if (typeof e.ruleNumber !== 'number') continue;
          const earlier = first.get(e.ruleNumber);
          if (!earlier) {
            first.set(e.ruleNumber, e);
            continue;
          }
          reports.push({
            message: `Network ACL ${nacl.id} has two ${direction} entries numbered ${e.ruleNumber} (${e.resource} and ${earlier.resource}); AWS accepts only one`,
            location: entryLine(e, 'rule_number', 'RuleNumber', 'rule_no'),
            via: e.via,
            resource: e.resource,
            key: `${direction}|${e.ruleNumber}|${e.resource}`,
            ...certainty(conditionAssumptions(nacl)),
          });
        }
      }
    }
    return reports;
  },
};
