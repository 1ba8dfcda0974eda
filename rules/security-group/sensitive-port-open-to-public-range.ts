import {
  allTrafficTogether,
  cidrListOption,
  cidrWithin,
  describeSize,
  groupsByAddress,
  openPorts,
  openPortsReport,
  portListOption,
  worldCovers,
  worldOpenPortsTogether,
  DEFINITE,
} from '../kit/security-group.js';
import { ADMIN_TCP_PORTS, ADMIN_UDP_PORTS, HIGH_RISK_TCP_PORTS, HIGH_RISK_UDP_PORTS } from '../../src/model/services.js';
import type { Check, Report } from '../../src/model/check.js';
import { isPublicCidr, isWorld, originNote } from '../../src/model/peer.js';
import { documentationRange } from './reserved-address-peer.js';

/** The admin ports of SGS001 and the high-risk ports of SGS004. */
export const SENSITIVE_TCP_PORTS = [...new Set([...ADMIN_TCP_PORTS, ...HIGH_RISK_TCP_PORTS])].sort((a, b) => a - b);
export const SENSITIVE_UDP_PORTS = [...new Set([...ADMIN_UDP_PORTS, ...HIGH_RISK_UDP_PORTS])].sort((a, b) => a - b);

export const check: Check = {
  meta: {
    id: 'SGS010',
    name: 'sensitive-port-open-to-public-range',
    severity: 'medium',
    overlaps: { family: 'range-open-rule', rank: 1 },
    shortDescription: 'Administration or high-risk service port open to a public address range',
    fullDescription:
      'An ingress rule allows a public address range that is not the whole internet to reach a sensitive ' +
      'port: the remote administration ports of SGS001 (SSH, RDP) or the high-risk service ports of SGS004 ' +
      '(databases, caches, file sharing, ...). A range is public when it contains any address outside the ' +
      'private and reserved blocks (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 carrier-grade ' +
      'NAT, 127.0.0.0/8, 169.254.0.0/16, fc00::/7, fe80::/10, ...), so 172.32.0.0/16 and a single public ' +
      '/32 both count. Addresses you do not own change hands, office and VPN ranges get reassigned, and ' +
      'every address in the range can try the service; prefer security-group sources or private ' +
      'connectivity. Rules that open the port to the whole internet, alone or together with other rules, ' +
      'are left to SGS001/SGS004. Options: `ports` and `udpPorts` (default: the SGS001 and SGS004 lists), ' +
      '`allowedCidrs` (public ranges you accept, e.g. your VPN egress; default none).',
    remediation:
      'Reach administration and data services through private connectivity (VPN, Direct Connect, Session ' +
      'Manager, a bastion security group), or, if a public range is intended, narrow it to the exact ' +
      'addresses and list them in this check\'s `allowedCidrs` option.',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "db" {',
      '  security_group_id            = aws_security_group.db.id',
      '  description                  = "PostgreSQL from the app servers"',
      '  ip_protocol                  = "tcp"',
      '  from_port                    = 5432',
      '  to_port                      = 5432',
      '  referenced_security_group_id = aws_security_group.app.id # not cidr_ipv4 = "52.0.0.0/16"',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'DbIngress:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !GetAtt DbSecurityGroup.GroupId',
      '    Description: PostgreSQL from the app servers',
      '    IpProtocol: tcp',
      '    FromPort: 5432',
      '    ToPort: 5432',
      '    SourceSecurityGroupId: !GetAtt AppSecurityGroup.GroupId # not CidrIp: 52.0.0.0/16',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'public-range'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19',
      'https://www.iana.org/assignments/iana-ipv4-special-registry/iana-ipv4-special-registry.xhtml',
      'https://datatracker.ietf.org/doc/html/rfc1918',
    ],
    equivalents: { kics: ['e35c16a2-d54e-419d-8546-a804d8e024d0'] },
  },
  run(model, context) {
    const tcpPorts = portListOption(context.options.ports, SENSITIVE_TCP_PORTS);
    const udpPorts = portListOption(context.options.udpPorts, SENSITIVE_UDP_PORTS);
    const allowed = cidrListOption(context.options.allowedCidrs);
    const groups = groupsByAddress(model);
    const covers = worldCovers(model);
    const reports: Report[] = [];
    for (const rule of model.rules) {
      const peer = rule.peer;
      if (rule.direction !== 'ingress' || peer.kind !== 'cidr' || isWorld(peer) || !isPublicCidr(peer)) continue;
      if (cidrWithin(peer, allowed)) continue;
      const entry = covers.get(rule);
      if (worldOpenPortsTogether(entry, tcpPorts, udpPorts) || allTrafficTogether(entry)) continue; // the world checks'
      const open = openPorts(rule, groups.of(rule), tcpPorts, udpPorts, DEFINITE);
      // A documentation range stands for a public one (examples use it), but it is no real network.
      const doc = documentationRange(peer);
      const what = doc ? `the documentation range ${peer.cidr} (${peer.cidr === doc ? '' : `inside ${doc}, `}a placeholder for public addresses; ${describeSize(peer)}${originNote(peer)})` : `the public address range ${peer.cidr} (${describeSize(peer)}${originNote(peer)})`;
      if (open) reports.push(openPortsReport(rule, open, what));
    }
    return reports;
  },
};
