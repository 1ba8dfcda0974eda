import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Jobs } from '../pipeline/scan.js';

/**
 * The worker entry beside this module: out/scan-worker.js beside the CLI's bundle (out/sgscan.js),
 * dist/scan-worker.js beside the Action's (dist/index.js); out/src/cli/scan-worker.js beside tsc's output. Undefined where it is not built (the
 * TypeScript sources under test): the scan then stays on one thread.
 */
export function workerEntry(): URL | undefined {
  const url = new URL('./scan-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/** `--jobs` / the Action's `jobs` input: a number of threads (1 or more) or auto. */
export function parseJobs(text: string): Jobs | { error: string } {
  const t = text.trim();
  if (t === 'auto' || t === '') return 'auto';
  if (!/^\d+$/.test(t) || Number(t) < 1) return { error: `jobs must be a number of threads (1 or more) or auto, got "${text}"` };
  return Number(t);
}
