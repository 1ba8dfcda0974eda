import { createHash } from 'node:crypto';
import type { Model } from '../model/model.js';
import type { Check, Finding, Report, Severity } from '../model/check.js';
import { severityRank } from '../model/check.js';

export interface RunOptions {
  /** Per-check options by id or name. */
  options?: Record<string, Record<string, unknown>>;
  /** Maps a report's file to a stable identity (path from the repository root), for fingerprints. */
  fileIdentity?: (file: string) => string;
  /** Told when a check throws; the other checks still run (a bug in one must not hide the rest). */
  onCheckError?: (check: Check, error: unknown) => void;
}

/** Run every check over the model and return findings in a deterministic order. */
export function runChecks(model: Model, checks: readonly Check[], opts: RunOptions = {}): Finding[] {
  return orderFindings(collectFindings(model, checks, opts).flat());
}

/**
 * Each check's findings over the model, as its reports came (one list per check, in check order),
 * before ordering: worker threads collect these per unit and the scan orders them all at once.
 */
export function collectFindings(model: Model, checks: readonly Check[], opts: RunOptions = {}): Finding[][] {
  const identity = opts.fileIdentity ?? ((f: string) => f);
  return checks.map((check) => {
    const options = opts.options?.[check.meta.id] ?? opts.options?.[check.meta.name] ?? {};
    let reports: Report[];
    try {
      reports = check.run(model, { options });
    } catch (e) {
      opts.onCheckError?.(check, e);
      return [];
    }
    return reports.map((r) => toFinding(check, r, identity));
  });
}

/** The order reports are rendered in, one finding per fingerprint and line. */
export function orderFindings(findings: readonly Finding[]): Finding[] {
  return dedupe(sortFindings([...findings]));
}

function toFinding(check: Check, r: Report, identity: (f: string) => string): Finding {
  const f: Finding = {
    ruleId: check.meta.id,
    ruleName: check.meta.name,
    severity: r.severity ?? (check.meta.severity as Severity),
    message: r.message,
    file: r.location.file,
    line: r.location.line,
    endLine: r.location.endLine,
    resource: r.resource,
    fingerprint: fingerprint(check.meta.id, identity(r.location.file), r.resource, r.key),
    certainty: r.certainty ?? 'definite',
    assumptions: r.assumptions ?? [],
    via: r.via ?? [],
    key: r.key,
  };
  if (r.path) f.path = r.path;
  if (r.reachability) f.reachability = r.reachability;
  if (r.exposes) f.exposes = r.exposes;
  if (r.target) f.target = r.target;
  if (r.service) f.service = r.service;
  if (r.subject) f.subject = r.subject;
  if (r.everyUnit) f.everyUnit = true;
  return f;
}

/** Independent of line numbers: rule, file identity, logical resource and the finding's content. */
export function fingerprint(ruleId: string, file: string, resource: string, key: string): string {
  return createHash('sha256').update([ruleId, file, resource, key].join('\u0000')).digest('hex').slice(0, 32);
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.file, b.file) ||
    a.line - b.line ||
    severityRank(a.severity) - severityRank(b.severity) ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.resource, b.resource) ||
    cmp(a.key, b.key) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortFindings(f: Finding[]): Finding[] {
  return [...f].sort(compareFindings);
}

/** The same module called several times yields the same rule several times at one line: report once. */
function dedupe(sorted: Finding[]): Finding[] {
  const seen = new Set<string>();
  return sorted.filter((f) => {
    const k = `${f.fingerprint}\u0000${f.line}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
