import type { Finding } from '../checks/types.js';
import { SEVERITIES } from '../checks/types.js';
import { lineReader } from '../load/lines.js';
import { bySeverityFirst, orderedFindings, plural } from '../report/common.js';
import { renderJson } from '../report/json.js';
import { cell, DEFAULT_MAX_BYTES, escapeMarkdown, renderMarkdown } from '../report/markdown.js';
import { buildSarif, FINGERPRINT_KEY } from '../report/sarif.js';
import { clean, renderText } from '../report/text.js';
import type { MarkdownOptions, SarifOptions, ScanResult, TextOptions } from '../report/types.js';
import { activeNew, newBySeverity, statusLookup, type FindingsDiff } from './diff.js';

// Diff-mode reports: the plain reporters, fed the new findings first, with what was already there and
// what was fixed after them. The reporters themselves stay unaware of diffs (except JSON's fields).

export interface DiffWording {
  /** Who introduces the findings in the headline: "This PR", "This change" (default). */
  subject?: string;
}

/** "This PR newly introduces 2 findings (1 critical, 1 high) compared with main; 3 unchanged, 1 fixed." */
export function diffHeadline(diff: FindingsDiff, wording: DiffWording = {}): string {
  const fresh = activeNew(diff);
  const counts = newBySeverity(diff);
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return (
    `${wording.subject ?? 'This change'} newly introduces ${plural(fresh.length, 'finding')}` +
    `${parts.length ? ` (${parts.join(', ')})` : ''} compared with ${diff.base}; ` +
    `${diff.unchanged.length} unchanged, ${diff.fixed.length} fixed.`
  );
}

/** Only the new findings, so reporters that count and list findings speak of those. */
function newOnly(result: ScanResult, diff: FindingsDiff): ScanResult {
  const fresh = activeNew(diff);
  const bySeverity: Record<string, number> = newBySeverity(diff);
  return { ...result, findings: fresh, summary: { ...result.summary, findings: fresh.length, bySeverity } };
}

export function renderDiffText(result: ScanResult, diff: FindingsDiff, options: TextOptions, wording: DiffWording = {}): string {
  const out = [clean(diffHeadline(diff, wording)), '', renderText(newOnly(result, diff), options).trimEnd()];
  const line = (f: Finding) => `  ${f.severity.padEnd(8)} ${f.ruleId} ${clean(f.file)}:${f.line} ${clean(f.message)}`;
  if (diff.unchanged.length > 0) {
    out.push('', `Unchanged (already at ${clean(diff.base)}): ${diff.unchanged.length}`, ...orderedFindings(diff.unchanged).map(line));
  }
  if (diff.fixed.length > 0) {
    out.push('', `Fixed (at ${clean(diff.base)}, gone now): ${diff.fixed.length}`, ...orderedFindings(diff.fixed).map(line));
  }
  return `${out.join('\n')}\n`;
}

/** Room for the closing note of the unchanged/fixed sections. */
const TAIL_RESERVE = 1024;

export function renderDiffMarkdown(result: ScanResult, diff: FindingsDiff, options: MarkdownOptions = {}, wording: DiffWording = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const head = `## ${escapeMarkdown(options.title ?? 'sgscan')}\n\n**${escapeMarkdown(diffHeadline(diff, wording))}**\n\n`;
  let out = head;
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  const newPart = renderMarkdown(newOnly(result, diff), {
    ...options,
    title: 'New findings',
    maxBytes: Math.max(1024, Math.floor((maxBytes - bytes(head)) * 0.8)),
  }).replace(/^## /, '### ');
  out += newPart;
  let omitted = 0;
  for (const [title, items] of [
    [`Unchanged findings (already at ${diff.base})`, diff.unchanged],
    [`Fixed findings (at ${diff.base}, gone now)`, diff.fixed],
  ] as const) {
    if (items.length === 0) continue;
    let section = `<details><summary>${escapeMarkdown(title)}: ${items.length}</summary>\n\n| Severity | Rule | Resource | Location | Message |\n| --- | --- | --- | --- | --- |\n`;
    const close = '\n</details>\n\n';
    for (const f of [...items].sort(bySeverityFirst)) {
      const row = `| ${f.severity} | ${cell(f.ruleId)} | ${cell(f.resource)} | ${cell(`${f.file}:${f.line}`)} | ${cell(f.message)} |\n`;
      if (bytes(out) + bytes(section) + bytes(row) + bytes(close) + TAIL_RESERVE > maxBytes) omitted++;
      else section += row;
    }
    if (bytes(out) + bytes(section) + bytes(close) + TAIL_RESERVE <= maxBytes) out += section + close;
  }
  if (omitted > 0) out += `> [!NOTE]\n> ${plural(omitted, 'unchanged or fixed finding')} not shown to stay under the size limit.\n`;
  return out;
}

/** SARIF with each result's `baselineState` ("new" or "unchanged") from the diff. */
export function renderDiffSarif(result: ScanResult, diff: FindingsDiff, options: SarifOptions = {}): string {
  const log = buildSarif(result, options);
  const status = statusLookup(diff);
  for (const run of log.runs) {
    for (const r of run.results ?? []) {
      const fingerprint = r.partialFingerprints?.[FINGERPRINT_KEY];
      if (fingerprint !== undefined) r.baselineState = status({ fingerprint });
    }
  }
  return `${JSON.stringify(log, null, 2)}\n`;
}


/** The CLI's formats in diff mode. */
export function renderDiffReport(
  result: ScanResult,
  diff: FindingsDiff,
  format: 'text' | 'json' | 'sarif' | 'markdown',
  opts: { color: boolean; cwd: string },
): string {
  switch (format) {
    case 'json':
      return renderJson(result, diff);
    case 'sarif':
      return renderDiffSarif(result, diff);
    case 'markdown':
      return renderDiffMarkdown(result, diff);
    case 'text':
      return renderDiffText(result, diff, { color: opts.color, readLines: lineReader(opts.cwd) });
  }
}
