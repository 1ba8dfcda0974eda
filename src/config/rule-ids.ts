import type { Check } from '../model/check.js';

/** Resolves "SGS001" or "admin-port-open-to-world" to the check id; ids compare case-insensitively. */
export function ruleResolver(checks: readonly Check[]): (idOrName: string) => string | undefined {
  const byKey = new Map<string, string>();
  for (const c of checks) {
    byKey.set(c.meta.id.toLowerCase(), c.meta.id);
    byKey.set(c.meta.name.toLowerCase(), c.meta.id);
  }
  return (idOrName) => byKey.get(idOrName.trim().toLowerCase());
}

/** A real calendar date written YYYY-MM-DD (2025-02-30 is not one). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
