#!/usr/bin/env node
// Records ground truth for the Terraform expression evaluator tests: evaluates every expression of
// fixtures/terraform-eval/cases.json with the real `terraform console` (no providers needed) and
// writes fixtures/terraform-eval/expected.json. Needs `terraform` on PATH; the tests do not.
//
//   node scripts/terraform-eval/record.mjs [cases.json] [expected.json]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const casesPath = process.argv[2] ?? join(root, 'fixtures/terraform-eval/cases.json');
const outPath = process.argv[3] ?? join(root, 'fixtures/terraform-eval/expected.json');
const { locals, cases } = JSON.parse(readFileSync(casesPath, 'utf8'));

const dir = mkdtempSync(join(tmpdir(), 'sgscan-tf-eval-'));
try {
  // .tf.json strings are templates: escape "${" and "%{" so the locals are taken literally.
  const escape = (v) =>
    typeof v === 'string' ? v.replace(/([$%])\{/g, '$1$1{')
    : Array.isArray(v) ? v.map(escape)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, escape(x)]))
    : v;
  writeFileSync(join(dir, 'locals.tf.json'), JSON.stringify({ locals: escape(locals) }));
  const env = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
  const version = execFileSync('terraform', ['version', '-json'], { cwd: dir, env, encoding: 'utf8' });
  const results = [];
  for (const expr of cases) {
    // One console run per case: console stops at the first error, and base64 keeps the output
    // free of HCL string quoting.
    const input = `base64encode(try(jsonencode(${expr}), "!error"))\n`;
    try {
      const out = execFileSync('terraform', ['console', '-no-color'], { cwd: dir, env, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
      const text = Buffer.from(JSON.parse(out.trim()), 'base64').toString('utf8');
      if (text === '!error') results.push({ expr, error: 'dynamic' });
      else results.push({ expr, json: JSON.parse(text) });
    } catch (e) {
      const msg = String(e.stderr ?? e.message).split('\n').map((l) => l.replace(/^[│╷╵ ]+/, '').trim()).filter(Boolean).join(' ');
      results.push({ expr, error: `static: ${msg.slice(0, 300)}` });
    }
  }
  writeFileSync(
    outPath,
    `${JSON.stringify({ terraform: JSON.parse(version).terraform_version, locals, results }, null, 1)}\n`,
  );
  const errors = results.filter((r) => r.error);
  console.log(`recorded ${results.length} cases (${errors.length} errors) to ${outPath}`);
  for (const r of errors) console.log(`  ${r.error.slice(0, 120)}  <=  ${r.expr}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
