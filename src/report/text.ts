import { createColors } from 'picocolors';
import type { Finding, Severity } from '../model/check.js';
import { SEVERITIES } from '../model/check.js';
import { formatLocation } from '../model/location.js';
import {
  diagnosticLocation,
  headline,
  pathSource,
  stepLocation,
  orderedDiagnostics,
  orderedFindings,
  plural,
  severityCounts,
} from './common.js';
import type { Coverage, ScanResult } from '../model/scan-result.js';
import type { TextOptions } from './options.js';

type Colors = ReturnType<typeof createColors>;

/** Most lines a code frame shows; longer spans are cut with a "more lines" note. */
const MAX_FRAME_LINES = 6;
/** Source lines are cut at this width so a minified file cannot flood the terminal. */
const MAX_FRAME_WIDTH = 160;
const SEVERITY_WIDTH = Math.max(...SEVERITIES.map((s) => s.length));
/** Most path steps drawn under a finding; the JSON and SARIF reports have them all. */
const MAX_PATH_STEPS = 20;

/**
 * Human-readable report: findings grouped by file, each with a code frame when `readLines` is given,
 * then errors, notices and a summary. Colour only when `options.color` (picocolors' own detection is
 * never consulted, so output is the same on every machine).
 */
export function renderText(result: ScanResult, options: TextOptions): string {
  const c = createColors(options.color);
  // Suppressed findings stay in JSON (marked); people reading the terminal see only the count.
  const findings = orderedFindings(result.findings.filter((f) => !f.suppression));
  const out: string[] = [];

  const idWidth = Math.max(0, ...findings.map((f) => f.ruleId.length));
  for (const [file, group] of groupByFile(findings)) {
    out.push(c.bold(c.underline(clean(file))));
    // A code frame is drawn once: a second finding at the same lines (a missing description on a rule
    // that is also open to the world) points back at it instead of repeating it.
    const framed = new Set<string>();
    for (const f of group) {
      const at = `${f.line}-${f.endLine ?? f.line}`;
      out.push(...renderFinding(f, idWidth, c, options.readLines, framed.has(at)), '');
      framed.add(at);
    }
  }

  const errors = orderedDiagnostics(result.errors);
  if (errors.length > 0) {
    out.push(c.bold(c.red(`Errors (${errors.length})`)));
    for (const e of errors) {
      out.push(`  ${c.red('✖')} could not parse ${clean(diagnosticLocation(e))}: ${clean(e.message)}`);
    }
    out.push('');
  }

  const notices = orderedDiagnostics(result.notices);
  if (notices.length > 0) {
    out.push(c.bold(c.yellow(`Notices (${notices.length})`)));
    for (const n of notices) out.push(`  ${c.yellow('!')} ${clean(diagnosticLocation(n))}: ${clean(n.message)}`);
    out.push('');
  }

  out.push(...renderSummary(result, findings, c));
  return `${out.join('\n')}\n`;
}

function groupByFile(sorted: Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of sorted) {
    const g = groups.get(f.file);
    if (g) g.push(f);
    else groups.set(f.file, [f]);
  }
  return groups;
}

/** Findings are indented under their file; continuation lines line up under the message. */
function renderFinding(
  f: Finding,
  idWidth: number,
  c: Colors,
  readLines: TextOptions['readLines'],
  framedAbove = false,
): string[] {
  const indent = ' '.repeat(2 + SEVERITY_WIDTH + 2 + idWidth + 2);
  const lines = [
    `  ${paintSeverity(f.severity, f.severity.padEnd(SEVERITY_WIDTH), c)}  ${c.dim(f.ruleId.padEnd(idWidth))}  ${clean(headline(f))}`,
    `${indent}${c.cyan(`${clean(f.file)}:${f.line}`)}${f.resource ? c.dim(`  ${clean(f.resource)}`) : ''}`,
  ];
  if (f.via.length > 0) {
    lines.push(`${indent}${c.dim(`via ${f.via.map((l) => clean(formatLocation(l))).join(' → ')}`)}`);
  }
  if (f.certainty === 'possible') {
    const why = f.assumptions.length > 0 ? `: ${f.assumptions.map(clean).join('; ')}` : '';
    lines.push(`${indent}${c.yellow(`possible${why}`)}`);
  }
  lines.push(...renderPath(f, indent, c));
  const source = readLines?.(f.file);
  if (source && framedAbove) lines.push(`${indent}${c.dim('(same lines as above)')}`);
  else if (source) lines.push(...codeFrame(source, f.line, f.endLine, indent, c));
  return lines;
}

/**
 * The finding's path, one hop a line so long paths stay readable:
 *   path: internet
 *         → internet gateway aws_internet_gateway.main (network.tf:12)
 *         → sg rule aws_security_group.bastion ingress (security.tf:30)
 *         → aws_instance.bastion
 */
