import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describePeer } from '../../../src/model/peer.js';
import { ResourceRef, Unknown } from '../../../src/model/value.js';
import { scanTerraformModule } from '../../../src/input/terraform/index.js';
import { evaluatorReady, folderFiles, scanFixture, summarize } from './helpers.js';

const F = 'fixtures/terraform';

describe('aws_security_group inline rules', () => {
  it('turns each ingress/egress block and each peer into a rule with exact lines', async () => {
    const m = await scanFixture('inline');
    expect(m.errors).toEqual([]);
    const web = m.rules.filter((r) => r.group === 'aws_security_group.web').map(summarize);
    expect(web).toEqual([
      'aws_security_group.web/ingress/0 | ingress tcp port 443 0.0.0.0/0 | 7-13',
      'aws_security_group.web/ingress/1#0 | ingress tcp port 22 192.168.0.0/16 | 15-21',
      'aws_security_group.web/ingress/1#1 | ingress tcp port 22 203.0.113.8/29 | 15-21',
      'aws_security_group.web/ingress/1#2 | ingress tcp port 22 ::/0 | 15-21',
      'aws_security_group.web/egress/0 | egress all all ports 0.0.0.0/0 | 23-28',
    ]);
    const ssh = m.rules.find((r) => r.id === 'aws_security_group.web/ingress/1#1')!;
    expect(ssh.attributeLines).toEqual({ from_port: 16, to_port: 17, protocol: 18, cidr_blocks: 19, ipv6_cidr_blocks: 20 });
    expect(ssh.peer).toMatchObject({ kind: 'cidr', prefix: 29, hostBitsSet: false });
    expect(ssh.origin).toBe('inline');
    expect(m.rules[0].description).toBe('https');
    expect(m.rules[0].attributeLines.description).toBe(8);
  });

  it('reads group attributes and their lines', async () => {
    const m = await scanFixture('inline');
    const web = m.groups.find((g) => g.address === 'aws_security_group.web')!;
    expect(web).toMatchObject({ name: 'web', description: 'Web servers', vpc: 'vpc-123', isDefault: false, via: [] });
    expect(web.location).toEqual({ file: `${F}/inline/main.tf`, line: 2, endLine: 29 });
    expect(web.attributeLines).toEqual({ name: 3, description: 4, vpc_id: 5, ingress: 7, egress: 23 });
    const list = m.groups.find((g) => g.address === 'aws_security_group.list')!;
    expect(list.namePrefix).toBe('list-');
    expect(list.name).toBeUndefined();
  });

  it('reads the attribute-list form with protocol -1, IPv6 written long-hand, and self', async () => {
    const m = await scanFixture('inline');
    const rules = m.rules.filter((r) => r.group === 'aws_security_group.list');
    expect(rules.map(summarize)).toEqual([
      'aws_security_group.list/ingress/0 | ingress all all ports ::/0 | 34-44',
      'aws_security_group.list/ingress/1 | ingress tcp port 5432 members of the same group (self) | 45-45',
    ]);
    expect(rules[0].peer).toMatchObject({ kind: 'cidr', family: 'ipv6', cidr: '::/0', raw: '0:0:0:0:0:0:0:0/0' });
    expect(rules[0].attributeLines.ipv6_cidr_blocks).toBe(39);
    expect(rules[1].peer).toEqual({ kind: 'securityGroup', ref: new ResourceRef('aws_security_group.list', 'id'), self: true });
    expect(rules[1].attributeLines.self).toBe(45);
  });

  it('adds no implicit egress to aws_security_group', async () => {
    const m = await scanFixture('inline');
    expect(m.rules.filter((r) => r.group === 'aws_security_group.noegress')).toEqual([]);
    expect(m.rules.some((r) => r.origin === 'implicit')).toBe(false);
  });
});

