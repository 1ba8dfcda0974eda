#!/usr/bin/env node
// The "worst shapes" of issue 19: inputs where one thing grows (instances under one wide rule, subnets
// in one VPC, entries in one NACL or prefix list, files in one module or on the command line, rules in
// one group). scripts/bench.mjs builds each at two sizes and prints the log-log slope of the scan time;
// a linear scan has a slope near 1. Output is deterministic: two runs write the same bytes.
//
// Usage: node scripts/gen-shapes.mjs --shape NAME --n N --out DIR     (prints the paths to scan as JSON)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const vpc = (cidr = '10.0.0.0/16') => `resource "aws_vpc" "main" {\n  cidr_block = "${cidr}"\n}\n\nresource "aws_internet_gateway" "igw" {\n  vpc_id = aws_vpc.main.id\n}\n\nresource "aws_route_table" "public" {\n  vpc_id = aws_vpc.main.id\n}\n\nresource "aws_route" "internet" {\n  route_table_id         = aws_route_table.public.id\n  destination_cidr_block = "0.0.0.0/0"\n  gateway_id             = aws_internet_gateway.igw.id\n}\n`;
const subnet = (name, cidr) => `resource "aws_subnet" "${name}" {\n  vpc_id     = aws_vpc.main.id\n  cidr_block = "${cidr}"\n}\n\nresource "aws_route_table_association" "${name}" {\n  subnet_id      = aws_subnet.${name}.id\n  route_table_id = aws_route_table.public.id\n}\n`;
const instance = (name, subnetName, groups, publicIp = false) =>
  `resource "aws_instance" "${name}" {\n  ami                         = "ami-0123456789abcdef0"\n  instance_type               = "t3.micro"\n  subnet_id                   = aws_subnet.${subnetName}.id\n  vpc_security_group_ids      = [${groups.map((g) => `aws_security_group.${g}.id`).join(', ')}]\n  associate_public_ip_address = ${publicIp}\n}\n`;
