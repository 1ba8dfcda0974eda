import { ruleKey } from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';
import type { Rule } from '../../src/model/model.js';
import { hasPorts, isIcmp, protocolName } from '../../src/model/protocol.js';
import type { Value } from '../../src/model/value.js';
import { Unknown } from '../../src/model/value.js';

/** A from/to written as something other than the "no port" spellings (absent, 0, -1). */
function portWritten(v: Value | undefined): boolean {
  if (v === undefined || v === null || v instanceof Unknown) return false;
  const s = String(v).trim();
  return s !== '' && s !== '0' && s !== '-1';
}

function describeWritten(rule: Rule): string {
  const from = rule.fromPort === undefined ? '?' : String(rule.fromPort);
  const to = rule.toPort === undefined ? '?' : String(rule.toPort);
  return from === to ? `port ${from}` : `ports ${from}-${to}`;
}

/** Each way the rule says something other than what AWS will do. */
function problems(rule: Rule): string[] {
  const out: string[] = [];
  const p = rule.protocol;
  const written = portWritten(rule.fromPort) || portWritten(rule.toPort);
  if (written && p.kind === 'all') {
    out.push(`it names ${describeWritten(rule)} but protocol -1 allows every protocol and every port`);
  } else if (written && p.kind === 'number' && !hasPorts(p) && !isIcmp(p)) {
    out.push(`it names ${describeWritten(rule)} but protocol ${protocolName(p)} has no ports, so all of it is allowed`);
  }
  if (rule.peer.kind === 'cidr' && rule.peer.hostBitsSet) {
    out.push(`${rule.peer.raw} has host bits set; AWS uses the whole network ${rule.peer.cidr}`);
  }
  return out;
}

export const check: Check = {
  meta: {
    id: 'SGS008',
    name: 'misleading-rule',
    severity: 'low',
    shortDescription: 'Rule that allows more than it appears to (ports ignored, CIDR host bits)',
    fullDescription:
      'A rule reads narrower than what AWS enforces: ports written with protocol -1 (every protocol and ' +
      'port is allowed whatever the ports say), ports written with a protocol that has none (e.g. 50, ESP: ' +
      'the whole protocol is allowed), or a CIDR with host bits set ("10.0.0.5/16" is the whole ' +
      '10.0.0.0/16, not one host). Reviewers read the narrow version; the network gets the wide one.',
    remediation:
      'Write what is enforced: from/to 0 with protocol -1 (or use a specific protocol and ports), and the ' +
      'network address of a CIDR (or /32 for one host).',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "ssh" {',
      '  security_group_id = aws_security_group.app.id',
      '  description       = "SSH from the admin host"',
      '  ip_protocol       = "tcp" # not "-1" with from_port = 22',
      '  from_port         = 22',
      '  to_port           = 22',
      '  cidr_ipv4         = "10.0.0.5/32" # not "10.0.0.5/16"',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'AppSshIngress:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref AppSecurityGroup',
      '    Description: SSH from the admin host',
      '    IpProtocol: tcp # not -1 with FromPort 22',
      '    FromPort: 22',
      '    ToPort: 22',
      '    CidrIp: 10.0.0.5/32 # not 10.0.0.5/16',
    ].join('\n'),
    tags: ['security', 'correctness'],
    references: [
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group#protocol',
    ],
  },
  run(model) {
    const reports: Report[] = [];
    for (const rule of model.rules) {
      const list = problems(rule);
      if (!list.length) continue;
      reports.push({
        message: `An ${rule.direction} rule of security group ${rule.group} allows more than it appears to: ${list.join('; ')}.`,
        location: rule.location,
        via: rule.via,
        resource: rule.resource,
        key: ruleKey(rule),
      });
    }
    return reports;
  },
};
