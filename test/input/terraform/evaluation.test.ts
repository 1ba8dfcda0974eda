import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/value.js';
import { folderFiles, evaluatorReady, scanFixture, summarize } from './helpers.js';
import { parseCliValue, rootVariables } from '../../../src/input/terraform/variables.js';

const F = 'fixtures/terraform';
const needsEval = it.skipIf(!evaluatorReady);

describe('root variables', () => {
  it('follows Terraform precedence: env < terraform.tfvars < *.auto.tfvars (lexical) < var files < vars', async () => {
    const { values, errors, files } = await rootVariables(folderFiles(`${F}/variables`), {
      varFiles: [`${F}/variables/extra.tfvars`],
      vars: [['from_cli', '10.51.0.0/16']],
      env: { TF_VAR_from_env: '10.60.0.0/16', TF_VAR_from_tfvars: '9.9.9.9/32', HOME: '/root' },
    });
    expect(errors).toEqual([]);
    expect(Object.fromEntries(values)).toEqual({
      from_env: '10.60.0.0/16',
      from_tfvars: '10.20.0.0/16',
      from_auto: '10.32.0.0/16',
      from_varfile: '10.41.0.0/16',
      from_cli: '10.51.0.0/16',
      ports: [1000, 2000],
    });
    expect(files).toEqual([
      `${F}/variables/terraform.tfvars`,
      `${F}/variables/a.auto.tfvars`,
      `${F}/variables/b.auto.tfvars.json`,
      `${F}/variables/extra.tfvars`,
    ]);
  });

  it('parses -var values: lists and objects as HCL, numbers, strings as written', async () => {
    expect(await parseCliValue('["10.0.0.0/8", "::/0"]')).toEqual(['10.0.0.0/8', '::/0']);
    expect(await parseCliValue('{ a = 1 }')).toEqual({ a: 1 });
    expect(await parseCliValue('22')).toBe(22);
    expect(await parseCliValue('0.0.0.0/0')).toBe('0.0.0.0/0');
  });

  it('an unreadable var file is a ScanError naming it', async () => {
    const { errors } = await rootVariables([], { varFiles: [`${F}/variables/nope.tfvars`] });
    expect(errors).toHaveLength(1);
    expect(errors[0].file).toBe(`${F}/variables/nope.tfvars`);
  });

  needsEval('feeds defaults, files and options into rules; a variable with no value is Unknown', async () => {
    const m = await scanFixture('variables', {
      varFiles: [`${F}/variables/extra.tfvars`],
      vars: [['from_cli', '10.51.0.0/16']],
      env: { TF_VAR_from_env: '10.60.0.0/16', TF_VAR_from_cli: '1.1.1.1/32' },
    });
    expect(m.errors).toEqual([]);
    const peers = m.rules.filter((r) => r.direction === 'ingress').map((r) => (r.peer.kind === 'cidr' ? r.peer.cidr : r.peer.kind));
    expect(peers).toEqual(['10.1.0.0/16', '10.20.0.0/16', '10.32.0.0/16', '10.41.0.0/16', '10.51.0.0/16', '10.60.0.0/16']);
    expect(m.rules[0].ports).toEqual({ kind: 'range', from: 1000, to: 2000 });
    const egress = m.rules.find((r) => r.direction === 'egress')!;
    expect(egress.peer.kind).toBe('unknown');
    expect(egress.peer.kind === 'unknown' && egress.peer.unknown.reasons).toContain('var.missing has no value');
    expect(egress.attributeLines.cidr_blocks).toBe(31);
  });
});

