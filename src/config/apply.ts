import type { Check } from '../checks/types.js';
import type { SgscanConfig } from './types.js';

export interface ConfiguredChecks {
  /** The enabled checks, in the given order; a severity override gives a copy with its own meta. */
  checks: Check[];
  /** Options per check id, for runChecks/scan's `checkOptions`. */
  options: Record<string, Record<string, unknown>>;
}

/** Apply the configuration's `rules` to a list of checks. The given checks are never modified. */
export function applyConfig(checks: readonly Check[], config: SgscanConfig): ConfiguredChecks {
  const out: Check[] = [];
  const options: Record<string, Record<string, unknown>> = {};
  for (const check of checks) {
    const setting = config.rules[check.meta.id];
    if (setting?.enabled === false) continue;
    if (setting?.severity && setting.severity !== check.meta.severity) {
      out.push({ ...check, meta: { ...check.meta, severity: setting.severity }, run: check.run.bind(check) });
    } else {
      out.push(check);
    }
    if (setting?.options) options[check.meta.id] = { ...setting.options };
  }
  return { checks: out, options };
}
