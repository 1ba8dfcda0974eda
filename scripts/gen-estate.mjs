#!/usr/bin/env node
// Synthetic AWS estates for benchmarks: many units (a Terraform root module or a CloudFormation
// template), each one VPC with public/private subnets, routes, NACLs, security groups that reference
// each other by tier (lb → web → app → db), instances, load balancers and databases.
//
// Per unit with G groups: 10·G rules (inline and standalone), about 2·G other resources.
// Output is deterministic (seeded PRNG), so two runs write the same bytes.
//
// Usage: node scripts/gen-estate.mjs --out DIR [--format tf|cfn] [--groups 10000] [--per-unit 100] [--seed 1]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const TIERS = ['lb', 'web', 'app', 'db', 'cache', 'bastion', 'worker', 'mgmt'];
// Who may talk to a tier (by tier), and on which ports.
const UPSTREAM = { web: 'lb', app: 'web', db: 'app', cache: 'app', worker: 'app', mgmt: 'bastion' };
const PORTS = { lb: [443, 80], web: [8080, 8443], app: [9000, 9090], db: [5432, 3306], cache: [6379, 11211], bastion: [22], worker: [7000, 7001], mgmt: [22, 3389] };

export function parseArgs(argv) {
  const o = { format: 'tf', groups: 1000, perUnit: 100, seed: 1, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--out') (o.out = v), i++;
    else if (k === '--format') (o.format = v), i++;
    else if (k === '--groups') (o.groups = Number(v)), i++;
    else if (k === '--per-unit') (o.perUnit = Number(v)), i++;
    else if (k === '--seed') (o.seed = Number(v)), i++;
    else throw new Error(`unknown argument ${k}`);
  }
  if (!o.out) throw new Error('--out DIR is required');
  if (!['tf', 'cfn'].includes(o.format)) throw new Error('--format must be tf or cfn');
  return o;
}

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The abstract unit both writers render: groups with their rules, and the resources placed in them.
 * Resources are sized to 2·G: 20 network resources, then instances, load balancers and databases.
 */
function planUnit(u, groupCount, rnd) {
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const groups = [];
  for (let g = 0; g < groupCount; g++) groups.push({ name: `sg_${TIERS[g % TIERS.length]}_${g}`, tier: TIERS[g % TIERS.length], index: g, rules: [] });
  const byTier = (t) => groups.filter((g) => g.tier === t);
  for (const g of groups) {
    const ports = PORTS[g.tier];
    const up = UPSTREAM[g.tier] ? byTier(UPSTREAM[g.tier]) : [];
    for (let r = 0; r < 8; r++) {
      const port = ports[r % ports.length] + (r >= ports.length ? 100 * r : 0);
      let peer;
      if (g.tier === 'lb') peer = r % 3 === 2 ? { cidr6: '::/0' } : { cidr: '0.0.0.0/0' };
      else if (g.tier === 'bastion') peer = { cidr: r === 0 && g.index % 50 === 5 ? '0.0.0.0/0' : `198.51.100.${(r * 16) % 256}/28` };
      else if (up.length && r < 5) peer = { group: pick(up).name };
      else if (r === 5) peer = { self: true };
      else peer = { cidr: `10.${u % 256}.${Math.floor(rnd() * 256)}.0/24` };
      g.rules.push({ dir: 'ingress', proto: 'tcp', from: port, to: port, peer, desc: `${g.tier} ${port} rule ${r}` });
    }
    g.rules.push({ dir: 'egress', proto: 'tcp', from: 443, to: 443, peer: { cidr: '0.0.0.0/0' }, desc: 'https out' });
    g.rules.push(g.index % 7 === 3 ? { dir: 'egress', proto: '-1', from: 0, to: 0, peer: { cidr: '0.0.0.0/0' }, desc: 'all out' } : { dir: 'egress', proto: 'udp', from: 53, to: 53, peer: { cidr: '10.0.0.2/32' }, desc: 'dns' });
    // Half the groups keep their rules inline, half as standalone rule resources.
    g.inline = g.index % 2 === 0;
  }
  const network = 20;
  const others = Math.max(0, 2 * groupCount - network);
  const lbs = Math.max(1, Math.round(others * 0.05));
  const dbs = Math.max(1, Math.round(others * 0.05));
  const instances = Math.max(0, others - lbs - dbs);
  const members = (tier, n) => {
    const ts = byTier(tier);
    return ts.length ? Array.from({ length: n }, () => pick(ts).name) : [groups[0].name];
  };
  return {
    u,
    groups,
    instances: Array.from({ length: instances }, (_, i) => ({ name: `i_${i}`, subnet: i % 3, groups: [...new Set(members(pick(['web', 'app', 'worker', 'bastion']), 1 + (i % 2)))], publicIp: i % 40 === 0 })),
    lbs: Array.from({ length: lbs }, (_, i) => ({ name: `lb_${i}`, groups: members('lb', 1) })),
    dbs: Array.from({ length: dbs }, (_, i) => ({ name: `db_${i}`, groups: members('db', 1), public: i % 25 === 3 })),
  };
}

