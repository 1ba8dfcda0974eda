// Entry point of the bundled action (dist/index.js): runs with the runner's environment.
import { runAction } from './main.js';

runAction(process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stdout.write(`::error title=sgscan::internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
