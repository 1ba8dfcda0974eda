import type { SourceLocation } from '../model/location.js';
import { type Addresses, covering, readdress } from '../sets/setops.js';
import { ALL_TRAFFIC, FAMILIES, familyAlgebra, intersect, isEmpty, NO_TRAFFIC, subtract, type TrafficSet, union, unionAll, meets } from '../sets/traffic.js';
import type { Blocker, Hop, Layer, Reach, Verdict, Witness } from './types.js';
import { describeAddrs, witness } from './witness.js';
import { append } from '../model/arrays.js';

// A layer is one thing traffic must pass (a route, a NACL, the groups); an answer combines them.

export function hopAt(l: SourceLocation, message: string): Hop {
  const h: Hop = { file: l.file, line: l.line, message };
  if (l.endLine !== l.line) h.endLine = l.endLine;
  return h;
}

export function blockerAt(l: SourceLocation | undefined, message: string, line?: number): Blocker {
  if (!l) return { message };
  return { message, file: l.file, line: line ?? l.line };
}

export function fmt(l: SourceLocation, line?: number): string {
  return `${l.file}:${line ?? l.line}`;
}

export function layer(definite: TrafficSet, possible: TrafficSet, assumptions: string[] = [], blockers: Blocker[] = [], hops: (w: Witness) => Hop[] = () => []): Layer {
  // The same object when nothing is uncertain, so combining can skip the second intersection.
  return { definite, possible: isEmpty(possible) ? definite : union(definite, possible), assumptions, blockers, hops };
}

// ---- Combining layers -----------------------------------------------------------------------------

/**
 * What passes `start` and every layer, certainly and possibly. When nothing is uncertain the two are
 * the same object, so the second intersection is skipped.
 */
function passing(start: TrafficSet, layers: readonly Layer[]): { definite: TrafficSet; possible: TrafficSet } {
  let definite = start;
  let possible = start;
  for (const l of layers) {
    const same = definite === possible && l.definite === l.possible;
    definite = intersect(definite, l.definite);
    possible = same ? definite : intersect(possible, l.possible);
  }
  return { definite, possible };
}

/** Several layers as one set (their hops and blockers stay with the originals). */
export function compose(layers: readonly Layer[]): Layer {
  const { definite, possible } = passing(ALL_TRAFFIC, layers);
  return { definite, possible, assumptions: layers.flatMap((l) => l.assumptions), blockers: [], hops: () => [] };
}

/**
 * `layers` in path order give the path and the blockers; `setLayers` (default the same) give the
 * sets: scans pass precomposed network layers there to save work.
 */
export function combine(layers: Layer[], probe: TrafficSet, baseAssumptions: string[], srcAddrs: Addresses | undefined, sourceName: string, destId: string, setLayers: Layer[] = layers, explainNo = true): Reach {
  let { definite, possible } = passing(probe, setLayers);
  const assumptions = [...baseAssumptions];
  // From an endpoint, a piece is certain only if it holds for every address the source may have.
  if (srcAddrs) {
    const whole = readdress(definite, covering(srcAddrs), srcAddrs);
    if (!isEmpty(subtract(definite, whole))) {
      const ranges = srcAddrs.ipv4.length + srcAddrs.ipv6.length;
      assumptions.push(ranges <= 4 ? `the addresses of ${sourceName} within ${describeAddrs(srcAddrs)}` : `${sourceName} uses only addresses that get through`);
    }
    definite = whole;
  }
  // Only assumptions of layers that matter for what passes are named.
  for (const l of setLayers) if (l.assumptions.length > 0 && meets(possible, subtract(l.possible, l.definite))) append(assumptions, l.assumptions);
  if (baseAssumptions.length > 0) definite = NO_TRAFFIC;
  const verdict: Verdict = !isEmpty(definite) ? 'reachable' : !isEmpty(possible) ? 'possibly-reachable' : 'not-reachable';
  const blockers: Blocker[] = [];
  if (verdict === 'not-reachable' && explainNo) {
    // Every layer that drops the whole question; and for an IP version no such layer drops, every
    // layer that drops all of that version (over IPv4 without a public address, with a group that
    // admits IPv4 only, both are named, with the version each drops).
    // Only whether the probe meets each layer is asked, per IP version: no intersection is built.
    const families = FAMILIES.filter((f) => probe[f].length > 0);
    const through = layers.map((l) => ({ ipv4: familyAlgebra('ipv4').meets(probe.ipv4, l.possible.ipv4), ipv6: familyAlgebra('ipv6').meets(probe.ipv6, l.possible.ipv6) }));
    layers.forEach((l, i) => {
      if (!through[i].ipv4 && !through[i].ipv6) append(blockers, l.blockers);
    });
    if (blockers.length === 0) {
      for (const f of families) {
        layers.forEach((l, i) => {
          if (!through[i][f]) append(blockers, l.blockers.map((b) => ({ ...b, message: `${b.message} (over ${f === 'ipv4' ? 'IPv4' : 'IPv6'})` })));
        });
      }
    }
    if (blockers.length === 0) {
      blockers.push({ message: `no traffic from ${sourceName} to ${destId} passes every layer together (each lets some through): ${layers.flatMap((l) => l.blockers.map((b) => b.message)).join('; ')}` });
    }
  }
  const w = witness(!isEmpty(definite) ? definite : possible);
  const path = w ? layers.flatMap((l) => l.hops(w)) : [];
  return { verdict, allowed: definite, possible, path, blockers: dedupeBlockers(blockers), assumptions: verdict === 'not-reachable' ? [] : [...new Set(assumptions)] };
}

export function dedupeBlockers(list: Blocker[]): Blocker[] {
  const seen = new Set<string>();
  return list.filter((b) => {
    const k = `${b.file}:${b.line}:${b.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const RANK: Record<Verdict, number> = { reachable: 0, 'possibly-reachable': 1, 'not-reachable': 2 };

/** The most reachable of several answers; allowed/possible are their union. */
export function best(answers: Reach[]): Reach {
  if (answers.length === 0) return { verdict: 'not-reachable', allowed: NO_TRAFFIC, possible: NO_TRAFFIC, path: [], blockers: [], assumptions: [] };
  // One answer that the merging below would give back unchanged (most questions have one subnet each way).
  if (answers.length === 1 && answers[0].blockers.length === 0 && (answers[0].verdict === 'reachable' || answers[0].assumptions.length === 0)) return answers[0];
  const sorted = [...answers].sort((a, b) => RANK[a.verdict] - RANK[b.verdict]);
  const top = sorted[0];
  return {
    ...top,
    allowed: unionAll(answers.map((a) => a.allowed)),
    possible: unionAll(answers.map((a) => a.possible)),
    blockers: top.verdict === 'not-reachable' ? dedupeBlockers(answers.flatMap((a) => a.blockers)) : [],
    assumptions: top.verdict === 'reachable' ? top.assumptions : [...new Set(answers.filter((a) => a.verdict !== 'not-reachable').flatMap((a) => a.assumptions))],
  };
}

export function worst(a: Verdict, b: Verdict): Verdict {
  return RANK[a] >= RANK[b] ? a : b;
}
