import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Reads source lines for code frames lazily, once per file. */
export function lineReader(cwd: string): (file: string) => string[] | undefined {
  const cache = new Map<string, string[] | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(path.resolve(cwd, file), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}