export function renderPath(f: Finding, indent: string, c: Colors): string[] {
  const steps = f.path ?? [];
  if (steps.length === 0) return [];
  const source = pathSource(f);
  const hops = steps.slice(0, MAX_PATH_STEPS).map((s) => `${clean(s.message)} ${c.dim(`(${clean(stepLocation(s, f.file))})`)}`);
  if (steps.length > MAX_PATH_STEPS) hops.push(c.dim(`… ${plural(steps.length - MAX_PATH_STEPS, 'more step')}`));
  // A finding told at a rule ends its path at the endpoint it exposes (the last step names it).
  if (f.resource && !f.target) hops.push(c.bold(clean(f.resource)));
  const head = source ? [source, ...hops] : hops;
  const arrow = c.dim('→');
  return head.map((h, i) => (i === 0 ? `${indent}${c.dim('path:')} ${h}` : `${indent}      ${arrow} ${h}`));
}

/**
 * The offending lines with one line of context either side, line numbers and a `>` gutter marker.
 * Spans longer than the frame show their first lines and how many were left out.
 */
export function codeFrame(
  source: readonly string[],
  line: number,
  endLine: number,
  indent: string,
  c: Colors,
): string[] {
  if (line < 1 || line > source.length) return [];
  const last = Math.min(Math.max(line, endLine), source.length);
  const span = last - line + 1;
  let from: number;
  let to: number;
  let cut = 0;
  if (span <= MAX_FRAME_LINES - 2) {
    from = Math.max(1, line - 1);
    to = Math.min(source.length, last + 1);
  } else {
    from = line;
    to = line + MAX_FRAME_LINES - 2;
    cut = last - to;
  }
  const numWidth = String(to).length;
  const frame: string[] = [];
  for (let n = from; n <= to; n++) {
    const hit = n >= line && n <= last;
    const marker = hit ? c.red('>') : ' ';
    const num = String(n).padStart(numWidth);
    const text = frameText(source[n - 1] ?? '');
    // Empty source lines end at the gutter: no trailing space, coloured or not.
    const body = text === '' ? '' : ` ${hit ? text : c.dim(text)}`;
    frame.push(`${indent}${marker} ${hit ? num : c.dim(num)} ${c.dim('│')}${body}`);
  }
  if (cut > 0) {
    frame.push(`${indent}  ${' '.repeat(numWidth)} ${c.dim('│')} ${c.dim(`… ${plural(cut, 'more line')}`)}`);
  }
  return frame;
}

function frameText(s: string): string {
  const t = clean(s.replace(/\t/g, '  ')).trimEnd();
  return t.length > MAX_FRAME_WIDTH ? `${t.slice(0, MAX_FRAME_WIDTH - 1)}…` : t;
}

function renderSummary(result: ScanResult, findings: Finding[], c: Colors): string[] {
  const counts = severityCounts(findings);
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => paintSeverity(s, `${counts[s]} ${s}`, c));
  const head =
    findings.length === 0
      ? c.green(c.bold('✔ No findings'))
      : `${c.red(c.bold(`✖ ${plural(findings.length, 'finding')}`))} (${parts.join(', ')})`;
  const s = result.summary;
  const scanned = [
    `${plural(s.filesScanned, 'file')} scanned${s.filesWithErrors > 0 ? ` (${s.filesWithErrors} with errors)` : ''}`,
    plural(s.groups, 'security group'),
    plural(s.rules, 'rule'),
    plural(result.checks.length, 'check'),
  ];
  if (s.suppressed > 0) scanned.push(c.dim(`${s.suppressed} suppressed`));
  if (result.errors.length > 0) scanned.push(c.red(plural(result.errors.length, 'error')));
  if (result.notices.length > 0) scanned.push(c.yellow(plural(result.notices.length, 'notice')));
  return [head, `  ${scanned.join(c.dim(' · '))}`, ...(s.coverage ? [`  ${coverageLine(s.coverage)}`] : [])];
}

/** "7 files found: 4 parsed, 1 partly understood, 1 skipped (1 not a CloudFormation template ...), 1 failed". */
export function coverageLine(cov: Coverage): string {
  const reasons = Object.keys(cov.skippedReasons)
    .sort()
    .map((r) => `${cov.skippedReasons[r]} ${r}`);
  const parts = [
    `${cov.parsed} parsed`,
    `${cov.partial} partly understood`,
    `${cov.skipped} skipped${reasons.length > 0 ? ` (${reasons.join('; ')})` : ''}`,
    `${cov.failed} failed`,
  ];
  return `${plural(cov.found, 'file')} found: ${parts.join(', ')}`;
}

function paintSeverity(s: Severity, text: string, c: Colors): string {
  switch (s) {
    case 'critical':
      return c.bold(c.white(c.bgRed(text)));
    case 'high':
      return c.bold(c.red(text));
    case 'medium':
      return c.yellow(text);
    case 'low':
      return c.blue(text);
    case 'info':
      return c.dim(text);
  }
}

/**
 * User content (file contents, names, messages) may hold control characters; printed raw they could
 * drive the terminal (or sneak colour into a colourless report). Show them as visible escapes.
 */
export function clean(s: string): string {
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code === 0x0a ? ' ' : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
