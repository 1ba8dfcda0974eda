import type { Finding } from '../model/check.js';
import { SEVERITIES } from '../model/check.js';
import { bySeverityFirst, diagnosticLocation, headline, orderedDiagnostics, pathSource, plural, severityCounts, stepLocation, type Diagnostic } from './common.js';
import { MAX_DIAGRAM_CHARS, exposureDiagram } from './mermaid.js';
import type { ScanResult } from '../model/scan-result.js';
import type { MarkdownOptions } from './options.js';

/** GitHub's job summary limit. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;
/** Room kept for the closing truncation note and the footer, so the cap is never crossed. */
const RESERVE_BYTES = 512;

const SEVERITY_ICON: Record<string, string> = {
  critical: '🟥',
  high: '🟧',
  medium: '🟨',
  low: '🟦',
  info: '⬜',
};

/**
 * Markdown for PR comments and job summaries: counts, a findings table (most severe first), errors and
 * notices in collapsible sections. Every piece of user content is escaped for both Markdown and HTML.
 * Output stays under `maxBytes` (UTF-8); what does not fit is counted in a closing note.
 */
export function renderMarkdown(result: ScanResult, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const budget = new Budget(Math.max(0, maxBytes - RESERVE_BYTES));
  const findings = result.findings.filter((f) => !f.suppression).sort(bySeverityFirst);
  const counts = severityCounts(findings);
  const s = result.summary;

  budget.add(`## ${escapeMarkdown(options.title ?? 'sgscan')}\n\n`);
  budget.add(
    findings.length > 0
      ? `**${plural(findings.length, 'finding')}** in ${plural(new Set(findings.map((f) => f.file)).size, 'file')}\n\n`
      : // Nothing read is not a pass (the run exits 2 and says why): no "No findings" over an empty folder.
        s.filesScanned === 0
        ? '**Nothing scanned:** no Terraform or CloudFormation was read.\n\n'
        : '**No findings.**\n\n',
  );
  budget.add(
    `| Severity | Count |\n| --- | ---: |\n${SEVERITIES.map((sev) => `| ${SEVERITY_ICON[sev]} ${sev} | ${counts[sev]} |`).join('\n')}\n\n`,
  );
  budget.add(
    `Scanned ${plural(s.filesScanned, 'file')}${s.filesWithErrors > 0 ? ` (${s.filesWithErrors} with errors)` : ''}, ` +
      `${plural(s.groups, 'security group')}, ${plural(s.rules, 'rule')} with ${plural(result.checks.length, 'check')}.\n\n`,
  );

  // The diagram gets at most a quarter of the budget, so the findings table always has room.
  const diagram = exposureDiagram(findings, Math.min(MAX_DIAGRAM_CHARS, Math.floor(maxBytes / 4)));
  if (diagram.source !== '') {
    const cut =
      diagram.drawn < diagram.total
        ? `\n_The diagram shows the ${diagram.drawn} most severe of ${plural(diagram.total, 'internet exposure')}; the table lists them all._\n`
        : '';
    budget.add(
      `### Internet exposure\n\n${plural(diagram.total, 'resource path', 'resource paths')} from the internet, hop by hop (dotted: possibly reachable).\n\n` +
        `\`\`\`mermaid\n${diagram.source}\n\`\`\`\n${cut}\n`,
    );
  }

  let omitted = 0;
  if (findings.length > 0) {
    budget.add('| Severity | Rule | Resource | Location | Message |\n| --- | --- | --- | --- | --- |\n');
    for (const f of findings) if (!budget.add(findingRow(f, options.linkBase))) omitted++;
    budget.add('\n');
  }

  omitted += details(budget, 'Errors', orderedDiagnostics(result.errors), (e) => `could not parse ${cell(diagnosticLocation(e))}: ${cell(e.message)}`);
  omitted += details(budget, 'Notices', orderedDiagnostics(result.notices), (n) => `${cell(diagnosticLocation(n))}: ${cell(n.message)}`);

  let out = budget.text;
  if (omitted > 0) {
    out += `> [!WARNING]\n> Report truncated to stay under ${formatBytes(maxBytes)}: ${plural(omitted, 'entry', 'entries')} not shown. See the JSON or SARIF report for everything.\n`;
  }
  return out;
}

