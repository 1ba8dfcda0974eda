import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Packaging, as a user meets it (slow: npm, tsc; about 20 s). Dependencies come from npm's local cache
// (--prefer-offline; `npm ci` has just filled it), the registry only if something is missing.
// - `npm pack` builds out/ (prepack) and the tarball, installed into an empty folder, runs `sgscan scan`;
// - `npm install -g .` in a fresh clone (no node_modules, no out/) gives a working `sgscan`.
// Both work on copies of the checkout, so the checkout's own out/ (which other tests run) is never
// rebuilt under them.

const REPO = path.resolve(__dirname, '../..');
const PKG = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };
const DEMO = path.join(REPO, 'fixtures/demo');
/** What a fresh clone holds that packing and building need (tests, fixtures and docs are not needed). */
const SOURCE = ['.npmrc', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE', 'bin', 'scripts', 'src', 'rules', 'schemas', 'data'];

const tmp = mkdtempSync(path.join(tmpdir(), 'sgscan-package-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** npm's own variables from an outer `npm test` (lifecycle, package, global settings) stay out. */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || keep.has(k.toLowerCase()))), NO_COLOR: '1' };
}

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: cleanEnv(), timeout: 180_000 });
  if (r.error) throw r.error;
  return r;
}

function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = run('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], cwd);
  expect(r.status, `npm ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

function copyCheckout(to: string): string {
  mkdirSync(to, { recursive: true });
  for (const entry of SOURCE) cpSync(path.join(REPO, entry), path.join(to, entry), { recursive: true });
  return to;
}

function expectScanWorks(sgscan: string) {
  const v = run(sgscan, ['--version'], tmp);
  expect(v.stdout).toBe(`${PKG.version}\n`);
  const r = run(sgscan, ['scan', DEMO], tmp);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/✖ \d+ findings \(\d+ critical/);
  expect(r.stdout).toContain('Reachable from the internet: aws_instance.bastion on tcp/22 (SSH).');
  expect(r.status).toBe(1); // findings at or above the default --fail-on high
}

describe('packaging', () => {
  it('npm pack builds out/ and the tarball, installed into an empty folder, runs sgscan scan', () => {
    // A checkout with its devDependencies (as after `npm ci`) but no out/: prepack must build it.
    const src = copyCheckout(path.join(tmp, 'src'));
    symlinkSync(path.join(REPO, 'node_modules'), path.join(src, 'node_modules'), 'dir');
    // Plain `npm pack`, as pre-commit runs it: its standard output must be the tarball's name alone,
    // which pre-commit reads (lifecycle banners there would break every pre-commit install).
    const pack = npm(['pack'], src);
    const tarball = `${PKG.name}-${PKG.version}.tgz`;
    expect(pack.stdout).toBe(`${tarball}\n`);
    const files = run('tar', ['tzf', path.join(src, tarball)], tmp).stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    expect(files).toEqual(expect.arrayContaining(['bin/sgscan.js', 'out/sgscan.js', 'out/scan-worker.js', 'out/src/cli/main.js', 'out/src/version.js', 'LICENSE', 'package.json', 'schemas/sgscan-config.schema.json']));
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.endsWith('.ts'))).toEqual([]);

    const app = path.join(tmp, 'app');
    mkdirSync(app);
    npm(['install', path.join(src, tarball)], app);
    expect(readdirSync(path.join(app, 'node_modules'))).toContain('commander'); // runtime dependencies came along
    expectScanWorks(path.join(app, 'node_modules/.bin/sgscan'));
  }, 120_000);

  it('npm install -g . in a fresh clone gives a working sgscan', () => {
    const clone = copyCheckout(path.join(tmp, 'clone'));
    expect(existsSync(path.join(clone, 'node_modules'))).toBe(false);
    const prefix = path.join(tmp, 'global');
    npm(['install', '-g', '.', '--prefix', prefix], clone);
    expect(existsSync(path.join(clone, 'out/sgscan.js'))).toBe(true);
    expectScanWorks(path.join(prefix, 'bin/sgscan'));
  }, 120_000);

  it('a source folder that was never built says what to do instead of a stack trace', () => {
    const bare = copyCheckout(path.join(tmp, 'bare'));
    const r = run(process.execPath, [path.join(bare, 'bin/sgscan.js'), 'scan', DEMO], tmp);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^sgscan: cannot start: .*\nsgscan: .* is a source folder that is not built: run `npm ci` there/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
