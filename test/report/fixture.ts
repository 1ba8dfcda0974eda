import type { Check, CheckMeta, Finding, Severity } from '../../src/model/check.js';
import type { ScanResult } from '../../src/model/scan-result.js';

/** Two checks with full metadata, as a real rule pack would declare them. */
export const META_SSH: CheckMeta = {
  id: 'SGS001',
  name: 'admin-port-open-to-world',
  severity: 'critical',
  shortDescription: 'Administrative port open to the whole internet',
  fullDescription:
    'An ingress rule allows SSH (22) or RDP (3389) from 0.0.0.0/0 or ::/0, exposing remote administration to everyone.',
  remediation: 'Restrict the source to a known CIDR range or reach hosts through SSM Session Manager.',
  remediationTerraform: 'ingress {\n  from_port   = 22\n  to_port     = 22\n  protocol    = "tcp"\n  cidr_blocks = ["10.0.0.0/8"]\n}',
  remediationCloudFormation: 'SecurityGroupIngress:\n  - IpProtocol: tcp\n    FromPort: 22\n    ToPort: 22\n    CidrIp: 10.0.0.0/8',
  tags: ['network', 'ssh', 'rdp', 'exposure'],
  references: [
    'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13',
    'CIS AWS Foundations 5.2',
  ],
  equivalents: { checkov: ['CKV_AWS_24', 'CKV_AWS_25'], trivy: ['AVD-AWS-0107'] },
};

export const META_DESC: CheckMeta = {
  id: 'SGS010',
  name: 'rule-without-description',
  severity: 'low',
  shortDescription: 'Security group rule without a description',
  fullDescription: 'Rules without a description are hard to review: nobody remembers why they exist.',
  remediation: 'Give every rule a description saying who needs it and why.',
  tags: ['hygiene'],
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
};

export const CHECKS: Check[] = [META_DESC, META_SSH].map((meta) => ({ meta, run: () => [] }));

export function finding(over: Partial<Finding> & { ruleId: string; severity: Severity }): Finding {
  return {
    ruleName: over.ruleId === 'SGS001' ? META_SSH.name : over.ruleId === 'SGS010' ? META_DESC.name : 'other-rule',
    message: 'Something is wrong.',
    file: 'main.tf',
    line: 1,
    endLine: 1,
    resource: 'aws_security_group.web',
    fingerprint: '0123456789abcdef0123456789abcdef',
    certainty: 'definite',
    assumptions: [],
    via: [],
    key: 'k',
    ...over,
  };
}

export const FINDINGS: Finding[] = [
  finding({
    ruleId: 'SGS001',
    severity: 'critical',
    message: 'SSH (tcp/22) is open to 0.0.0.0/0 on aws_security_group.web.',
    file: 'main.tf',
    line: 4,
    endLine: 10,
    resource: 'aws_security_group.web',
    fingerprint: 'aa11aa11aa11aa11aa11aa11aa11aa11',
    key: 'ingress tcp/22 0.0.0.0/0',
  }),
  finding({
    ruleId: 'SGS010',
    severity: 'low',
    message: 'Ingress rule tcp/443 has no description',
    file: 'main.tf',
    line: 12,
    endLine: 12,
    resource: 'aws_security_group.web',
    fingerprint: 'bb22bb22bb22bb22bb22bb22bb22bb22',
    key: 'ingress tcp/443',
  }),
  finding({
    ruleId: 'SGS001',
    severity: 'critical',
    message: 'RDP (tcp/3389) may be open to the world on module.app.aws_security_group.this.',
    file: 'modules/app/sg.tf',
    line: 3,
    endLine: 5,
    resource: 'module.app.aws_security_group.this',
    fingerprint: 'cc33cc33cc33cc33cc33cc33cc33cc33',
    certainty: 'possible',
    assumptions: ['var.admin_cidr has no value'],
    via: [{ file: 'main.tf', line: 20, endLine: 24 }],
    key: 'ingress tcp/3389 var.admin_cidr',
  }),
  finding({
    ruleId: 'SGS099',
    severity: 'medium',
    message: 'A rule from a check not in the list.',
    file: 'cfn/stack.yaml',
    line: 7,
    endLine: 8,
    resource: 'WebSG',
    fingerprint: 'dd44dd44dd44dd44dd44dd44dd44dd44',
    key: 'other',
  }),
];

