import path from 'node:path';
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import type { SourceFile } from '../../model/source-file.js';
import type { CoverageNotice, ScanError } from '../../model/model.js';
import type { BlockPos } from './locate.js';
import { type LoadResult, type ParsedFile, type RawBody, isRecord, loadFile } from './load.js';
import { append } from '../../model/arrays.js';
import type { SharedParses } from './options.js';
import type { ReadOnce } from '../read.js';

// Loading a module and, recursively, the local modules it calls. Loading is the async part (reading
// and parsing); everything after works on this tree synchronously.

/** One declaration (`resource "t" "n" {}`, `module "x" {}`, ...) with its file and position. */
export interface Decl {
  kind: string;
  labels: string[];
  body: RawBody;
  pos: BlockPos | undefined;
  file: ParsedFile;
}

export interface ModuleCall {
  name: string;
  decl: Decl;
  /** Loaded source, when it is a local path or installed by `terraform init`. */
  child?: LoadedModule;
  /** Why the source was not followed. */
  notFollowed?: string;
}

export interface LoadedModule {
  /** Folder as shown to users (for `path.module`). */
  displayDir: string;
  absDir: string;
  files: ParsedFile[];
  decls: Decl[];
  calls: Map<string, ModuleCall>;
  errors: ScanError[];
  notices: CoverageNotice[];
}

/** All top-level declarations of a file, in hcl2json order (type, then label, then occurrence). */
export function declarations(file: ParsedFile): Decl[] {
  const out: Decl[] = [];
  // Blocks indexed once by type and labels: looking each declaration up by scanning every block of
  // the file made files with thousands of resources quadratic.
  const depthOf = (kind: string) => (kind === 'resource' || kind === 'data' ? 2 : kind === 'locals' ? 0 : 1);
  const index = new Map<string, BlockPos[]>();
  for (const b of file.pos?.blocks ?? []) {
    const k = [b.type, ...b.labels.slice(0, depthOf(b.type))].join('\u0000');
    const list = index.get(k);
    if (list) list.push(b);
    else index.set(k, [b]);
  }
  for (const kind of ['variable', 'locals', 'output', 'module', 'data', 'resource']) {
    const raw = file.body[kind];
    const depth = depthOf(kind);
    const walk = (v: unknown, labels: string[]) => {
      if (labels.length === depth) {
        const bodies = Array.isArray(v) ? v : [v];
        const positions = index.get([kind, ...labels].join('\u0000')) ?? [];
        bodies.forEach((b, i) => {
          if (isRecord(b)) out.push({ kind, labels, body: b, pos: positions[i], file });
        });
        return;
      }
      if (isRecord(v)) for (const [k, x] of Object.entries(v)) walk(x, [...labels, k]);
    };
    if (raw !== undefined) walk(raw, []);
  }
  // Source order within the file (hcl2json groups by type); unknown positions last.
  return out
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.pos?.line ?? Infinity) - (b.d.pos?.line ?? Infinity) || a.i - b.i)
    .map((x) => x.d);
}

interface InstalledModule {
  Key: string;
  Source?: string;
  Dir: string;
}

export interface LoadContext {
  rootAbs: string;
  rootDisplay: string;
  installed: InstalledModule[];
  /** Files already parsed in this scan (a module called twice is parsed once). */
  parsed: Map<string, Promise<LoadResult>>;
  /** Files of the local modules other root modules of the scan call too. */
  shared?: SharedParses;
  /**
   * Modules already loaded in this scan, by real folder and display path: a module called from many
   * places is loaded once (each module calling the next twice, 16 levels deep, is 17 folders, not 65,536).
   */
  loaded?: Map<string, Promise<LoadedModule>>;
  /** Modules outside this folder are not read (see TerraformOptions.scanRoot). */
  scanRoot?: string;
  maxFileBytes?: number;
  /** Bytes the scan's planning already read (see ReadOnce). */
  reads?: ReadOnce;
}

export async function readInstalledModules(rootAbs: string): Promise<InstalledModule[]> {
  try {
    const text = readFileSync(path.join(rootAbs, '.terraform', 'modules', 'modules.json'), 'utf8');
    const json = JSON.parse(text) as { Modules?: InstalledModule[] };
    return Array.isArray(json.Modules) ? json.Modules.filter((m) => typeof m?.Key === 'string' && typeof m?.Dir === 'string') : [];
  } catch {
    return [];
  }
}

