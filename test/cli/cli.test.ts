import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, terminalWidth, type Io } from '../../src/cli/main.js';
import { validateSarifMultitool, validateSarifSchema } from '../helpers/sarif-validate.js';

const REPO = path.resolve(__dirname, '../..');

/** Runs the CLI in-process with captured output. */
async function run(args: string[], opts: { env?: Record<string, string>; isTTY?: boolean; columns?: number; cwd?: string } = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    isTTY: opts.isTTY ?? false,
    columns: opts.columns,
    env: opts.env ?? {},
    cwd: opts.cwd ?? REPO,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

describe('sgscan scan on the demo', () => {
  it('reports the bastion SSH open to the world with file:line, and exits 1', async () => {
    const r = await run(['scan', 'fixtures/demo']);
    expect(r.code).toBe(1);
    const tf = readFileSync(path.join(REPO, 'fixtures/demo/terraform/security.tf'), 'utf8').split('\n');
    const sshLine = tf.findIndex((l) => l.includes('SSH from anywhere')) ; // description line inside the block
    expect(sshLine).toBeGreaterThan(0);
    // The finding points at the `ingress {` line that opens the offending block.
    expect(tf[sshLine - 1]).toMatch(/^\s*ingress\s*\{/);
    expect(r.stdout).toContain(`fixtures/demo/terraform/security.tf:${sshLine}`);
    expect(r.stdout).toMatch(/critical\s+SGS001\s+Security group aws_security_group\.bastion allows SSH \(tcp\/22\)/);
    expect(r.stdout).toMatch(/critical\s+SGS001\s+Security group BastionSecurityGroup allows SSH/);
    expect(r.stdout).not.toMatch(/\u001b\[/); // not a TTY: no colour
  });

  it('JSON: stable fields, relative paths, fingerprints without lines', async () => {
    const r = await run(['scan', 'fixtures/demo', '--format', 'json']);
    const report = JSON.parse(r.stdout);
    expect(report.tool).toEqual({ name: 'sgscan', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    const ssh = report.findings.filter((f: { ruleId: string }) => f.ruleId === 'SGS001');
    expect(ssh.map((f: { resource: string }) => f.resource).sort()).toEqual(['BastionSecurityGroup', 'aws_security_group.bastion']);
    for (const f of report.findings) {
      expect(f.file).not.toMatch(/^\/|\\/);
      expect(f.line).toBeGreaterThanOrEqual(1);
      expect(f.endLine).toBeGreaterThanOrEqual(f.line);
      expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(report.errors).toEqual([]);
  });

  it('the same scan twice gives the same bytes', async () => {
    const a = await run(['scan', 'fixtures/demo', '--format', 'sarif']);
    const b = await run(['scan', 'fixtures/demo', '--format', 'sarif']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('fingerprints do not depend on the working folder', async () => {
    const a = JSON.parse((await run(['scan', 'fixtures/demo', '--format', 'json'])).stdout);
    const b = JSON.parse((await run(['scan', '.', '--format', 'json'], { cwd: path.join(REPO, 'fixtures/demo') })).stdout);
    const fp = (r: { findings: { fingerprint: string }[] }) => r.findings.map((f) => f.fingerprint).sort();
    expect(fp(b)).toEqual(fp(a));
  });

  it('SARIF validates against the OASIS schema and Microsoft validator (Sarif, Gh, Ado rules)', async () => {
    const r = await run(['scan', 'fixtures/demo', '--format', 'sarif']);
    const log = JSON.parse(r.stdout);
    expect(validateSarifSchema(log)).toEqual([]);
    const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-cli-'));
    const file = path.join(dir, 'demo.sarif');
    writeFileSync(file, r.stdout);
    expect(validateSarifMultitool(file)).toEqual([]);
  });

  it('writes several formats from one analysis', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-cli-'));
    const sarif = path.join(dir, 'a.sarif');
    const r = await run(['scan', 'fixtures/demo', '--format', 'sarif', '--output', sarif, '--format', 'text']);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).version).toBe('2.1.0');
    expect(r.stdout).toContain('SGS001');
  });
});

describe('the text report on a terminal', () => {
  it('lists the most severe findings first, then by file', async () => {
    const r = await run(['scan', 'fixtures/demo', '--compact']);
    const severities = [...r.stdout.matchAll(/^ {2}(critical|high|medium|low|info) /gm)].map((m) => m[1]);
    const rank = ['critical', 'high', 'medium', 'low', 'info'];
    expect(severities.length).toBeGreaterThan(5);
    expect(severities).toEqual([...severities].sort((a, b) => rank.indexOf(a) - rank.indexOf(b)));
    expect(severities[0]).toBe('critical');
  });

  it("wraps to the terminal's width (or COLUMNS), and not at all in a pipe or file", async () => {
    const at = async (opts: { env?: Record<string, string>; isTTY?: boolean; columns?: number }) =>
      (await run(['scan', 'fixtures/demo', '--no-color'], opts)).stdout.split('\n');
    // Wider than the width only where one word (an address) alone is: words are never split.
    const widest = (ls: string[]) => Math.max(...ls.filter((l) => l.trim().includes(' ')).map((l) => l.length));
    expect(widest(await at({}))).toBeGreaterThan(100); // a pipe: one line per message, however long
    expect(widest(await at({ isTTY: true, columns: 100 }))).toBeLessThanOrEqual(100);
    expect(widest(await at({ env: { COLUMNS: '72' } }))).toBeLessThanOrEqual(72);
    expect(await at({ env: { COLUMNS: '72' }, isTTY: true, columns: 200 })).toEqual(await at({ env: { COLUMNS: '72' } }));
    expect(terminalWidth({ env: { COLUMNS: 'wide' }, isTTY: false })).toBeUndefined();
    expect(terminalWidth({ env: {}, isTTY: true, columns: 0 })).toBeUndefined();
  });
});

describe('exit codes and options', () => {
  it('--fail-on none exits 0 even with findings', async () => {
    expect((await run(['scan', 'fixtures/demo', '--fail-on', 'none'])).code).toBe(0);
  });

  it('--fail-on critical still fails on the critical SSH finding; info passes only when nothing at all', async () => {
    expect((await run(['scan', 'fixtures/demo', '--fail-on', 'critical'])).code).toBe(1);
  });

  it('usage errors exit 2', async () => {
    expect((await run(['scan', '--format', 'xml'])).code).toBe(2);
    expect((await run(['scan', '--fail-on', 'urgent'])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
  });

  it('exits 2 when nothing could be scanned', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'sgscan-empty-'));
    writeFileSync(path.join(empty, 'notes.md'), '# nothing here\n');
    const r = await run(['scan', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no Terraform or CloudFormation found in /);
    expect((await run(['scan', path.join(empty, 'missing')])).code).toBe(2);
  });

  it('colours only on a TTY, never with NO_COLOR or --no-color', async () => {
    expect((await run(['scan', 'fixtures/demo'], { isTTY: true })).stdout).toMatch(/\u001b\[/);
    expect((await run(['scan', 'fixtures/demo'], { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(/\u001b\[/);
    expect((await run(['scan', 'fixtures/demo', '--no-color'], { isTTY: true })).stdout).not.toMatch(/\u001b\[/);
  });

  it('a broken file is reported with its line and the rest is still scanned', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-broken-'));
    writeFileSync(path.join(dir, 'broken.tf'), 'resource "aws_security_group" "x" {\n  name = "x"\n');
    writeFileSync(
      path.join(dir, 'ok.yaml'),
      'Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: ok\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: 0.0.0.0/0\n          Description: ssh\n',
    );
    const r = await run(['scan', '.', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(r.stdout);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ file: 'broken.tf', line: expect.any(Number) });
    expect(report.findings.map((f: { ruleId: string; line: number }) => [f.ruleId, f.line])).toContainEqual(['SGS001', 7]);
    expect(r.code).toBe(1);
  });

  it('sgscan rules lists the catalog from metadata', async () => {
    const r = await run(['rules']);
    expect(r.stdout).toMatch(/^SGS001\s+admin-port-open-to-world\s+critical/m);
    const md = await run(['rules', '--format', 'markdown']);
    expect(md.stdout).toMatch(/^\| SGS001 \| admin-port-open-to-world \| critical \|/m);
  });
});

describe('the installed command', () => {
  it('runs from bin/ with --version and --help, no stack traces', () => {
    const v = spawnSync(process.execPath, [path.join(REPO, 'bin/sgscan.js'), '--version'], { encoding: 'utf8' });
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = spawnSync(process.execPath, [path.join(REPO, 'bin/sgscan.js'), 'scan', '--help'], { encoding: 'utf8' });
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('--fail-on');
  });
});

describe('fingerprints', () => {
  it('survive blank lines inserted above a finding, and differ between two rules on one resource', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-fp-'));
    const sg = readFileSync(path.join(REPO, 'fixtures/twins/SGS040-internet-exposure/positive/main.tf'), 'utf8');
    writeFileSync(path.join(dir, 'main.tf'), sg);
    const before = JSON.parse((await run(['scan', '.', '--format', 'json'], { cwd: dir })).stdout).findings;
    writeFileSync(path.join(dir, 'main.tf'), `\n\n\n# moved down\n\n${sg}`);
    const after = JSON.parse((await run(['scan', '.', '--format', 'json'], { cwd: dir })).stdout).findings;
    const key = (f: { ruleId: string; resource: string; fingerprint: string }) => `${f.ruleId} ${f.resource} ${f.fingerprint}`;
    expect(after.map(key).sort()).toEqual(before.map(key).sort());
    expect(after.map((f: { line: number }) => f.line).sort()).not.toEqual(before.map((f: { line: number }) => f.line).sort());
    // Findings told as part of another (JSON "folded") keep their own fingerprints.
    type Flat = { resource: string; fingerprint: string; folded?: Flat[] };
    const flat = (list: Flat[]): Flat[] => list.flatMap((f) => [f, ...flat(f.folded ?? [])]);
    const onGroup = flat(before).filter((f) => f.resource === 'aws_security_group.bastion');
    expect(onGroup.length).toBeGreaterThanOrEqual(2);
    expect(new Set(onGroup.map((f: { fingerprint: string }) => f.fingerprint)).size).toBe(onGroup.length);
  });
});
