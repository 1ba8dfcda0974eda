#!/usr/bin/env node
// Thin launcher: the CLI is compiled to out/ by `npm run build` (run by `npm ci` through `prepare`).
import { main } from '../out/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // Last resort: never show a stack trace to a user.
    process.stderr.write(`sgscan: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