const egressAll = `\n  egress {\n    protocol    = "-1"\n    from_port   = 0\n    to_port     = 0\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n`;
const group = (name, body) => `resource "aws_security_group" "${name}" {\n  name   = "${name}"\n  vpc_id = aws_vpc.main.id\n${body}${egressAll}}\n`;
const ingress = (proto, from, to, peer) => `\n  ingress {\n    protocol  = "${proto}"\n    from_port = ${from}\n    to_port   = ${to}\n    ${peer}\n  }\n`;
const ip = (i) => `${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** Each shape: what grows, and the files it writes (name → text) for a size n. */
export const SHAPES = {
  // One rule admitting every instance of the VPC on SSH: n instances reach each other (n² pairs).
  'wide-rule': {
    grows: 'instances under one wide rule',
    files: (n) => {
      const out = [vpc(), subnet('a', '10.0.0.0/20'), group('wide', ingress('tcp', 22, 22, 'cidr_blocks = ["10.0.0.0/16"]'))];
      for (let i = 0; i < n; i++) out.push(instance(`i${i}`, 'a', ['wide']));
      return { 'main.tf': out.join('\n') };
    },
  },
  // One VPC with n subnets, one instance in each, one group admitting the VPC on SSH.
  subnets: {
    grows: 'subnets in one VPC',
    files: (n) => {
      const out = [vpc('10.0.0.0/8'), group('wide', ingress('tcp', 22, 22, 'cidr_blocks = ["10.0.0.0/8"]'))];
      for (let i = 0; i < n; i++) out.push(subnet(`s${i}`, `10.${(i >> 8) & 255}.${i & 255}.0/24`), instance(`i${i}`, `s${i}`, ['wide']));
      return { 'main.tf': out.join('\n') };
    },
  },
  // One NACL with n entries (distinct rule numbers, addresses and ports) on a public subnet.
  nacl: {
    grows: 'entries in one NACL',
    files: (n) => {
      const entries = [];
      for (let i = 0; i < n; i++) {
        const dir = i % 2 === 0 ? 'ingress' : 'egress';
        const action = i % 3 === 0 ? 'deny' : 'allow';
        const port = 1000 + (i % 20000);
        entries.push(`\n  ${dir} {\n    rule_no    = ${i + 1}\n    protocol   = "tcp"\n    action     = "${action}"\n    cidr_block = "${ip(i * 4 + 256)}.0/30"\n    from_port  = ${port}\n    to_port    = ${port + 10}\n  }\n`);
      }
      entries.push(`\n  ingress {\n    rule_no    = 32000\n    protocol   = "-1"\n    action     = "allow"\n    cidr_block = "0.0.0.0/0"\n    from_port  = 0\n    to_port    = 0\n  }\n`);
      entries.push(`\n  egress {\n    rule_no    = 32000\n    protocol   = "-1"\n    action     = "allow"\n    cidr_block = "0.0.0.0/0"\n    from_port  = 0\n    to_port    = 0\n  }\n`);
      const acl = `resource "aws_network_acl" "big" {\n  vpc_id     = aws_vpc.main.id\n  subnet_ids = [aws_subnet.a.id]\n${entries.join('')}}\n`;
      const out = [vpc(), subnet('a', '10.0.0.0/24'), acl, group('web', ingress('tcp', 22, 22, 'cidr_blocks = ["0.0.0.0/0"]') + ingress('tcp', 443, 443, 'cidr_blocks = ["0.0.0.0/0"]')), instance('web', 'a', ['web'], true)];
      return { 'main.tf': out.join('\n') };
    },
  },
  // One customer-managed prefix list with n entries, named by a group on a public instance.
  'prefix-list': {
    grows: 'entries in one prefix list',
    files: (n) => {
      const entries = [];
      for (let i = 0; i < n; i++) entries.push(`\n  entry {\n    cidr        = "${ip(i * 2 + 65536)}.0/31"\n    description = "office ${i}"\n  }\n`);
      const pl = `resource "aws_ec2_managed_prefix_list" "offices" {\n  name           = "offices"\n  address_family = "IPv4"\n  max_entries    = ${n}\n${entries.join('')}}\n`;
      const out = [vpc(), subnet('a', '10.0.0.0/24'), pl, group('web', ingress('tcp', 22, 22, 'prefix_list_ids = [aws_ec2_managed_prefix_list.offices.id]')), instance('web', 'a', ['web'], true)];
      return { 'main.tf': out.join('\n') };
    },
  },
  // One Terraform module of n files, each a group with a few rules and an instance.
  'module-files': {
    grows: 'files in one Terraform module',
    files: (n) => {
      const files = { 'main.tf': [vpc(), subnet('a', '10.0.0.0/20')].join('\n') };
      for (let i = 0; i < n; i++) {
        // Outside the VPC: the shape is the module's size, not east-west pairs.
        const body = ingress('tcp', 22, 22, `cidr_blocks = ["172.16.${i % 256}.0/24"]`) + ingress('tcp', 443, 443, 'cidr_blocks = ["0.0.0.0/0"]') + ingress('tcp', 5432, 5432, `cidr_blocks = ["${ip(i + 256)}.0/24"]`);
        files[`f${String(i).padStart(5, '0')}.tf`] = [group(`g${i}`, body), instance(`i${i}`, 'a', [`g${i}`])].join('\n');
      }
      return files;
    },
  },
  // n CloudFormation templates, each named on the command line.
  'cli-files': {
    grows: 'files named on the command line',
    cliFiles: true,
    files: (n) => {
      const files = {};
      for (let i = 0; i < n; i++) {
        files[`t${String(i).padStart(5, '0')}.yaml`] = [
          'AWSTemplateFormatVersion: "2010-09-09"',
          'Resources:',
          '  Web:',
          '    Type: AWS::EC2::SecurityGroup',
          '    Properties:',
          `      GroupDescription: web ${i}`,
          '      SecurityGroupIngress:',
          '        - IpProtocol: tcp',
          '          FromPort: 22',
          '          ToPort: 22',
          `          CidrIp: 10.${i % 256}.0.0/16`,
          '        - IpProtocol: tcp',
          '          FromPort: 443',
          '          ToPort: 443',
          '          CidrIp: 0.0.0.0/0',
          '',
        ].join('\n');
      }
      return files;
    },
  },
  // One CloudFormation group with n inline ingress rules (distinct ports and addresses).
  'cfn-group-rules': {
    grows: 'rules in one CloudFormation group',
    files: (n) => {
      const L = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:', '  Big:', '    Type: AWS::EC2::SecurityGroup', '    Properties:', '      GroupDescription: many rules', '      VpcId: vpc-0123456789abcdef0', '      SecurityGroupIngress:'];
      for (let i = 0; i < n; i++) {
        const port = 1 + (i % 65000);
        L.push(`        - IpProtocol: ${i % 2 ? 'tcp' : 'udp'}`, `          FromPort: ${port}`, `          ToPort: ${port}`, `          CidrIp: ${ip(i + 256)}.0/24`, `          Description: rule ${i}`);
      }
      return { 'template.yaml': L.join('\n') + '\n' };
    },
  },
  // One CloudFormation group and n rule resources naming it (AWS::EC2::SecurityGroupIngress).
  'cfn-rule-resources': {
    grows: 'rule resources of one CloudFormation group',
    files: (n) => {
      const L = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:', '  Big:', '    Type: AWS::EC2::SecurityGroup', '    Properties:', '      GroupDescription: many rules', '      VpcId: vpc-0123456789abcdef0'];
      for (let i = 0; i < n; i++) {
        const port = 1 + (i % 65000);
        L.push(`  Rule${i}:`, '    Type: AWS::EC2::SecurityGroupIngress', '    Properties:', '      GroupId: !GetAtt Big.GroupId', `      IpProtocol: ${i % 2 ? 'tcp' : 'udp'}`, `      FromPort: ${port}`, `      ToPort: ${port}`, `      CidrIp: ${ip(i + 256)}.0/24`);
      }
      return { 'template.yaml': L.join('\n') + '\n' };
    },
  },
  // The same in Terraform: one group with n ingress blocks.
  'tf-group-rules': {
    grows: 'rules in one Terraform group',
    files: (n) => {
      let body = '';
      for (let i = 0; i < n; i++) {
        const port = 1 + (i % 65000);
        body += ingress(i % 2 ? 'tcp' : 'udp', port, port, `cidr_blocks = ["${ip(i + 256)}.0/24"]`);
      }
      return { 'main.tf': [vpc(), group('big', body)].join('\n') };
    },
  },
};

/** Write shape `name` at size n under `out`; returns { paths to scan, files, bytes }. */
export function generateShape({ shape, n, out }) {
  const s = SHAPES[shape];
  if (!s) throw new Error(`unknown shape ${shape} (one of ${Object.keys(SHAPES).join(', ')})`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const files = s.files(n);
  let bytes = 0;
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(path.join(out, name), text);
    bytes += Buffer.byteLength(text);
  }
  const paths = s.cliFiles ? Object.keys(files).map((f) => path.join(out, f)) : [out];
  return { paths, files: Object.keys(files).length, bytes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const a = process.argv.slice(2);
  const get = (k) => a[a.indexOf(k) + 1];
  if (!a.includes('--shape') || !a.includes('--n') || !a.includes('--out')) throw new Error('usage: gen-shapes.mjs --shape NAME --n N --out DIR');
  const r = generateShape({ shape: get('--shape'), n: Number(get('--n')), out: path.resolve(get('--out')) });
  console.log(JSON.stringify({ ...r, paths: r.paths.length > 3 ? [...r.paths.slice(0, 3), `… ${r.paths.length - 3} more`] : r.paths }));
}