export async function loadModule(
  displayDir: string,
  absDir: string,
  sources: SourceFile[],
  keyPath: string[],
  ancestors: string[],
  lc: LoadContext,
): Promise<LoadedModule> {
  const mod: LoadedModule = { displayDir, absDir, files: [], decls: [], calls: new Map(), errors: [], notices: [] };
  for (const src of [...sources].sort((a, b) => a.path.localeCompare(b.path))) {
    const cacheKey = `${src.abs}\0${src.path}`;
    const cache = lc.shared?.dirs.has(absDir) ? lc.shared.parsed : lc.parsed;
    let pending = cache.get(cacheKey);
    if (!pending) cache.set(cacheKey, (pending = loadFile(src, lc.maxFileBytes, lc.reads)));
    const r = await pending;
    if (!r.ok) mod.errors.push(r.error);
    else {
      mod.files.push(r.file);
      append(mod.decls, declarations(r.file));
    }
  }
  for (const decl of mod.decls.filter((d) => d.kind === 'module')) {
    const name = decl.labels[0];
    if (mod.calls.has(name)) continue;
    const call: ModuleCall = { name, decl };
    mod.calls.set(name, call);
    const source = decl.body.source;
    const key = [...keyPath, name].join('.');
    let childAbs: string | undefined;
    let childDisplay: string | undefined;
    if (typeof source !== 'string' || source.includes('${')) {
      call.notFollowed = 'its source is not a literal string';
    } else if (source.startsWith('./') || source.startsWith('../')) {
      childAbs = path.resolve(absDir, source);
      childDisplay = path.posix.normalize(path.posix.join(displayDir, source.replace(/\/+$/, '')));
    } else {
      const inst = lc.installed.find((m) => m.Key === key);
      if (inst) {
        childAbs = path.resolve(lc.rootAbs, inst.Dir);
        childDisplay = path.posix.normalize(path.posix.join(lc.rootDisplay, inst.Dir.replace(/\\/g, '/')));
      } else call.notFollowed = `its source "${source}" is not a local path and was not installed by terraform init`;
    }
    // The real path (symbolic links resolved) is what is read, so it is what must stay inside:
    // `source = "./linkdir"` with linkdir -> /etc would otherwise pass the test on the written path.
    const childReal = childAbs ? await realPath(childAbs) : undefined;
    if (childAbs && childDisplay && lc.scanRoot && !isInside(childReal!, await realPath(lc.scanRoot))) {
      call.notFollowed = `its source ${childDisplay} leaves the scanned folder (not read; scan a folder that contains it)`;
    } else if (childAbs && childDisplay) {
      const selfReal = await realPath(absDir);
      if (ancestors.includes(childReal!) || childReal === selfReal) {
        call.notFollowed = `it calls a module that is already being loaded (module cycle through ${childDisplay})`;
      } else {
        const listed = await moduleFiles(childAbs, childDisplay, lc.scanRoot);
        if (!listed) call.notFollowed = `its source folder ${childDisplay} cannot be read`;
        else {
          for (const link of listed.refused) {
            mod.notices.push({ file: link, message: 'symbolic link points outside the scanned folder (not followed)' });
          }
          // The key path only matters for modules installed by terraform init (looked up by it).
          const memoKey = `${childReal}\0${childDisplay}\0${lc.installed.length > 0 ? key : ''}`;
          const memo = (lc.loaded ??= new Map());
          let pending = memo.get(memoKey);
          if (!pending) memo.set(memoKey, (pending = loadModule(childDisplay, childAbs, listed.files, [...keyPath, name], [...ancestors, selfReal], lc)));
          call.child = await pending;
        }
      }
    }
    if (call.notFollowed) {
      mod.notices.push({
        file: decl.file.path,
        line: decl.pos?.line,
        message: `module "${name}" is not scanned: ${call.notFollowed}; its resources are missing and its outputs are unknown`,
      });
    }
  }
  return mod;
}

/**
 * The module's .tf files. A symbolic link is read only when its real path stays inside the scanned
 * root (`refused` lists the others, by display path).
 */
async function moduleFiles(absDir: string, displayDir: string, scanRoot: string | undefined): Promise<{ files: SourceFile[]; refused: string[] } | undefined> {
  let entries;
  try {
    entries = readdirSync(absDir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  const realRoot = scanRoot ? await realPath(scanRoot) : undefined;
  const files: SourceFile[] = [];
  const refused: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!(e.name.endsWith('.tf') || e.name.endsWith('.tf.json'))) continue;
    const file = { abs: path.join(absDir, e.name), path: path.posix.join(displayDir, e.name) };
    if (e.isFile()) files.push(file);
    else if (e.isSymbolicLink()) {
      const real = realOrUndefined(file.abs);
      if (!real || !isFile(real)) continue;
      if (realRoot && !isInside(real, realRoot)) refused.push(file.path);
      else files.push(file);
    }
  }
  return { files, refused };
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function realOrUndefined(p: string): string | undefined {
  try {
    return realpathSync.native(p);
  } catch {
    return undefined;
  }
}

/** The path with every symbolic link resolved (a missing path: its folder's, so it reads as missing, not outside). */
async function realPath(p: string): Promise<string> {
  try {
    return realpathSync.native(p);
  } catch {
    const dir = path.dirname(p);
    return dir === p ? p : path.join(await realPath(dir), path.basename(p));
  }
}

function isInside(abs: string, root: string): boolean {
  return abs === root || abs.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}