function findingRow(f: Finding, linkBase: string | undefined): string {
  const location = linkTo(f.file, f.line, f.endLine, `${f.file}:${f.line}`, linkBase);
  let message = cell(headline(f));
  if (f.certainty === 'possible') {
    message += `<br>_possible: ${f.assumptions.map(cell).join('; ') || 'depends on unknown values'}_`;
  }
  message += pathDetails(f, linkBase);
  return `| ${SEVERITY_ICON[f.severity]} ${f.severity} | ${cell(f.ruleId)} ${cell(f.ruleName)} | ${cell(f.resource)} | ${location} | ${message} |\n`;
}

/** `file:line` as plain text, or a link to the lines when a link base is given. */
function linkTo(file: string, line: number, endLine: number, text: string, linkBase: string | undefined): string {
  if (!linkBase) return cell(text);
  return `[${cell(text)}](${encodeLink(`${linkBase}${file}`)}#L${line}${endLine > line ? `-L${endLine}` : ''})`;
}

/** Most steps listed in a finding's collapsible path; JSON and SARIF have them all. */
const MAX_PATH_STEPS = 30;

/** The finding's path, collapsed inside its table cell (HTML only: a cell is one Markdown line). */
function pathDetails(f: Finding, linkBase: string | undefined): string {
  const steps = f.path ?? [];
  if (steps.length === 0) return '';
  const source = pathSource(f);
  const items = steps
    .slice(0, MAX_PATH_STEPS)
    .map((s) => `→ ${cell(s.message)} (${linkTo(s.file, s.line, s.endLine ?? s.line, stepLocation(s, f.file), linkBase)})`);
  if (steps.length > MAX_PATH_STEPS) items.push(`… ${plural(steps.length - MAX_PATH_STEPS, 'more step')}`);
  if (f.resource && !f.target) items.push(`→ **${cell(f.resource)}**`);
  const head = source ? [cell(source)] : [];
  return `<details><summary>Path (${plural(steps.length, 'step')})</summary>${[...head, ...items].join('<br>')}</details>`;
}

/** A collapsible section; returns how many items did not fit. */
function details(budget: Budget, title: string, items: Diagnostic[], line: (d: Diagnostic) => string): number {
  if (items.length === 0) return 0;
  const open = `<details><summary>${title} (${items.length})</summary>\n\n`;
  const close = '\n</details>\n\n';
  const closeBytes = Buffer.byteLength(close, 'utf8');
  if (!budget.add(open, closeBytes)) return items.length;
  budget.reserve(closeBytes);
  let omitted = 0;
  for (const d of items) if (!budget.add(`- ${line(d)}\n`)) omitted++;
  budget.release(closeBytes);
  budget.add(close);
  return omitted;
}

/** Accumulates text while it fits in a byte budget; never adds part of a piece. */
class Budget {
  text = '';
  private used = 0;
  private reserved = 0;
  constructor(private readonly limit: number) {}

  /** Adds `piece` if it fits with `andThen` more bytes still free after it. */
  add(piece: string, andThen = 0): boolean {
    const bytes = Buffer.byteLength(piece, 'utf8');
    if (this.used + this.reserved + bytes + andThen > this.limit) return false;
    this.text += piece;
    this.used += bytes;
    return true;
  }

  reserve(bytes: number): void {
    this.reserved += bytes;
  }

  release(bytes: number): void {
    this.reserved -= bytes;
  }
}

/**
 * User content for a table cell: HTML-special characters become entities (no tags, no <script>),
 * Markdown punctuation is backslash-escaped (pipes would split the cell, backticks open code, brackets
 * links), newlines become <br>, and "@" is broken so a name cannot mention anyone in a PR comment.
 */
export function cell(s: string): string {
  return escapeMarkdown(s).replace(/\r\n|\r|\n/g, '<br>');
}

export function escapeMarkdown(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, (ch) => `\\${ch}`)
    .replace(/@/g, '@\u200b')
    .replace(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/g, ' ');
}

/** Encode a link target so spaces and parentheses cannot end it early. */
function encodeLink(url: string): string {
  return encodeURI(url).replace(/[()]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
