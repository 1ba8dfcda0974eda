import { readFileSync, statSync } from 'node:fs';
import type { ScanError } from '../model/model.js';
import type { SourceFile } from '../model/source-file.js';

export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Words every size-limit error carries, so coverage can count such files as skipped, not failed. */
const SIZE_LIMIT_MARK = 'MiB limit (skipped';

export function isSizeLimitError(e: ScanError): boolean {
  return e.message.includes(SIZE_LIMIT_MARK);
}

export type ReadResult = { ok: true; text: string } | { ok: false; error: ScanError };

/**
 * Read a source file as UTF-8 text, refusing what no parser should see: files over the size
 * limit, binary files and invalid UTF-8. A leading BOM is dropped (line numbers are unaffected).
 */
export async function readSource(file: SourceFile, maxBytes = DEFAULT_MAX_FILE_BYTES, once?: ReadOnce): Promise<ReadResult> {
  // Synchronous underneath: a scan reads one file at a time, and each awaited stat/open/read/close
  // round trip through libuv's thread pool left the thread idle (26% of a corpus scan's profile).
  return readSourceSync(file, maxBytes, once);
}

/**
 * A file's bytes, read by one reader and handed to the next one of the same file (planning reads
 * every .tf file for its module sources, then the module's scan reads it): each file read from disk
 * once, and dropped when taken. The guards run again on the bytes, with the second reader's limit.
 */
export type ReadOnce = Map<string, Buffer>;

/** The same guards, synchronously: for front ends that must read a file mid-evaluation (nested stacks). */
export function readSourceSync(file: SourceFile, maxBytes = DEFAULT_MAX_FILE_BYTES, once?: ReadOnce): ReadResult {
  const kept = once?.get(file.abs);
  if (!kept) return readFresh(file, maxBytes);
  once!.delete(file.abs);
  return kept.length > maxBytes ? tooLarge(file, kept.length, maxBytes) : decode(file, kept);
}

/** readSourceSync, keeping the bytes it read for the next reader of the file. */
export function readSourceKeeping(file: SourceFile, once: ReadOnce, maxBytes = DEFAULT_MAX_FILE_BYTES): ReadResult {
  return readFresh(file, maxBytes, once);
}

function readFresh(file: SourceFile, maxBytes: number, keep?: ReadOnce): ReadResult {
  try {
    const s = statSync(file.abs);
    if (s.size > maxBytes) return tooLarge(file, s.size, maxBytes);
    const bytes = readFileSync(file.abs);
    keep?.set(file.abs, bytes);
    return decode(file, bytes);
  } catch (e) {
    return cannotRead(file, e);
  }
}

function fail(file: SourceFile, message: string, line?: number): ReadResult {
  return { ok: false, error: { file: file.path, line, message } };
}

function tooLarge(file: SourceFile, size: number, maxBytes: number): ReadResult {
  return fail(file, `file is ${(size / 1048576).toFixed(1)} MiB, over the ${formatMiB(maxBytes)} ${SIZE_LIMIT_MARK}; raise it with --max-file-size)`);
}

function cannotRead(file: SourceFile, e: unknown): ReadResult {
  const code = (e as NodeJS.ErrnoException)?.code;
  return fail(file, code === 'EACCES' || code === 'EPERM' ? 'permission denied' : `cannot read file (${code ?? String(e)})`);
}

function decode(file: SourceFile, bytes: Buffer): ReadResult {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return fail(file, 'binary content (NUL byte); not a text file', lineAt(bytes, nul));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail(file, 'not valid UTF-8', firstInvalidUtf8Line(bytes));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text };
}

/** 20 → "20", 0.5 → "0.5": a limit given as a fraction must not print as "1 MiB". */
function formatMiB(bytes: number): string {
  return String(Number((bytes / 1048576).toFixed(2)));
}

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function firstInvalidUtf8Line(bytes: Buffer): number | undefined {
  let start = 0;
  let line = 1;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      start = i + 1;
      line++;
    }
  }
  return undefined;
}
