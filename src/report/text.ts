import { createColors } from 'picocolors';
import type { Finding, Severity } from '../model/check.js';
import { SEVERITIES } from '../model/check.js';
import { formatLocation } from '../model/location.js';
import {
  bySeverityFirst,
  diagnosticLocation,
  headline,
  pathSource,
  stepLocation,
  orderedDiagnostics,
  plural,
  severityCounts,
} from './common.js';
import type { Coverage, ScanResult } from '../model/scan-result.js';
import type { TextOptions } from './options.js';
import { append } from '../model/arrays.js';

type Colors = ReturnType<typeof createColors>;

/** Most lines a code frame shows; longer spans are cut with a "more lines" note. */
const MAX_FRAME_LINES = 6;
/** Source lines are cut at this width so a minified file cannot flood the terminal. */
const MAX_FRAME_WIDTH = 160;
const SEVERITY_WIDTH = Math.max(...SEVERITIES.map((s) => s.length));
/** Most path steps drawn under a finding; the JSON and SARIF reports have them all. */
const MAX_PATH_STEPS = 20;

/**
 * Human-readable report: findings most severe first, then by file and line (what to fix first is read
 * first), under a heading naming their file, each with a code frame when `readLines` is given; then
 * errors, notices and a summary. Colour only when `options.color` (picocolors' own detection is never
 * consulted, so output is the same on every machine); wrapped only when `options.width` is given.
 */
