import {
  conditionOf,
  describeRuleTraffic,
  describeSize,
  groupsByAddress,
  intOption,
  ruleKey,
  ruleSubject,
} from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';
import { isWorld, originNote } from '../../src/model/peer.js';

/** Wider than a /8 (16.7 million addresses) is more than any one organisation's network. */
const DEFAULT_MIN_PREFIX = 8;
/** Wider than a /32, the size of a whole ISP allocation. */
const DEFAULT_MIN_PREFIX_IPV6 = 32;

export const check: Check = {
  meta: {
    id: 'SGS012',
    name: 'overly-broad-source',
    severity: 'low',
    shortDescription: 'Ingress source CIDR so wide it is close to the whole internet',
    fullDescription:
      'An ingress rule admits a CIDR whose prefix is shorter than `minPrefix` (IPv4, default 8: a /7 or ' +
      'wider is reported, 10.0.0.0/8 is not) or `minPrefixIpv6` (default 32), on any protocol and port. ' +
      'Such a range spans many unrelated networks; it is usually a typo (/1 for /31) or a way around a ' +
      '0.0.0.0/0 check, and rarely means what it says. The whole internet itself (0.0.0.0/0, ::/0) is left ' +
      'to SGS001, SGS002, SGS004 and SGS005. Options: `minPrefix`, `minPrefixIpv6`.',
    remediation: 'Narrow the source to the networks that need access, or use a security group as the source.',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "app" {',
      '  security_group_id = aws_security_group.app.id',
      '  description       = "App port from the corporate network"',
      '  ip_protocol       = "tcp"',
      '  from_port         = 8080',
      '  to_port           = 8080',
      '  cidr_ipv4         = "198.51.100.0/24" # not "128.0.0.0/1"',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'AppIngress:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref AppSecurityGroup',
      '    Description: App port from the corporate network',
      '    IpProtocol: tcp',
      '    FromPort: 8080',
      '    ToPort: 8080',
      '    CidrIp: 198.51.100.0/24 # not 128.0.0.0/1',
    ].join('\n'),
    tags: ['security', 'network-exposure'],
    references: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
  },
  run(model, context) {
    const min = {
      ipv4: intOption(context.options.minPrefix, DEFAULT_MIN_PREFIX, 0, 32),
      ipv6: intOption(context.options.minPrefixIpv6, DEFAULT_MIN_PREFIX_IPV6, 0, 128),
    };
    const groups = groupsByAddress(model);
    const reports: Report[] = [];
    for (const rule of model.rules) {
      const peer = rule.peer;
      if (rule.direction !== 'ingress' || peer.kind !== 'cidr' || isWorld(peer) || peer.prefix >= min[peer.family]) continue;
      const cond = conditionOf(rule, groups.of(rule));
      reports.push({
        message:
          `${ruleSubject(rule)} allows ${describeRuleTraffic(rule)} from ${peer.cidr} (${describeSize(peer)}${originNote(peer)}), ` +
          `a range wider than /${min[peer.family]}.`,
        location: rule.location,
        via: rule.via,
        resource: rule.resource,
        key: ruleKey(rule),
        certainty: cond.assumptions.length ? 'possible' : 'definite',
        assumptions: cond.assumptions,
      });
    }
    return reports;
  },
};
