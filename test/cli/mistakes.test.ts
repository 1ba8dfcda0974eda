import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

// User mistakes end in exit 2 with a message naming what is wrong, never a silent pass.

const REPO = path.resolve(__dirname, '../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function run(args: string[], cwd = REPO) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, env: {}, cwd });
  return { code, stdout, stderr };
}

describe('user mistakes', () => {
  it('a path that does not exist: exit 2 naming it, nothing reported (scan, reach, graph)', async () => {
    const r = await run(['scan', 'fixtures/demo', 'nosuch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('sgscan: nosuch: no such file or folder\n');
    expect(r.stdout).toBe('');
    const reach = await run(['reach', 'nosuch', '--from', 'internet', '--to', 'x']);
    expect([reach.code, reach.stderr]).toEqual([2, 'sgscan: nosuch: no such file or folder\n']);
    const graph = await run(['graph', 'nosuch']);
    expect([graph.code, graph.stderr]).toEqual([2, 'sgscan: nosuch: no such file or folder\n']);
  });

  it('a missing --var-file or --parameter-file: exit 2 naming it', async () => {
    expect(await run(['scan', 'fixtures/demo', '--var-file', 'gone.tfvars'])).toMatchObject({ code: 2, stderr: 'sgscan: variable file gone.tfvars not found\n', stdout: '' });
    expect(await run(['scan', 'fixtures/demo', '--parameter-file', 'gone.json'])).toMatchObject({ code: 2, stderr: 'sgscan: parameter file gone.json not found\n', stdout: '' });
    expect((await run(['graph', 'fixtures/demo', '--var-file', 'gone.tfvars'])).stderr).toBe('sgscan: variable file gone.tfvars not found\n');
  });

  it('--output before any --format: exit 2, and nothing written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-mistake-'));
    dirs.push(dir);
    const out = path.join(dir, 'b.sarif');
    const r = await run(['scan', 'fixtures/demo', '-o', out, '-f', 'sarif']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--output ${out} needs a --format before it`);
    expect(existsSync(out)).toBe(false);
  });

  it('two --output for one --format: exit 2', async () => {
    const r = await run(['scan', 'fixtures/demo', '-f', 'json', '-o', '/tmp/a.json', '-o', '/tmp/b.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--output /tmp/b.json: the --format json before it already writes to /tmp/a.json');
  });

  it('two formats on standard output: exit 2 naming them, nothing printed', async () => {
    const r = await run(['scan', 'fixtures/demo', '-f', 'json', '-f', 'sarif']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('sgscan: 2 formats would share standard output (json, sarif); give all but one an --output FILE\n');
    expect(r.stdout).toBe('');
  });

  it('an empty folder: "no Terraform or CloudFormation found in X", exit 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-empty-'));
    dirs.push(dir);
    const r = await run(['scan', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`sgscan: no Terraform or CloudFormation found in ${dir}\n`);
    // The report does not contradict the exit code with a green "No findings".
    expect(r.stdout).not.toContain('No findings');
    expect(r.stdout.split('\n')[0]).toBe('! Nothing scanned: no Terraform or CloudFormation was read');
  });
});
