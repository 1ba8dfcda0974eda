import type { Check } from '../model/check.js';
import { maxOf } from '../model/arrays.js';

/** `sgscan rules`: the catalog, generated from each check's metadata. */
export function renderRules(checks: readonly Check[], format: 'text' | 'markdown' | 'json'): string {
  const sorted = [...checks].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
  if (format === 'json') return JSON.stringify(sorted.map((c) => c.meta), null, 2) + '\n';
  if (format === 'markdown') {
    const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const peers = (c: Check) =>
      [
        ...Object.entries(c.meta.equivalents ?? {}).flatMap(([tool, ids]) => (ids ?? []).map((id) => `${tool}: ${id}`)),
        // Covered only with the strict preset's options (SGS023's FTP ports).
        ...Object.entries(c.meta.strictEquivalents ?? {}).flatMap(([tool, ids]) => (ids ?? []).map((id) => `${tool}: ${id} (strict)`)),
      ].join(', ');
    const rows = sorted.map((c) => `| ${c.meta.id} | ${c.meta.name} | ${c.meta.severity} | ${esc(c.meta.shortDescription)} | ${esc(peers(c))} |`);
    return ['| id | name | severity | description | equivalents |', '| --- | --- | --- | --- | --- |', ...rows, ''].join('\n');
  }
  const width = maxOf(sorted.map((c) => c.meta.name.length));
  return sorted.map((c) => `${c.meta.id}  ${c.meta.name.padEnd(width)}  ${c.meta.severity.padEnd(8)}  ${c.meta.shortDescription}`).join('\n') + '\n';
}
