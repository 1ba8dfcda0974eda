import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/action/main.js';
import { main } from '../../src/cli/main.js';
import { sgFile } from '../pipeline/diff/git-repo.js';

// The CLI and the Action share one options builder and one set of exit rules (src/cli/scan-setup.ts):
// on the same repository they must report the same findings, suppress the same ones and exit alike.

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-parity-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

interface Seen {
  ruleId: string;
  file: string;
  line: number;
  severity: string;
  suppressed?: { reason?: string };
}
const essentials = (report: { findings: Seen[] }) =>
  report.findings.map((f) => ({ ruleId: f.ruleId, file: f.file, line: f.line, severity: f.severity, suppressed: f.suppressed?.reason }));

async function cli(dir: string, args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['scan', ...args, '--format', 'json'], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, env: {}, cwd: dir });
  return { code, stderr, report: code === 2 && stdout === '' ? undefined : JSON.parse(stdout) };
}

async function action(dir: string, inputs: Record<string, string>) {
  const out = mkdtempSync(path.join(tmpdir(), 'sgscan-parity-out-'));
  dirs.push(out);
  const env: Record<string, string> = { GITHUB_WORKSPACE: dir, RUNNER_TEMP: out, 'INPUT_FAIL-ON': 'high', INPUT_FORMAT: 'json', 'INPUT_SARIF-OUTPUT': path.join(out, 'sgscan.sarif') };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  let stdout = '';
  const code = await runAction(env, { stdout: (s) => void (stdout += s) });
  let report: { findings: Seen[] } | undefined;
  try {
    report = JSON.parse(readFileSync(path.join(out, 'sgscan.json'), 'utf8'));
  } catch {
    report = undefined;
  }
  return { code, stdout, report, errors: stdout.split('\n').filter((l) => l.startsWith('::error')) };
}

const SSH = sgFile('bastion', [{ port: 22, cidr: '0.0.0.0/0', description: 'ssh' }]);
const SUPPRESS = `suppressions:
  - rule: SGS001
    path: "infra/**"
    reason: Bastion reviewed by security
`;

describe('the CLI and the Action on the same repository', () => {
  it('a committed .sgscan.yml is honoured by both: same findings, same suppression, exit 0 (no ::error for it)', async () => {
    const dir = repo({ 'infra/sg.tf': SSH, '.sgscan.yml': SUPPRESS });
    const c = await cli(dir, ['infra']);
    const a = await action(dir, { paths: 'infra' });
    expect(essentials(a.report!)).toEqual(essentials(c.report));
    const ssh = essentials(c.report).filter((f) => f.ruleId === 'SGS001');
    expect(ssh).toEqual([{ ruleId: 'SGS001', file: 'infra/sg.tf', line: 5, severity: 'critical', suppressed: 'Bastion reviewed by security' }]);
    expect(c.code).toBe(0);
    expect(a.code).toBe(0);
    expect(a.errors).toEqual([]);
  });

  it('without the suppression both fail (exit 1) on the same finding', async () => {
    const dir = repo({ 'infra/sg.tf': SSH });
    const c = await cli(dir, ['infra']);
    const a = await action(dir, { paths: 'infra' });
    expect(essentials(a.report!)).toEqual(essentials(c.report));
    expect(essentials(c.report).some((f) => f.ruleId === 'SGS001' && f.suppressed === undefined)).toBe(true);
    expect([c.code, a.code]).toEqual([1, 1]);
  });

  it('variables and parameters from files: the same values in both', async () => {
    const tf = `variable "cidr" {}\n${sgFile('web', [{ port: 3389, cidr: '${var.cidr}', description: 'rdp' }])}`;
    const cfn = `Parameters:\n  Cidr:\n    Type: String\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: rdp\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 3389\n          ToPort: 3389\n          CidrIp: !Ref Cidr\n          Description: rdp\n`;
    const dir = repo({ 'tf/main.tf': tf, 'cfn/template.yaml': cfn, 'open.tfvars': 'cidr = "0.0.0.0/0"\n', 'params.json': '[{"ParameterKey":"Cidr","ParameterValue":"0.0.0.0/0"}]' });
    const c = await cli(dir, ['tf', 'cfn', '--var-file', 'open.tfvars', '--parameter-file', 'params.json']);
    const a = await action(dir, { paths: 'tf\ncfn', 'var-files': 'open.tfvars', 'parameter-files': 'params.json' });
    expect(essentials(a.report!)).toEqual(essentials(c.report));
    expect(essentials(c.report).filter((f) => f.ruleId === 'SGS001').map((f) => f.file)).toEqual(['cfn/template.yaml', 'tf/main.tf']);
    expect([c.code, a.code]).toEqual([1, 1]);
  });

  it('a broken configuration is the same error, naming file and line, and exit 2 in both', async () => {
    const dir = repo({ 'sg.tf': SSH, '.sgscan.yml': 'rules:\n  SGS999:\n    enabled: false\n' });
    const c = await cli(dir, ['.']);
    const a = await action(dir, {});
    expect(c.code).toBe(2);
    expect(a.code).toBe(2);
    expect(c.stderr).toMatch(/^sgscan: \.sgscan\.yml:2: rules\.SGS999: unknown check/);
    const message = c.stderr.trim().replace(/^sgscan: /, '');
    expect(a.errors).toEqual([`::error file=.sgscan.yml,line=2,title=sgscan::${message}`]);
  });

  it('a folder without Terraform or CloudFormation: the same message and exit 2 in both', async () => {
    const dir = repo({ 'docs/README.md': '# nothing to scan\n' });
    const c = await cli(dir, ['docs']);
    const a = await action(dir, { paths: 'docs' });
    expect([c.code, a.code]).toEqual([2, 2]);
    expect(c.stderr).toContain('sgscan: no Terraform or CloudFormation found in docs\n');
    expect(a.errors).toEqual(['::error title=sgscan::no Terraform or CloudFormation found in docs']);
  });

  it('missing paths, variable and parameter files: exit 2 naming each, in both', async () => {
    const dir = repo({ 'sg.tf': SSH });
    const c = await cli(dir, ['.', 'nosuch', '--var-file', 'gone.tfvars', '--parameter-file', 'gone.json']);
    const a = await action(dir, { paths: '., nosuch', 'var-files': 'gone.tfvars', 'parameter-files': 'gone.json' });
    expect([c.code, a.code]).toEqual([2, 2]);
    const lines = ['nosuch: no such file or folder', 'variable file gone.tfvars not found', 'parameter file gone.json not found'];
    expect(c.stderr).toBe(lines.map((l) => `sgscan: ${l}\n`).join(''));
    expect(a.errors).toEqual(lines.map((l) => `::error title=sgscan::${l}`));
  });
});