export function scanResult(over: Partial<ScanResult> = {}): ScanResult {
  const findings = over.findings ?? FINDINGS;
  const bySeverity: Record<string, number> = {};
  for (const f of findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  return {
    tool: { name: 'sgscan', version: '0.1.0' },
    findings,
    errors: [{ file: 'broken.tf', line: 3, message: 'Unexpected token "}"' }],
    notices: [{ file: 'modules/app/sg.tf', line: 9, message: 'dynamic "ingress" block not expanded: for_each is unknown' }],
    files: ['broken.tf', 'cfn/stack.yaml', 'main.tf', 'modules/app/sg.tf'],
    checks: CHECKS,
    summary: {
      filesScanned: 4,
      filesWithErrors: 1,
      groups: 3,
      rules: 7,
      findings: findings.length,
      suppressed: 0,
      bySeverity,
    },
    ...over,
  };
}

/** Source text for code frames, keyed by file. */
export const SOURCES: Record<string, string[]> = {
  'main.tf': [
    'resource "aws_security_group" "web" {',
    '  name = "web"',
    '',
    '  ingress {',
    '    description = "ssh"',
    '    from_port   = 22',
    '    to_port     = 22',
    '    protocol    = "tcp"',
    '    cidr_blocks = ["0.0.0.0/0"]',
    '  }',
    '',
    '  ingress { from_port = 443, to_port = 443, protocol = "tcp", cidr_blocks = ["10.0.0.0/8"] }',
    '}',
  ],
  'modules/app/sg.tf': ['resource "aws_security_group" "this" {', '  name = "app"', '  ingress {', '    from_port = 3389', '  }', '}'],
};

export const readLines = (file: string): string[] | undefined => SOURCES[file];

/** An internet-exposure check, as the reachability rules declare it. */
export const META_EXPOSURE: CheckMeta = {
  id: 'SGS040',
  name: 'internet-exposure',
  severity: 'high',
  shortDescription: 'Resource reachable from the internet',
  fullDescription: 'The resource can be reached from the internet through every layer: address, gateway, route, NACL, security group.',
  remediation: 'Remove the path: take the public address away or narrow the security group rule.',
  tags: ['network', 'exposure', 'reachability'],
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/infrastructure-security.html'],
  precision: 'very-high',
};

/** A reachability finding with its path across three files (lines exist in EXPOSURE_SOURCES). */
export const EXPOSURE: Finding = finding({
  ruleId: 'SGS040',
  ruleName: 'internet-exposure',
  severity: 'critical',
  message:
    'aws_instance.bastion is reachable from the internet on tcp/22 (SSH); path: aws_instance.bastion has a public IPv4 address (compute.tf:3) → internet gateway aws_internet_gateway.main (network.tf:2)',
  file: 'infra/compute.tf',
  line: 1,
  endLine: 5,
  resource: 'aws_instance.bastion',
  fingerprint: 'ee55ee55ee55ee55ee55ee55ee55ee55',
  key: 'internet tcp/22',
  reachability: 'reachable',
  path: [
    { file: 'infra/compute.tf', line: 3, message: 'aws_instance.bastion has a public IPv4 address (associate_public_ip_address = true)' },
    { file: 'infra/network.tf', line: 2, endLine: 4, message: 'internet gateway aws_internet_gateway.main' },
    { file: 'infra/network.tf', line: 6, message: 'route 0.0.0.0/0 → aws_internet_gateway.main in aws_route_table.public' },
    { file: 'infra/security.tf', line: 4, endLine: 9, message: 'sg rule aws_security_group.bastion ingress (tcp/22 from 0.0.0.0/0) [see "docs"](x) | #1 <b>' },
  ],
});

export const EXPOSURE_SOURCES: Record<string, string[]> = {
  'infra/compute.tf': ['resource "aws_instance" "bastion" {', '  ami = "ami-1"', '  associate_public_ip_address = true', '  subnet_id = aws_subnet.public.id', '}'],
  'infra/network.tf': ['', 'resource "aws_internet_gateway" "main" {', '  vpc_id = aws_vpc.main.id', '}', '', 'resource "aws_route" "out" {}'],
  'infra/security.tf': ['resource "aws_security_group" "bastion" {', '  name = "bastion"', '', '  ingress {', '    from_port = 22', '    to_port = 22', '    protocol = "tcp"', '    cidr_blocks = ["0.0.0.0/0"]', '  }', '}'],
};

export function exposureResult(over: Partial<ScanResult> = {}): ScanResult {
  return scanResult({
    findings: [...FINDINGS, EXPOSURE],
    checks: [...CHECKS, { meta: META_EXPOSURE, run: () => [] }],
    ...over,
  });
}
