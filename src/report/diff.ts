import { createColors } from 'picocolors';
import type { Finding } from '../model/check.js';
import { SEVERITIES } from '../model/check.js';
import { serviceName } from '../model/services.js';
import { lineReader } from '../input/lines.js';
import { bySeverityFirst, headline, pathSource, plural, stepLocation } from './common.js';
import { renderJson } from './json.js';
import { cell, DEFAULT_MAX_BYTES, escapeMarkdown, renderMarkdown } from './markdown.js';
import { buildSarif, FINGERPRINT_KEY } from './sarif.js';
import { clean, renderPath, renderText } from './text.js';
import type { ScanResult } from '../model/scan-result.js';
import type { MarkdownOptions, SarifOptions, TextOptions } from './options.js';
import { activeNew, newBySeverity, newExposures, statusLookup, type FindingsDiff } from '../pipeline/diff/diff.js';
import { append } from '../model/arrays.js';

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

/**
 * The exposed service as the SGS040 message names it: "tcp/22 (SSH)", "tcp/0-65535, including SSH
 * (tcp/22), …". The finding's key is "internet <label>"; the message adds the well-known names.
 */
export function exposedService(f: Finding): string {
  if (f.service) return f.service;
  const label = f.key.startsWith('internet ') ? f.key.slice('internet '.length) : f.key;
  const lead = ` from the internet on ${label}`;
  const at = f.message.indexOf(lead);
  if (at >= 0) {
    const rest = f.message.slice(at + lead.length);
    const end = rest.indexOf(':');
    const extra = end >= 0 ? rest.slice(0, end).replace(/ \(public by design\)$/, '') : '';
    if (/^(?: \([^()]*\)|, including .*)?$/.test(extra)) return label + extra;
  }
  // Another message shape: name a single well-known port ourselves.
  const port = /^(?:tcp|udp)\/(\d+)$/.exec(label);
  const name = port ? serviceName(Number(port[1])) : undefined;
  return name ? `${label} (${name})` : label;
}

/** "This PR newly exposes aws_instance.web to the internet on tcp/22 (SSH)" ("may newly expose" when possible). */
export function exposureSentence(f: Finding, wording: DiffWording = {}): string {
  const verb = f.reachability === 'possibly-reachable' ? 'may newly expose' : 'newly exposes';
  return `${wording.subject ?? 'This change'} ${verb} ${f.resource} to the internet on ${exposedService(f)}`;
}

/** New exposures, most severe first, each with where it is and the path from the internet. */
function exposuresText(exposures: readonly Finding[], wording: DiffWording, color: boolean): string[] {
  const c = createColors(color);
  const out: string[] = [];
  for (const f of [...exposures].sort(bySeverityFirst)) {
    out.push(`${c.bold(clean(exposureSentence(f, wording)))} (${f.severity})`, `  ${c.cyan(`${clean(f.file)}:${f.line}`)}`);
    if (f.reachability === 'possibly-reachable' && f.assumptions.length > 0) out.push(`  ${c.yellow(`assuming ${f.assumptions.map(clean).join('; ')}`)}`);
    {
      append(out, renderPath(f, '  ', c));
      out.push('');
    }
  }
  return out;
}

/** Most exposures listed in the Markdown lead; the new findings table has them all. */
const MAX_LEAD_EXPOSURES = 20;