describe('count, for_each and dynamic blocks', () => {
  it('expands count into indexed instances on the same lines', async () => {
    const m = await scanFixture('expand');
    const counted = m.groups.filter((g) => g.address.startsWith('aws_security_group.counted'));
    expect(counted.map((g) => [g.address, g.location.line, g.location.endLine])).toEqual([
      ['aws_security_group.counted[0]', 1, 4],
      ['aws_security_group.counted[1]', 1, 4],
    ]);
  });

  it('expands a literal for_each map into keyed instances', async () => {
    const m = await scanFixture('expand');
    const ssh = m.rules.filter((r) => r.resource.startsWith('aws_security_group_rule.ssh'));
    expect(ssh.map((r) => r.id)).toEqual(['aws_security_group_rule.ssh["office"]', 'aws_security_group_rule.ssh["vpn"]']);
    expect(ssh.every((r) => r.location.line === 6 && r.location.endLine === 14)).toBe(true);
  });

  needsEval('binds each.value and resolves a counted group reference (needs the evaluator)', async () => {
    const m = await scanFixture('expand');
    const ssh = m.rules.filter((r) => r.resource.startsWith('aws_security_group_rule.ssh'));
    expect(ssh.map(summarize)).toEqual([
      'aws_security_group_rule.ssh["office"] | ingress tcp port 22 198.51.100.0/24 | 6-14',
      'aws_security_group_rule.ssh["vpn"] | ingress tcp port 22 10.8.0.0/16 | 6-14',
    ]);
    expect(ssh[0].group).toBe('aws_security_group.counted[1]');
    expect(m.groups.find((g) => g.address === 'aws_security_group.counted[1]')!.name).toBe('counted-1');
  });

  needsEval('expands dynamic blocks with an iterator; lines are the dynamic block (needs the evaluator)', async () => {
    const m = await scanFixture('expand');
    expect(m.rules.filter((r) => r.group === 'aws_security_group.dyn').map(summarize)).toEqual([
      'aws_security_group.dyn/ingress/0 | ingress tcp port 80 0.0.0.0/0 | 25-35',
      'aws_security_group.dyn/ingress/1 | ingress tcp port 443 ::/0 | 25-35',
      'aws_security_group.dyn/egress/0 | egress all all ports 10.0.0.0/8 | 36-41',
    ]);
    const r = m.rules.find((x) => x.id === 'aws_security_group.dyn/ingress/0')!;
    expect(r.attributeLines).toMatchObject({ from_port: 29, to_port: 30, protocol: 31, cidr_blocks: 32 });
  });

  it('an unknown count gives one instance marked with a condition', async () => {
    const m = await scanFixture('expand');
    const maybe = m.groups.find((g) => g.address === 'aws_security_group.maybe[0]')!;
    expect(maybe).toBeDefined();
    expect(maybe.condition).toBeInstanceOf(Unknown);
    expect(String(maybe.condition)).toMatch(/count of aws_security_group.maybe is not known statically/);
    expect(m.groups.filter((g) => g.address.startsWith('aws_security_group.maybe'))).toHaveLength(1);
  });

  it('dynamic blocks of network resources become lists of objects', async () => {
    const m = await scanFixture('expand');
    const nacl = m.resources.find((r) => r.address === 'aws_network_acl.nacl')!;
    expect(nacl.location).toMatchObject({ line: 51, endLine: 64 });
    // Both entries come from the one dynamic block: its line, and its content's attribute lines.
    const entry = { action: 57, cidr_block: 61, from_port: 59, protocol: 58, rule_no: 56, to_port: 60 };
    const item = (i: number) => Object.fromEntries([[`ingress[${i}]`, 53], ...Object.entries(entry).map(([k, v]) => [`ingress[${i}].${k}`, v])]);
    expect(nacl.attributeLines).toEqual({ vpc_id: 52, ingress: 53, ...item(0), ...item(1) });
    const ingress = nacl.attributes.ingress as Array<Record<string, unknown>>;
    expect(ingress).toHaveLength(2);
    if (evaluatorReady) expect(ingress.map((i) => i.rule_no)).toEqual([100, 200]);
  });
});

