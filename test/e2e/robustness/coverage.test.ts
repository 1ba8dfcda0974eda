import { lineReader } from '../../../src/input/lines.js';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../../src/cli/main.js';
import { renderReport } from '../../../src/report/formats.js';
import { GOOD_CFN, GOOD_TF, scanTree, tmpTree } from './helpers.js';

// Issue #10, coverage honesty: every file found is accounted for (found = parsed + partial +
// skipped + failed), in text, JSON and SARIF; --strict makes any error or notice exit 2.

const tree = () =>
  tmpTree({
    'good.tf': GOOD_TF,
    'stack.yaml': GOOD_CFN,
    'broken.yaml': "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  X: [\n",
    'k8s.yaml': 'apiVersion: v1\nkind: Service\n',
    'package.json': '{"name": "x"}\n',
    'partial/main.tf': 'module "remote" {\n  source = "git::https://example.com/x.git"\n}\n',
    'README.md': '# not a template: not even found\n',
  });

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, env: {}, cwd };
  return { code: await main(args, io), stdout, stderr };
}

describe('coverage summary', () => {
  it('counts found, parsed, partial, skipped (with reasons) and failed files', async () => {
    const { result } = await scanTree(tree());
    expect(result.summary.coverage).toEqual({
      found: 6,
      parsed: 2,
      partial: 1,
      skipped: 2,
      failed: 1,
      skippedReasons: { 'not a CloudFormation template or Terraform plan': 2 },
    });
  });

  it('is in the JSON summary, the SARIF run properties and the text summary', async () => {
    const { result } = await scanTree(tree());
    const json = JSON.parse(renderReport(result, 'json', { color: false, readLines: () => undefined }));
    expect(json.summary.coverage).toEqual({ found: 6, parsed: 2, partial: 1, skipped: 2, failed: 1, skippedReasons: { 'not a CloudFormation template or Terraform plan': 2 } });
    const sarif = JSON.parse(renderReport(result, 'sarif', { color: false, readLines: () => undefined }));
    expect(sarif.runs[0].properties.coverage).toEqual(json.summary.coverage);
    const text = renderReport(result, 'text', { color: false, readLines: lineReader('.') });
    expect(text).toContain('6 files found: 2 parsed, 1 partly understood, 2 skipped (2 not a CloudFormation template or Terraform plan), 1 failed');
  });

  it('a folder of nothing but non-templates is never "all clean": exit 2', async () => {
    const root = tmpTree({ 'k8s.yaml': 'apiVersion: v1\nkind: Service\n' });
    const r = await cli(['scan', '.'], root);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('1 file found: 0 parsed, 0 partly understood, 1 skipped');
  });
});

describe('--strict', () => {
  it('turns any error or notice into exit code 2', async () => {
    const root = tree();
    expect((await cli(['scan', '.', '--fail-on', 'none'], root)).code).toBe(0);
    const strict = await cli(['scan', '.', '--fail-on', 'none', '--strict'], root);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/--strict: 1 error\(s\) and 1 notice\(s\)/);
  });

  it('a notice alone is enough', async () => {
    const root = tmpTree({ 'good.tf': GOOD_TF, 'partial/main.tf': 'module "remote" {\n  source = "git::https://example.com/x.git"\n}\n' });
    expect((await cli(['scan', '.', '--fail-on', 'none', '--strict'], root)).code).toBe(2);
  });

  it('changes nothing when everything was understood', async () => {
    const root = tmpTree({ 'good.tf': GOOD_TF, 'stack.yaml': GOOD_CFN });
    expect((await cli(['scan', '.', '--strict'], root)).code).toBe(1);
    expect((await cli(['scan', '.', '--strict', '--fail-on', 'none'], root)).code).toBe(0);
  });

  it('is listed in --help with --max-file-size', async () => {
    const r = await cli(['scan', '--help'], path.resolve(__dirname));
    expect(r.stdout).toMatch(/--strict/);
    expect(r.stdout).toMatch(/--max-file-size <MiB>.*\(default: 20\)/s);
  });
});