// ---------------------------------------------------------------- Terraform

function tfUnit(p) {
  const u = p.u;
  const out = {};
  const net = [];
  net.push(`variable "office_cidr" {\n  type    = string\n  default = "203.0.113.0/24"\n}\n`);
  net.push(`resource "aws_vpc" "main" {\n  cidr_block           = "10.${u % 256}.0.0/16"\n  enable_dns_hostnames = true\n  tags = { Name = "unit-${u}" }\n}\n`);
  net.push(`resource "aws_internet_gateway" "igw" {\n  vpc_id = aws_vpc.main.id\n}\n`);
  net.push(`resource "aws_route_table" "public" {\n  vpc_id = aws_vpc.main.id\n}\n`);
  net.push(`resource "aws_route" "internet" {\n  route_table_id         = aws_route_table.public.id\n  destination_cidr_block = "0.0.0.0/0"\n  gateway_id             = aws_internet_gateway.igw.id\n}\n`);
  net.push(`resource "aws_route_table" "private" {\n  vpc_id = aws_vpc.main.id\n}\n`);
  for (let s = 0; s < 3; s++) {
    net.push(`resource "aws_subnet" "public_${s}" {\n  vpc_id                  = aws_vpc.main.id\n  cidr_block              = "10.${u % 256}.${s}.0/24"\n  map_public_ip_on_launch = ${s === 0}\n}\n`);
    net.push(`resource "aws_subnet" "private_${s}" {\n  vpc_id     = aws_vpc.main.id\n  cidr_block = "10.${u % 256}.${100 + s}.0/24"\n}\n`);
    net.push(`resource "aws_route_table_association" "public_${s}" {\n  subnet_id      = aws_subnet.public_${s}.id\n  route_table_id = aws_route_table.public.id\n}\n`);
  }
  net.push(`resource "aws_network_acl" "public" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.public_0.id, aws_subnet.public_1.id, aws_subnet.public_2.id]

  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }
  ingress {
    rule_no    = 110
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 1024
    to_port    = 65535
  }
  ingress {
    rule_no    = 120
    protocol   = "tcp"
    action     = "allow"
    cidr_block = var.office_cidr
    from_port  = 22
    to_port    = 22
  }
  egress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}
`);
  net.push(`resource "aws_network_acl" "private" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.private_0.id, aws_subnet.private_1.id, aws_subnet.private_2.id]
}

resource "aws_network_acl_rule" "private_in" {
  network_acl_id = aws_network_acl.private.id
  rule_number    = 100
  egress         = false
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = aws_vpc.main.cidr_block
}

resource "aws_network_acl_rule" "private_out" {
  network_acl_id = aws_network_acl.private.id
  rule_number    = 100
  egress         = true
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}

resource "aws_db_subnet_group" "db" {
  name       = "unit-${u}-db"
  subnet_ids = [aws_subnet.private_0.id, aws_subnet.private_1.id, aws_subnet.private_2.id]
}
`);
  out['network.tf'] = net.join('\n');

  const peerTf = (peer) =>
    peer.group ? { security_groups: `[aws_security_group.${peer.group}.id]` } : peer.self ? { self: 'true' } : peer.cidr6 ? { ipv6_cidr_blocks: `["${peer.cidr6}"]` } : { cidr_blocks: peer.cidr === '203.0.113.0/24' ? '[var.office_cidr]' : `["${peer.cidr}"]` };
  const sg = [];
  for (const g of p.groups) {
    const lines = [`resource "aws_security_group" "${g.name}" {`, `  name        = "unit-${u}-${g.name}"`, `  description = "${g.tier} tier ${g.index}"`, `  vpc_id      = aws_vpc.main.id`];
    if (g.inline) {
      for (const r of g.rules) {
        lines.push('', `  ${r.dir} {`, `    description = "${r.desc}"`, `    protocol    = "${r.proto}"`, `    from_port   = ${r.from}`, `    to_port     = ${r.to}`);
        for (const [k, v] of Object.entries(peerTf(r.peer))) lines.push(`    ${k} = ${v}`);
        lines.push('  }');
      }
    }
    lines.push('}', '');
    if (!g.inline) {
      g.rules.forEach((r, i) => {
        if (i % 2 === 0 && !r.peer.self) {
          // The newer per-rule resources, one peer each.
          const kind = r.dir === 'ingress' ? 'ingress' : 'egress';
          const peer = r.peer.group ? `referenced_security_group_id = aws_security_group.${r.peer.group}.id` : r.peer.cidr6 ? `cidr_ipv6 = "${r.peer.cidr6}"` : `cidr_ipv4 = "${r.peer.cidr}"`;
          const ports = r.proto === '-1' ? '' : `\n  from_port   = ${r.from}\n  to_port     = ${r.to}`;
          lines.push(`resource "aws_vpc_security_group_${kind}_rule" "${g.name}_${i}" {\n  security_group_id = aws_security_group.${g.name}.id\n  description       = "${r.desc}"\n  ip_protocol       = "${r.proto}"${ports}\n  ${peer}\n}\n`);
        } else {
          lines.push(`resource "aws_security_group_rule" "${g.name}_${i}" {\n  type              = "${r.dir}"\n  security_group_id = aws_security_group.${g.name}.id\n  description       = "${r.desc}"\n  protocol          = "${r.proto}"\n  from_port         = ${r.from}\n  to_port           = ${r.to}`);
          if (r.peer.group) lines.push(`  source_security_group_id = aws_security_group.${r.peer.group}.id`);
          else if (r.peer.self) lines.push('  self = true');
          else for (const [k, v] of Object.entries(peerTf(r.peer))) lines.push(`  ${k} = ${v}`);
          lines.push('}', '');
        }
      });
    }
    sg.push(lines.join('\n'));
  }
  out['security.tf'] = sg.join('\n');

  const c = [];
  for (const i of p.instances) {
    const subnet = i.publicIp ? `public_${i.subnet}` : `private_${i.subnet}`;
    c.push(`resource "aws_instance" "${i.name}" {\n  ami                    = "ami-0123456789abcdef0"\n  instance_type          = "t3.micro"\n  subnet_id              = aws_subnet.${subnet}.id\n  vpc_security_group_ids = [${i.groups.map((g) => `aws_security_group.${g}.id`).join(', ')}]\n  associate_public_ip_address = ${i.publicIp}\n}\n`);
  }
  for (const lb of p.lbs) {
    c.push(`resource "aws_lb" "${lb.name}" {\n  name               = "u${u}-${lb.name.replace('_', '-')}"\n  load_balancer_type = "application"\n  internal           = false\n  security_groups    = [${lb.groups.map((g) => `aws_security_group.${g}.id`).join(', ')}]\n  subnets            = [aws_subnet.public_0.id, aws_subnet.public_1.id]\n}\n`);
  }
  for (const db of p.dbs) {
    c.push(`resource "aws_db_instance" "${db.name}" {\n  identifier             = "u${u}-${db.name.replace('_', '-')}"\n  engine                 = "postgres"\n  instance_class         = "db.t3.micro"\n  allocated_storage      = 20\n  db_subnet_group_name   = aws_db_subnet_group.db.name\n  vpc_security_group_ids = [${db.groups.map((g) => `aws_security_group.${g}.id`).join(', ')}]\n  publicly_accessible    = ${db.public}\n}\n`);
  }
  out['compute.tf'] = c.join('\n');
  return out;
}

