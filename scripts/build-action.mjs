#!/usr/bin/env node
// Bundles the GitHub Action (src/action/index.ts) into dist/index.js with esbuild, so the runner needs
// no `npm install`, and the scan's worker thread (src/cli/scan-worker.ts) into dist/scan-worker.js
// beside it (without it the Action scans on one thread). Usage: node scripts/build-action.mjs [--outdir DIR]   (default: dist)
// (scripts/bundle.mjs has the bundling itself, shared with the CLI's out/sgscan.js.)
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundle, root } from './bundle.mjs';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--outdir');
const outdir = path.resolve(root, outIndex >= 0 ? args[outIndex + 1] : 'dist');

await bundle({ index: 'src/action/index.ts', 'scan-worker': 'src/cli/scan-worker.ts' }, outdir);

mkdirSync(outdir, { recursive: true });
// The HCL parser is native now: no WASM to carry (remove one left by an older build).
rmSync(path.join(outdir, 'main.wasm.gz'), { force: true });
// dist/index.js is an ES module wherever the action is checked out.
writeFileSync(path.join(outdir, 'package.json'), '{\n  "type": "module"\n}\n');
// The config loader looks for schemas/ next to or above the code.
mkdirSync(path.join(outdir, 'schemas'), { recursive: true });
copyFileSync(path.join(root, 'schemas', 'sgscan-config.schema.json'), path.join(outdir, 'schemas', 'sgscan-config.schema.json'));
process.stdout.write(`built ${path.relative(root, path.join(outdir, 'index.js')) || outdir}\n`);
