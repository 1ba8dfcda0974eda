import { conditionOf, describeRuleTraffic, describeSize, groupsByAddress, ruleKey, ruleSubject } from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';
import { describePeer, isWorld, originNote, parseCidr } from '../../src/model/peer.js';
import { nameOfUnknown } from '../../src/model/value.js';

const HOST_PREFIX = { ipv4: 32, ipv6: 128 } as const;

/** Every value a deploy-time choice can take is one address (or the whole internet, reported elsewhere). */
function onlyHostsOrWorld(values: readonly string[] | undefined): boolean {
  if (!values || values.length === 0) return false;
  return values.every((v) => {
    const p = parseCidr(v);
    return p.kind === 'cidr' && (isWorld(p) || p.prefix === HOST_PREFIX[p.family]);
  });
}

export const check: Check = {
  meta: {
    id: 'SGS046',
    name: 'ingress-source-not-single-host',
    severity: 'info',
    preset: 'strict',
    shortDescription: 'Ingress source CIDR is a network, not a single address (/32, /128)',
    fullDescription:
      'An ingress rule admits a CIDR wider than one address: an IPv4 prefix shorter than /32 or an IPv6 prefix ' +
      'shorter than /128 (cfn_nag W9). Every address of the network gets in, including hosts added to it later. ' +
      'Compliance reviews ask for named hosts, or better a security group or prefix list as the source, which ' +
      'this check never reports. The whole internet (0.0.0.0/0, ::/0) is left to the world-open checks (SGS001, ' +
      'SGS002, SGS004, SGS005), so one rule is one finding there; very wide ranges are also SGS012\'s. A source ' +
      'that is not known (a variable, a parameter) is reported as "possible" unless every value it may take is a ' +
      'single address. Strict preset only: a VPC or office CIDR is a legitimate source. Severity info.',
    remediation:
      'Name the hosts that need access (/32 or /128), or use the clients\' security group or a managed prefix list as the source.',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "app_from_lb" {',
      '  security_group_id            = aws_security_group.app.id',
      '  description                  = "App port from the load balancer"',
      '  ip_protocol                  = "tcp"',
      '  from_port                    = 8080',
      '  to_port                      = 8080',
      '  referenced_security_group_id = aws_security_group.lb.id # not cidr_ipv4 = "10.0.0.0/16"',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'AppFromLb:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref AppSecurityGroup',
      '    Description: App port from the load balancer',
      '    IpProtocol: tcp',
      '    FromPort: 8080',
      '    ToPort: 8080',
      '    SourceSecurityGroupId: !Ref LoadBalancerSecurityGroup # not CidrIp: 10.0.0.0/16',
    ].join('\n'),
    tags: ['security', 'least-privilege', 'network-exposure'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
      'https://github.com/stelligent/cfn_nag/blob/master/lib/cfn-nag/custom_rules/SecurityGroupIngressCidrNon32Rule.rb',
    ],
    equivalents: { kics: ['0104165b-02d5-426f-abc9-91fb48189899'], cfnNag: ['W9'] },
  },
  run(model) {
    const groups = groupsByAddress(model);
    const reports: Report[] = [];
    for (const rule of model.rules) {
      if (rule.direction !== 'ingress') continue;
      const peer = rule.peer;
      const assumptions = [...conditionOf(rule, groups.of(rule)).assumptions];
      let source: string;
      let what = 'a network rather than a single host';
      if (peer.kind === 'cidr') {
        if (isWorld(peer) || peer.prefix === HOST_PREFIX[peer.family]) continue;
        source = `${peer.cidr} (${describeSize(peer)}${originNote(peer)})`;
      } else if (peer.kind === 'unknown') {
        if (onlyHostsOrWorld(peer.unknown.domain?.values)) continue;
        assumptions.push(`if ${nameOfUnknown(peer.unknown)} is a network wider than one address`);
        source = describePeer(peer);
        what = `possibly ${what}`;
      } else continue;
      reports.push({
        message: `${ruleSubject(rule)} allows ${describeRuleTraffic(rule)} from ${source}, ${what}.`,
        location: rule.location,
        via: rule.via,
        resource: rule.resource,
        key: ruleKey(rule),
        certainty: assumptions.length ? 'possible' : 'definite',
        assumptions,
      });
    }
    return reports;
  },
};
