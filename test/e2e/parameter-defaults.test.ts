import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline/scan.js';
import type { Finding } from '../../src/model/check.js';
import { withFolded } from '../../src/model/check.js';
import { ALL_CHECKS } from '../../rules/index.js';

// A rule whose source is a deploy-time input left at its default (a CloudFormation parameter's
// Default, a Terraform variable's default) is exposed as deployed by default, so the finding stays
// definite; but the fix is the default, so the message names it. Twins: fixtures/defaults/.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CFN = 'fixtures/defaults/cloudformation/template.yaml';
const TF = 'fixtures/defaults/terraform/main.tf';

async function findings(file: string, extra: Record<string, unknown> = {}): Promise<Finding[]> {
  const { result } = await scan({ checks: ALL_CHECKS, paths: [file], cwd: ROOT, version: 'test', ...extra });
  expect(result.errors).toEqual([]);
  return withFolded(result.findings);
}

function at(list: Finding[], ruleId: string, line: number): Finding {
  const f = list.find((x) => x.ruleId === ruleId && x.line === line);
  if (!f) throw new Error(`no ${ruleId} at line ${line}: ${list.map((x) => `${x.ruleId}:${x.line}`).join(', ')}`);
  return f;
}

const twins = [
  { format: 'CloudFormation', file: CFN, param: (n: string) => `parameter ${n}`, lines: { ssh: 54, telnet: 59, web: 64, office: 69, admin: 74, literal: 79 }, names: { ssh: 'SSHLocation', clients: 'ClientCidrs', office: 'OfficeCidr' } },
  { format: 'Terraform', file: TF, param: (n: string) => `var.${n}`, lines: { ssh: 52, telnet: 60, web: 68, office: 76, admin: 84, literal: 92 }, names: { ssh: 'ssh_location', clients: 'client_cidrs', office: 'office_cidr' } },
] as const;

describe.each(twins)('a rule source from a default ($format)', ({ file, param, lines, names }) => {
  it('SGS001 names the default it comes from, and stays definite', async () => {
    const f = at(await findings(file), 'SGS001', lines.ssh);
    expect(f.file).toBe(file);
    expect(f.message).toContain(`allows SSH (tcp/22) from the whole internet (0.0.0.0/0, the default of ${param(names.ssh)}).`);
    expect(f.certainty).toBe('definite');
    expect(f.severity).toBe('critical');
  });

  it('an element of a list default (!Select / var.x[0]) names the list (SGS004)', async () => {
    const f = at(await findings(file), 'SGS004', lines.telnet);
    expect(f.message).toContain(`allows Telnet (tcp/23) from the whole internet (0.0.0.0/0, the default of ${param(names.clients)}).`);
    expect(f.certainty).toBe('definite');
  });

  it('an interpolation of one default (!Sub "${P}" / "${var.x}") names it (SGS005)', async () => {
    const f = at(await findings(file), 'SGS005', lines.web);
    expect(f.message).toContain(`allows tcp port 8080 from the whole internet (0.0.0.0/0, the default of ${param(names.ssh)}), outside`);
  });

  it('a public range from a default says so inside the size (SGS010), and the exposure path names it (SGS040)', async () => {
    const list = await findings(file);
    const f = at(list, 'SGS010', lines.office);
    expect(f.message).toContain(`from the documentation range 198.51.100.0/24 (a placeholder for public addresses; 256 addresses, the default of ${param(names.office)}).`);
    const x = list.find((y) => y.ruleId === 'SGS040' && y.message.includes('tcp/3306'));
    expect(x?.message).toContain(`(tcp/3306 from 198.51.100.0/24 (the default of ${param(names.office)}))`);
  });

  it('a literal source and an input with no default are told as before', async () => {
    const list = await findings(file);
    expect(at(list, 'SGS004', lines.literal).message).toContain('PostgreSQL (tcp/5432) from the whole internet (0.0.0.0/0).');
    const admin = at(list, 'SGS001', lines.admin);
    expect(admin.certainty).toBe('possible');
    expect(admin.message).toMatch(/the source comes from (parameter AdminCidr|var.admin_cidr), which may be 0.0.0.0\/0/);
    expect(list.map((x) => x.message).join('\n')).not.toContain('default of parameter AdminCidr');
  });
});

describe('a value given for the input is not its default', () => {
  it('CloudFormation --parameter SSHLocation=0.0.0.0/0: no "default of"', async () => {
    const f = at(await findings(CFN, { cloudformation: { parameters: [['SSHLocation', '0.0.0.0/0']] } }), 'SGS001', 54);
    expect(f.message).toContain('allows SSH (tcp/22) from the whole internet (0.0.0.0/0).');
  });

  it('Terraform --var ssh_location=0.0.0.0/0: no "default of"', async () => {
    const f = at(await findings(TF, { terraform: { vars: [['ssh_location', '0.0.0.0/0']] } }), 'SGS001', 52);
    expect(f.message).toContain('allows SSH (tcp/22) from the whole internet (0.0.0.0/0).');
  });
});

describe('a tuple written out names the default of its own elements only (Terraform)', () => {
  it('cidr_blocks = [var.admin_cidr, "10.0.0.0/8"]: the literal has no origin', async () => {
    const { buildModel } = await import('../../src/pipeline/scan.js');
    const model = await buildModel({ paths: ['fixtures/terraform-plan/inline-variable/main.tf'], cwd: ROOT });
    const peers = model.rules.filter((r) => r.location.line === 20).map((r) => (r.peer.kind === 'cidr' ? `${r.peer.cidr} ${r.peer.origin ?? '-'}` : r.peer.kind));
    expect(peers).toEqual(['0.0.0.0/0 the default of var.admin_cidr', '10.0.0.0/8 -']);
  });
});

describe.each(twins)('review #41: a possible SGS005 names the port ($format)', ({ file }) => {
  it('udp/3391 from an input with no default: "Possibly ... allows udp port 3391 ..."', async () => {
    const list = await findings(file);
    const f = at(list, 'SGS005', file === CFN ? 84 : 100);
    expect(f.certainty).toBe('possible');
    expect(f.message).toMatch(/^Possibly: security group (Bastion|aws_security_group\.bastion) allows udp port 3391 from the whole internet, outside the ports allowed to face it \(tcp 80, 443\), depending on values not known statically \(the source comes from (parameter AdminCidr|var\.admin_cidr), which may be 0\.0\.0\.0\/0\)\./);
  });
});

describe('a default that is only a fallback is not named (Terraform)', () => {
  it('cidr_blocks = [lookup(local.ssh, "cidr_blocks", var.fallback_cidr)]: the value is the map\'s', async () => {
    const f = at(await findings('fixtures/defaults/terraform-fallback/main.tf'), 'SGS001', 15);
    expect(f.message).toBe('Security group aws_security_group.fallback allows SSH (tcp/22) from the whole internet (0.0.0.0/0).');
  });
});
