import type { Check } from '../model/check.js';
import { DEFAULT_PRESET, inPreset, presetOptions } from './presets.js';
import type { SgscanConfig } from './types.js';

export interface ConfiguredChecks {
  /** The enabled checks, in the given order; a severity override gives a copy with its own meta. */
  checks: Check[];
  /** Options per check id, for runChecks/scan's `checkOptions`. */
  options: Record<string, Record<string, unknown>>;
}

/** The check that evaluates `intents:` (rules/reachability-intent.ts). */
export const INTENTS_CHECK_ID = 'SGS042';

/** Apply the configuration's `rules` to a list of checks. The given checks are never modified. */
export function applyConfig(checks: readonly Check[], config: SgscanConfig): ConfiguredChecks {
  const out: Check[] = [];
  const options: Record<string, Record<string, unknown>> = {};
  const preset = config.preset ?? DEFAULT_PRESET;
  for (const check of checks) {
    const setting = config.rules[check.meta.id];
    // `rules.X: true` turns on a check of a preset not chosen; `false` turns any check off.
    if (!(setting?.enabled ?? inPreset(check.meta, preset))) continue;
    if (setting?.severity && setting.severity !== check.meta.severity) {
      out.push({ ...check, meta: { ...check.meta, severity: setting.severity }, run: check.run.bind(check) });
    } else {
      out.push(check);
    }
    const given = presetOptions(preset, check.meta.id);
    if (given || setting?.options) options[check.meta.id] = { ...given, ...setting?.options };
    // Intents are written at the top level of the file, but only SGS042 reads them.
    if (check.meta.id === INTENTS_CHECK_ID && config.intents?.length) options[check.meta.id] = { ...options[check.meta.id], intents: config.intents };
  }
  return { checks: out, options };
}