describe('standalone rule resources', () => {
  it('aws_security_group_rule with two CIDRs is two rules on the resource lines', async () => {
    const m = await scanFixture('standalone');
    const ssh = m.rules.filter((r) => r.resource === 'aws_security_group_rule.ssh');
    expect(ssh.map(summarize)).toEqual([
      'aws_security_group_rule.ssh#0 | ingress tcp port 22 192.168.0.0/16 | 11-18',
      'aws_security_group_rule.ssh#1 | ingress tcp port 22 0.0.0.0/0 | 11-18',
    ]);
    expect(ssh[1].attributeLines).toMatchObject({ type: 12, security_group_id: 13, protocol: 14, from_port: 15, to_port: 16, cidr_blocks: 17 });
    expect(ssh[1].origin).toBe('standalone');
  });

  it.skipIf(!evaluatorReady)('resolves security_group_id to the group address (needs the evaluator)', async () => {
    const m = await scanFixture('standalone');
    expect(m.rules.find((r) => r.id === 'aws_security_group_rule.ssh#0')!.group).toBe('aws_security_group.app');
    const app = m.groups.find((g) => g.address === 'aws_security_group.app')!;
    expect(app.mixesInlineAndStandalone).toBe(true);
    expect(m.groups.find((g) => g.address === 'aws_security_group.db')!.mixesInlineAndStandalone).toBe(false);
  });

  it.skipIf(!evaluatorReady)('aws_vpc_security_group_ingress_rule names the referenced group (needs the evaluator)', async () => {
    const m = await scanFixture('standalone');
    const r = m.rules.find((x) => x.resource === 'aws_vpc_security_group_ingress_rule.from_app')!;
    // describePeer's wording is not this test's business; the peer object is asserted below.
    expect(summarize(r)).toMatch(/^aws_vpc_security_group_ingress_rule\.from_app \| ingress tcp port 5432 members of aws_security_group\.app(\.id)? \| 30-36$/);
    expect(r.peer).toEqual({ kind: 'securityGroup', ref: new ResourceRef('aws_security_group.app', 'id'), self: false });
    expect(r.group).toBe('aws_security_group.db');
    expect(r.attributeLines.referenced_security_group_id).toBe(32);
  });

  it('self = true together with 0.0.0.0/0 is two rules', async () => {
    const m = await scanFixture('standalone');
    const r = m.rules.filter((x) => x.resource === 'aws_security_group_rule.self_and_world');
    expect(r.map(summarize)).toEqual([
      'aws_security_group_rule.self_and_world#0 | ingress tcp port 8080 0.0.0.0/0 | 20-28',
      'aws_security_group_rule.self_and_world#1 | ingress tcp port 8080 members of the same group (self) | 20-28',
    ]);
    expect(r[1].peer).toEqual({ kind: 'securityGroup', ref: 'sg-0123456789abcdef0', self: true });
    expect(r[1].group).toBe('sg-0123456789abcdef0');
    expect(r[1].attributeLines.self).toBe(26);
  });

  it('self = true alone on an inline rule refers to the group itself', async () => {
    const m = await scanFixture('standalone');
    const r = m.rules.find((x) => x.id === 'aws_security_group.app/ingress/0')!;
    expect(summarize(r)).toBe('aws_security_group.app/ingress/0 | ingress tcp port 80 members of the same group (self) | 3-8');
    expect(r.peer).toEqual({ kind: 'securityGroup', ref: new ResourceRef('aws_security_group.app', 'id'), self: true });
  });

  it('aws_vpc_security_group_egress_rule with ::/0 and all protocols', async () => {
    const m = await scanFixture('standalone');
    const r = m.rules.find((x) => x.resource === 'aws_vpc_security_group_egress_rule.v6')!;
    expect(summarize(r)).toBe('aws_vpc_security_group_egress_rule.v6 | egress all all ports ::/0 | 42-47');
    expect(r.description).toBe('all out');
    expect(r.attributeLines).toEqual({ security_group_id: 43, ip_protocol: 44, cidr_ipv6: 45, description: 46 });
  });

  it('aws_default_security_group is default and has only what is written', async () => {
    const m = await scanFixture('standalone');
    const g = m.groups.find((x) => x.address === 'aws_default_security_group.default')!;
    expect(g).toMatchObject({ isDefault: true, vpc: 'vpc-1', resourceType: 'aws_default_security_group' });
    expect(g.location).toEqual({ file: `${F}/standalone/main.tf`, line: 49, endLine: 51 });
    expect(m.rules.filter((r) => r.group === g.address)).toEqual([]);
  });
});

