import path from 'node:path';
import type { SourceFile } from '../../model/source-file.js';
import { type ReadOnce, readSource, readSourceKeeping } from '../read.js';
import { isRecord } from './load.js';
import { locateHcl } from './locate.js';

// Which Terraform folders are root modules. A folder that another folder of the same scan calls as
// a local module (`source = "../x"`) is scanned through its callers only: alone, its variables would
// have no values and its rules would be reported again, as "possible", at the same lines.

/** Absolute folders of the local modules (`./` or `../` sources) that one folder's files call. */
export async function localModuleCalls(dir: string, files: SourceFile[], once?: ReadOnce): Promise<string[]> {
  const out = new Set<string>();
  for (const f of files) {
    const lower = f.path.toLowerCase();
    if (!lower.endsWith('.tf') && !lower.endsWith('.tf.json')) continue;
    const read = once ? readSourceKeeping(f, once) : await readSource(f);
    if (!read.ok) continue;
    const sources = lower.endsWith('.json') ? jsonSources(read.text) : hclSources(read.text);
    for (const s of sources) if (s.startsWith('./') || s.startsWith('../')) out.add(path.resolve(dir, s));
  }
  return [...out].sort();
}

/** `source = "..."` of each module block, read from the text at the attribute's line (no full parse). */
function hclSources(text: string): string[] {
  // A module block starts a line with the literal word (after blanks; \s covers a BOM): without one,
  // skip the locator's full pass (most files say "module" only in descriptions and sources).
  if (!/^\s*module\b/m.test(text)) return [];
  const lines = text.split('\n');
  const out: string[] = [];
  for (const b of locateHcl(text).blocks) {
    const attr = b.type === 'module' ? b.attrs.get('source') : undefined;
    const m = attr && /^\s*source\s*=\s*"([^"$%]*)"/.exec(lines[attr.line - 1] ?? '');
    if (m) out.push(m[1]);
  }
  return out;
}

function jsonSources(text: string): string[] {
  try {
    const json: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    const modules = isRecord(json) && isRecord(json.module) ? json.module : {};
    return Object.values(modules)
      .flatMap((m) => (Array.isArray(m) ? m : [m]))
      .map((m) => (isRecord(m) && typeof m.source === 'string' ? m.source : ''))
      .filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * The folders to scan as roots: those no other folder of the scan calls, plus, for call cycles that
 * no root reaches, the first folder of each cycle (so nothing is left unscanned).
 */
export function rootModules(calls: Map<string, string[]>): string[] {
  const dirs = [...calls.keys()].sort();
  const called = new Set<string>();
  for (const [dir, targets] of calls) for (const t of targets) if (t !== dir && calls.has(t)) called.add(t);
  const roots = dirs.filter((d) => !called.has(d));
  const reached = new Set<string>();
  const visit = (d: string) => {
    if (reached.has(d)) return;
    reached.add(d);
    for (const t of calls.get(d) ?? []) if (calls.has(t)) visit(t);
  };
  roots.forEach(visit);
  for (const d of dirs) {
    if (reached.has(d)) continue;
    roots.push(d);
    visit(d);
  }
  return roots.sort();
}
