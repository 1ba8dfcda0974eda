import type { Severity } from '../checks/types.js';

// The configuration after loading: rule keys resolved to check ids, every entry remembering the line it
// was written on so later warnings (an expired suppression, one that matched nothing) can point at it.

export interface RuleSetting {
  enabled?: boolean;
  severity?: Severity;
  /** Passed to the check as context.options. */
  options?: Record<string, unknown>;
  /** Line of the rule's key in the configuration file. */
  line: number;
}

/** A central suppression (`suppressions:` in the configuration). */
export interface SuppressionEntry {
  /** A check id, or "*" for every check. */
  rule: string;
  /** Glob over the finding's file. */
  path?: string;
  /** Glob over the finding's resource address. */
  resource?: string;
  reason: string;
  /** YYYY-MM-DD, last day it applies. */
  expires?: string;
  /** The configuration file and the 1-based line of the entry. */
  file: string;
  line: number;
}

export interface SgscanConfig {
  /** The configuration file as given to loadConfig; absent for the built-in defaults. */
  file?: string;
  /** Absolute folder of the configuration file: path globs may be written relative to it. */
  dir?: string;
  /** Keyed by check id (names in the file are resolved to ids). */
  rules: Record<string, RuleSetting>;
  suppressions: SuppressionEntry[];
  /** Honour inline directives (default true). */
  inlineSuppressions: boolean;
}

/** What applies when there is no configuration file. */
export function defaultConfig(): SgscanConfig {
  return { rules: {}, suppressions: [], inlineSuppressions: true };
}
