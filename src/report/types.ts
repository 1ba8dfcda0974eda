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

export interface TextOptions {
  color: boolean;
  /** Reads source lines for code frames; injected so reporters do no I/O of their own. */
  readLines?: (file: string) => string[] | undefined;
}

export interface SarifOptions {
  /**
   * GitHub code scanning category, written as run.automationDetails.id ("sgscan/" by default). A trailing
   * "/" is added when missing so the whole value is the category, not a run id.
   */
  category?: string;
  /** Most results kept, most severe first (default 5000, what GitHub displays per run). */
  maxResults?: number;
  /**
   * Also report suppressed findings, each with SARIF `suppressions` (kind "inSource" for inline
   * directives, "external" for the configuration file). Default false: they are left out.
   */
  includeSuppressed?: boolean;
}

export interface MarkdownOptions {
  /** Heading text (default "sgscan"). */
  title?: string;
  /**
   * When given, locations become links: `${linkBase}${file}#L${line}-L${endLine}`, e.g.
   * "https://github.com/org/repo/blob/<sha>/". Otherwise `file:line` is plain text.
   */
  linkBase?: string;
  /** Size cap in UTF-8 bytes (default 1 MiB, GitHub's job-summary limit; PR comments need 65536). */
  maxBytes?: number;
}
