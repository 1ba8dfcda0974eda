import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseParameters } from '../../src/cli/parameter-files.js';
import { parseGitignore, pathExcluder } from '../../src/config/index.js';
import { sgFile } from '../pipeline/diff/git-repo.js';

// The flags peers' users reach for (Checkov, Trivy, tfsec): each in --help, the README and here.

const REPO = path.resolve(__dirname, '../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-flags-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function run(args: string[], cwd = REPO) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, env: {}, cwd });
  return { code, stdout, stderr };
}

async function findings(cwd: string, args: string[]) {
  const r = await run(['scan', '.', '-f', 'json', ...args], cwd);
  expect(r.stderr).toBe('');
  return { code: r.code, list: (JSON.parse(r.stdout).findings as Array<JsonFinding>) };
}

interface JsonFinding { ruleId: string; file: string; severity: string; folded?: JsonFinding[] }

/** The checks a report speaks for: each finding's own and those folded into it (src/pipeline/fold.ts). */
const checksOf = (list: JsonFinding[]): Set<string> => new Set(list.flatMap((f) => [f.ruleId, ...checksOf(f.folded ?? [])]));

const SSH = (name: string) => sgFile(name, [{ port: 22, cidr: '0.0.0.0/0', description: 'ssh' }, { port: 443, cidr: '10.0.0.0/8', description: 'https' }]);

describe('--check and --skip-check', () => {
  const dir = tree({ 'sg.tf': SSH('web') });
  it('--check keeps only the named checks (ids or names, comma lists, repeatable)', async () => {
    const all = await findings(dir, []);
    expect(new Set(all.list.map((f) => f.ruleId)).size).toBeGreaterThan(1);
    expect(new Set((await findings(dir, ['--check', 'SGS001'])).list.map((f) => f.ruleId))).toEqual(new Set(['SGS001']));
    const two = await findings(dir, ['--check', 'admin-port-open-to-world,SGS005']);
    // SGS005 (an unlisted port open to the world) says what SGS001 says of the same rule: it is told once, folded.
    expect(two.list.map((f) => f.ruleId)).toEqual(['SGS001']);
    expect(checksOf(two.list)).toEqual(new Set(['SGS001', 'SGS005']));
    // Alone, nothing speaks for it: it is reported itself.
    expect(new Set((await findings(dir, ['--check', 'SGS005'])).list.map((f) => f.ruleId))).toEqual(new Set(['SGS005']));
    expect(await findings(dir, ['--check', 'SGS001', '--check', 'SGS005'])).toEqual(two);
  });
  it('--skip-check leaves them out; an unknown id is exit 2 naming it', async () => {
    expect((await findings(dir, ['--skip-check', 'SGS001,SGS005'])).list.some((f) => f.ruleId === 'SGS001' || f.ruleId === 'SGS005')).toBe(false);
    const r = await run(['scan', '.', '--skip-check', 'SGS999'], dir);
    expect([r.code, r.stderr]).toEqual([2, 'sgscan: --skip-check SGS999: unknown check (`sgscan rules` lists them)\n']);
  });
});

describe('path exclusion: --skip-path, the configuration\'s exclude:, .gitignore', () => {
  const dir = tree({
    'infra/sg.tf': SSH('a'),
    'legacy/old/sg.tf': SSH('b'),
    'vendor/sg.tf': SSH('c'),
    'generated/sg.tf': SSH('d'),
    'infra/scratch.tf': SSH('e'),
    '.gitignore': '# build output\ngenerated/\n!keep.tf\n',
    'infra/.gitignore': 'scratch.tf\n',
    '.sgscan.yml': 'exclude:\n  - "vendor/**"\n',
  });
  const files = async (args: string[]) => [...new Set((await findings(dir, args)).list.map((f) => f.file))].sort();
  it('by default: the configuration\'s exclude and every .gitignore apply', async () => {
    expect(await files([])).toEqual(['infra/sg.tf', 'legacy/old/sg.tf']);
  });
  it('--skip-path globs (a folder, its contents, a file name)', async () => {
    expect(await files(['--skip-path', 'legacy/**'])).toEqual(['infra/sg.tf']);
    expect(await files(['--skip-path', 'legacy'])).toEqual(['infra/sg.tf']);
    // Every file left out: nothing to scan is exit 2, as for an empty folder.
    expect(await run(['scan', '.', '--skip-path', 'sg.tf'], dir)).toMatchObject({ code: 2, stderr: 'sgscan: no Terraform or CloudFormation found in .\n' });
  });
  it('--no-gitignore scans ignored files too; a path named on the command line is always read', async () => {
    expect(await files(['--no-gitignore'])).toEqual(['generated/sg.tf', 'infra/scratch.tf', 'infra/sg.tf', 'legacy/old/sg.tf']);
    const named = await run(['scan', 'generated/sg.tf', '-f', 'json'], dir);
    expect(JSON.parse(named.stdout).findings.some((f: { file: string }) => f.file === 'generated/sg.tf')).toBe(true);
  });
  it('reads simple .gitignore patterns: anchored, folder-only, **, comments; negations are skipped', () => {
    const rules = parseGitignore('# c\n\n/top.tf\nbuild/\n**/tmp/*.tf\n!x.tf\nname.tf  \n');
    expect(rules).toHaveLength(4);
    const ex = pathExcluder({ cwd: '/r', gitignoreRoot: '/r', readFile: (f) => (f === '/r/.gitignore' ? '/top.tf\nbuild/\n**/tmp/*.tf\nname.tf\n' : undefined) })!;
    expect(ex('top.tf', false)).toBe(true);
    expect(ex('sub/top.tf', false)).toBe(false);
    expect(ex('a/build', true)).toBe(true);
    expect(ex('a/build', false)).toBe(false);
    expect(ex('x/tmp/a.tf', false)).toBe(true);
    expect(ex('deep/er/name.tf', false)).toBe(true);
    expect(ex('main.tf', false)).toBe(false);
  });
});

