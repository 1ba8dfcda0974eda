import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/input/discover.js';
import { readSource } from '../../src/input/read.js';
import { createFileIdentity } from '../../src/input/repo.js';

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'sgscan-load-'));
  mkdirSync(path.join(root, 'net', 'modules', 'sg'), { recursive: true });
  mkdirSync(path.join(root, 'node_modules', 'x'), { recursive: true });
  mkdirSync(path.join(root, '.terraform', 'modules'), { recursive: true });
  mkdirSync(path.join(root, 'cfn'), { recursive: true });
  writeFileSync(path.join(root, 'net', 'b.tf'), '');
  writeFileSync(path.join(root, 'net', 'a.tf'), '');
  writeFileSync(path.join(root, 'net', 'terraform.tfvars'), '');
  writeFileSync(path.join(root, 'net', 'modules', 'sg', 'main.tf'), '');
  writeFileSync(path.join(root, 'node_modules', 'x', 'skip.tf'), '');
  writeFileSync(path.join(root, '.terraform', 'modules', 'skip.tf'), '');
  writeFileSync(path.join(root, 'cfn', 'stack.yaml'), '');
  writeFileSync(path.join(root, 'cfn', 'file with spaces é.json'), '');
  writeFileSync(path.join(root, 'notes.md'), '');
  symlinkSync(root, path.join(root, 'cfn', 'loop'));
  symlinkSync('/etc', path.join(root, 'outside'));
});

afterAll(() => {
  // temp folders are left to the OS; nothing here is large
});

describe('discover', () => {
  it('groups Terraform files by folder, skips dependency folders, sorts everything', async () => {
    const d = await discover(['.'], { cwd: root });
    const modules = [...d.terraformModules.entries()].map(([dir, files]) => [path.relative(root, dir), files.map((f) => f.path)]);
    expect(modules).toEqual([
      ['net', ['net/a.tf', 'net/b.tf', 'net/terraform.tfvars']],
      ['net/modules/sg', ['net/modules/sg/main.tf']],
    ]);
    expect(d.documents.map((f) => f.path)).toEqual(['cfn/file with spaces é.json', 'cfn/stack.yaml']);
  });

  it('does not follow a link out of the scanned folder, and survives a link loop', async () => {
    const d = await discover(['.'], { cwd: root });
    expect(d.errors).toContainEqual({ file: 'outside', message: 'symbolic link points outside the scanned folder (not followed)' });
    // the loop points at the root itself, which was already walked: no duplicates
    expect(d.documents.length).toBe(2);
  });

  it('reports a path that does not exist', async () => {
    const d = await discover(['missing'], { cwd: root });
    expect(d.errors).toEqual([{ file: 'missing', message: 'no such file or folder' }]);
  });
});

describe('readSource', () => {
  const file = (name: string, content: string | Buffer) => {
    const abs = path.join(root, name);
    writeFileSync(abs, content);
    return { abs, path: name };
  };

  it('drops a UTF-8 BOM', async () => {
    const r = await readSource(file('bom.tf', '\uFEFFresource "x" "y" {}\n'));
    expect(r).toEqual({ ok: true, text: 'resource "x" "y" {}\n' });
  });

  it('refuses binary content with the line of the first NUL byte', async () => {
    const r = await readSource(file('bin.tf', Buffer.from('a\nb\n\u0000c')));
    expect(r).toEqual({ ok: false, error: { file: 'bin.tf', line: 3, message: 'binary content (NUL byte); not a text file' } });
  });

  it('refuses invalid UTF-8 naming the line', async () => {
    const r = await readSource(file('bad.tf', Buffer.concat([Buffer.from('ok\nok\n'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')])));
    expect(r).toEqual({ ok: false, error: { file: 'bad.tf', line: 3, message: 'not valid UTF-8' } });
  });

  it('refuses files over the size limit', async () => {
    const r = await readSource(file('big.yaml', 'x'.repeat(2000)), 1000);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/over the .* limit/);
  });
});

describe('file identity', () => {
  it('is the path from the repository root, whatever the working folder', () => {
    mkdirSync(path.join(root, 'repo', '.git', 'x'), { recursive: true });
    mkdirSync(path.join(root, 'repo', 'infra'), { recursive: true });
    const fromRoot = createFileIdentity(root)('repo/infra/main.tf');
    const fromInfra = createFileIdentity(path.join(root, 'repo', 'infra'))('main.tf');
    expect(fromRoot).toBe('infra/main.tf');
    expect(fromInfra).toBe('infra/main.tf');
  });
});
