import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DiffError } from './errors.js';

// The base side of a diff: the tree at a revision, written to a temporary folder straight from git's
// object database (ls-tree + cat-file). The user's working tree, index and refs are never touched,
// and no shell ever sees a revision or a path: git runs with argument arrays.

/** A problem the user can fix (not a repository, unknown revision, git missing); exit code 2. */
export class GitError extends DiffError {}

interface GitRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs git with an argument array; `onStdout` streams output instead of collecting it. */
export function runGit(args: string[], cwd: string, opts: { input?: string; onStdout?: (chunk: Buffer) => void } = {}): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => (opts.onStdout ? opts.onStdout(c) : out.push(c)));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new GitError('git was not found on PATH; --diff-base needs git') : e),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: err.trim() }));
    child.stdin.on('error', () => undefined); // git may exit before reading everything (reported by its code)
    child.stdin.end(opts.input ?? '');
  });
}

/** The repository's top folder, or a GitError naming the folder. */
export async function repoTopLevel(cwd: string): Promise<string> {
  const r = await runGit(['rev-parse', '--show-toplevel'], cwd);
  if (r.code !== 0) throw new GitError(`${cwd} is not inside a git repository (git: ${r.stderr || `exit ${r.code}`})`);
  return r.stdout.toString('utf8').trim();
}

/** The commit a revision names, or a GitError. Revisions starting with "-" are refused (not options). */
export async function resolveCommit(repo: string, ref: string): Promise<string> {
  if (ref === '' || ref.startsWith('-')) throw new GitError(`invalid git revision "${ref}"`);
  const r = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], repo);
  if (r.code !== 0) throw new GitError(`unknown git revision "${ref}" (not a commit in ${repo}; with a shallow clone, fetch it first)`);
  return r.stdout.toString('utf8').trim();
}

export interface BaseTree {
  /** The commit read. */
  commit: string;
  /** The repository's top folder (of the working tree the copy mirrors). */
  repo: string;
  /** Temporary folder holding the whole tree at `commit`. */
  root: string;
  /** The folder inside `root` that corresponds to the given working directory. */
  cwd: string;
  /** Removes the temporary folder. */
  dispose(): Promise<void>;
}

/**
 * Writes the tree at `ref` to a temporary folder. `cwd` (inside the repository) is mapped to the same
 * relative folder in the copy, so scanning the copy with the same path arguments yields the same
 * relative paths, hence the same fingerprints. Symbolic links and submodules are not copied.
 */
export async function checkoutToTemp(cwd: string, ref: string): Promise<BaseTree> {
  const top = await repoTopLevel(cwd);
  const commit = await resolveCommit(top, ref);
  const prefix = path.relative(await realpath(top), await realpath(cwd));
  const root = await mkdtemp(path.join(tmpdir(), 'sgscan-base-'));
  const dispose = () => rm(root, { recursive: true, force: true });
  try {
    const listing = await runGit(['ls-tree', '-r', '-z', '--full-tree', commit], top);
    if (listing.code !== 0) throw new GitError(`git ls-tree ${commit} failed: ${listing.stderr}`);
    const blobs = parseTree(listing.stdout.toString('utf8'));
    await writeBlobs(top, root, blobs);
    // createFileIdentity takes the nearest folder holding `.git` as the repository root; this marker
    // makes the copy's root play that part, so fingerprints match the working tree's.
    writeFileSync(path.join(root, '.git'), 'sgscan temporary copy; not a repository\n');
    return { commit, repo: top, root, cwd: path.join(root, prefix), dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

interface BlobEntry {
  object: string;
  path: string;
}

/** `ls-tree -r -z` lines: "<mode> <type> <object>\t<path>\0". Regular files only. */
export function parseTree(listing: string): BlobEntry[] {
  const out: BlobEntry[] = [];
  for (const record of listing.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, object] = record.slice(0, tab).split(' ');
    if (type !== 'blob' || (mode !== '100644' && mode !== '100755')) continue;
    out.push({ object, path: record.slice(tab + 1) });
  }
  return out;
}

/** Streams every blob through one `git cat-file --batch` and writes each as it completes. */
async function writeBlobs(repo: string, root: string, blobs: BlobEntry[]): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  let failure: Error | undefined;
  const onStdout = (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      if (failure || index >= blobs.length) return;
      const nl = pending.indexOf(10);
      if (nl < 0) return;
      const header = pending.subarray(0, nl).toString('utf8'); // "<object> blob <size>"
      const size = Number(header.split(' ')[2]);
      if (!Number.isInteger(size)) {
        failure = new GitError(`git cat-file: unexpected output "${header}"`);
        return;
      }
      if (pending.length < nl + 1 + size + 1) return;
      const target = path.join(root, blobs[index].path);
      if (!target.startsWith(root + path.sep)) {
        failure = new GitError(`refusing to write outside the temporary folder: ${blobs[index].path}`);
        return;
      }
      try {
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, pending.subarray(nl + 1, nl + 1 + size));
      } catch (e) {
        failure = e instanceof Error ? e : new Error(String(e));
        return;
      }
      pending = pending.subarray(nl + 1 + size + 1);
      index++;
    }
  };
  const input = blobs.map((b) => `${b.object}\n`).join('');
  const r = await runGit(['cat-file', '--batch'], repo, { input, onStdout });
  if (failure) throw failure;
  if (r.code !== 0 || index !== blobs.length) throw new GitError(`git cat-file failed: ${r.stderr || `exit ${r.code}`}`);
}