describe('modules', () => {
  it('follows local modules with instance addresses and the via chain', async () => {
    const m = await scanFixture('modules');
    expect(m.errors).toEqual([]);
    const groups = m.groups.map((g) => [g.address, g.location.file, g.location.line, g.via.map((v) => `${v.file}:${v.line}-${v.endLine}`)]);
    expect(groups).toEqual([
      ['module.web_sg[0].aws_security_group.this[0]', `${F}/modules/modules/sg/main.tf`, 4, [`${F}/modules/main.tf:1-6`]],
      ['module.db_sg["db"].aws_security_group.this[0]', `${F}/modules/modules/sg/main.tf`, 4, [`${F}/modules/main.tf:8-13`]],
    ]);
    const rule = m.rules.find((r) => r.id === 'module.web_sg[0].aws_security_group.this[0]/ingress/0')!;
    expect(rule.location).toEqual({ file: `${F}/modules/modules/sg/main.tf`, line: 7, endLine: 12 });
    expect(rule.via).toEqual([{ file: `${F}/modules/main.tf`, line: 1, endLine: 6 }]);
    expect(m.files).toContain(`${F}/modules/modules/sg/main.tf`);
  });

  it('reports registry modules and module cycles as coverage notices', async () => {
    const m = await scanFixture('modules');
    expect(m.notices.map((n) => [n.file, n.line])).toEqual([
      [`${F}/modules/main.tf`, 15],
      [`${F}/modules/modules/b/main.tf`, 1],
    ]);
    expect(m.notices[0].message).toMatch(/module "registry" is not scanned.*terraform-aws-modules\/security-group\/aws/);
    expect(m.notices[1].message).toMatch(/module cycle/);
  });

  needsEval('passes inputs in and outputs out (needs the evaluator)', async () => {
    const m = await scanFixture('modules');
    expect(m.rules.filter((r) => r.origin === 'inline').map(summarize)).toEqual([
      'module.web_sg[0].aws_security_group.this[0]/ingress/0 | ingress tcp port 443 0.0.0.0/0 | 7-12',
      'module.db_sg["db"].aws_security_group.this[0]/ingress/0 | ingress tcp port 443 10.0.0.0/8 | 7-12',
    ]);
    expect(m.groups[1].name).toBe('db');
    const extra = m.rules.find((r) => r.resource === 'aws_security_group_rule.extra')!;
    expect(extra.group).toBe('module.web_sg[0].aws_security_group.this[0]');
    expect(extra.peer.kind).toBe('unknown');
    expect(m.groups[0].mixesInlineAndStandalone).toBe(true);
  });
});

describe('network resources', () => {
  it('lists network resources with attributes and lines', async () => {
    const m = await scanFixture('network');
    expect(m.resources.map((r) => [r.address, r.location.line, r.location.endLine])).toEqual([
      ['aws_vpc.main', 1, 3],
      ['aws_subnet.public', 5, 9],
      ['aws_instance.web', 21, 28],
    ]);
    const inst = m.resources[2];
    expect(inst.attributeLines).toEqual({ ami: 22, subnet_id: 23, vpc_security_group_ids: 24, root_block_device: 25, 'root_block_device[0]': 25, 'root_block_device[0].volume_size': 26 });
    expect(inst.attributes.root_block_device).toEqual([{ volume_size: 8 }]);
    expect(m.resources[0].attributes).toEqual({ cidr_block: '10.0.0.0/16' });
  });

  needsEval('resolves aws_vpc.x.cidr_block to its literal and data sources to Unknown (needs the evaluator)', async () => {
    const m = await scanFixture('network');
    expect(m.rules.map(summarize)).toEqual(['aws_security_group.web/ingress/0 | ingress tcp port 22 10.0.0.0/16 | 13-18']);
    const dataRef = m.groups.find((g) => g.address === 'aws_security_group.data_ref')!;
    expect(dataRef.vpc).toBeInstanceOf(Unknown);
    expect(String(dataRef.vpc)).toMatch(/data source data.aws_vpc.shared is read at apply time/);
    expect(String(m.resources[2].attributes.subnet_id)).toBe('aws_subnet.public.id');
  });
});
