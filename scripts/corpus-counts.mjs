#!/usr/bin/env node
// Counts of findings per rule id and per severity over the shared corpus (../shared/corpus, relative
// to the repository root). Runs the built CLI: `npm run build` first. Not part of the tests: slow.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.relative(root, path.resolve(root, '../shared/corpus')) || '.';
const run = spawnSync(process.execPath, [path.join(root, 'bin/sgscan.js'), 'scan', corpus, '--format', 'json'], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 1024 * 1024 * 1024,
});
if (run.error) throw run.error;
let result;
try {
  result = JSON.parse(run.stdout);
} catch {
  process.stderr.write(run.stderr);
  console.error(`sgscan exited with ${run.status} and did not print JSON`);
  process.exit(2);
}
const findings = result.findings ?? [];
const count = (key) => {
  const m = new Map();
  for (const f of findings) m.set(f[key], (m.get(f[key]) ?? 0) + 1);
  return [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));
};
const severityOrder = ['critical', 'high', 'medium', 'low', 'info'];
console.log(`corpus: ${corpus}  files: ${result.summary?.filesScanned ?? '?'}  findings: ${findings.length}  errors: ${(result.errors ?? []).length}`);
console.log('\nper rule:');
for (const [id, n] of count('ruleId')) console.log(`  ${id}  ${String(n).padStart(6)}`);
console.log('\nper severity:');
const bySeverity = new Map(count('severity'));
for (const s of severityOrder) console.log(`  ${s.padEnd(8)} ${String(bySeverity.get(s) ?? 0).padStart(6)}`);
