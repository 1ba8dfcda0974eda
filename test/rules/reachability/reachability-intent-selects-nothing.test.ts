import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../../src/cli/main.js';

const REPO = path.resolve(__dirname, '../../..');

describe('an intent that selects nothing', () => {
  it('is reported at its line in the configuration instead of passing silently', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-intent-'));
    writeFileSync(path.join(dir, 'main.tf'), readFileSync(path.join(REPO, 'fixtures/intents/private-db/main.tf'), 'utf8'));
    writeFileSync(
      path.join(dir, '.sgscan.yml'),
      'intents:\n  - name: databases are private\n    deny: { from: internet, to: "tag:Tier=db" }\n  - name: typo\n    deny: { from: internet, to: aws_db_instance.mian }\n',
    );
    let stdout = '';
    const io: Io = { stdout: (s) => void (stdout += s), stderr: () => {}, isTTY: false, env: {}, cwd: dir };
    await main(['scan', '.', '--format', 'json'], io);
    const intents = JSON.parse(stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'SGS042');
    expect(intents.map((f: { file: string; line: number; severity: string; resource: string }) => [f.file, f.line, f.severity, f.resource])).toEqual([
      ['.sgscan.yml', 4, 'info', 'intent:typo'],
    ]);
    expect(intents[0].message).toMatch(/^Intent "typo" selects nothing in the scan/);
  });
});
