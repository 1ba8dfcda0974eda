import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// A reader that closes the pipe early (`sgscan scan … | head -1`) must end the CLI quietly: no
// "Unhandled 'error' event", no stack trace, and the exit code still the scan's verdict.
// Runs the built CLI (bin/sgscan.js → out/), as users do; `npm ci` builds out/.

const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'bin/sgscan.js');
const TRACE = /EPIPE|Unhandled|node:events|^\s+at /m;

/** Start the CLI with its standard output a pipe whose reading end we close before it writes. */
function runWithClosedReader(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('closed standard output (EPIPE)', () => {
  it.each([
    { args: ['scan', 'fixtures/demo'], code: 1 },
    { args: ['scan', 'fixtures/demo', '--format', 'sarif'], code: 1 },
    // Two formats may no longer share standard output; a file beside it still ends quietly.
    { args: ['scan', 'fixtures/demo', '--format', 'json', '--output', '/dev/null', '--format', 'text', '--fail-on', 'none'], code: 0 },
    { args: ['rules', '--format', 'markdown'], code: 0 },
    { args: ['--help'], code: 0 },
    { args: ['--version'], code: 0 },
  ])('sgscan $args ends quietly with exit code $code', async ({ args, code }) => {
    const r = await runWithClosedReader(args);
    expect(r.stderr).not.toMatch(TRACE);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(code);
  });

  it('`sgscan scan … | head -1` in a shell prints one line and no stack trace', () => {
    // SARIF of the demo is far larger than a pipe's buffer, so the CLI is still writing when head exits.
    const script = `set -o pipefail; "${process.execPath}" "${BIN}" scan fixtures/demo --format sarif | head -1`;
    const r = spawnSync('bash', ['-c', script], { cwd: REPO, encoding: 'utf8' });
    expect(r.stdout).toBe('{\n');
    expect(r.stderr).not.toMatch(TRACE);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1); // pipefail: sgscan's own verdict (findings at or above high)
  });

  it('another write error is one line on stderr and exit 2, not a trace', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" scan fixtures/demo > /dev/full`], { cwd: REPO, encoding: 'utf8' });
    expect(r.stderr).toBe('sgscan: cannot write standard output: ENOSPC\n');
    expect(r.status).toBe(2);
  });
});
