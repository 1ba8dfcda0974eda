import type { Check, Finding } from './check.js';
import type { CoverageNotice, ScanError } from './model.js';

/** Everything a reporter may use. Reporters are pure: ScanResult in, string out. */
export interface ScanResult {
  tool: { name: 'sgscan'; version: string };
  findings: Finding[];
  errors: ScanError[];
  notices: CoverageNotice[];
  /** Files read, relative paths, sorted. */
  files: string[];
  /** The checks that ran (for the SARIF rule catalog). */
  checks: readonly Check[];
  /** Counts for the summary. */
  summary: Summary;
}

export interface Summary {
  filesScanned: number;
  filesWithErrors: number;
  groups: number;
  rules: number;
  /** Findings reported (suppressed ones excluded). */
  findings: number;
  /** Findings silenced by an inline or central suppression (kept in JSON, marked). */
  suppressed: number;
  bySeverity: Record<string, number>;
  /** What happened to every file discovery found (absent in results built without discovery). */
  coverage?: Coverage;
}

/** found = parsed + partial + skipped + failed. */
export interface Coverage {
  /** Terraform, YAML and JSON files discovered. */
  found: number;
  /** Read and understood without errors or notices. */
  parsed: number;
  /** Read, but with coverage notices: part of the file was not fully analysed. */
  partial: number;
  /** Not analysed on purpose: not a template, over the size limit, ... (see skippedReasons). */
  skipped: number;
  /** Could not be read or parsed (see errors). */
  failed: number;
  /** Why files were skipped: reason → count, sorted by reason. */
  skippedReasons: Record<string, number>;
}
