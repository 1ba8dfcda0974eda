import { ruleKey } from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';
import type { Rule } from '../../src/model/model.js';

/** What AWS would reject in the rule, one phrase per problem. */
function problems(rule: Rule): string[] {
  const out: string[] = [];
  if (rule.protocol.kind === 'invalid') out.push(`protocol "${rule.protocol.raw}" is not -1, a known name or a number 0-255`);
  // An invalid protocol also makes the ports invalid; say it once.
  if (rule.ports.kind === 'invalid' && rule.protocol.kind !== 'invalid') {
    out.push(`ports ${rule.ports.from ?? '?'}-${rule.ports.to ?? '?'}: ${rule.ports.reason}`);
  }
  if (rule.peer.kind === 'invalid') out.push(`${rule.direction === 'ingress' ? 'source' : 'destination'} "${rule.peer.raw}": ${rule.peer.reason}`);
  return out;
}

export const check: Check = {
  meta: {
    id: 'SGS007',
    name: 'invalid-rule',
    severity: 'medium',
    shortDescription: 'Rule that AWS would reject (bad protocol, ports or CIDR)',
    fullDescription:
      'A rule has a protocol that is not -1, tcp, udp, icmp, icmpv6 or a number 0-255; tcp/udp ports ' +
      'outside 0-65535, missing, or with from greater than to; an ICMP type or code outside -1..255; or a ' +
      'CIDR that does not parse or lacks its /prefix. AWS rejects such a rule, so the deployment fails ' +
      'part-way, and until then the code does not say what is really allowed. Reported once per rule, ' +
      'listing every problem.',
    remediation: 'Correct the protocol, ports or CIDR so that they say what was meant.',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "https" {',
      '  security_group_id = aws_security_group.web.id',
      '  description       = "HTTPS from the office"',
      '  ip_protocol       = "tcp"          # not "tcpp"',
      '  from_port         = 443',
      '  to_port           = 443            # not 334',
      '  cidr_ipv4         = "203.0.113.0/24" # not "203.0.113.0"',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'WebHttpsIngress:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref WebSecurityGroup',
      '    Description: HTTPS from the office',
      '    IpProtocol: tcp',
      '    FromPort: 443',
      '    ToPort: 443',
      '    CidrIp: 203.0.113.0/24',
    ].join('\n'),
    tags: ['security', 'correctness'],
    references: [
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html',
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
    ],
  },
  run(model) {
    const reports: Report[] = [];
    for (const rule of model.rules) {
      const list = problems(rule);
      if (!list.length) continue;
      reports.push({
        message: `An ${rule.direction} rule of security group ${rule.group} is invalid: ${list.join('; ')}.`,
        location: rule.location,
        via: rule.via,
        resource: rule.resource,
        key: ruleKey(rule),
      });
    }
    return reports;
  },
};
