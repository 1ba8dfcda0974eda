import type { CheckMeta } from '../model/check.js';

// Presets, as ESLint's shareable configs: `recommended` (the default: quiet, every finding worth a
// reviewer's time) and `strict` (what a compliance-minded team asks for: every peer tool's security
// group and NACL check that is true to AWS). A check's `meta.preset` says where it starts; a preset may
// also give checks options, under the user's own `rules.X.options`.

export const PRESETS = ['recommended', 'strict'] as const;
export type Preset = (typeof PRESETS)[number];
export const DEFAULT_PRESET: Preset = 'recommended';

/** Checks of the recommended preset are in strict too; strict-only checks only there. */
export function inPreset(meta: Pick<CheckMeta, 'preset'>, preset: Preset): boolean {
  return (meta.preset ?? 'recommended') === 'recommended' || preset === 'strict';
}

/**
 * Options a preset gives checks. strict: only 443 is an acceptable world-open port (port 80 is
 * reported, as Checkov's CKV_AWS_260); the NACL port check covers FTP, Telnet and the databases of
 * the security-group catalog (Checkov's CKV_AWS_229/230); documentation ranges count as placeholders.
 */
const PRESET_OPTIONS: Record<Preset, Record<string, Record<string, unknown>>> = {
  recommended: {},
  strict: {
    SGS005: { allowedPorts: [443] },
    SGS023: {
      ports: [20, 21, 22, 23, 135, 139, 445, 1433, 1521, 2049, 2375, 2376, 3306, 3389, 5432, 5500, 5900, 6379, 9200, 11211, 27017],
      udpPorts: [53, 137, 138, 161, 3389, 11211],
    },
    SGS043: { documentationRanges: true },
  },
};

export function presetOptions(preset: Preset, checkId: string): Record<string, unknown> | undefined {
  const o = PRESET_OPTIONS[preset][checkId];
  return o ? { ...o } : undefined;
}

export function isPreset(name: unknown): name is Preset {
  return typeof name === 'string' && (PRESETS as readonly string[]).includes(name);
}
