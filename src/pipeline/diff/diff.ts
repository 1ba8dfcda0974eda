import type { Finding, Reachability, Severity } from '../../model/check.js';
import { SEVERITIES, severityRank, withFolded } from '../../model/check.js';

// Comparing two scans by fingerprint, not by changed lines: a fingerprint is independent of line
// numbers, so moving or reordering blocks changes nothing, and a finding whose fingerprint already
// existed at the base (e.g. a duplicate of an existing rule) is not new.

/** Anything with a line-independent fingerprint (findings, exposures). */
export interface Fingerprinted {
  fingerprint: string;
}

export interface ItemDiff<T extends Fingerprinted> {
  /** In head, fingerprint absent from base; head order kept. */
  new: T[];
  /** In head, fingerprint also in base; head order kept. */
  unchanged: T[];
  /** In base, fingerprint absent from head; base order kept. */
  fixed: T[];
}

export type DiffStatus = 'new' | 'unchanged';

/** Set semantics by fingerprint: several head items sharing a base fingerprint are all unchanged. */
export function diffItems<T extends Fingerprinted>(base: readonly T[], head: readonly T[]): ItemDiff<T> {
  const inBase = new Set(base.map((b) => b.fingerprint));
  const inHead = new Set(head.map((h) => h.fingerprint));
  return {
    new: head.filter((h) => !inBase.has(h.fingerprint)),
    unchanged: head.filter((h) => inBase.has(h.fingerprint)),
    fixed: base.filter((b) => !inHead.has(b.fingerprint)),
  };
}

/** The findings diff plus what reporters need to label it. */
export interface FindingsDiff extends ItemDiff<Finding> {
  /** What the head was compared with: a git revision as given, or "baseline <file>". */
  base: string;
  /**
   * Internet exposures compared on their own, including those told at the rule that opens them
   * (Finding.folded): a rule finding can stay while what it exposes changes.
   */
  exposures: ItemDiff<Finding>;
}

/**
 * By fingerprint, except that a finding that got worse is new: higher severity, or closer to
 * reachable ("low, not reachable" at the base, "critical, reachable" now). A reviewer must see it.
 */
export function diffFindings(base: readonly Finding[], head: readonly Finding[], label = 'base'): FindingsDiff {
  const flat = (list: readonly Finding[]) => withFolded(list).filter((f) => f.ruleId === INTERNET_EXPOSURE_RULE);
  return { base: label, ...diffWorsened(base, head), exposures: diffWorsened(flat(base), flat(head)) };
}

function diffWorsened(base: readonly Finding[], head: readonly Finding[]): ItemDiff<Finding> {
  const before = new Map<string, Finding>();
  for (const b of base) {
    const seen = before.get(b.fingerprint);
    // Several base findings with one fingerprint: compare with the worst of them.
    if (!seen || worse(b, seen)) before.set(b.fingerprint, b);
  }
  const isNew = (h: Finding) => {
    const b = before.get(h.fingerprint);
    return !b || worse(h, b);
  };
  const inHead = new Set(head.map((h) => h.fingerprint));
  return { new: head.filter(isNew), unchanged: head.filter((h) => !isNew(h)), fixed: base.filter((b) => !inHead.has(b.fingerprint)) };
}

const REACH_ORDER: Record<Reachability, number> = { reachable: 0, 'possibly-reachable': 1, 'not-reachable': 2 };

/** Strictly worse: more severe, or more reachable at the same or a higher severity. */
export function worse(a: Finding, b: Finding): boolean {
  const s = severityRank(a.severity) - severityRank(b.severity);
  if (s !== 0) return s < 0;
  if (a.reachability && b.reachability) return REACH_ORDER[a.reachability] < REACH_ORDER[b.reachability];
  return false;
}

/** Labels head items by fingerprint: "new" when the diff says so, otherwise "unchanged". */
export function statusLookup(diff: ItemDiff<Fingerprinted>): (item: Fingerprinted) => DiffStatus {
  const fresh = new Set(diff.new.map((n) => n.fingerprint));
  return (item) => (fresh.has(item.fingerprint) ? 'new' : 'unchanged');
}

/** New findings that count (not accepted by a suppression): what --fail-on and the counts look at. */
export function activeNew(diff: ItemDiff<Finding>): Finding[] {
  return diff.new.filter((f) => !f.suppression);
}

/** Active new findings per severity, every severity present, in SEVERITIES order. */
export function newBySeverity(diff: ItemDiff<Finding>): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of activeNew(diff)) counts[f.severity]++;
  return counts;
}

/** The check reporting internet exposures: one finding per endpoint and exposed service. */
export const INTERNET_EXPOSURE_RULE = 'SGS040';

/** An internet exposure that counts: SGS040, reachable or possibly reachable, not accepted. */
export function isExposure(f: Finding): boolean {
  return f.ruleId === INTERNET_EXPOSURE_RULE && !f.suppression && (f.reachability === 'reachable' || f.reachability === 'possibly-reachable');
}

/**
 * What the change newly exposes to the internet. SGS040 fingerprints are per endpoint and service, so
 * this compares the sets of exposed (endpoint, service) pairs: a rule already covered by another one,
 * or reordered rules, expose nothing new; a removed NACL deny or a new route does.
 */
export function newExposures(diff: FindingsDiff): Finding[] {
  return diff.exposures.new.filter(isExposure);
}
