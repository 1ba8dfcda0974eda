import {
  allTrafficTogether,
  groupsByAddress,
  portListOption,
  ruleAdmitsAllTraffic,
  worldCovers,
  worldOpenPorts,
  worldOpenPortsReport,
  worldOpenPortsTogether,
  worldTogetherReport,
} from '../kit/security-group.js';
import { HIGH_RISK_TCP_PORTS, HIGH_RISK_UDP_PORTS, describeServices } from '../../src/model/services.js';
import type { Check, Report } from '../../src/model/check.js';

const DEFAULT_TCP_PORTS = HIGH_RISK_TCP_PORTS;
const DEFAULT_UDP_PORTS = HIGH_RISK_UDP_PORTS;

export const check: Check = {
  meta: {
    id: 'SGS004',
    name: 'high-risk-port-open-to-world',
    severity: 'high',
    shortDescription: 'High-risk service port (database, cache, file sharing, ...) open to the whole internet',
    fullDescription:
      'An ingress rule allows the whole internet (0.0.0.0/0 or ::/0, by value) to reach a port of a ' +
      'service that should never face the internet directly: databases (MySQL, PostgreSQL, SQL Server, ' +
      'Oracle, MongoDB, Cassandra, CouchDB), caches (Redis, Memcached), search and analytics ' +
      '(Elasticsearch, Kibana), brokers (Kafka), cluster control planes (Docker API, etcd), file sharing ' +
      '(SMB, NetBIOS, FTP), remote desktops (VNC) and cleartext mail and login protocols (Telnet, SMTP, ' +
      'POP3, IMAP). A rule matches when its protocol is tcp (or udp for the udp list) or -1 and its range ' +
      'contains the port. CIDR sources of one group that together cover all of IPv4 or IPv6 count as the ' +
      'world (each rule of the cover is reported). Rules that admit all traffic are reported by SGS002 instead, and SSH/RDP by ' +
      'SGS001. Unknown source, protocol or ports that could match give a "possible" finding. Options: ' +
      '`ports` (tcp) and `udpPorts`.',
    remediation:
      'Remove the world-open rule and allow the service only from the security groups of its clients or ' +
      'from known address ranges; reach it from outside through a VPN, a bastion or a private endpoint.',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "db_from_app" {',
      '  security_group_id            = aws_security_group.db.id',
      '  description                  = "PostgreSQL from the app servers"',
      '  ip_protocol                  = "tcp"',
      '  from_port                    = 5432',
      '  to_port                      = 5432',
      '  referenced_security_group_id = aws_security_group.app.id # not cidr_ipv4 = "0.0.0.0/0"',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'DbFromAppIngress:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !GetAtt DbSecurityGroup.GroupId',
      '    Description: PostgreSQL from the app servers',
      '    IpProtocol: tcp',
      '    FromPort: 5432',
      '    ToPort: 5432',
      '    SourceSecurityGroupId: !GetAtt AppSecurityGroup.GroupId # not CidrIp: 0.0.0.0/0',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'internet'],
    references: [
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19',
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
    ],
    overlaps: { family: 'world-open-rule', rank: 2, namesService: true },
    equivalents: { cfnNag: ['W2'] },
  },
  run(model, context) {
    const tcpPorts = portListOption(context.options.ports, DEFAULT_TCP_PORTS);
    const udpPorts = portListOption(context.options.udpPorts, DEFAULT_UDP_PORTS);
    const groups = groupsByAddress(model);
    const covers = worldCovers(model);
    const reports: Report[] = [];
    for (const rule of model.rules) {
      const all = ruleAdmitsAllTraffic(rule);
      const open = worldOpenPorts(rule, groups.of(rule), tcpPorts, udpPorts);
      if (open) {
        if (!(all && all.assumptions.length === 0)) reports.push(worldOpenPortsReport(rule, open)); // else SGS002's
        continue;
      }
      const entry = covers.get(rule);
      if (allTrafficTogether(entry)) continue; // SGS002's
      const together = worldOpenPortsTogether(entry, tcpPorts, udpPorts);
      if (together) reports.push(worldTogetherReport(rule, describeServices(together.services), together.partners));
    }
    return reports;
  },
};
