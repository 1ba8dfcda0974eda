import { createHash } from 'node:crypto';
import { headline, orderedFindings } from './common.js';
import type { ScanResult } from '../model/scan-result.js';

// Types taken from ScanResult itself, so this file depends on one type module only.
type Finding = ScanResult['findings'][number];
type Severity = Finding['severity'];

export type GitlabSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

/**
 * Our five severities onto GitLab's five, in order, one to one:
 * - critical → blocker: a critical finding (e.g. SSH reachable from the internet) should stop the
 *   merge, which is what "blocker" says and how GitLab ranks it first;
 * - high → critical, medium → major, low → minor;
 * - info → info.
 * The order is kept, so GitLab sorts findings as the text report does, and nothing is merged: a
 * reader can tell sgscan's severity from GitLab's without a table.
 */
export const GITLAB_SEVERITY: Record<Severity, GitlabSeverity> = {
  critical: 'blocker',
  high: 'critical',
  medium: 'major',
  low: 'minor',
  info: 'info',
};

export interface GitlabOptions {
  /**
   * Prepended to every path, for a scan run below the repository root: GitLab wants paths relative
   * to the repository (`infra/` when sgscan ran in `infra/`). Default: none.
   */
  pathPrefix?: string;
}

/** One entry of the report; the fields GitLab reads, plus the Code Climate ones it ignores. */
export interface GitlabIssue {
  type: 'issue';
  check_name: string;
  description: string;
  categories: ['Security'];
  severity: GitlabSeverity;
  fingerprint: string;
  location: { path: string; lines: { begin: number; end: number } };
}

/**
 * GitLab Code Quality JSON (`artifacts:reports:codequality`), the subset of the Code Climate spec
 * GitLab documents (docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format): an array of
 * issues with description, check_name, fingerprint, severity and location.path/lines.begin, checked
 * in tests against schemas/third-party/gitlab-code-quality.schema.json. `type` and `categories` are
 * the Code Climate spec's required fields, for other consumers; GitLab ignores them.
 *
 * - Suppressed findings are left out: GitLab has no notion of an accepted issue.
 * - `fingerprint` is the finding's line-independent fingerprint, so GitLab's merge-request widget
 *   (which compares against the target branch by fingerprint) does not call a finding new because
 *   lines moved. GitLab shows one entry per fingerprint; the same rule on the same resource with the
 *   same content at two places shares one, so any later repeat (in report order) gets a fingerprint
 *   derived from it and its occurrence number: each finding is listed, and stably.
 * - Scan errors are not code-quality issues and are not reported here (see the other formats).
 * - No byte order mark (GitLab's parser rejects one); deterministic; ends with a newline.
 */
export function renderGitlab(result: ScanResult, options: GitlabOptions = {}): string {
  return `${JSON.stringify(buildGitlab(result, options), null, 2)}\n`;
}

export function buildGitlab(result: ScanResult, options: GitlabOptions = {}): GitlabIssue[] {
  const prefix = normalizePrefix(options.pathPrefix);
  const seen = new Map<string, number>();
  return orderedFindings(result.findings.filter((f) => !f.suppression)).map((f): GitlabIssue => {
    const n = (seen.get(f.fingerprint) ?? 0) + 1;
    seen.set(f.fingerprint, n);
    return {
      type: 'issue',
      check_name: f.ruleId,
      description: description(f),
      categories: ['Security'],
      severity: GITLAB_SEVERITY[f.severity] ?? 'info',
      fingerprint: n === 1 ? f.fingerprint : repeatFingerprint(f.fingerprint, n),
      location: {
        path: repoPath(prefix, f.file),
        lines: { begin: Math.max(1, f.line), end: Math.max(1, f.line, f.endLine) },
      },
    };
  });
}

/** One line for the widget: the message (without the path tail the text report draws), then the rule. */
function description(f: Finding): string {
  const text = headline(f).replace(/\s+/g, ' ').trim();
  return `${text} [${f.ruleId} ${f.ruleName}]`;
}

/** 32 hex digits like the original, and a function of it and the occurrence only. */
function repeatFingerprint(fingerprint: string, n: number): string {
  return createHash('sha256').update(`${fingerprint}\u0000${n}`).digest('hex').slice(0, 32);
}

function normalizePrefix(p: string | undefined): string {
  const s = (p ?? '').replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '');
  if (s === '' || s === '.') return '';
  return s.endsWith('/') ? s : `${s}/`;
}

/** Forward slashes, no leading "./" or "/" (GitLab wants a path relative to the repository). */
function repoPath(prefix: string, file: string): string {
  const rel = file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  return `${prefix}${rel}`.replace(/^\/+/, '');
}
