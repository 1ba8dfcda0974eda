import { SEVERITIES } from '../model/check.js';
import type { Finding, PathStep, Suppression } from '../model/check.js';
import { activeNew, newBySeverity, statusLookup, type FindingsDiff } from '../pipeline/diff/diff.js';
import type { SourceLocation } from '../model/location.js';
import { orderedCoverage, orderedDiagnostics, orderedFindings, type Diagnostic } from './common.js';
import type { Coverage, ScanResult, Summary } from '../model/scan-result.js';

/**
 * The JSON report: a stable, documented shape (schemas/sgscan-report.schema.json). Objects are built
 * key by key so the key order never depends on how the input was assembled; lists are sorted.
 */
export function renderJson(result: ScanResult, diff?: FindingsDiff): string {
  if (!diff) {
    const report = {
      tool: { name: result.tool.name, version: result.tool.version },
      findings: orderedFindings(result.findings).map(jsonFinding),
      errors: orderedDiagnostics(result.errors).map(jsonDiagnostic),
      notices: orderedDiagnostics(result.notices).map(jsonDiagnostic),
      summary: jsonSummary(result.summary),
    };
    return `${JSON.stringify(report, null, 2)}\n`;
  }
  // Diff mode (--diff-base / --baseline): each finding gets its status, fixed ones are listed, and the
  // summary counts what is new. Additive: without a diff the report is unchanged.
  const status = statusLookup(diff);
  const report = {
    tool: { name: result.tool.name, version: result.tool.version },
    findings: orderedFindings(result.findings).map((f) => ({ ...jsonFinding(f), status: status(f) })),
    fixed: orderedFindings(diff.fixed).map(jsonFinding),
    errors: orderedDiagnostics(result.errors).map(jsonDiagnostic),
    notices: orderedDiagnostics(result.notices).map(jsonDiagnostic),
    summary: {
      ...jsonSummary(result.summary),
      diff: {
        base: diff.base,
        new: activeNew(diff).length,
        unchanged: diff.unchanged.length,
        fixed: diff.fixed.length,
        newBySeverity: newBySeverity(diff),
      },
    },
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

function jsonFinding(f: Finding): Record<string, unknown> {
  return {
    ruleId: f.ruleId,
    ruleName: f.ruleName,
    severity: f.severity,
    message: f.message,
    file: f.file,
    line: f.line,
    endLine: f.endLine,
    resource: f.resource,
    fingerprint: f.fingerprint,
    certainty: f.certainty,
    assumptions: [...f.assumptions],
    via: f.via.map(jsonLocation),
    ...(f.reachability ? { reachability: f.reachability } : {}),
    ...(f.path && f.path.length > 0 ? { path: f.path.map(jsonStep) } : {}),
    ...(f.suppression ? { suppressed: jsonSuppression(f.suppression) } : {}),
    ...(f.service ? { service: f.service } : {}),
    ...(f.target ? { target: f.target } : {}),
    ...(f.folded && f.folded.length > 0 ? { folded: f.folded.map(jsonFolded) } : {}),
  };
}

/** A folded finding: its host carries the path. */
function jsonFolded(f: Finding): Record<string, unknown> {
  const { path: _path, ...rest } = jsonFinding(f);
  return rest;
}

/** Absent for findings that are not suppressed; where the suppression is written stays out of the report. */
function jsonSuppression(s: Suppression) {
  return { kind: s.kind, reason: s.reason, ...(s.expires !== undefined ? { expires: s.expires } : {}) };
}

function jsonLocation(l: SourceLocation) {
  return { file: l.file, line: l.line, endLine: l.endLine };
}

/** endLine is always written (the step's line when it has no span), so every step has the same keys. */
function jsonStep(s: PathStep) {
  return { file: s.file, line: s.line, endLine: Math.max(s.line, s.endLine ?? s.line), message: s.message };
}

/** `line` is null rather than absent when unknown, so every entry has the same keys. */
function jsonDiagnostic(d: Diagnostic) {
  return { file: d.file, line: d.line ?? null, message: d.message };
}

function jsonSummary(s: Summary) {
  // Every severity appears, zero or not, in severity order (the set is closed: see SEVERITIES).
  const bySeverity: Record<string, number> = {};
  for (const sev of SEVERITIES) bySeverity[sev] = s.bySeverity[sev] ?? 0;
  return {
    filesScanned: s.filesScanned,
    filesWithErrors: s.filesWithErrors,
    groups: s.groups,
    rules: s.rules,
    findings: s.findings,
    suppressed: s.suppressed ?? 0,
    bySeverity,
    ...(s.coverage ? { coverage: orderedCoverage(s.coverage) } : {}),
  };
}

