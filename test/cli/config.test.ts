import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';

async function run(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, env: {}, cwd };
  return { code: await main(args, io), get stdout() { return stdout; }, get stderr() { return stderr; } };
}

const SG = `resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "Bastion"

  # sgscan:ignore SGS001 bastion is behind a port-knocking gateway
  ingress {
    description = "SSH"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

function project(config?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-config-'));
  writeFileSync(path.join(dir, 'main.tf'), SG);
  if (config !== undefined) writeFileSync(path.join(dir, '.sgscan.yml'), config);
  return dir;
}

describe('configuration and suppressions through the CLI', () => {
  it('an inline suppression keeps the finding in JSON, marked, and out of --fail-on', async () => {
    const dir = project();
    const r = await run(['scan', '.', '--format', 'json', '--fail-on', 'critical'], dir);
    const report = JSON.parse(r.stdout);
    const ssh = report.findings.find((f: { ruleId: string }) => f.ruleId === 'SGS001');
    expect(ssh.suppressed).toEqual({ kind: 'inline', reason: 'bastion is behind a port-knocking gateway' });
    expect(report.summary.suppressed).toBeGreaterThanOrEqual(1);
    expect(r.code).toBe(0);
  });

  it('--no-inline-suppressions lets the central team see it again', async () => {
    const dir = project();
    const r = await run(['scan', '.', '--format', 'json', '--fail-on', 'critical', '--no-inline-suppressions'], dir);
    const ssh = JSON.parse(r.stdout).findings.find((f: { ruleId: string }) => f.ruleId === 'SGS001');
    expect(ssh.suppressed).toBeUndefined();
    expect(r.code).toBe(1);
  });

  it('SARIF leaves suppressed findings out unless --include-suppressed', async () => {
    const dir = project();
    const ids = (sarif: string) => JSON.parse(sarif).runs[0].results.map((x: { ruleId: string }) => x.ruleId);
    expect(ids((await run(['scan', '.', '--format', 'sarif'], dir)).stdout)).not.toContain('SGS001');
    expect(ids((await run(['scan', '.', '--format', 'sarif', '--include-suppressed'], dir)).stdout)).toContain('SGS001');
  });

  it('.sgscan.yml found in the scanned folder changes severities and disables checks', async () => {
    const dir = project('rules:\n  SGS005: off\n  missing-description: high\n');
    const report = JSON.parse((await run(['scan', '.', '--format', 'json', '--no-inline-suppressions'], dir)).stdout);
    const ids = report.findings.map((f: { ruleId: string }) => f.ruleId);
    expect(ids).toContain('SGS001');
    expect(ids).not.toContain('SGS005');
  });

  it('a broken configuration is a usage error naming file and line', async () => {
    const dir = project('rules:\n  SGS001:\n    severity: urgent\n');
    const r = await run(['scan', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.sgscan\.yml:3: /);
  });

  it('--config pointing nowhere is a usage error', async () => {
    const dir = project();
    const r = await run(['scan', '.', '--config', 'missing.yml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('configuration file missing.yml not found');
  });
});

describe('Terraform values from the command line', () => {
  it('applies --var and --var-file in the order given, later ones winning', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-vars-'));
    writeFileSync(
      path.join(dir, 'main.tf'),
      'variable "admin_cidr" {\n  default = "10.0.0.0/8"\n}\n\nresource "aws_security_group" "bastion" {\n  name        = "bastion"\n  description = "Bastion"\n  ingress {\n    description = "SSH"\n    protocol    = "tcp"\n    from_port   = 22\n    to_port     = 22\n    cidr_blocks = [var.admin_cidr]\n  }\n}\n',
    );
    writeFileSync(path.join(dir, 'open.tfvars'), 'admin_cidr = "0.0.0.0/0"\n');
    const ssh = async (args: string[]) =>
      JSON.parse((await run(['scan', 'main.tf', '--format', 'json', ...args], dir)).stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'SGS001');
    expect(await ssh([])).toEqual([]);
    expect((await ssh(['--var-file', 'open.tfvars'])).map((f: { line: number }) => f.line)).toEqual([8]);
    expect(await ssh(['--var-file', 'open.tfvars', '--var', 'admin_cidr=10.1.0.0/16'])).toEqual([]);
    expect((await ssh(['--var', 'admin_cidr=10.1.0.0/16', '--var-file', 'open.tfvars'])).map((f: { line: number }) => f.line)).toEqual([8]);
  });

  it('--preset strict reports port 80 to the world and wins over the file\'s extends', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-preset-'));
    writeFileSync(path.join(dir, 'main.tf'), `resource "aws_security_group" "web" {
  name        = "web"
  description = "Web"

  ingress {
    description = "HTTP"
    protocol    = "tcp"
    from_port   = 80
    to_port     = 80
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`);
    const sgs005 = (out: string) => JSON.parse(out).findings.filter((f: { ruleId: string }) => f.ruleId === 'SGS005').map((f: { file: string; line: number }) => [f.file, f.line]);
    expect(sgs005((await run(['scan', '.', '--format', 'json'], dir)).stdout)).toEqual([]);
    expect(sgs005((await run(['scan', '.', '--format', 'json', '--preset', 'strict'], dir)).stdout)).toEqual([['main.tf', 5]]);
    writeFileSync(path.join(dir, '.sgscan.yml'), 'extends: strict\n');
    expect(sgs005((await run(['scan', '.', '--format', 'json'], dir)).stdout)).toEqual([['main.tf', 5]]);
    expect(sgs005((await run(['scan', '.', '--format', 'json', '--preset', 'recommended'], dir)).stdout)).toEqual([]);
    const bad = await run(['scan', '.', '--preset', 'paranoid'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('paranoid');
  });
});