/** The Markdown lead: one bullet per new exposure, within `maxBytes`; the rest is counted. */
function exposuresMarkdown(exposures: readonly Finding[], wording: DiffWording, linkBase: string | undefined, maxBytes: number): string {
  if (exposures.length === 0) return '';
  const sorted = [...exposures].sort(bySeverityFirst);
  let out = `### ${escapeMarkdown(`New internet exposures: ${exposures.length}`)}\n\n`;
  let shown = 0;
  for (const f of sorted.slice(0, MAX_LEAD_EXPOSURES)) {
    const where = linkTo(f.file, f.line, f.endLine, `${f.file}:${f.line}`, linkBase);
    const assuming = f.reachability === 'possibly-reachable' && f.assumptions.length > 0 ? `, assuming ${f.assumptions.map(cell).join('; ')}` : '';
    const hops = (f.path ?? []).map((s) => `${cell(s.message)} (${linkTo(s.file, s.line, s.endLine ?? s.line, stepLocation(s, f.file), linkBase)})`);
    const through = hops.length ? ` through: ${[pathSource(f) ?? 'internet', ...hops, `**${cell(f.resource)}**`].join(' → ')}` : '';
    const item = `- ${SEVERITY_ICON[f.severity] ?? ''} **${cell(exposureSentence(f, wording))}** (${f.severity}, ${where}${assuming})${through}\n`;
    if (Buffer.byteLength(out + item, 'utf8') > maxBytes) break;
    out += item;
    shown++;
  }
  if (shown < sorted.length) out += `- … and ${plural(sorted.length - shown, 'more exposure')}: see the new findings (SGS040) below.\n`;
  return `${out}\n`;
}

const SEVERITY_ICON: Record<string, string> = { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜' };

/** `file:line`, linked to the lines when a link base is given (as the Markdown reporter does). */
function linkTo(file: string, line: number, endLine: number, text: string, linkBase: string | undefined): string {
  if (!linkBase) return cell(text);
  const url = encodeURI(`${linkBase}${file}`).replace(/[()]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${cell(text)}](${url}#L${line}${endLine > line ? `-L${endLine}` : ''})`;
}

/** Only the new findings, so reporters that count and list findings speak of those. */
function newOnly(result: ScanResult, diff: FindingsDiff): ScanResult {
  const fresh = activeNew(diff);
  const bySeverity: Record<string, number> = newBySeverity(diff);
  return { ...result, findings: fresh, summary: { ...result.summary, findings: fresh.length, bySeverity } };
}

export function renderDiffText(result: ScanResult, diff: FindingsDiff, options: TextOptions, wording: DiffWording = {}): string {
  // What the change newly exposes to the internet leads: it is what a reviewer must see first.
  const out = [...exposuresText(newExposures(diff), wording, options.color), clean(diffHeadline(diff, wording)), '', renderText(newOnly(result, diff), options).trimEnd()];
  const line = (f: Finding) => `  ${f.severity.padEnd(8)} ${f.ruleId} ${clean(f.file)}:${f.line} ${clean(headline(f))}`;
  if (diff.unchanged.length > 0) {
    out.push('', `Unchanged (already at ${clean(diff.base)}): ${diff.unchanged.length}`, ...[...diff.unchanged].sort(bySeverityFirst).map(line));
  }
  if (diff.fixed.length > 0) {
    out.push('', `Fixed (at ${clean(diff.base)}, gone now): ${diff.fixed.length}`, ...[...diff.fixed].sort(bySeverityFirst).map(line));
  }
  return `${out.join('\n')}\n`;
}

/** Room for the closing note of the unchanged/fixed sections. */
const TAIL_RESERVE = 1024;

export function renderDiffMarkdown(result: ScanResult, diff: FindingsDiff, options: MarkdownOptions = {}, wording: DiffWording = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const title = `## ${escapeMarkdown(options.title ?? 'sgscan')}\n\n`;
  // New exposures lead, within a quarter of the size limit; the findings table lists them all anyway.
  const exposures = exposuresMarkdown(newExposures(diff), wording, options.linkBase, Math.floor(maxBytes / 4));
  const head = `${title}${exposures}**${escapeMarkdown(diffHeadline(diff, wording))}**\n\n`;
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
      const row = `| ${f.severity} | ${cell(f.ruleId)} | ${cell(f.resource)} | ${cell(`${f.file}:${f.line}`)} | ${cell(headline(f))} |\n`;
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
