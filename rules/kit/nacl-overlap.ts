import type { Report } from '../../src/model/check.js';
import { Unknown } from '../../src/model/value.js';
import type { Nacl } from '../../src/network/model.js';
import { analyzeEntries, entryName, nonEmpty } from '../../src/network/nacl-analysis.js';
import { describe, intersect, isEmpty, NO_TRAFFIC, union, type TrafficSet } from '../../src/sets/index.js';
import { certainty, conditionAssumptions, networkOf } from './network.js';
import type { Model } from '../../src/model/model.js';

// SGS048 and SGS049: a NACL entry part of whose traffic a lower-numbered entry of the other action
// decides first (first match wins, AWS's ordered evaluation). SGS048 is a deny whose traffic an
// earlier allow lets through anyway; SGS049 an allow that an earlier deny cuts short. Wholly
// shadowed entries are SGS027's; entries of the same action overlapping change nothing.

export function overlapReports(model: Model, action: 'allow' | 'deny', say: (o: Overlap) => string): Report[] {
  const other = action === 'allow' ? 'deny' : 'allow';
  const reports: Report[] = [];
  for (const nacl of networkOf(model).nacls) {
    if (!nacl.declared) continue;
    for (const [direction, entries] of [['ingress', nacl.ingress], ['egress', nacl.egress]] as const) {
      const verdicts = analyzeEntries(entries);
      for (const [i, v] of verdicts.entries()) {
        const e = v.entry;
        // Only exact entries are judged, and a wholly shadowed one is SGS027's.
        if (!e.declared || e.action !== action || v.match === null || !nonEmpty(v.effective)) continue;
        let decided: TrafficSet = NO_TRAFFIC;
        const by: string[] = [];
        const assumptions: string[] = [];
        for (const w of verdicts.slice(0, i)) {
          if (w.effective === null) continue;
          const part = intersect(w.effective, v.match);
          if (isEmpty(part)) continue;
          if (w.entry.action === other) {
            decided = union(decided, part);
            by.push(entryName(w.entry));
          } else if (w.entry.action instanceof Unknown) {
            assumptions.push(`${entryName(w.entry)} decides part of it first, and its action is unknown: ${w.entry.action}`);
          }
        }
        if (isEmpty(decided)) continue;
        for (const u of v.uncertainBefore) assumptions.push(`${entryName(u)} is not known statically and may decide this traffic first`);
        const preposition = direction === 'ingress' ? 'from' : 'to';
        reports.push({
          message: say({ nacl, direction, entry: entryName(e), by, part: describe(decided, { preposition }) }),
          location: e.location,
          via: e.via,
          resource: e.resource,
          key: `${direction}|${String(e.ruleNumber)}|${action}-overlap`,
          ...certainty([...assumptions, ...conditionAssumptions(nacl)]),
        });
      }
    }
  }
  return reports;
}

export interface Overlap {
  nacl: Nacl;
  direction: 'ingress' | 'egress';
  /** "rule 110" */
  entry: string;
  /** The lower-numbered entries of the other action that decide part of the entry's traffic. */
  by: string[];
  /** That part, in words: "tcp/22 from 198.51.100.0/24". */
  part: string;
}

/** "rule 100 decides" / "rules 100, 110 decide". */
export function decidersText(by: readonly string[]): string {
  return by.length === 1 ? `${by[0]} decides` : `${by.map((b) => b.replace(/^rule /, '')).join(', ').replace(/^/, 'rules ')} decide`;
}
