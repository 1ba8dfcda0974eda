import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { repositoryRoot, reportPathPrefix } from '../../src/cli/scan-setup.js';
import { sgFile } from '../pipeline/diff/git-repo.js';
import { validateSarifMultitool, validateSarifSchema } from '../helpers/sarif-validate.js';

// SARIF URIs are relative to the repository root (the nearest folder upward holding .git, found
// without running git), whatever folder the scan runs from; --sarif-root overrides.

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function repository(gitEntry: 'folder' | 'file' | 'none'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-root-'));
  dirs.push(dir);
  if (gitEntry === 'folder') mkdirSync(path.join(dir, '.git'));
  if (gitEntry === 'file') writeFileSync(path.join(dir, '.git'), 'gitdir: /elsewhere/.git/worktrees/x\n');
  mkdirSync(path.join(dir, 'infra'));
  writeFileSync(path.join(dir, 'infra', 'host.tf'), sgFile('web', [{ port: 22, cidr: '0.0.0.0/0', description: 'ssh' }]));
  return dir;
}

async function sarifFrom(cwd: string, extra: string[] = []) {
  let out = '';
  await main(['scan', '.', '--format', 'sarif', ...extra], { stdout: (s) => void (out += s), stderr: () => {}, isTTY: false, env: {}, cwd });
  const log = JSON.parse(out);
  return { text: out, log, uris: log.runs[0].results.map((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => r.locations[0].physicalLocation.artifactLocation.uri) as string[] };
}

describe('SARIF URIs relative to the repository root', () => {
  it('scanning from infra/ of a repository (a .git folder or a worktree\'s .git file) gives infra/host.tf', async () => {
    for (const kind of ['folder', 'file'] as const) {
      const repo = repository(kind);
      expect(repositoryRoot(path.join(repo, 'infra'))).toBe(repo);
      const { uris, log } = await sarifFrom(path.join(repo, 'infra'));
      expect(uris.length).toBeGreaterThan(0);
      expect(new Set(uris)).toEqual(new Set(['infra/host.tf']));
      expect(log.runs[0].originalUriBaseIds['%SRCROOT%']).toBeDefined();
    }
  });

  it('outside a repository: relative to the working folder; --sarif-root overrides either', async () => {
    const plain = repository('none');
    expect(reportPathPrefix(path.join(plain, 'infra'))).toBe('');
    expect((await sarifFrom(path.join(plain, 'infra'))).uris[0]).toBe('host.tf');
    expect((await sarifFrom(path.join(plain, 'infra'), ['--sarif-root', '..'])).uris[0]).toBe('infra/host.tf');
    const repo = repository('folder');
    expect((await sarifFrom(path.join(repo, 'infra'), ['--sarif-root', '.'])).uris[0]).toBe('host.tf');
  });

  it('still validates against the SARIF schema and the multitool (Sarif, Gh, Ado rules)', async () => {
    const repo = repository('folder');
    const { log, text } = await sarifFrom(path.join(repo, 'infra'));
    expect(validateSarifSchema(log)).toEqual([]);
    const file = path.join(repo, 'out.sarif');
    writeFileSync(file, text);
    expect(validateSarifMultitool(file)).toEqual([]);
  });
});
