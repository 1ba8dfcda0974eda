import { withFolded } from '../../src/model/check.js';
import { describe, expect, it } from 'vitest';
import { buildNetwork } from '../../src/network/build.js';
import { buildModel, scan } from '../../src/pipeline/scan.js';
import { ALL_CHECKS } from '../../rules/index.js';

// Inline NACL entries and route-table routes point at their own block (or list element), and their
// attributes at their own lines: fixtures/terraform/network-lines/main.tf.

const ROOT = new URL('../..', import.meta.url).pathname;
const DIR = 'fixtures/terraform/network-lines';

async function network() {
  const model = await buildModel({ paths: [DIR], cwd: ROOT});
  expect(model.errors).toEqual([]);
  return { model, network: buildNetwork(model) };
}

describe('Terraform nested block lines', () => {
  it('records item and attribute lines of nested blocks in attributeLines', async () => {
    const { model } = await network();
    const rt = model.resources.find((r) => r.address === 'aws_route_table.public')!;
    expect(rt.attributeLines).toMatchObject({ route: 13, 'route[0]': 13, 'route[0].cidr_block': 14, 'route[1]': 18, 'route[1].ipv6_cidr_block': 19 });
    const list = model.resources.find((r) => r.address === 'aws_network_acl.list')!;
    expect(list.attributeLines).toMatchObject({ ingress: 57, 'ingress[0]': 58, 'ingress[1]': 66, 'ingress[1].cidr_block': 70 });
  });

  it('gives each inline NACL entry its own block, list element or dynamic block line', async () => {
    const { network: n } = await network();
    const lines = (id: string, dir: 'ingress' | 'egress') =>
      n.nacls.find((x) => x.id === id)![dir].map((e) => [e.ruleNumber, e.location.line, e.attributeLines.cidr_block, e.attributeLines.rule_no]);
    expect(lines('aws_network_acl.blocks', 'ingress')).toEqual([
      [100, 27, 31, 28],
      [110, 36, 40, 37],
    ]);
    expect(lines('aws_network_acl.blocks', 'egress')).toEqual([[100, 45, 49, 46]]);
    expect(lines('aws_network_acl.list', 'ingress')).toEqual([
      [100, 58, 62, 59],
      [200, 66, 70, 67],
    ]);
    // Entries written by one `dynamic` block share its line and its content's attribute lines.
    expect(lines('aws_network_acl.dynamic', 'ingress')).toEqual([
      [100, 80, 86, 83],
      [110, 80, 86, 83],
    ]);
  });

  it('gives each inline route its own block line', async () => {
    const { network: n } = await network();
    const rt = n.routeTables.find((t) => t.id === 'aws_route_table.public')!;
    const declared = rt.routes.filter((r) => r.targetKind !== 'local');
    expect(declared.map((r) => [r.destination, r.targetKind, r.location.line])).toEqual([
      ['0.0.0.0/0', 'igw', 13],
      ['::/0', 'igw', 18],
    ]);
  });

  it('reports NACL findings on inline entries at their exact lines', async () => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: [DIR], cwd: ROOT, version: 'test' });
    expect(result.errors).toEqual([]);
    // Each check's own line, including findings told as part of another (SGS023 at 100 is folded into SGS024 at 99).
    const findings = withFolded(result.findings)
      .filter((f) => ['SGS023', 'SGS024', 'SGS025', 'SGS026', 'SGS027'].includes(f.ruleId))
      .map((f) => [f.ruleId, f.line, f.resource])
      .sort((a, b) => Number(a[1]) - Number(b[1]) || String(a[0]).localeCompare(String(b[0])));
    expect(findings).toEqual([
      ['SGS023', 40, 'aws_network_acl.blocks'], // rule 110: cidr_block of the second ingress block
      ['SGS023', 70, 'aws_network_acl.list'], // rule 200: cidr_block of the second list element
      ['SGS024', 99, 'aws_network_acl.wide'], // protocol = "-1"
      ['SGS023', 100, 'aws_network_acl.wide'],
      ['SGS027', 105, 'aws_network_acl.wide'], // the shadowed deny's block
      ['SGS026', 106, 'aws_network_acl.wide'], // its duplicate rule_no
      ['SGS027', 114, 'aws_network_acl.wide'],
    ]);
  });
});

describe('Terraform plan JSON nested block lines', () => {
  it('matches set-ordered NACL entries and routes back to their blocks', async () => {
    const { mkdtempSync, copyFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-plan-'));
    copyFileSync(path.join(ROOT, DIR, 'main.tf'), path.join(dir, 'main.tf'));
    const entry = (rule_no: number, protocol: string, cidr_block: string, from_port: number, to_port: number, action = 'allow') => ({
      action,
      cidr_block,
      from_port,
      icmp_code: 0,
      icmp_type: 0,
      ipv6_cidr_block: '',
      protocol,
      rule_no,
      to_port,
    });
    const route = (cidr_block: string, ipv6_cidr_block: string) => ({ cidr_block, ipv6_cidr_block, gateway_id: 'igw-1', nat_gateway_id: '' });
    const plan = {
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            {
              address: 'aws_network_acl.blocks',
              mode: 'managed',
              type: 'aws_network_acl',
              name: 'blocks',
              // The provider keeps entries as a set: not in source order.
              values: { vpc_id: 'vpc-1', ingress: [entry(110, '6', '0.0.0.0/0', 22, 22), entry(100, '6', '10.0.0.0/16', 443, 443)], egress: [entry(100, '-1', '0.0.0.0/0', 0, 0)] },
            },
            { address: 'aws_route_table.public', mode: 'managed', type: 'aws_route_table', name: 'public', values: { vpc_id: 'vpc-1', route: [route('', '::/0'), route('0.0.0.0/0', '')] } },
          ],
        },
      },
    };
    writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(plan, null, 2));
    const { scanTerraformPlan } = await import('../../src/input/terraform/index.js');
    const { readFileSync } = await import('node:fs');
    const m = await scanTerraformPlan({ abs: path.join(dir, 'plan.json'), path: 'plan/plan.json' }, readFileSync(path.join(dir, 'plan.json'), 'utf8'));
    expect(m.errors).toEqual([]);
    const n = buildNetwork(m);
    const acl = n.nacls.find((x) => x.id === 'aws_network_acl.blocks')!;
    expect(acl.ingress.map((e) => [e.ruleNumber, e.location.file, e.location.line, e.attributeLines.cidr_block])).toEqual([
      [100, 'plan/main.tf', 27, 31],
      [110, 'plan/main.tf', 36, 40],
    ]);
    expect(acl.egress.map((e) => [e.ruleNumber, e.location.line])).toEqual([[100, 45]]);
    const rt = n.routeTables.find((t) => t.id === 'aws_route_table.public')!;
    expect(rt.routes.filter((r) => r.targetKind !== 'local').map((r) => [r.destination, r.location.line])).toEqual([
      ['0.0.0.0/0', 13],
      ['::/0', 18],
    ]);
  });
});
