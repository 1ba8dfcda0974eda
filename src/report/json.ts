import { SEVERITIES } from '../checks/types.js';
import type { Finding } from '../checks/types.js';
import type { SourceLocation } from '../model/location.js';
import { orderedDiagnostics, orderedFindings, type Diagnostic } from './common.js';
import type { ScanResult, Summary } from './types.js';

/**
 * The JSON report: a stable, documented shape (schemas/sgscan-report.schema.json). Objects are built
 * key by key so the key order never depends on how the input was assembled; lists are sorted.
 */
export function renderJson(result: ScanResult): string {
  const report = {
    tool: { name: result.tool.name, version: result.tool.version },
    findings: orderedFindings(result.findings).map(jsonFinding),
    errors: orderedDiagnostics(result.errors).map(jsonDiagnostic),
    notices: orderedDiagnostics(result.notices).map(jsonDiagnostic),
    summary: jsonSummary(result.summary),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

function jsonFinding(f: Finding) {
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
  };
}

function jsonLocation(l: SourceLocation) {
  return { file: l.file, line: l.line, endLine: l.endLine };
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
    bySeverity,
  };
}
