#!/usr/bin/env node
// Compare @cdktf/hcl2json with the native parser (src/input/terraform/hcl) on the Terraform corpus:
// files, total ms, ms per file and MB/s for each. Usage: node scripts/bench-hcl.mjs [dir]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { parse } from '@cdktf/hcl2json';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.resolve(process.argv[2] ?? path.resolve(repoRoot, '../shared/corpus/terraform'));

// The sources are TypeScript: bundle the parser once into a temporary module.
const out = mkdtempSync(path.join(tmpdir(), 'bench-hcl-'));
const bundle = path.join(out, 'hcl.mjs');
await build({ entryPoints: [path.join(repoRoot, 'src/input/terraform/hcl/index.ts')], bundle: true, format: 'esm', platform: 'node', outfile: bundle, logLevel: 'warning' });
const { parseHcl } = await import(pathToFileURL(bundle).href);
rmSync(out, { recursive: true, force: true });

function tfFiles(d) {
  const found = [];
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) found.push(...tfFiles(p));
    else if (e.name.endsWith('.tf')) found.push(p);
  }
  return found.sort();
}

const files = tfFiles(dir).map((f) => {
  const raw = readFileSync(f, 'utf8');
  return { f, text: (raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).replace(/\r\n/g, '\n') };
});
const bytes = files.reduce((n, { text }) => n + Buffer.byteLength(text), 0);

async function measure(name, run) {
  await run(files[0].f, files[0].text).catch(() => {}); // warm-up (hcl2json loads its WASM)
  const started = performance.now();
  let failed = 0;
  for (const { f, text } of files) await run(f, text).catch(() => failed++);
  const ms = performance.now() - started;
  console.log(`${name.padEnd(10)} files ${files.length}  total ${ms.toFixed(0)} ms  ${(ms / files.length).toFixed(2)} ms/file  ${(bytes / 1e6 / (ms / 1000)).toFixed(2)} MB/s  rejected ${failed}`);
  return ms;
}

console.log(`${dir}: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB`);
// Native first: once hcl2json's Go runtime is loaded it keeps a large heap that slows everything after.
const fast = await measure('native', async (f, t) => parseHcl(f, t));
const slow = await measure('hcl2json', (f, t) => parse(f, t));
console.log(`speed-up ${(slow / fast).toFixed(1)}x`);
process.exit(0);
