import {
  groupsByAddress,
  portListOption,
  worldCovers,
  worldOpenPorts,
  worldOpenPortsReport,
  worldOpenPortsTogether,
  worldTogetherReport,
} from '../kit/security-group.js';
import { ADMIN_TCP_PORTS, ADMIN_UDP_PORTS, describeServices } from '../../src/model/services.js';
import type { Check, Report } from '../../src/model/check.js';

const DEFAULT_TCP_PORTS = ADMIN_TCP_PORTS;
const DEFAULT_UDP_PORTS = ADMIN_UDP_PORTS;

export const check: Check = {
  meta: {
    id: 'SGS001',
    name: 'admin-port-open-to-world',
    severity: 'critical',
    shortDescription: 'Remote administration port (SSH, RDP) open to the whole internet',
    fullDescription:
      'An ingress rule allows the whole internet (0.0.0.0/0 or ::/0, compared by value) to reach a remote ' +
      'administration port: SSH (tcp/22) or RDP (tcp/3389, udp/3389) by default. A rule matches when its ' +
      'protocol is tcp (udp for RDP) or -1 (all protocols) and its port range contains the port, so ' +
      '"tcp 20-30" and "all traffic" count as exposing SSH while "tcp 0-0" does not. Rules whose source is ' +
      'a security group or a prefix list never match: their members are not the internet. Sources are ' +
      'also added up: rules of one group whose CIDRs together cover all of IPv4 or IPv6 (0.0.0.0/1 and ' +
      '128.0.0.0/1) and admit the port are each reported, naming the other rules of the cover. When the source, ' +
      'protocol or ports cannot be resolved statically and could match, the finding is reported as ' +
      '"possible" and names the unknown values. Severity is critical: administrative services are the most ' +
      'scanned and brute-forced entry points on the internet and give a shell or desktop on success; ' +
      'Trivy rates AVD-AWS-0107 critical and CIS AWS Foundations makes it a scored control. Options: ' +
      '`ports` (tcp ports, default [22, 3389]) and `udpPorts` (default [3389]).',
    remediation:
      'Remove the world-open rule. Allow administration only from known address ranges (a VPN or office ' +
      'CIDR), from a bastion security group, or replace inbound SSH/RDP entirely with AWS Systems Manager ' +
      'Session Manager or EC2 Instance Connect Endpoint.',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "ssh" {',
      '  security_group_id = aws_security_group.bastion.id',
      '  description       = "SSH from the office VPN"',
      '  ip_protocol       = "tcp"',
      '  from_port         = 22',
      '  to_port           = 22',
      '  cidr_ipv4         = "203.0.113.0/24" # not 0.0.0.0/0',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'BastionSshIngress:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref BastionSecurityGroup',
      '    Description: SSH from the office VPN',
      '    IpProtocol: tcp',
      '    FromPort: 22',
      '    ToPort: 22',
      '    CidrIp: 203.0.113.0/24 # not 0.0.0.0/0',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'internet', 'ssh', 'rdp', 'cis'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-14',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-53',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-54',
      'CIS AWS Foundations Benchmark v1.5.0, 5.2: no security groups allow ingress from 0.0.0.0/0 to remote server administration ports',
      'CIS AWS Foundations Benchmark v1.5.0, 5.3: no security groups allow ingress from ::/0 to remote server administration ports',
      'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html',
    ],
    overlaps: { family: 'world-open-rule', rank: 1, namesService: true },
    equivalents: {
      checkov: ['CKV_AWS_24', 'CKV_AWS_25'],
      trivy: ['AVD-AWS-0107'],
      kics: [
        '65905cec-d691-4320-b320-2000436cb696',
        '151187cb-0efc-481c-babd-ad24e3c9bc22',
        '6e856af2-62d7-4ba2-adc1-73b62cef9cc1',
        '3ae83918-7ec7-4cb8-80db-b91ef0f94002',
      ],
      cfnNag: ['W2'],
    },
  },
  run(model, context) {
    const tcpPorts = portListOption(context.options.ports, DEFAULT_TCP_PORTS);
    const udpPorts = portListOption(context.options.udpPorts, DEFAULT_UDP_PORTS);
    const groups = groupsByAddress(model);
    const covers = worldCovers(model);
    const reports: Report[] = [];
    for (const rule of model.rules) {
      const open = worldOpenPorts(rule, groups.of(rule), tcpPorts, udpPorts);
      if (open) {
        reports.push(worldOpenPortsReport(rule, open));
        continue;
      }
      const together = worldOpenPortsTogether(covers.get(rule), tcpPorts, udpPorts);
      if (together) reports.push(worldTogetherReport(rule, describeServices(together.services), together.partners));
    }
    return reports;
  },
};