export function renderText(result: ScanResult, options: TextOptions): string {
  const c = createColors(options.color);
  // Suppressed findings stay in JSON (marked); people reading the terminal see only the count.
  const findings = result.findings.filter((f) => !f.suppression).sort(bySeverityFirst);
  const out: string[] = [];

  const idWidth = Math.max(0, ...findings.map((f) => f.ruleId.length));
  // A code frame is drawn once: a second finding at the same lines (a missing description on a rule
  // that is also open to the world) points back at it instead of repeating it.
  const framed = new Map<string, string>();
  for (const [file, group] of runsByFile(findings)) {
    out.push(c.bold(c.underline(clean(file))));
    for (const f of group) {
      const at = `${f.file}\u0000${f.line}-${f.endLine ?? f.line}`;
      append(out, renderFinding(f, idWidth, c, options, framed.get(at)));
      out.push('');
      if (!framed.has(at)) framed.set(at, f.ruleId);
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

  append(out, renderSummary(result, findings, c, options.width));
  return `${out.join('\n')}\n`;
}

/** Consecutive findings of one file, in order: a file whose findings differ in severity heads each run. */
function runsByFile(sorted: Finding[]): Array<[string, Finding[]]> {
  const runs: Array<[string, Finding[]]> = [];
  for (const f of sorted) {
    const last = runs[runs.length - 1];
    if (last && last[0] === f.file) last[1].push(f);
    else runs.push([f.file, [f]]);
  }
  return runs;
}

/** Findings are indented under their file; continuation lines line up under the message. */
function renderFinding(f: Finding, idWidth: number, c: Colors, options: TextOptions, framedBy?: string): string[] {
  const indent = ' '.repeat(2 + SEVERITY_WIDTH + 2 + idWidth + 2);
  const room = roomAfter(indent, options.width);
  const [first, ...rest] = wrapText(clean(headline(f)), room);
  const lines = [
    `  ${paintSeverity(f.severity, f.severity.padEnd(SEVERITY_WIDTH), c)}  ${c.dim(f.ruleId.padEnd(idWidth))}  ${first}`,
    ...rest.map((l) => `${indent}${l}`),
  ];
  const at = `${clean(f.file)}:${f.line}`;
  const resource = clean(f.resource);
  // The resource goes under the location when both do not fit on one line.
  if (!resource) lines.push(`${indent}${c.cyan(at)}`);
  else if (at.length + 2 + resource.length <= room) lines.push(`${indent}${c.cyan(at)}${c.dim(`  ${resource}`)}`);
  else lines.push(`${indent}${c.cyan(at)}`, `${indent}${c.dim(resource)}`);
  if (f.via.length > 0) {
    append(lines, wrapText(`via ${f.via.map((l) => clean(formatLocation(l))).join(' → ')}`, room).map((l) => `${indent}${c.dim(l)}`));
  }
  if (f.certainty === 'possible') {
    const why = f.assumptions.length > 0 ? `: ${f.assumptions.map(clean).join('; ')}` : '';
    append(lines, wrapText(`possible${why}`, room).map((l) => `${indent}${c.yellow(l)}`));
  }
  append(lines, renderPath(f, indent, c, options.width));
  const source = options.readLines?.(f.file);
  if (source && framedBy) lines.push(`${indent}${c.dim(`(same lines as ${framedBy} above)`)}`);
  else if (source) append(lines, codeFrame(source, f.line, f.endLine, indent, c, options.width));
  return lines;
}

/** Columns left after an indent in a terminal `width` wide (never fewer than 20); unlimited without a width. */
function roomAfter(indent: string, width: number | undefined): number {
  return width === undefined ? Infinity : Math.max(20, width - indent.length);
}

/**
 * Plain text broken at spaces into lines of at most `room` characters; a word longer than that (an
 * address, a path) keeps a line of its own rather than being split.
 */
export function wrapText(text: string, room: number): string[] {
  if (text.length <= room) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= room) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines;
}

/**
 * The finding's path, one hop a line so long paths stay readable:
 *   path: internet
 *         → internet gateway aws_internet_gateway.main (network.tf:12)
 *         → sg rule aws_security_group.bastion ingress (security.tf:30)
 *         → aws_instance.bastion
 */
export function renderPath(f: Finding, indent: string, c: Colors, width?: number): string[] {
  const steps = f.path ?? [];
  if (steps.length === 0) return [];
  const source = pathSource(f);
  // Each hop is its words and then its location, dimmed; wrapped hops continue under their first word.
  const room = roomAfter(`${indent}      → `, width);
  const hops = steps.slice(0, MAX_PATH_STEPS).map((s) => {
    const where = `(${clean(stepLocation(s, f.file))})`;
    const lines = wrapText(`${clean(s.message)} ${where}`, room);
    const last = lines.length - 1;
    if (lines[last].endsWith(where)) lines[last] = `${lines[last].slice(0, -where.length)}${c.dim(where)}`;
    return lines;
  });
  if (steps.length > MAX_PATH_STEPS) hops.push([c.dim(`… ${plural(steps.length - MAX_PATH_STEPS, 'more step')}`)]);
  // A finding told at a rule ends its path at the endpoint it exposes (the last step names it).
  if (f.resource && !f.target) hops.push([c.bold(clean(f.resource))]);
  const head = source ? [wrapText(source, room), ...hops] : hops;
  const arrow = c.dim('→');
  return head.flatMap((h, i) => [
    i === 0 ? `${indent}${c.dim('path:')} ${h[0]}` : `${indent}      ${arrow} ${h[0]}`,
    ...h.slice(1).map((l) => `${indent}        ${l}`),
  ]);
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
  width?: number,
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
  // Source lines are cut, not wrapped: a wrapped line of code reads as two.
  const maxText = Math.min(MAX_FRAME_WIDTH, roomAfter(`${indent}> ${' '.repeat(numWidth)} │ `, width));
  const frame: string[] = [];
  for (let n = from; n <= to; n++) {
    const hit = n >= line && n <= last;
    const marker = hit ? c.red('>') : ' ';
    const num = String(n).padStart(numWidth);
    const text = frameText(source[n - 1] ?? '', maxText);
    // Empty source lines end at the gutter: no trailing space, coloured or not.
    const body = text === '' ? '' : ` ${hit ? text : c.dim(text)}`;
    frame.push(`${indent}${marker} ${hit ? num : c.dim(num)} ${c.dim('│')}${body}`);
  }
  if (cut > 0) {
    frame.push(`${indent}  ${' '.repeat(numWidth)} ${c.dim('│')} ${c.dim(`… ${plural(cut, 'more line')}`)}`);
  }
  return frame;
}

function frameText(s: string, max: number): string {
  const t = clean(s.replace(/\t/g, '  ')).trimEnd();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function renderSummary(result: ScanResult, findings: Finding[], c: Colors, width?: number): string[] {
  const counts = severityCounts(findings);
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => paintSeverity(s, `${counts[s]} ${s}`, c));
  const s = result.summary;
  // Nothing read is not a pass: no green tick over an empty folder (the CLI exits 2 and says why).
  const head =
    findings.length > 0
      ? `${c.red(c.bold(`✖ ${plural(findings.length, 'finding')}`))} (${parts.join(', ')})`
      : s.filesScanned === 0
        ? c.yellow(c.bold('! Nothing scanned: no Terraform or CloudFormation was read'))
        : c.green(c.bold('✔ No findings'));
  const scanned = [
    `${plural(s.filesScanned, 'file')} scanned${s.filesWithErrors > 0 ? ` (${s.filesWithErrors} with errors)` : ''}`,
    plural(s.groups, 'security group'),
    plural(s.rules, 'rule'),
    plural(result.checks.length, 'check'),
  ];
  if (s.suppressed > 0) scanned.push(c.dim(`${s.suppressed} suppressed`));
  if (result.errors.length > 0) scanned.push(c.red(plural(result.errors.length, 'error')));
  if (result.notices.length > 0) scanned.push(c.yellow(plural(result.notices.length, 'notice')));
  const room = roomAfter('  ', width);
  return [
    head,
    ...joinWithin(scanned, c.dim(' · '), room).map((l) => `  ${l}`),
    ...(s.coverage ? wrapText(coverageLine(s.coverage), room).map((l, i) => (i === 0 ? `  ${l}` : `    ${l}`)) : []),
  ];
}

/** Parts joined by `sep`, a new line started where the next part would pass `room` (colour codes take none). */
function joinWithin(parts: string[], sep: string, room: number): string[] {
  const visible = (t: string) => t.replace(/\u001b\[[0-9;]*m/g, '').length;
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    if (line !== '' && visible(line) + visible(sep) + visible(part) > room) {
      lines.push(line);
      line = part;
    } else line = line === '' ? part : `${line}${sep}${part}`;
  }
  return [...lines, line];
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
