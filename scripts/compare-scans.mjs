#!/usr/bin/env node
// Compare two JSON scan results (sgscan scan --format json): counts per rule, then the findings that
// vanished, appeared, or changed (same fingerprint, different severity, certainty or message).
//
//   node scripts/compare-scans.mjs before.json after.json [--messages]
import { readFileSync } from 'node:fs';

const [beforePath, afterPath] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const showMessages = process.argv.includes('--messages');
if (!beforePath || !afterPath) {
  console.error('usage: compare-scans.mjs before.json after.json [--messages]');
  process.exit(2);
}
const load = (p) => JSON.parse(readFileSync(p, 'utf8')).findings;
const before = load(beforePath);
const after = load(afterPath);

const key = (f) => f.fingerprint ?? `${f.ruleId}|${f.file}|${f.line}|${f.resource}|${f.message}`;
const byKey = (list) => {
  const m = new Map();
  for (const f of list) m.set(key(f), [...(m.get(key(f)) ?? []), f]);
  return m;
};
const b = byKey(before);
const a = byKey(after);

const counts = (list) => list.reduce((m, f) => m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1), new Map());
const cb = counts(before);
const ca = counts(after);
const rules = [...new Set([...cb.keys(), ...ca.keys()])].sort();
console.log('rule     before  after  delta');
for (const r of rules) {
  const x = cb.get(r) ?? 0;
  const y = ca.get(r) ?? 0;
  console.log(`${r.padEnd(8)} ${String(x).padStart(6)} ${String(y).padStart(6)} ${y - x === 0 ? '' : String(y - x).padStart(6)}`);
}
console.log(`${'total'.padEnd(8)} ${String(before.length).padStart(6)} ${String(after.length).padStart(6)} ${String(after.length - before.length).padStart(6)}`);

const where = (f) => `${f.ruleId} ${f.severity}/${f.certainty} ${f.file.replace(/^.*?corpus\//, '')}:${f.line} ${f.resource ?? ''}`;
const vanished = [...b].filter(([k]) => !a.has(k)).flatMap(([, fs]) => fs);
const appeared = [...a].filter(([k]) => !b.has(k)).flatMap(([, fs]) => fs);
const changed = [...a]
  .filter(([k]) => b.has(k))
  .flatMap(([k, fs]) => fs.map((f, i) => [b.get(k)[i], f]))
  .filter(([x, y]) => x && (x.severity !== y.severity || x.certainty !== y.certainty || x.message !== y.message));

console.log(`\nvanished: ${vanished.length}`);
for (const f of vanished) console.log(`  - ${where(f)}${showMessages ? `\n      ${f.message}` : ''}`);
console.log(`\nappeared: ${appeared.length}`);
for (const f of appeared) console.log(`  + ${where(f)}${showMessages ? `\n      ${f.message}` : ''}`);
console.log(`\nchanged: ${changed.length}`);
for (const [x, y] of changed) {
  console.log(`  ~ ${where(y)}${x.severity !== y.severity || x.certainty !== y.certainty ? ` (was ${x.severity}/${x.certainty})` : ''}`);
  if (showMessages) console.log(`      before: ${x.message}\n      after:  ${y.message}`);
}
