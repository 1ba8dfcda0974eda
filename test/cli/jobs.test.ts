import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The built CLI (bin/sgscan.js → out/sgscan.js, which `npm ci` builds) starts its worker threads from
// out/scan-worker.js, the bundle beside it: --jobs 2 must give --jobs 1's reports byte for byte, with no warning.

const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'bin/sgscan.js');
// Root modules and templates, a file that does not parse, nested stacks, a plan beside its .tf files (a notice).
const PATHS = ['fixtures/demo', 'fixtures/cloudformation/nested', 'fixtures/terraform/broken', 'fixtures/terraform/modules', 'fixtures/terraform-plan/local-module'];

function scan(jobs: string, format: string) {
  const r = spawnSync(process.execPath, [BIN, 'scan', ...PATHS, '--fail-on', 'none', '--format', format, '--jobs', jobs], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('sgscan scan --jobs (built CLI)', { timeout: 300_000 }, () => {
  it.each(['json', 'sarif'])('--jobs 2 writes the --jobs 1 %s report byte for byte', (format) => {
    const one = scan('1', format);
    expect(one.length).toBeGreaterThan(1000);
    expect(scan('2', format)).toBe(one);
  });

  it('--help tells --jobs', () => {
    const h = spawnSync(process.execPath, [BIN, 'scan', '--help'], { encoding: 'utf8' });
    expect(h.stdout).toMatch(/--jobs <n>\s+threads that read and judge/);
  });
});
