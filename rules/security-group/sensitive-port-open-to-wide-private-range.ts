import {
  DEFINITE,
  describeSize,
  groupsByAddress,
  intOption,
  openPorts,
  openPortsReport,
  portListOption,
} from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';
import ipaddr from 'ipaddr.js';
import { type Peer, isPublicCidr, originNote } from '../../src/model/peer.js';
import { SENSITIVE_TCP_PORTS, SENSITIVE_UDP_PORTS } from './sensitive-port-open-to-public-range.js';

const DEFAULT_MIN_PREFIX = 16;
const DEFAULT_MIN_PREFIX_IPV6 = 48;

export const check: Check = {
  meta: {
    id: 'SGS011',
    name: 'sensitive-port-open-to-wide-private-range',
    severity: 'low',
    overlaps: { family: 'range-open-rule', rank: 2 },
    shortDescription: 'Administration or high-risk service port open to a wide private address range',
    fullDescription:
      'An ingress rule allows a wide private range (for example all of 10.0.0.0/8, or 172.16.0.0/12) to ' +
      'reach a sensitive port: the remote administration ports of SGS001 (SSH, RDP) or the high-risk ' +
      'service ports of SGS004. Every host of every network in that range (other VPCs, peered and ' +
      'on-premises networks, a compromised build agent) can then reach the service, which is how an ' +
      'intrusion moves laterally. A range is wide when its prefix is shorter than `minPrefix` (IPv4, ' +
      'default 16: a /15 or wider is reported, a /16 is not) or `minPrefixIpv6` (default 48). Only ' +
      'entirely private ranges are considered (RFC 1918, shared 100.64.0.0/10, IPv6 unique-local); public ones are ' +
      'SGS010\'s, and reserved space (0.0.0.0/8, loopback) is no network of hosts at all: SGS043 reports it. Options: `ports`, `udpPorts` ' +
      '(default: the SGS001 and SGS004 lists), `minPrefix`, `minPrefixIpv6`.',
    remediation:
      'Allow the port only from the security groups of the clients that need it, or from the narrowest ' +
      'subnets they live in.',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "ssh" {',
      '  security_group_id            = aws_security_group.app.id',
      '  description                  = "SSH from the bastion"',
      '  ip_protocol                  = "tcp"',
      '  from_port                    = 22',
      '  to_port                      = 22',
      '  referenced_security_group_id = aws_security_group.bastion.id # not cidr_ipv4 = "10.0.0.0/8"',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'AppSshIngress:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !GetAtt AppSecurityGroup.GroupId',
      '    Description: SSH from the bastion',
      '    IpProtocol: tcp',
      '    FromPort: 22',
      '    ToPort: 22',
      '    SourceSecurityGroupId: !GetAtt BastionSecurityGroup.GroupId # not CidrIp: 10.0.0.0/8',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'lateral-movement'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
      'https://docs.aws.amazon.com/whitepapers/latest/aws-best-practices-ddos-resiliency/security-groups-and-network-acls-bp5.html',
      'https://datatracker.ietf.org/doc/html/rfc1918',
    ],
    equivalents: { kics: ['92fe237e-074c-4262-81a4-2077acb928c1'] },
  },
  run(model, context) {
    const tcpPorts = portListOption(context.options.ports, SENSITIVE_TCP_PORTS);
    const udpPorts = portListOption(context.options.udpPorts, SENSITIVE_UDP_PORTS);
    const min = { ipv4: intOption(context.options.minPrefix, DEFAULT_MIN_PREFIX, 0, 32), ipv6: intOption(context.options.minPrefixIpv6, DEFAULT_MIN_PREFIX_IPV6, 0, 128) };
    const groups = groupsByAddress(model);
    const reports: Report[] = [];
    for (const rule of model.rules) {
      const peer = rule.peer;
      if (rule.direction !== 'ingress' || peer.kind !== 'cidr' || isPublicCidr(peer) || !isPrivateNetwork(peer)) continue;
      if (peer.prefix >= min[peer.family]) continue;
      const open = openPorts(rule, groups.of(rule), tcpPorts, udpPorts, DEFINITE);
      if (open) {
        reports.push(
          openPortsReport(rule, open, `the wide private range ${peer.cidr} (${describeSize(peer)}, wider than /${min[peer.family]}${originNote(peer)})`),
        );
      }
    }
    return reports;
  },
};

/** Private networks of hosts: RFC 1918, shared address space (RFC 6598), IPv6 unique-local. */
function isPrivateNetwork(peer: Extract<Peer, { kind: 'cidr' }>): boolean {
  const range = ipaddr.parse(peer.cidr.split('/')[0]).range();
  return range === 'private' || range === 'carrierGradeNat' || range === 'uniqueLocal';
}
