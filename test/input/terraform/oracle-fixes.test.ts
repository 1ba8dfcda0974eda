import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { runChecks } from '../../../src/pipeline/runner.js';
import type { Model } from '../../../src/model/model.js';
import { scanTerraformModule } from '../../../src/input/terraform/index.js';
import { folderFiles, summarize } from './helpers.js';

// One test per wrong answer the Terraform oracle (oracle.test.ts) found, on the oracle's own module,
// stating the finding a reviewer sees. Terraform's recorded plan.json is the expected answer.
// No CloudFormation twins: sets, dynamic blocks and file functions have no CloudFormation form.

const ROOT = 'fixtures/terraform-plan';

async function scan(name: string): Promise<Model> {
  const dir = `${ROOT}/${name}`;
  return scanTerraformModule(dir, folderFiles(dir), { scanRoot: path.resolve(dir) });
}

const findings = (m: Model) => runChecks(m, ALL_CHECKS).map((f) => `${f.ruleId} ${f.certainty} ${f.file}:${f.line}`);

describe('issue 15: answers Terraform gives differently', () => {
  it('dynamic over a set: ingress.key is the element (port 22, a critical SSH finding, no invalid 22-0 range)', async () => {
    const m = await scan('dynamic-set-key');
    expect(m.rules.map(summarize)).toEqual(['aws_security_group.k/ingress/0 | ingress tcp port 22 0.0.0.0/0 | 5-13']);
    const f = findings(m);
    expect(f).toContain(`SGS001 definite ${ROOT}/dynamic-set-key/main.tf:5`);
    expect(f.filter((x) => x.startsWith('SGS007'))).toEqual([]);
  });

  it('a set(string) variable keeps one of each CIDR: no redundant-rule finding', async () => {
    const m = await scan('set-variable-dedupe');
    expect(m.rules.map((r) => summarize(r).split(' | ')[1])).toEqual(['ingress tcp port 443 10.0.0.0/8 (the default of var.cidrs)', 'ingress tcp port 443 192.168.0.0/16 (the default of var.cidrs)']);
    expect(findings(m).filter((x) => x.startsWith('SGS016'))).toEqual([]);
  });

  it('a group without description gets the provider\'s "Managed by Terraform", as the plan says', async () => {
    const m = await scan('inline-variable');
    expect(m.groups.find((g) => g.address === 'aws_security_group.closed')?.description).toBe('Managed by Terraform');
    const f = runChecks(m, ALL_CHECKS).filter((x) => x.ruleId === 'SGS003' && x.resource === 'aws_security_group.closed');
    expect(f.map((x) => `${x.file}:${x.line} ${x.message}`)).toEqual([
      `${ROOT}/inline-variable/main.tf:44 Security group aws_security_group.closed has only Terraform's default description "Managed by Terraform".`,
    ]);
  });
});

describe('issue 15: file(), templatefile() and yamldecode() are evaluated', () => {
  it('file(): the CIDRs in a file beside the code give a definite SSH-from-the-internet finding', async () => {
    const m = await scan('file-function');
    expect(m.rules.map((r) => summarize(r).split(' | ')[1]).sort()).toEqual(['ingress tcp port 22 0.0.0.0/0', 'ingress tcp port 22 10.0.0.0/8']);
    expect(findings(m)).toContain(`SGS001 definite ${ROOT}/file-function/main.tf:9`);
  });

  it('templatefile() with %{ for } and %{ if } directives renders the rules', async () => {
    const m = await scan('templatefile-function');
    expect(m.rules.map((r) => summarize(r).split(' | ')[1]).sort()).toEqual(['ingress tcp port 22 0.0.0.0/0', 'ingress tcp port 443 0.0.0.0/0']);
    expect(findings(m)).toContain(`SGS001 definite ${ROOT}/templatefile-function/main.tf:12`);
  });

  it('yamldecode() (with an anchor and a merge key) gives the rules of the YAML file', async () => {
    const m = await scan('yamldecode-function');
    expect(m.rules.map((r) => summarize(r).split(' | ')[1]).sort()).toEqual(['ingress tcp port 22 0.0.0.0/0', 'ingress tcp port 5432 10.0.0.0/8']);
    expect(m.groups.map((g) => g.name)).toEqual(['yaml-sg']);
  });

  function tmpModule(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-files-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return dir;
  }

  const SG = (expr: string) => `resource "aws_security_group" "x" {
  name        = "x"
  description = "x"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ${expr}
  }
}
`;

  it('a file outside the scanned folder is not read: the peer stays unknown, saying why', async () => {
    const dir = tmpModule({ 'secret.txt': '0.0.0.0/0', 'root/main.tf': SG('[trimspace(file("../secret.txt"))]') });
    const root = path.join(dir, 'root');
    const m = await scanTerraformModule(root, folderFiles(root), { scanRoot: root });
    expect(m.rules).toHaveLength(1);
    expect(m.rules[0].peer.kind).toBe('unknown');
    expect(JSON.stringify(m.rules[0].peer)).toContain('outside the scanned folder');
  });

  it('a file over the size limit is not read', async () => {
    const root = tmpModule({ 'main.tf': SG('[trimspace(file("big.txt"))]'), 'big.txt': `0.0.0.0/0${' '.repeat(4000)}` });
    const m = await scanTerraformModule(root, folderFiles(root), { scanRoot: root, maxFileBytes: 2000 });
    expect(m.rules[0].peer.kind).toBe('unknown');
    expect(JSON.stringify(m.rules[0].peer)).toContain('limit');
  });

  it('yamldecode() refuses an alias bomb instead of expanding it', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');
    const root = tmpModule({ 'main.tf': SG('[yamldecode(file("bomb.yaml")).a[0]]'), 'bomb.yaml': `${bomb}\n` });
    const m = await scanTerraformModule(root, folderFiles(root), { scanRoot: root });
    expect(m.errors).toEqual([]);
    expect(m.rules[0].peer.kind).toBe('unknown');
    expect(JSON.stringify(m.rules[0].peer)).toContain('YAML');
  });
});
