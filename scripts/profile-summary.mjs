#!/usr/bin/env node
// Summarise a V8 .cpuprofile (node --cpu-prof) by function: self time (samples whose top frame is the
// function) and total time (samples with the function anywhere on the stack, counted once per sample,
// so recursion does not inflate it). Functions are keyed by name and source position, relative to the
// repository when the file is inside it.
//
//   node scripts/profile-summary.mjs FILE.cpuprofile [--top 30] [--by self|total] [--files]
//
// --files groups by source file instead of function.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const top = Number(opt('--top', 30));
const by = opt('--by', 'self');
const byFile = args.includes('--files');
let file = args.find((a, i) => !a.startsWith('--') && !['--top', '--by'].includes(args[i - 1]));
if (!file) {
  console.error('usage: profile-summary.mjs FILE.cpuprofile|DIR [--top N] [--by self|total] [--files]');
  process.exit(2);
}
// A directory (--cpu-prof-dir) stands for its newest profile.
if (statSync(file).isDirectory()) {
  const profiles = readdirSync(file).filter((f) => f.endsWith('.cpuprofile'));
  profiles.sort((a, b) => statSync(path.join(file, b)).mtimeMs - statSync(path.join(file, a)).mtimeMs);
  file = path.join(file, profiles[0]);
}

const profile = JSON.parse(readFileSync(file, 'utf8'));
const root = process.cwd();
const where = (cf) => {
  let url = cf.url || '';
  if (url.startsWith('file://')) url = url.slice(7);
  if (url.startsWith(root + '/')) url = url.slice(root.length + 1);
  return url;
};
const keyOf = (cf) => {
  const url = where(cf);
  if (byFile) return url || `(${cf.functionName || 'native'})`;
  const name = cf.functionName || '(anonymous)';
  return url ? `${name} ${url}:${cf.lineNumber + 1}` : name;
};

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Time per sample: timeDeltas[i] is the gap before sample i; attribute it to sample i.
const deltas = profile.timeDeltas;
const weightOf = new Map(); // node id -> microseconds
profile.samples.forEach((id, i) => weightOf.set(id, (weightOf.get(id) ?? 0) + Math.max(0, deltas[i] ?? 0)));

const self = new Map();
const total = new Map();
let all = 0;
for (const [id, w] of weightOf) {
  all += w;
  const k = keyOf(nodes.get(id).callFrame);
  self.set(k, (self.get(k) ?? 0) + w);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const key = keyOf(nodes.get(cur).callFrame);
    if (seen.has(key)) continue;
    seen.add(key);
    total.set(key, (total.get(key) ?? 0) + w);
  }
}

const keys = [...new Set([...self.keys(), ...total.keys()])];
const primary = by === 'total' ? total : self;
keys.sort((a, b) => (primary.get(b) ?? 0) - (primary.get(a) ?? 0) || a.localeCompare(b));
const pct = (v) => ((100 * (v ?? 0)) / all).toFixed(1).padStart(5);
const sec = (v) => ((v ?? 0) / 1e6).toFixed(2).padStart(7);
console.log(`${path.basename(file)}: ${(all / 1e6).toFixed(2)} s sampled; sorted by ${by}`);
console.log(`${'self s'.padStart(7)} ${'self%'} ${'total s'.padStart(7)} ${'tot%'.padStart(5)}  function`);
for (const k of keys.slice(0, top)) {
  console.log(`${sec(self.get(k))} ${pct(self.get(k))} ${sec(total.get(k))} ${pct(total.get(k))}  ${k}`);
}
