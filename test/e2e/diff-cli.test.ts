import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { APP, groups, HTTPS, NETWORK, SSH as SSH_RULE } from '../pipeline/diff/estate.js';
import { sgFile, TempRepo } from '../pipeline/diff/git-repo.js';

const schema = JSON.parse(readFileSync(path.resolve(__dirname, '../../schemas/sgscan-report.schema.json'), 'utf8'));
const validate = new Ajv.default({ allErrors: true }).compile(schema);

async function run(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, env: {}, cwd };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const repos: TempRepo[] = [];
function repo(): TempRepo {
  const r = new TempRepo();
  repos.push(r);
  return r;
}
afterAll(() => repos.forEach((r) => r.dispose()));

const WEB = { port: 443, cidr: '0.0.0.0/0', description: 'https' };
const SSH = { port: 22, cidr: '0.0.0.0/0', description: 'ssh' };
const INTERNAL = { port: 5432, cidr: '10.0.0.0/16', description: 'db' };

describe('sgscan scan --diff-base', () => {
  it('a change that opens SSH to the world: one new critical finding, exit 1, status in JSON', async () => {
    const r = repo();
    r.commit({ 'infra/sg.tf': sgFile('web', [WEB]) }, 'base');
    r.write('infra/sg.tf', sgFile('web', [WEB, SSH])); // uncommitted: the working tree is the head
    const out = await run(['scan', 'infra', '--diff-base', 'HEAD', '--format', 'json'], r.dir);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(1);
    const report = JSON.parse(out.stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const ssh = report.findings.filter((f: { ruleId: string }) => f.ruleId === 'SGS001');
    expect(ssh).toHaveLength(1);
    expect(ssh[0]).toMatchObject({ status: 'new', severity: 'critical', file: 'infra/sg.tf', line: 13 });
    const fresh = report.findings.filter((f: { status: string }) => f.status === 'new');
    // Everything new is about the SSH rule; the HTTPS rule's findings are unchanged.
    expect(fresh.every((f: { message: string }) => /22|SSH/.test(f.message)), JSON.stringify(fresh)).toBe(true);
    expect(report.summary.diff).toMatchObject({ base: 'HEAD', new: fresh.length, unchanged: report.findings.length - fresh.length, fixed: 0 });
    expect(report.summary.diff.newBySeverity.critical).toBe(1);
    // The working tree was left alone.
    expect(r.git('status', '--porcelain')).toBe('M infra/sg.tf');
  });

  it('reordering rules and moving lines adds nothing new: exit 0', async () => {
    const r = repo();
    r.commit({ 'sg.tf': sgFile('web', [WEB, SSH, INTERNAL]) }, 'base');
    r.write('sg.tf', `# moved down\n\n${sgFile('web', [INTERNAL, SSH, WEB])}`);
    const out = await run(['scan', '.', '--diff-base', 'HEAD', '--format', 'json'], r.dir);
    const report = JSON.parse(out.stdout);
    expect(report.summary.diff.new).toBe(0);
    expect(report.summary.diff.fixed).toBe(0);
    expect(report.findings.some((f: { ruleId: string }) => f.ruleId === 'SGS001')).toBe(true);
    expect(out.code).toBe(0);
  });

  it('text leads with the new findings, then unchanged and fixed', async () => {
    const r = repo();
    r.commit({ 'sg.tf': sgFile('web', [SSH]) }, 'base');
    r.write('sg.tf', sgFile('web', [{ port: 3389, cidr: '0.0.0.0/0', description: 'rdp' }]));
    const out = await run(['scan', '.', '--diff-base', 'HEAD'], r.dir);
    expect(out.code).toBe(1);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toMatch(/^This change newly introduces \d+ findings? \(.*critical.*\) compared with HEAD; \d+ unchanged, [1-9]\d* fixed\.$/);
    expect(out.stdout).toMatch(/RDP|3389/);
    expect(out.stdout).toMatch(/Fixed \(at HEAD, gone now\): \d+\n.*SGS001 sg\.tf:\d+ .*SSH/);
    expect(out.stdout.indexOf('3389')).toBeLessThan(out.stdout.indexOf('Fixed'));
  });

  it('scanning from a subfolder lines up with the base (same relative paths and fingerprints)', async () => {
    const r = repo();
    r.commit({ 'envs/prod/sg.tf': sgFile('web', [SSH]) }, 'base');
    const out = await run(['scan', '.', '--diff-base', 'HEAD', '--format', 'json'], path.join(r.dir, 'envs/prod'));
    const report = JSON.parse(out.stdout);
    expect(report.summary.diff.new).toBe(0);
    expect(report.summary.diff.unchanged).toBeGreaterThan(0);
    expect(report.findings[0].file).toBe('sg.tf');
    expect(out.code).toBe(0);
  });

  it('a folder that did not exist at the base: everything is new', async () => {
    const r = repo();
    r.commit({ 'README.md': 'x' }, 'base');
    r.commit({ 'new/sg.tf': sgFile('web', [SSH]) }, 'head');
    const out = await run(['scan', 'new', '--diff-base', 'HEAD~1', '--format', 'json'], r.dir);
    expect(JSON.parse(out.stdout).summary.diff.new).toBeGreaterThan(0);
    expect(out.code).toBe(1);
  });

  it('errors: not a git repository, unknown revision, option-like revision, both modes: exit 2 with a message', async () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'sgscan-nogit-'));
    writeFileSync(path.join(plain, 'sg.tf'), sgFile('web', [SSH]));
    const a = await run(['scan', '.', '--diff-base', 'main'], plain);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^sgscan: .* is not inside a git repository/);
    expect(a.stdout).toBe('');

    const r = repo();
    r.commit({ 'sg.tf': sgFile('web', [SSH]) }, 'base');
    const b = await run(['scan', '.', '--diff-base', 'no-such-branch'], r.dir);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown git revision "no-such-branch"/);
    const c = await run(['scan', '.', '--diff-base=--output=x'], r.dir);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/invalid git revision/);
    const d = await run(['scan', '.', '--diff-base', 'HEAD', '--baseline', 'x.json'], r.dir);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/cannot be used together/);
  });
});

