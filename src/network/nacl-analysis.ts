import { Unknown } from '../model/value.js';
import { firstMatchPieces } from '../sets/nacl.js';
import { isEmpty, trafficOf, type TrafficSet } from '../sets/index.js';
import type { NaclEntry } from './model.js';

// First-match analysis of one direction of a network ACL, entry by entry: what each entry matches,
// and what it actually decides (its match minus everything lower-numbered entries matched).
// allowedByNacl (src/reach) gives the whole allowed set; checks need to know which entry is to blame.

export interface EntryVerdict {
  entry: NaclEntry;
  /** Traffic the entry matches, or null with `why` when it is not an exact set (unknown values). */
  match: TrafficSet | null;
  why?: string;
  /** Traffic this entry decides: match − ∪ matches of earlier entries. Null when match is. */
  effective: TrafficSet | null;
  /** Earlier entries whose match is not known; they may decide some of this entry's traffic first. */
  uncertainBefore: NaclEntry[];
}

/** Entries in evaluation order (rule number, then written order) with their verdicts. */
export function analyzeEntries(entries: readonly NaclEntry[]): EntryVerdict[] {
  const ordered = entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => num(a.e) - num(b.e) || a.i - b.i)
    .map((x) => x.e);
  // An entry whose number is unknown could sit anywhere, so it is "before" every other entry.
  const floating = ordered.filter((e) => e.ruleNumber instanceof Unknown);
  const uncertain: NaclEntry[] = [...floating];
  const matches = ordered.map(matchOf);
  // What each entry decides: its match less the matches of earlier entries of known number (in one
  // pass over halves, firstMatchPieces; entry by entry it was quadratic).
  const effective = firstMatchPieces(
    matches.map((m) => ('set' in m ? m.set : null)),
    ordered.map((e, i) => 'set' in matches[i] && !(e.ruleNumber instanceof Unknown)),
  );
  const out: EntryVerdict[] = [];
  ordered.forEach((entry, i) => {
    const m = matches[i];
    const before = uncertain.filter((u) => u !== entry);
    if (!('set' in m)) {
      out.push({ entry, match: null, why: m.why, effective: null, uncertainBefore: before });
      if (!uncertain.includes(entry)) uncertain.push(entry);
      return;
    }
    out.push({ entry, match: m.set, effective: effective[i], uncertainBefore: before });
  });
  return out;
}

function num(e: NaclEntry): number {
  return e.ruleNumber instanceof Unknown ? -1 : e.ruleNumber;
}

export function matchOf(e: NaclEntry): { set: TrafficSet } | { why: string } {
  if (e.cidr instanceof Unknown) return { why: `the CIDR is unknown (${e.cidr})` };
  const t = trafficOf(e.protocol, e.ports, e.cidr);
  return 'notAddressSet' in t ? { why: t.notAddressSet } : { set: t };
}

export function nonEmpty(s: TrafficSet | null): boolean {
  return s !== null && !isEmpty(s);
}

export function isWorldCidr(cidr: string | Unknown): boolean {
  return cidr === '0.0.0.0/0' || cidr === '::/0';
}

/** "rule 100 (allow tcp 22 from 0.0.0.0/0)" for messages. */
export function entryName(e: NaclEntry): string {
  return `rule ${e.ruleNumber instanceof Unknown ? '?' : e.ruleNumber}`;
}

/**
 * Inbound allow entries from the whole internet that decide some traffic, with the assumptions
 * that make them only possibly so (unknown action, unknown earlier entries).
 */
export function worldAllowEntries(entries: readonly NaclEntry[]): { verdict: EntryVerdict; assumptions: string[] }[] {
  const out: { verdict: EntryVerdict; assumptions: string[] }[] = [];
  for (const v of analyzeEntries(entries)) {
    const e = v.entry;
    if (e.action === 'deny' || !isWorldCidr(e.cidr)) continue;
    if (v.match !== null && !nonEmpty(v.effective)) continue;
    const assumptions = v.uncertainBefore.map((u) => `${entryName(u)} is not known statically and may decide this traffic first`);
    if (e.action instanceof Unknown) assumptions.push(`the action is unknown: ${e.action}`);
    out.push({ verdict: v, assumptions });
  }
  return out;
}
