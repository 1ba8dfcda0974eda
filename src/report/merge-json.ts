import { SEVERITIES, severityRank, type Severity } from '../model/check.js';
import { cmp } from './common.js';

// `sgscan merge` for JSON reports (schemas/sgscan-report.schema.json): the shard reports of one CI
// matrix joined into the report one unsharded scan prints. Pure: parsed reports in, text out.

/** A report as the JSON reporter writes it; the CLI has checked it against the schema. */
export interface JsonReport {
  tool: { name: 'sgscan'; version: string };
  findings: JsonFinding[];
  fixed?: JsonFinding[];
  errors: JsonDiagnostic[];
  notices: JsonDiagnostic[];
  summary: JsonSummary;
}

export interface JsonFinding {
  ruleId: string;
  ruleName: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  endLine: number;
  resource: string;
  fingerprint: string;
  certainty: string;
  assumptions: string[];
  via: Array<{ file: string; line: number; endLine: number }>;
  suppressed?: unknown;
  status?: 'new' | 'unchanged';
  [more: string]: unknown;
}

interface JsonDiagnostic {
  file: string;
  line: number | null;
  message: string;
}

interface JsonCoverage {
  found: number;
  parsed: number;
  partial: number;
  skipped: number;
  failed: number;
  skippedReasons: Record<string, number>;
}

interface JsonSummary {
  filesScanned: number;
  filesWithErrors: number;
  groups: number;
  rules: number;
  findings: number;
  suppressed: number;
  bySeverity: Record<string, number>;
  coverage?: JsonCoverage;
  diff?: { base: string; new: number; unchanged: number; fixed: number; newBySeverity: Record<string, number> };
}

export interface NamedInput<T> {
  /** As the user named it, for messages. */
  file: string;
  report: T;
}

/** A problem with the inputs the user can fix; its message names the file. */
export class MergeError extends Error {}

/**
 * One report from shard reports. Findings are deduplicated by fingerprint at one place (file and
 * line: one scan reports two identical rules at two lines twice, and so does the merge); the first
 * input's copy is kept. Counts are summed (each shard counts only the files it owns), except those
 * recomputed from the merged lists.
 */
export function mergeJsonReports(inputs: readonly NamedInput<JsonReport>[]): string {
  if (inputs.length === 0) throw new MergeError('no report to merge');
  const version = sameVersion(inputs.map((i) => ({ file: i.file, version: i.report.tool.version })));
  const diffed = inputs.filter((i) => i.report.summary.diff !== undefined);
  if (diffed.length > 0 && diffed.length < inputs.length) {
    const plain = inputs.find((i) => i.report.summary.diff === undefined)!;
    throw new MergeError(`${diffed[0].file} is a diff-mode report (--diff-base or --baseline) and ${plain.file} is not; merge reports made the same way`);
  }
  const base = diffed.length > 0 ? mergedBase(diffed.map((i) => i.report.summary.diff!.base)) : '';

  const findings = mergeFindings(inputs.map((i) => i.report.findings));
  const errors = sortDiagnostics(inputs.flatMap((i) => i.report.errors));
  const notices = sortDiagnostics(inputs.flatMap((i) => i.report.notices));
  const sum = (k: 'filesScanned' | 'groups' | 'rules') => inputs.reduce((s, i) => s + i.report.summary[k], 0);
  const reported = findings.filter((f) => f.suppressed === undefined);
  const coverages = inputs.map((i) => i.report.summary.coverage).filter((c): c is JsonCoverage => c !== undefined);
  const summary = {
    filesScanned: sum('filesScanned'),
    filesWithErrors: new Set(errors.map((e) => e.file)).size,
    groups: sum('groups'),
    rules: sum('rules'),
    findings: reported.length,
    suppressed: findings.length - reported.length,
    bySeverity: countBySeverity(reported),
    ...(coverages.length > 0 ? { coverage: sumCoverage(coverages) } : {}),
  };
  // Key order as src/report/json.ts writes it, so a merged report reads like a scan's.
  if (diffed.length === 0) return `${JSON.stringify({ tool: { name: 'sgscan', version }, findings, errors, notices, summary }, null, 2)}\n`;
  const fixed = mergeFindings(inputs.map((i) => i.report.fixed ?? []));
  const fresh = reported.filter((f) => f.status === 'new');
  const diff = { base, new: fresh.length, unchanged: findings.filter((f) => f.status === 'unchanged').length, fixed: fixed.length, newBySeverity: countBySeverity(fresh) };
  return `${JSON.stringify({ tool: { name: 'sgscan', version }, findings, fixed, errors, notices, summary: { ...summary, diff } }, null, 2)}\n`;
}

