import type { Severity } from '../model/check.js';
import type { Preset } from './presets.js';

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

/**
 * A reachability intent (`intents:` in the configuration), checked by SGS042. Selectors and service
 * are kept as written (validated by the loader; see src/config/intents.ts for their forms).
 */
export interface Intent {
  name: string;
  /** deny: none of `from` may reach `to`; only: nothing but `from` may reach `to`. */
  kind: 'deny' | 'only';
  from: string[];
  to: string[];
  /** A port (tcp/udp) or ICMP type, or a range "from-to". */
  port?: number | string;
  protocol?: string | number;
  /** The destination's port behind a load balancer (`dest_port`). */
  destPort?: number;
  /** The client's source port or range (`source_port`). */
  sourcePort?: number | string;
  icmpType?: number;
  icmpCode?: number;
  ipVersion?: 4 | 6;
  /** Only paths through this load balancer. */
  via?: string;
  /** Only direct paths. */
  direct?: boolean;
  /** Severity of this intent's findings (default: SGS042's). */
  severity?: Severity;
  /** The configuration file and the 1-based line of the entry. */
  file: string;
  line: number;
}

export interface SgscanConfig {
  /** The configuration file as given to loadConfig; absent for the built-in defaults. */
  file?: string;
  /** Absolute folder of the configuration file: path globs may be written relative to it. */
  dir?: string;
  /** `extends:` in the file, or `--preset`: which checks start on (default recommended). */
  preset?: Preset;
  /** Keyed by check id (names in the file are resolved to ids). */
  rules: Record<string, RuleSetting>;
  suppressions: SuppressionEntry[];
  /** Honour inline directives (default true). */
  inlineSuppressions: boolean;
  /** Path globs (relative to the configuration's folder) the scan leaves out, like --skip-path. */
  exclude?: string[];
  /** Honour .gitignore files (default true); `gitignore: false` scans ignored files too. */
  gitignore?: boolean;
  /** Reachability intents; absent when none are written. applyConfig hands them to SGS042 as `options.intents`. */
  intents?: Intent[];
}

/** What applies when there is no configuration file. */
export function defaultConfig(): SgscanConfig {
  return { rules: {}, suppressions: [], inlineSuppressions: true };
}