describe('--severity, --quiet, --compact', () => {
  const dir = tree({ 'sg.tf': SSH('web') });
  it('--severity shows (and fails on) only those levels', async () => {
    const all = await findings(dir, []);
    expect(all.code).toBe(1);
    const crit = await findings(dir, ['--severity', 'critical']);
    expect(crit.list.length).toBeGreaterThan(0);
    expect(crit.list.every((f) => f.severity === 'critical')).toBe(true);
    expect(crit.code).toBe(1);
    const low = await findings(dir, ['--severity', 'low,info']);
    expect(low.list.every((f) => f.severity === 'low' || f.severity === 'info')).toBe(true);
    expect(low.code).toBe(0); // the critical one is neither shown nor judged
    expect(await run(['scan', '.', '--severity', 'urgent'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('--severity urgent') });
  });
  it('--quiet prints only the failing findings; --compact drops code frames', async () => {
    const full = await run(['scan', '.'], dir);
    expect(full.stdout).toMatch(/│/);
    expect(full.stdout).toMatch(/\b(low|info) +SGS/);
    const quiet = await run(['scan', '.', '--quiet'], dir);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toMatch(/critical {2}SGS001/);
    expect(quiet.stdout).not.toMatch(/\b(medium|low|info) {2,}SGS/);
    const compact = await run(['scan', '.', '--compact'], dir);
    expect(compact.stdout).not.toMatch(/│/);
    expect(compact.stdout).toMatch(/critical {2}SGS001/);
  });
});

describe('--parameter-file shapes (shared with the Action\'s parameter-files)', () => {
  const template = `Parameters:\n  Cidr:\n    Type: String\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: ssh\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: !Ref Cidr\n          Description: ssh\n`;
  const shapes: Record<string, string> = {
    'cli.json': '[{"ParameterKey": "Cidr", "ParameterValue": "0.0.0.0/0"}]',
    'deploy.json': '["Cidr=0.0.0.0/0"]',
    'cfn-lint.json': '{"Parameters": {"Cidr": "0.0.0.0/0"}}',
  };
  const dir = tree({ 'template.yaml': template, ...shapes, 'private.json': '["Cidr=10.1.0.0/16"]' });
  it.each(Object.keys(shapes))('%s gives the value to the template', async (file) => {
    const r = await findings(dir, ['--parameter-file', file]);
    expect(r.list.filter((f) => f.ruleId === 'SGS001')).toHaveLength(1);
    expect((await findings(dir, ['--parameter-file', 'private.json'])).list.some((f) => f.ruleId === 'SGS001')).toBe(false);
  });
  it('a malformed file names itself and the entry', () => {
    expect(parseParameters(['Cidr'], 'p.json').error).toBe('the parameter file p.json: entry 1 ("Cidr") is not Key=Value');
    expect(parseParameters([{ ParameterKey: 'A' }], 'p.json').error).toBe('the parameter file p.json: entry 1 (A) has no ParameterValue');
    expect(parseParameters([{ ParameterKey: 'A', UsePreviousValue: true }], 'p.json')).toEqual({ parameters: [] });
    expect(parseParameters(3, 'p.json').error).toMatch(/^the parameter file p\.json: is neither/);
  });
});

describe('every scan flag is in --help and the README', () => {
  it('lists them', async () => {
    const help = (await run(['scan', '--help'])).stdout;
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const flags = [...help.matchAll(/(?:^|\s)(--[a-z][a-z-]+)/g)].map((m) => m[1]).filter((f) => f !== '--help');
    for (const f of ['--check', '--skip-check', '--skip-path', '--no-gitignore', '--severity', '--quiet', '--compact', '--parameter-file', '--sarif-root']) expect(flags).toContain(f);
    for (const f of new Set(flags)) expect(readme, f).toContain(f);
  });
});

describe('--jobs', () => {
  it('takes 1, N or auto; anything else is a usage error (exit 2) that says what it takes', async () => {
    for (const bad of ['0', '-1', 'two', '1.5']) {
      const r = await run(['scan', 'fixtures/demo', '--jobs', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain(`--jobs must be a number of threads (1 or more) or auto, got "${bad}"`);
    }
    const reports = await Promise.all(['1', '2', 'auto'].map((j) => run(['scan', 'fixtures/demo', '-f', 'json', '--jobs', j])));
    for (const r of reports) expect([r.code, r.stderr]).toEqual([1, '']);
    expect(new Set(reports.map((r) => r.stdout)).size).toBe(1);
  });
});
