import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
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

/**
 * Streams every blob through one `git cat-file --batch`, writing each body to its file as chunks
 * arrive: nothing is buffered beyond one header line (gathering a 200 MB blob by concatenating
 * every chunk onto the previous ones took minutes).
 */
async function writeBlobs(repo: string, root: string, blobs: BlobEntry[]): Promise<void> {
  let index = 0;
  let failure: Error | undefined;
  let header: Buffer[] = [];
  /** Bytes of the current body still to write, then 1 for the newline after it; -1 between blobs. */
  let remaining = -1;
  let fd: number | undefined;
  const fail = (e: unknown) => {
    failure = e instanceof Error ? e : new Error(String(e));
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  const startBlob = (line: string): void => {
    const size = Number(line.split(' ')[2]); // "<object> blob <size>"
    if (!Number.isInteger(size) || size < 0) return fail(new GitError(`git cat-file: unexpected output "${line}"`));
    const target = path.join(root, blobs[index].path);
    if (!target.startsWith(root + path.sep)) return fail(new GitError(`refusing to write outside the temporary folder: ${blobs[index].path}`));
    try {
      mkdirSync(path.dirname(target), { recursive: true });
      fd = openSync(target, 'w');
    } catch (e) {
      return fail(e);
    }
    remaining = size + 1;
  };
  const onStdout = (chunk: Buffer) => {
    let at = 0;
    while (at < chunk.length && !failure && index < blobs.length) {
      if (remaining < 0) {
        const nl = chunk.indexOf(10, at);
        header.push(chunk.subarray(at, nl < 0 ? chunk.length : nl));
        if (nl < 0) return;
        at = nl + 1;
        const line = Buffer.concat(header).toString('utf8');
        header = [];
        startBlob(line);
        continue;
      }
      const body = Math.min(remaining - 1, chunk.length - at);
      try {
        if (body > 0) writeSync(fd!, chunk, at, body);
      } catch (e) {
        return fail(e);
      }
      at += body;
      remaining -= body;
      if (remaining === 1 && at < chunk.length) {
        at++; // the newline after the body
        closeSync(fd!);
        fd = undefined;
        remaining = -1;
        index++;
      }
    }
  };
  const input = blobs.map((b) => `${b.object}\n`).join('');
  const r = await runGit(['cat-file', '--batch'], repo, { input, onStdout });
  if (fd !== undefined) closeSync(fd);
  if (failure) throw failure;
  if (r.code !== 0 || index !== blobs.length) throw new GitError(`git cat-file failed: ${r.stderr || `exit ${r.code}`}`);
}
