import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { scan } from '../../../src/pipeline/scan.js';
import { ALL_CHECKS } from '../../../rules/index.js';

// Outbound intents: the internet (or a range) as the destination; findings sit on the source.

describe('outbound intents', () => {
  it('a batch instance with a public IP and open egress violates "batch never talks to the internet", at the instance', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'sgscan-intents-out-'));
    cpSync('fixtures/intents/only-violated', tmp, { recursive: true });
    const tf = readFileSync(path.join(tmp, 'main.tf'), 'utf8').replace(
      '  vpc_security_group_ids = [aws_security_group.batch.id]\n',
      '  vpc_security_group_ids = [aws_security_group.batch.id]\n  associate_public_ip_address = true\n',
    );
    writeFileSync(path.join(tmp, 'main.tf'), tf);
    const text = 'intents:\n  - name: batch is offline\n    deny: { from: aws_instance.batch, to: internet, port: 443 }\n  - name: app is offline\n    deny: { from: aws_instance.app, to: internet, port: 443 }\n';
    const { config, errors } = loadConfig(path.join(tmp, '.sgscan.yml'), { checks: ALL_CHECKS, text });
    expect(errors).toEqual([]);
    const { result } = await scan({ checks: ALL_CHECKS, paths: ['.'], cwd: tmp, version: 'test', config, today: '2025-01-01' });
    const f = result.findings.filter((x) => x.ruleId === 'SGS042');
    expect(f.map((x) => [x.resource, x.line, x.certainty, x.key])).toEqual([
      ['aws_instance.batch', 83, 'definite', 'intent "batch is offline" from aws_instance.batch to the internet tcp/443'],
    ]);
    expect(f[0].message).toMatch(/^Intent "batch is offline" is violated: the internet is reachable from aws_instance\.batch on tcp\/443; path: /);
  });
});