describe('sgscan scan --baseline', () => {
  it('compares with a stored JSON report', async () => {
    const r = repo();
    r.write('sg.tf', sgFile('web', [SSH]));
    const first = await run(['scan', '.', '--format', 'json', '--output', 'baseline.json'], r.dir);
    expect(first.code).toBe(1);
    const same = await run(['scan', 'sg.tf', '--baseline', 'baseline.json', '--format', 'json'], r.dir);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout).summary.diff).toMatchObject({ base: 'baseline baseline.json', new: 0, fixed: 0 });

    r.write('sg.tf', sgFile('web', [{ port: 3389, cidr: '0.0.0.0/0' }]));
    const changed = await run(['scan', 'sg.tf', '--baseline', 'baseline.json', '--format', 'json'], r.dir);
    const report = JSON.parse(changed.stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.summary.diff.new).toBeGreaterThan(0);
    expect(report.fixed.map((f: { ruleId: string }) => f.ruleId)).toContain('SGS001');
    expect(changed.code).toBe(1);
  });

  it('a file that is not a report: exit 2 naming the file', async () => {
    const r = repo();
    r.write('sg.tf', sgFile('web', [SSH]));
    r.write('bad.json', '{"tool": {}}');
    const out = await run(['scan', '.', '--baseline', 'bad.json'], r.dir);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/bad\.json is not an sgscan JSON report/);
  });
});

describe('new internet exposures lead the diff reports', () => {
  const base = { 'network.tf': NETWORK, 'security.tf': groups([HTTPS], [APP]) };
  const webLine = NETWORK.split('\n').indexOf('resource "aws_instance" "web" {') + 1;

  it('text: the exposure sentence, its location and path come first', async () => {
    const r = repo();
    r.commit(base, 'base');
    r.write('security.tf', groups([HTTPS, SSH_RULE], [APP]));
    const out = await run(['scan', '.', '--diff-base', 'HEAD'], r.dir);
    expect(out.code).toBe(1);
    const lines = out.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'This change newly exposes aws_instance.web to the internet on tcp/22 (SSH) (critical)',
      `  network.tf:${webLine}`,
      '  path: internet',
      '        → aws_instance.web has a public IPv4 address (associate_public_ip_address = true) (network.tf:37)',
    ]);
    expect(out.stdout).toMatch(/→ sg rule aws_security_group\.web ingress \(tcp\/22 from 0\.0\.0\.0\/0\) \(security\.tf:\d+\)\n {8}→ .*\n {8}→ aws_instance\.web\n\nThis change newly introduces /);
    // The HTTPS exposure was already there: it is listed as unchanged, without its long path.
    expect(out.stdout).toMatch(/Unchanged \(already at HEAD\): \d+\n(?:.*\n)*  medium   SGS040 network\.tf:\d+ aws_instance\.web is reachable from the internet on tcp\/443 \(HTTPS\): tcp\/443 from anywhere on the IPv4 internet\n/);
  });

  it('markdown: a "New internet exposures" section before the headline; none when nothing new is exposed', async () => {
    const r = repo();
    r.commit(base, 'base');
    r.write('security.tf', groups([HTTPS, SSH_RULE], [APP]));
    const md = (await run(['scan', '.', '--diff-base', 'HEAD', '--format', 'markdown'], r.dir)).stdout;
    expect(md.startsWith(`## sgscan\n\n### New internet exposures: 1\n\n- 🟥 **This change newly exposes aws\\_instance.web to the internet on tcp/22 (SSH)** (critical, network.tf:${webLine}) through: internet → `)).toBe(true);
    expect(md.indexOf('New internet exposures')).toBeLessThan(md.indexOf('**This change newly introduces'));

    // SSH opened on the private host only: a new (lowered) finding, but no exposure section.
    r.write('security.tf', groups([HTTPS], [APP, SSH_RULE]));
    const quiet = await run(['scan', '.', '--diff-base', 'HEAD', '--format', 'markdown'], r.dir);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain('New internet exposures');
    expect(quiet.stdout).toMatch(/^## sgscan\n\n\*\*This change newly introduces \d+ findings? \(.*low.*\)/);
  });

  it('against a stored baseline report too', async () => {
    const r = repo();
    for (const [f, t] of Object.entries(base)) r.write(f, t);
    await run(['scan', '.', '--format', 'json', '--output', 'baseline.json'], r.dir);
    r.write('security.tf', groups([HTTPS, SSH_RULE], [APP]));
    const out = await run(['scan', '.', '--baseline', 'baseline.json'], r.dir);
    expect(out.stdout.split('\n')[0]).toBe('This change newly exposes aws_instance.web to the internet on tcp/22 (SSH) (critical)');
  });
});