// ---------------------------------------------------------------- CloudFormation

const cfnName = (s) => s.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('');

function cfnUnit(p) {
  const u = p.u;
  const L = ['AWSTemplateFormatVersion: "2010-09-09"', `Description: synthetic unit ${u}`, 'Parameters:', '  OfficeCidr:', '    Type: String', '    Default: 203.0.113.0/24', 'Resources:'];
  const res = (name, type, props) => {
    L.push(`  ${name}:`, `    Type: ${type}`);
    if (props.length) L.push('    Properties:', ...props.map((l) => `      ${l}`));
  };
  res('Vpc', 'AWS::EC2::VPC', [`CidrBlock: 10.${u % 256}.0.0/16`, 'EnableDnsHostnames: true']);
  res('Igw', 'AWS::EC2::InternetGateway', []);
  res('IgwAttach', 'AWS::EC2::VPCGatewayAttachment', ['VpcId: !Ref Vpc', 'InternetGatewayId: !Ref Igw']);
  res('PublicRoutes', 'AWS::EC2::RouteTable', ['VpcId: !Ref Vpc']);
  res('InternetRoute', 'AWS::EC2::Route', ['RouteTableId: !Ref PublicRoutes', 'DestinationCidrBlock: 0.0.0.0/0', 'GatewayId: !Ref Igw']);
  for (let s = 0; s < 3; s++) {
    res(`Public${s}`, 'AWS::EC2::Subnet', ['VpcId: !Ref Vpc', `CidrBlock: 10.${u % 256}.${s}.0/24`, `MapPublicIpOnLaunch: ${s === 0}`]);
    res(`Private${s}`, 'AWS::EC2::Subnet', ['VpcId: !Ref Vpc', `CidrBlock: 10.${u % 256}.${100 + s}.0/24`]);
    res(`Public${s}Routes`, 'AWS::EC2::SubnetRouteTableAssociation', [`SubnetId: !Ref Public${s}`, 'RouteTableId: !Ref PublicRoutes']);
  }
  res('PublicAcl', 'AWS::EC2::NetworkAcl', ['VpcId: !Ref Vpc']);
  const entries = [
    [100, false, 6, '0.0.0.0/0', 443, 443],
    [110, false, 6, '0.0.0.0/0', 1024, 65535],
    [120, false, 6, '!Ref OfficeCidr', 22, 22],
    [100, true, -1, '0.0.0.0/0', 0, 65535],
  ];
  entries.forEach(([n, egress, proto, cidr, from, to], i) =>
    res(`PublicAclEntry${i}`, 'AWS::EC2::NetworkAclEntry', ['NetworkAclId: !Ref PublicAcl', `RuleNumber: ${n}`, `Protocol: ${proto}`, `Egress: ${egress}`, 'RuleAction: allow', `CidrBlock: ${cidr}`, 'PortRange:', `  From: ${from}`, `  To: ${to}`]),
  );
  for (let s = 0; s < 3; s++) res(`Public${s}Acl`, 'AWS::EC2::SubnetNetworkAclAssociation', [`SubnetId: !Ref Public${s}`, 'NetworkAclId: !Ref PublicAcl']);
  res('DbSubnets', 'AWS::RDS::DBSubnetGroup', ['DBSubnetGroupDescription: databases', 'SubnetIds: [!Ref Private0, !Ref Private1, !Ref Private2]']);

  const peerProps = (peer) => (peer.group ? [`SourceSecurityGroupId: !GetAtt ${cfnName(peer.group)}.GroupId`] : peer.cidr6 ? [`CidrIpv6: "${peer.cidr6}"`] : [`CidrIp: ${peer.cidr}`]);
  const ruleProps = (r) => [`IpProtocol: "${r.proto}"`, ...(r.proto === '-1' ? [] : [`FromPort: ${r.from}`, `ToPort: ${r.to}`]), `Description: ${r.desc}`];
  for (const g of p.groups) {
    const name = cfnName(g.name);
    const rules = g.rules.map((r) => (r.peer.self ? { ...r, peer: { group: g.name } } : r));
    const props = [`GroupDescription: ${g.tier} tier ${g.index}`, 'VpcId: !Ref Vpc'];
    if (g.inline) {
      // Inline rules cannot name a group of the same template that names this one back; keep CIDRs inline.
      const inl = rules.filter((r) => !r.peer.group);
      const ins = inl.filter((r) => r.dir === 'ingress');
      const outs = inl.filter((r) => r.dir === 'egress');
      if (ins.length) props.push('SecurityGroupIngress:', ...ins.flatMap((r) => [`  - ${ruleProps(r)[0]}`, ...[...ruleProps(r).slice(1), ...(r.peer.cidr6 ? [`CidrIpv6: "${r.peer.cidr6}"`] : [`CidrIp: ${r.peer.cidr}`])].map((l) => `    ${l}`)]));
      if (outs.length) props.push('SecurityGroupEgress:', ...outs.flatMap((r) => [`  - ${ruleProps(r)[0]}`, ...[...ruleProps(r).slice(1), `CidrIp: ${r.peer.cidr}`].map((l) => `    ${l}`)]));
      res(name, 'AWS::EC2::SecurityGroup', props);
      rules.filter((r) => r.peer.group).forEach((r, i) => res(`${name}In${i}`, 'AWS::EC2::SecurityGroupIngress', [`GroupId: !GetAtt ${name}.GroupId`, ...ruleProps(r), ...peerProps(r.peer)]));
    } else {
      res(name, 'AWS::EC2::SecurityGroup', props);
      rules.forEach((r, i) => {
        const type = r.dir === 'ingress' ? 'AWS::EC2::SecurityGroupIngress' : 'AWS::EC2::SecurityGroupEgress';
        const peer = r.dir === 'egress' ? [`CidrIp: ${r.peer.cidr}`] : peerProps(r.peer);
        res(`${name}Rule${i}`, type, [`GroupId: !GetAtt ${name}.GroupId`, ...ruleProps(r), ...peer]);
      });
    }
  }
  for (const i of p.instances) {
    const subnet = i.publicIp ? `Public${i.subnet}` : `Private${i.subnet}`;
    res(cfnName(i.name), 'AWS::EC2::Instance', ['ImageId: ami-0123456789abcdef0', 'InstanceType: t3.micro', `SubnetId: !Ref ${subnet}`, `SecurityGroupIds: [${i.groups.map((g) => `!GetAtt ${cfnName(g)}.GroupId`).join(', ')}]`]);
  }
  for (const lb of p.lbs) res(cfnName(lb.name), 'AWS::ElasticLoadBalancingV2::LoadBalancer', ['Scheme: internet-facing', `SecurityGroups: [${lb.groups.map((g) => `!GetAtt ${cfnName(g)}.GroupId`).join(', ')}]`, 'Subnets: [!Ref Public0, !Ref Public1]']);
  for (const db of p.dbs) res(cfnName(db.name), 'AWS::RDS::DBInstance', ['Engine: postgres', 'DBInstanceClass: db.t3.micro', 'AllocatedStorage: "20"', 'DBSubnetGroupName: !Ref DbSubnets', `VPCSecurityGroups: [${db.groups.map((g) => `!GetAtt ${cfnName(g)}.GroupId`).join(', ')}]`, `PubliclyAccessible: ${db.public}`]);
  return { [`unit-${String(u).padStart(4, '0')}.yaml`]: L.join('\n') + '\n' };
}

/** Write the estate; returns its counts (groups, rules, resources other than groups and rules, units, files, bytes). */
export function generateEstate({ out, format = 'tf', groups = 1000, perUnit = 100, seed = 1 }) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const rnd = prng(seed);
  const counts = { units: 0, groups: 0, rules: 0, resources: 0, files: 0, bytes: 0 };
  for (let u = 0, left = groups; left > 0; u++, left -= perUnit) {
    const p = planUnit(u, Math.min(perUnit, left), rnd);
    counts.units++;
    counts.groups += p.groups.length;
    counts.rules += p.groups.reduce((n, g) => n + g.rules.length, 0);
    counts.resources += 20 + p.instances.length + p.lbs.length + p.dbs.length;
    const files = format === 'tf' ? tfUnit(p) : cfnUnit(p);
    const dir = format === 'tf' ? path.join(out, `unit-${String(u).padStart(4, '0')}`) : out;
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(path.join(dir, name), text);
      counts.files++;
      counts.bytes += Buffer.byteLength(text);
    }
  }
  return counts;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const o = parseArgs(process.argv.slice(2));
  const c = generateEstate(o);
  console.log(JSON.stringify({ format: o.format, out: o.out, ...c }));
}
