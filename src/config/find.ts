import { statSync } from 'node:fs';
import path from 'node:path';

/** Names looked for in each folder, in this order. */
export const CONFIG_FILE_NAMES = ['.sgscan.yml', '.sgscan.yaml'] as const;

/**
 * The nearest configuration file from `startDir` (a folder, or a file whose folder is used) upward to the
 * filesystem root; an absolute path, or undefined when there is none.
 */
export function findConfigFile(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  if (isFile(dir)) dir = path.dirname(dir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (isFile(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
