import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Maps files to a path from their repository root (the nearest folder holding `.git`), falling
 * back to the working directory. Fingerprints use it so that they do not depend on where the scan
 * was started from.
 */
export function createFileIdentity(cwd: string): (displayPath: string) => string {
  const rootOf = new Map<string, string | null>();
  const findRoot = (dir: string): string | null => {
    const cached = rootOf.get(dir);
    if (cached !== undefined) return cached;
    const parent = path.dirname(dir);
    const root = existsSync(path.join(dir, '.git')) ? dir : parent === dir ? null : findRoot(parent);
    rootOf.set(dir, root);
    return root;
  };
  return (displayPath: string) => {
    const abs = path.resolve(cwd, displayPath);
    const root = findRoot(path.dirname(abs)) ?? cwd;
    return path.relative(root, abs).split(path.sep).join('/');
  };
}
