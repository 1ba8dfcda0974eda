import { compareFindings } from '../pipeline/runner.js';
import type { Finding, PathStep, Severity } from '../model/check.js';
import { SEVERITIES, severityRank } from '../model/check.js';
import type { Coverage } from '../model/scan-result.js';

/** An error or notice: both have a file, an optional line and a message. */
export interface Diagnostic {
  file: string;
  line?: number;
  message: string;
}

/** Findings in report order (file, line, severity, ...) regardless of input order. */
export function orderedFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(byReportOrder);
}

/**
 * The runner's order, then every remaining field, so that two findings it deems equal (e.g. the same
 * rule reached through different module calls) still come out in one order whatever the input order.
 */
export function byReportOrder(a: Finding, b: Finding): number {
  return (
    compareFindings(a, b) ||
    a.endLine - b.endLine ||
    cmp(a.fingerprint, b.fingerprint) ||
    cmp(a.ruleName, b.ruleName) ||
    cmp(a.certainty, b.certainty) ||
    cmp(a.assumptions.join('\n'), b.assumptions.join('\n')) ||
    cmp(a.via.map((l) => `${l.file}:${l.line}-${l.endLine}`).join('\n'), b.via.map((l) => `${l.file}:${l.line}-${l.endLine}`).join('\n'))
  );
}

/** Most severe first, then report order: what to keep when a report must be cut. */
export function bySeverityFirst(a: Finding, b: Finding): number {
  return severityRank(a.severity) - severityRank(b.severity) || byReportOrder(a, b);
}

export function orderedDiagnostics<T extends Diagnostic>(ds: readonly T[]): T[] {
  return [...ds].sort(
    (a, b) => cmp(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || cmp(a.message, b.message),
  );
}

/** Counts per severity in SEVERITIES order, zeros included. */
export function severityCounts(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function diagnosticLocation(d: Diagnostic): string {
  return d.line !== undefined ? `${d.file}:${d.line}` : d.file;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The finding's message without the "; path: a → b → …" tail the reachability rules append, for
 * reports that draw `f.path` themselves (text, Markdown). Messages without a path are unchanged.
 */
export function headline(f: Finding): string {
  if (!f.path || f.path.length === 0) return f.message;
  const at = f.message.lastIndexOf('; path: ');
  return at > 0 ? f.message.slice(0, at) : f.message;
}

/** Where a path starts: the internet for exposure findings (those with a reachability verdict). */
export function pathSource(f: Finding): string | undefined {
  return f.reachability ? 'internet' : undefined;
}

/**
 * A step's place, short: the file's base name when the step is in the finding's own folder (the
 * common case), else its whole relative path.
 */
export function stepLocation(step: PathStep, findingFile: string): string {
  const dir = (p: string) => p.slice(0, p.lastIndexOf('/') + 1);
  const file = dir(step.file) === dir(findingFile) ? step.file.slice(dir(step.file).length) : step.file;
  return `${file}:${step.line}`;
}

/** Coverage key by key, skip reasons sorted: the same scan gives the same bytes (JSON and SARIF). */
export function orderedCoverage(c: Coverage) {
  const reasons = Object.keys(c.skippedReasons).sort();
  return {
    found: c.found,
    parsed: c.parsed,
    partial: c.partial,
    skipped: c.skipped,
    failed: c.failed,
    skippedReasons: Object.fromEntries(reasons.map((r) => [r, c.skippedReasons[r]])),
  };
}
