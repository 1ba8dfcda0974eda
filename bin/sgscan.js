#!/usr/bin/env node
// Thin launcher: the CLI is compiled to out/ by `npm run build` (run by `npm ci` through `prepare`).
const args = process.argv.slice(2);

if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  // Fast path: answering --version needs neither the argument parser nor the pipeline.
  const { VERSION } = await import('../out/src/version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  const { main } = await import('../out/src/cli/main.js');
  main(args).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      // Last resort: never show a stack trace to a user.
      process.stderr.write(`sgscan: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
