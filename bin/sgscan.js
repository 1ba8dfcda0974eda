#!/usr/bin/env node
// Thin launcher: the CLI is compiled and bundled to out/sgscan.js by `npm run build` (run by `npm ci` through `prepare`,
// and by `npm pack` / `npm publish` through `prepack`, so an installed package ships out/).
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);

// A reader that stops early (`sgscan scan . | head -1`) closes the pipe, and the next write fails with
// EPIPE (or, once the stream is torn down, ERR_STREAM_DESTROYED). Node ignores SIGPIPE, so without a
// listener that is an unhandled 'error' event and a stack trace. End quietly instead, as cat and grep
// do: drop the rest of the output and let the command finish, so the exit code is still the verdict.
// Any other write error (a full disk behind `>`) is one line on stderr and exit 2, never a trace.
const CLOSED = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (CLOSED.has(err?.code)) return;
    if (stream !== process.stderr) {
      try {
        process.stderr.write(`sgscan: cannot write standard output: ${err?.code ?? err?.message ?? err}\n`);
      } catch {
        // standard error is gone too: nothing left to tell.
      }
    }
    process.exitCode = 2;
  });
}

/**
 * Import part of the compiled CLI. A source folder that was never built (or whose dependencies were
 * never installed) gets one line saying what to do, not a module-resolution stack trace.
 */
async function load(specifier) {
  try {
    return await import(specifier);
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    if (err?.code !== 'ERR_MODULE_NOT_FOUND') {
      process.stderr.write(`sgscan: internal error: ${message}\n`);
      process.exit(2);
    }
    const root = fileURLToPath(new URL('..', import.meta.url));
    process.stderr.write(
      `sgscan: cannot start: ${message}\n` +
        `sgscan: ${root} is a source folder that is not built: run \`npm ci\` there (it builds out/), or install a packed release (\`npm pack\`)\n`,
    );
    process.exit(2);
  }
}

if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  // Fast path: answering --version needs neither the argument parser nor the pipeline.
  const { VERSION } = await load('../out/src/version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  const { main } = await load('../out/sgscan.js');
  main(args).then(
    (code) => {
      // A write error above has already decided the exit code.
      if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = code;
    },
    (err) => {
      // Last resort: never show a stack trace to a user.
      process.stderr.write(`sgscan: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