/**
 * What the merged report was compared with: the git revision every shard compared with, or the
 * shards' baselines (one per shard, as docs/sharding.md says to store them), named together.
 */
function mergedBase(bases: readonly string[]): string {
  const distinct = [...new Set(bases)];
  if (distinct.length === 1) return distinct[0];
  const BASELINE = 'baseline ';
  if (distinct.every((b) => b.startsWith(BASELINE))) return `baselines ${distinct.map((b) => b.slice(BASELINE.length)).join(', ')}`;
  throw new MergeError(`the reports compare with different bases (${distinct.join(', ')}); merge the reports of one comparison`);
}

/** The one version every input was made with; reports of different versions may not fingerprint alike. */
export function sameVersion(inputs: ReadonlyArray<{ file: string; version: string }>): string {
  const first = inputs[0];
  const other = inputs.find((i) => i.version !== first.version);
  if (other) {
    throw new MergeError(`${first.file} was written by sgscan ${first.version} and ${other.file} by sgscan ${other.version}; merge the reports of one sgscan version (fingerprints and rules may differ between versions)`);
  }
  return first.version;
}

function mergeFindings(lists: readonly JsonFinding[][]): JsonFinding[] {
  return mergeOrdered(dedupeAcross(lists, (f) => `${f.fingerprint}\u0000${f.file}\u0000${f.line}`), byReportOrder);
}

/**
 * The report's order (src/report/common.ts byReportOrder) from what the JSON keeps: everything but
 * the finding's internal key, which the runner compares just before the message. Each input keeps its
 * own (exact) order, see mergeOrdered, so the missing key can only matter between two shards' findings
 * in one file, which ownership rules out (every file is reported by one shard).
 */
function byReportOrder(a: JsonFinding, b: JsonFinding): number {
  return (
    cmp(a.file, b.file) ||
    a.line - b.line ||
    severityRank(a.severity) - severityRank(b.severity) ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.resource, b.resource) ||
    cmp(a.message, b.message) ||
    a.endLine - b.endLine ||
    cmp(a.fingerprint, b.fingerprint)
  );
}

/** Drop from each list what an earlier list (or an earlier place in the same list) already holds. */
export function dedupeAcross<T>(lists: readonly T[][], key: (t: T) => string): T[][] {
  const seen = new Set<string>();
  return lists.map((list) =>
    list.filter((t) => {
      const k = key(t);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    }),
  );
}

/**
 * A k-way merge of lists each already in report order: the order within a list is never changed,
 * and between lists `compare` decides (ties: the earlier list first). Deterministic for given inputs.
 */
export function mergeOrdered<T>(lists: readonly T[][], compare: (a: T, b: T) => number): T[] {
  const at = lists.map(() => 0);
  const out: T[] = [];
  const total = lists.reduce((s, l) => s + l.length, 0);
  while (out.length < total) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      if (at[i] >= lists[i].length) continue;
      if (best < 0 || compare(lists[i][at[i]], lists[best][at[best]]) < 0) best = i;
    }
    out.push(lists[best][at[best]++]);
  }
  return out;
}

function sortDiagnostics(ds: JsonDiagnostic[]): JsonDiagnostic[] {
  return [...ds].sort((a, b) => cmp(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || cmp(a.message, b.message));
}

function countBySeverity(findings: readonly JsonFinding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** Field by field; skip reasons summed per reason, keys sorted as the reporters write them. */
export function sumCoverage(cs: readonly JsonCoverage[]): JsonCoverage {
  const total = (k: 'found' | 'parsed' | 'partial' | 'skipped' | 'failed') => cs.reduce((s, c) => s + c[k], 0);
  const reasons = new Map<string, number>();
  for (const c of cs) for (const [r, n] of Object.entries(c.skippedReasons)) reasons.set(r, (reasons.get(r) ?? 0) + n);
  return {
    found: total('found'),
    parsed: total('parsed'),
    partial: total('partial'),
    skipped: total('skipped'),
    failed: total('failed'),
    skippedReasons: Object.fromEntries([...reasons.keys()].sort().map((r) => [r, reasons.get(r)!])),
  };
}
