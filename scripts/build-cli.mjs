#!/usr/bin/env node
// Bundles the CLI (src/cli/main.ts) into out/sgscan.js, which bin/sgscan.js runs, and the scan's
// worker thread into out/scan-worker.js beside it; `npm run build` runs this after tsc. Loading one
// file instead of ~400 modules is most of a small scan's start-up (BENCHMARKS.md, 2026-12-03).
import path from 'node:path';
import { bundle, root } from './bundle.mjs';

await bundle({ sgscan: 'src/cli/main.ts', 'scan-worker': 'src/cli/scan-worker.ts' }, path.join(root, 'out'));
