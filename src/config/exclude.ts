import { readFileSync } from 'node:fs';
import path from 'node:path';
import { globToRegExp, matchPathGlob } from './glob.js';

// Which files and folders a scan leaves out: --skip-path globs, the configuration's `exclude:` and
// the .gitignore files of the repository (simple patterns; git is never run). Discovery asks about
// each entry it walks by its path relative to the working folder, so a base-revision scan in a
// temporary tree is asked the same questions and leaves out the same files.

/** True when the entry (a path relative to the working folder, forward slashes) is left out. */
export type Excluder = (relPath: string, isDir: boolean) => boolean;

export interface ExcludeOptions {
  /** The working folder the scan's paths are relative to (absolute). */
  cwd: string;
  /** --skip-path globs, relative to cwd. */
  skipPaths?: readonly string[];
  /** `exclude:` globs of the configuration, relative to its folder. */
  configExclude?: { dir: string; globs: readonly string[] };
  /** Folder whose .gitignore, and those of the folders below it, apply; absent: none do. */
  gitignoreRoot?: string;
  /** Reads a .gitignore (tests); default: the file system. */
  readFile?: (abs: string) => string | undefined;
}

interface IgnoreRule {
  re: RegExp;
  /** Written with a "/" (other than a trailing one): matched against the path from its folder. */
  anchored: boolean;
  dirOnly: boolean;
}

/** Undefined when nothing is excluded, so discovery pays nothing. */
export function pathExcluder(o: ExcludeOptions): Excluder | undefined {
  const globSets: Array<{ base: string; globs: readonly string[] }> = [];
  if (o.skipPaths?.length) globSets.push({ base: o.cwd, globs: o.skipPaths });
  if (o.configExclude?.globs.length) globSets.push({ base: o.configExclude.dir, globs: o.configExclude.globs });
  if (globSets.length === 0 && o.gitignoreRoot === undefined) return undefined;
  const read = o.readFile ?? readIfPresent;
  const rulesOf = new Map<string, IgnoreRule[]>();
  const gitignore = (dir: string) => {
    let rules = rulesOf.get(dir);
    if (!rules) {
      rules = parseGitignore(read(path.join(dir, '.gitignore')) ?? '');
      rulesOf.set(dir, rules);
    }
    return rules;
  };
  return (relPath, isDir) => {
    const abs = path.resolve(o.cwd, relPath);
    for (const { base, globs } of globSets) {
      const rel = inside(base, abs);
      if (rel !== undefined && globs.some((g) => globMatches(g, rel, isDir))) return true;
    }
    if (o.gitignoreRoot !== undefined) {
      const root = path.resolve(o.gitignoreRoot);
      if (inside(root, abs) === undefined) return false;
      // Each folder from the root down to the entry's own folder may hold a .gitignore.
      for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
        const rel = inside(dir, abs)!;
        if (gitignore(dir).some((r) => ignoreMatches(r, rel, isDir))) return true;
        if (dir === root || path.dirname(dir) === dir) break;
      }
    }
    return false;
  };
}

/** A glob names a file, or a folder (then everything in it): "legacy", "legacy/", "legacy/**". */
function globMatches(glob: string, rel: string, isDir: boolean): boolean {
  const g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  if (matchPathGlob(g.replace(/\/$/, ''), rel)) return isDir || !g.endsWith('/');
  return isDir && /\/\*\*\/?$/.test(g) && matchPathGlob(g.replace(/\/\*\*\/?$/, ''), rel);
}

/**
 * The simple .gitignore patterns: blank lines and "#" comments skipped; a trailing "/" for folders
 * only; a leading or inner "/" anchors to the .gitignore's folder; `*`, `?`, `**`. Negations ("!") and
 * character classes are not read (a negated line is skipped, so at worst a file is scanned).
 */
export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const dirOnly = line.endsWith('/');
    let p = dirOnly ? line.slice(0, -1) : line;
    const anchored = p.includes('/');
    if (p.startsWith('/')) p = p.slice(1);
    if (p === '' || /[[\]]/.test(p)) continue;
    rules.push({ re: globToRegExp(p, { paths: true }), anchored, dirOnly });
  }
  return rules;
}

function ignoreMatches(r: IgnoreRule, rel: string, isDir: boolean): boolean {
  if (r.dirOnly && !isDir) return false;
  return r.re.test(r.anchored ? rel : rel.slice(rel.lastIndexOf('/') + 1));
}

/** `abs` relative to `base` with forward slashes, or undefined when it is not inside. */
function inside(base: string, abs: string): string | undefined {
  const rel = path.relative(base, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

function readIfPresent(abs: string): string | undefined {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}
