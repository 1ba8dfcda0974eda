import { realpathSync } from 'node:fs';
import path from 'node:path';
import { Unknown } from '../../model/value.js';
import { readSourceSync } from '../read.js';
import type { FileReader } from './eval/index.js';

// The files file() and templatefile() name. Terraform resolves a relative path against the working
// directory (the root module); `path.module` gives the module's folder as shown to users, which is
// mapped back to the disk. Only files inside the scanned folder are read (a repository must not make
// the scanner read elsewhere on the machine), with the size limit and text checks of any input.

export interface FileAccessOptions {
  /** Root module folder on disk, and as shown to users. */
  rootAbs: string;
  rootDisplay: string;
  /** Folder the reads must stay in; undefined: anywhere (`allowOutsideRoot`). */
  limit?: string;
  maxFileBytes?: number;
}

/** A reader for one scan; it remembers what it read, so a file named twice is read once. */
export function fileAccess(options: FileAccessOptions): FileReader {
  const cache = new Map<string, string | Unknown>();
  const limit = options.limit === undefined ? undefined : real(options.limit);
  return {
    read(given: string): string | Unknown {
      const abs = toDisk(given, options);
      let hit = cache.get(abs);
      if (hit === undefined) cache.set(abs, (hit = readOnce(given, abs, limit, options.maxFileBytes)));
      return hit;
    },
  };
}

function toDisk(given: string, o: FileAccessOptions): string {
  const p = given.replace(/\\/g, '/');
  if (path.isAbsolute(given)) return path.resolve(given);
  const root = o.rootDisplay.replace(/\\/g, '/');
  if (root !== '.' && root !== '' && (p === root || p.startsWith(`${root}/`))) return path.resolve(o.rootAbs, p.slice(root.length + 1));
  return path.resolve(o.rootAbs, p);
}

function readOnce(given: string, abs: string, limit: string | undefined, maxBytes: number | undefined): string | Unknown {
  const name = JSON.stringify(given);
  let actual: string;
  try {
    actual = realpathSync(abs);
  } catch {
    return new Unknown(`file ${name} does not exist in the scanned folder`);
  }
  if (limit !== undefined && !isInside(actual, limit)) return new Unknown(`file ${name} is outside the scanned folder; not read`);
  const r = readSourceSync({ abs: actual, path: given }, maxBytes);
  return r.ok ? r.text : new Unknown(`file ${name} is not read: ${r.error.message}`);
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function isInside(abs: string, root: string): boolean {
  return abs === root || abs.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}