describe('files', () => {
  it('a broken file is a ScanError with its line; the other file of the folder is still scanned', async () => {
    const m = await scanFixture('broken');
    expect(m.errors).toHaveLength(1);
    expect(m.errors[0].file).toBe(`${F}/broken/bad.tf`);
    expect(m.errors[0].line).toBe(4);
    expect(m.errors[0].message).toMatch(/^HCL syntax error: Unclosed configuration block/);
    expect(m.groups.map((g) => g.address)).toEqual(['aws_security_group.ok']);
    expect(m.rules.map(summarize)).toEqual(['aws_security_group.ok/ingress/0 | ingress tcp port 443 10.0.0.0/8 | 2-7']);
  });

  it('reads .tf.json files with key lines', async () => {
    const m = await scanFixture('json');
    expect(m.errors).toEqual([]);
    expect(m.groups[0].location).toEqual({ file: `${F}/json/main.tf.json`, line: 4, endLine: 14 });
    expect(m.groups[0].attributeLines).toEqual({ name: 5, ingress: 6 });
    expect(m.rules.map(summarize)).toEqual(['aws_security_group.json_sg/ingress/0 | ingress tcp port 22 0.0.0.0/0 | 7-12']);
    expect(m.rules[0].attributeLines).toEqual({ from_port: 8, to_port: 9, protocol: 10, cidr_blocks: 11 });
  });
});

// The attribute says what kind of peer a rule has: security_groups, source_security_group_id and
// referenced_security_group_id name security groups even when their value is not known (a
// variable, a data source); prefix_list_ids / prefix_list_id name prefix lists.
describe('group peers whose value is not known (fixtures/unknowns/group-reference)', () => {
  const dir = 'fixtures/unknowns/group-reference';
  const scan = () => scanTerraformModule(dir, folderFiles(dir).filter((f) => f.path.endsWith('.tf')));

  it('are security-group peers with an Unknown reference, never unknown addresses', async () => {
    const m = await scan();
    expect(m.errors).toEqual([]);
    const rules = m.rules.filter((r) => r.group === 'aws_security_group.app');
    expect(rules.map((r) => [r.id, r.peer.kind])).toEqual([
      ['aws_security_group.app/ingress/0', 'securityGroup'],
      ['aws_security_group.app/ingress/1', 'securityGroup'],
      ['aws_security_group.app/egress/0', 'securityGroup'],
      ['aws_security_group_rule.postgres', 'securityGroup'],
      ['aws_vpc_security_group_ingress_rule.rdp', 'securityGroup'],
    ]);
    for (const r of rules) {
      if (r.peer.kind !== 'securityGroup') continue;
      expect(r.peer.ref).toBeInstanceOf(Unknown);
      expect(r.peer.self).toBe(false);
    }
  });

  it('say which group they mean: the variable, the data source', async () => {
    const m = await scan();
    const peer = (id: string) => describePeer(m.rules.find((r) => r.id === id)!.peer);
    expect(peer('aws_security_group.app/ingress/0')).toBe('members of a security group that is not known (var.bastion_sg_id)');
    expect(peer('aws_security_group.app/ingress/1')).toBe('members of a security group that is not known (var.peer_group_ids)');
    expect(peer('aws_security_group_rule.postgres')).toBe('members of a security group that is not known (var.bastion_sg_id)');
    expect(peer('aws_vpc_security_group_ingress_rule.rdp')).toBe('members of a security group that is not known (data.aws_security_group.monitoring)');
  });

  it('an unknown prefix list id is a prefix-list peer', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'sgscan-pl-'));
    writeFileSync(
      path.join(tmp, 'main.tf'),
      [
        'variable "origins" {}',
        'resource "aws_security_group" "web" {',
        '  description = "web"',
        '  ingress {',
        '    protocol        = "tcp"',
        '    from_port       = 443',
        '    to_port         = 443',
        '    prefix_list_ids = [var.origins]',
        '  }',
        '}',
      ].join('\n'),
    );
    const m = await scanTerraformModule(tmp, folderFiles(tmp));
    const peer = m.rules[0].peer;
    expect(peer.kind).toBe('prefixList');
    if (peer.kind !== 'prefixList') return;
    expect(peer.ref).toBeInstanceOf(Unknown);
    expect(describePeer(peer)).toBe('a prefix list that is not known (var.origins)');
  });
});
