import type { Check, Finding } from '../checks/types.js';
import type { CoverageNotice, ScanError } from '../model/model.js';

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
  findings: number;
  bySeverity: Record<string, number>;
}

export interface TextOptions {
  color: boolean;
  /** Reads source lines for code frames; injected so reporters do no I/O of their own. */
  readLines?: (file: string) => string[] | undefined;
}
