#!/usr/bin/env node
// Security findings per world-open rule (issue 14's measure of "one finding per problem").
// A world-open rule is a rule (file, line, resource) that a check of the world-open-rule family
// (SGS001, SGS002, SGS004, SGS005) reported, on its own or folded into another finding. Counted
// against it: every reported security finding at that line about that resource (hygiene checks
// excluded) and every reported internet exposure (SGS040) whose path goes through that line's rule.
// (A minified plan JSON has every rule on line 1: rules are told apart by resource, not by line.)
//
//   node scripts/corpus-precision.mjs [report.json]     (default: scans ../shared/corpus; needs `npm run build`)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { ALL_CHECKS: checks } = await import(path.join(root, 'out/rules/index.js'));
const meta = new Map(checks.map((c) => [c.meta.id, c.meta]));
const hygiene = (id) => meta.get(id)?.tags.includes('hygiene') ?? false;
const family = (id) => meta.get(id)?.overlaps?.family === 'world-open-rule';

let text;
if (process.argv[2]) text = readFileSync(process.argv[2], 'utf8');
else {
  const corpus = path.resolve(root, '../shared/corpus');
  text = execFileSync(process.execPath, [path.join(root, 'bin/sgscan.js'), 'scan', corpus, '-f', 'json'], { cwd: root, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
}
const report = JSON.parse(text);
const reported = report.findings.filter((f) => !f.suppressed);
const at = (file, line) => `${file}:${line}`;
const rules = new Map(); // "file:line" -> resources of world-open rules there
for (const f of reported) {
  for (const x of [f, ...(f.folded ?? [])]) {
    if (!family(x.ruleId)) continue;
    const here = at(x.file, x.line);
    rules.set(here, new Set([...(rules.get(here) ?? []), x.resource]));
  }
}
const count = new Map([...rules].flatMap(([l, rs]) => [...rs].map((r) => [`${l} ${r}`, 0])));
const bump = (k) => count.set(k, count.get(k) + 1);
for (const f of reported) {
  if (hygiene(f.ruleId)) continue;
  const here = at(f.file, f.line);
  if (count.has(`${here} ${f.resource}`)) bump(`${here} ${f.resource}`);
  else if (f.ruleId === 'SGS040') {
    const through = (f.path ?? []).find((s) => s.message.startsWith('sg rule ') && rules.has(at(s.file, s.line)));
    if (through) bump(`${at(through.file, through.line)} ${[...rules.get(at(through.file, through.line))].sort()[0]}`);
  }
}
const lines = count;
const total = [...count.values()].reduce((a, b) => a + b, 0);
const byRule = {};
for (const f of reported) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
console.log(`findings reported: ${reported.length}`);
console.log(`per check: ${Object.keys(byRule).sort().map((k) => `${k} ${byRule[k]}`).join(', ')}`);
console.log(`world-open rules: ${lines.size}`);
console.log(`security findings on them: ${total} (${(total / Math.max(lines.size, 1)).toFixed(2)} per rule)`);
const worst = [...count].filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
if (worst.length) console.log(`most findings on one rule:\n${worst.map(([l, n]) => `  ${n}  ${l}`).join('\n')}`);

// Issue 14's two zero counts, over every finding, folded ones included: an internet exposure whose
// source is a non-public range, and a "whole internet" claim whose source is a security group.
const everything = [...reported, ...reported.flatMap((f) => f.folded ?? [])];
const PRIVATE_SOURCE = /from (10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.|127\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.|169\.254\.|0\.0\.0\.0\/([89]|[12]\d|3[0-2])\b|0\.[1-9]|f[cd][0-9a-f]{2}:|fe80:)/i;
const privateExposures = everything.filter((f) => f.ruleId === 'SGS040' && PRIVATE_SOURCE.test(f.message));
const groupAsWorld = everything.filter((f) => /whole internet/.test(f.message) && /security group|members of|sg-[0-9a-f]/.test(f.message.split('whole internet')[1] ?? ''));
console.log(`internet exposures from a non-public source: ${privateExposures.length}`);
console.log(`"whole internet" findings whose source is a security group: ${groupAsWorld.length}`);
for (const f of [...privateExposures, ...groupAsWorld].slice(0, 10)) console.log(`  ${f.ruleId} ${f.file}:${f.line} ${f.message.slice(0, 160)}`);
