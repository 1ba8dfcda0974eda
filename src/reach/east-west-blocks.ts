import type { Rule } from '../model/model.js';
import { onlyIf } from '../model/value.js';
import { addTo } from '../model/arrays.js';
import type { Endpoint } from '../network/model.js';
import { describe } from '../sets/describe.js';
import { ALL_ADDRESSES, readdress } from '../sets/setops.js';
import { intersect, isEmpty } from '../sets/traffic.js';
import type { Engine, Hop, Reach, Verdict } from './engine.js';
import { admitted, admittingRule, destinationClass, endpointsBySubnet, exclusive, isClusterMember, probeFor, sensitivePorts, servicesIn } from './east-west.js';
import { TEMPLATE_KINDS } from './exposure.js';
import { SubnetIndex, subnetClasses } from './subnet-index.js';

// East-west exposures without listing pairs. One wide rule over n instances admits n² pairs; they
// are kept as blocks (sources × destinations, but a resource with itself), asked about once per
// block, so the work and the memory grow with the instances, not with their square.

/** Which pairs of sources × destinations a block holds: all (but a resource with itself), or only those in one subnet or only those across subnets. */
export type Relation = 'all' | 'same' | 'cross';

export interface EastWestBlock {
  /** The sources with a pair in the block, by id. */
  sources: Endpoint[];
  /** The destinations with a pair in the block, in the network's order. */
  dests: Endpoint[];
  /** How many pairs. */
  pairs: number;
  /** Which pairs of sources × dests are the block's. */
  relation: Relation;
  service: string;
  services: string[];
  verdict: Exclude<Verdict, 'not-reachable'>;
  /** The path of one pair of the block: every pair's names the same rules. */
  path: Hop[];
  assumptions: string[];
  /** The first pair in the order pairs were once listed (by destination, then source id). */
  first: { source: Endpoint; dest: Endpoint; rank: number };
  /** The path of a pair as asking about that pair alone gives it. */
  pathOf(source: Endpoint, dest: Endpoint): Hop[];
}

/** East-west blocks that one ingress rule admits, on one set of services: what one fix narrows. */
export interface EastWestBlockGroup {
  rule?: Rule;
  /** Where to point when there is no rule: the first pair's last hop, else its destination. */
  anchor: Hop | Endpoint;
  service: string;
  services: string[];
  /** In the order of their first pairs. */
  blocks: EastWestBlock[];
}

const byId = (a: Endpoint, b: Endpoint) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const subnetOf = (e: Endpoint) => e.subnets[0] as string;

/**
 * The pairs of sources × dests in a relation, summed up without listing them: who takes part, how
 * many pairs, the first one. Linear in the sources and destinations. `same` and `cross` are for
 * resources of one subnet each.
 */
export function summarize(sources: readonly Endpoint[], dests: readonly Endpoint[], relation: Relation, rank: ReadonlyMap<string, number>): Pick<EastWestBlock, 'sources' | 'dests' | 'pairs'> & { first?: EastWestBlock['first'] } {
  const sIds = new Set(sources.map((s) => s.id));
  const dIds = new Set(dests.map((d) => d.id));
  const both = [...sIds].filter((s) => dIds.has(s)).length;
  const firstOf = (pick: (d: Endpoint) => Endpoint | undefined) => {
    for (const dest of dests) {
      const source = pick(dest);
      if (source) return { source, dest, rank: rank.get(dest.id) ?? 0 };
    }
    return undefined;
  };
  if (relation === 'all') {
    return {
      sources: sources.filter((s) => dIds.size > 1 || !dIds.has(s.id)),
      dests: dests.filter((d) => sIds.size > 1 || !sIds.has(d.id)),
      pairs: sIds.size * dIds.size - both,
      first: firstOf((d) => (sources[0]?.id !== d.id ? sources[0] : sources[1])),
    };
  }
  const sBy = new Map<string, Endpoint[]>();
  for (const s of sources) addTo(sBy, subnetOf(s), s);
  const dCount = new Map<string, number>();
  for (const d of dests) dCount.set(subnetOf(d), (dCount.get(subnetOf(d)) ?? 0) + 1);
  let sameSubnet = 0;
  for (const [sub, ss] of sBy) sameSubnet += ss.length * (dCount.get(sub) ?? 0);
  if (relation === 'same') {
    return {
      sources: sources.filter((s) => (dCount.get(subnetOf(s)) ?? 0) - (dIds.has(s.id) ? 1 : 0) > 0),
      dests: dests.filter((d) => (sBy.get(subnetOf(d))?.length ?? 0) - (sIds.has(d.id) ? 1 : 0) > 0),
      pairs: sameSubnet - both,
      first: firstOf((d) => sBy.get(subnetOf(d))?.find((s, i) => i < 2 && s.id !== d.id)),
    };
  }
  // The first source by id, and the first in another subnet than that one.
  const a = sources[0];
  const b = a && sources.find((s) => subnetOf(s) !== subnetOf(a));
  return {
    sources: sources.filter((s) => dests.length - (dCount.get(subnetOf(s)) ?? 0) > 0),
    dests: dests.filter((d) => sources.length - (sBy.get(subnetOf(d))?.length ?? 0) > 0),
    pairs: sources.length * dests.length - sameSubnet,
    first: firstOf((d) => (a && subnetOf(a) !== subnetOf(d) ? a : b)),
  };
}

/** The pairs of a block, one by one (for tests and small scans: there are `pairs` of them). */
export function* pairsOf(b: Pick<EastWestBlock, 'sources' | 'dests' | 'relation'>): Generator<{ source: Endpoint; dest: Endpoint }> {
  for (const dest of b.dests) {
    for (const source of b.sources) {
      if (source.id === dest.id) continue;
      if (b.relation !== 'all' && (b.relation === 'same') !== (subnetOf(source) === subnetOf(dest))) continue;
      yield { source, dest };
    }
  }
}

/**
 * East-west exposures as blocks, in the order of their first pairs; pair by pair the same answers
 * as eastWestExposures. Destinations of one class share their candidates and answers (as in
 * eastWestReach), and so do sources of one class: same groups, kind, role, IPv6 fact and VPC, in
 * subnets of one class (subnetClasses: no address in the scan tells them apart). Destinations in
 * subnets of one class are one class too; their pairs within one subnet (no NACL crossed) and across
 * subnets are told apart. An answer that names its source or a subnet is not shared that way.
 */
export function eastWestBlocks(engine: Engine): EastWestBlock[] {
  const sensitive = sensitivePorts();
  const bySubnet = endpointsBySubnet(engine);
  const subnetIds = new Set(engine.network.subnets.map((s) => s.id));
  const index = new SubnetIndex(engine);
  const subnetClass = subnetClasses(engine);
  const rank = new Map<string, number>();
  // Each destination's class as eastWestReach has it (a destination of none is its own), and the wider one here.
  const narrow = new Map<Endpoint, string>();
  const narrowMembers = new Map<string, Endpoint[]>();
  const wide = new Map<string, Endpoint[]>();
  engine.network.endpoints.forEach((dest, i) => {
    if (!rank.has(dest.id)) rank.set(dest.id, i);
    if (TEMPLATE_KINDS.has(dest.kind) || isClusterMember(engine, dest)) return;
    const cls = destinationClass(engine, dest, subnetIds);
    const k = cls ?? `\u0001${i}`;
    narrow.set(dest, k);
    addTo(narrowMembers, k, dest);
    const sc = cls !== undefined && dest.subnets.length === 1 ? subnetClass.get(subnetOf(dest)) : undefined;
    const g = engine.groupsOf(dest);
    const v6 = engine.facts.ipv6.get(dest.id);
    addTo(wide, sc === undefined ? `narrow\u0000${k}` : ['wide', g.ids.join(','), sc, v6 && v6.value !== false ? 1 : 0, JSON.stringify(dest.role.serves), typeof dest.vpc === 'string' ? dest.vpc : ''].join('\u0000'), dest);
  });
  const named = new Map<Reach, { service: string; services: string[] } | null>();
  const name = (dest: Endpoint, r: Reach) => {
    let n = dest.role.store ? undefined : named.get(r);
    if (n !== undefined) return n;
    const hit = intersect(r.verdict === 'reachable' ? r.allowed : r.possible, probeFor(dest, sensitive));
    n = isEmpty(hit) ? null : { service: [...new Set(describe(readdress(hit, () => true, ALL_ADDRESSES)).split('; ').map((c) => c.replace(/ from .*$/, '')))].join(', '), services: servicesIn(dest, hit) };
    if (!dest.role.store) named.set(r, n);
    return n;
  };
  const baseKeys = new Map<Endpoint, string | undefined>();
  const baseKey = (s: Endpoint) => {
    if (!baseKeys.has(s)) baseKeys.set(s, sourceKey(engine, s, subnetClass));
    return baseKeys.get(s);
  };
  const out: EastWestBlock[] = [];
  for (const [key, dests] of wide) {
    const blocks = classBlocks(dests, key.startsWith('wide'));
    if (blocks) append(blocks);
    else for (const k of new Set(dests.map((d) => narrow.get(d)!))) append(classBlocks(narrowMembers.get(k)!, false)!);
  }
  return out.sort((a, b) => a.first.rank - b.first.rank || byId(a.first.source, b.first.source));

  function append(blocks: EastWestBlock[]): void {
    for (const b of blocks) out.push(b);
  }

  /** The blocks of destinations of one class; undefined when a wide class cannot be (ask by narrow class). */
  function classBlocks(dests: Endpoint[], isWide: boolean): EastWestBlock[] | undefined {
    const blocks: EastWestBlock[] = [];
    const d0 = dests[0];
    const asked = probeFor(d0, sensitive);
    const all = [...admitted(engine, d0, bySubnet, asked, index).values()].sort(byId);
    const ask = (source: Endpoint, dest: Endpoint) => engine.reach({ kind: 'endpoint', id: source.id }, dest.id, asked, { explain: false, blockers: false });
    // A shared answer is asked of the first destination of the (narrow) class, as eastWestReach does.
    const sharedClass = (d: Endpoint) => narrowMembers.get(narrow.get(d)!)!;
    const shareable = (source: Endpoint, d: Endpoint) => (sharedClass(d).length > 1 || !narrow.get(d)!.startsWith('\u0001')) && source.role.opens.kind !== 'targets' && source.subnets.length > 0 && source.subnets.every((s) => typeof s === 'string' && subnetIds.has(s));
    const answer = (source: Endpoint, dest: Endpoint) => {
      if (!shareable(source, dest)) return ask(source, dest);
      const to = sharedClass(dest).find((d) => d.id !== source.id);
      return to ? ask(source, to) : ask(source, dest);
    };
    const pathOf = (s: Endpoint, d: Endpoint) => answer(s, d).path;
    const sourceClasses = new Map<string, Endpoint[]>();
    for (const source of all) {
      if (TEMPLATE_KINDS.has(source.kind) || source.role.opens.kind === 'none' || isClusterMember(engine, source)) continue;
      const k = baseKey(source);
      // In a wide class, a shared source must be in one subnet (pairs are within or across subnets).
      if (isWide && shareable(source, d0) && (source.subnets.length !== 1 || typeof source.subnets[0] !== 'string')) return undefined;
      // In a narrow class, which of the destinations' subnets the source is in decides the NACLs crossed.
      const same = isWide ? '' : `\u0000${d0.subnets.indexOf(source.subnets[0])}`;
      addTo(sourceClasses, k === undefined ? `\u0001${source.id}` : `${k}${same}`, source);
    }
    const relations: Relation[] = isWide ? ['same', 'cross'] : ['all'];
    for (const [key, sources] of sourceClasses) {
      const s0 = sources[0];
      if (!shareable(s0, d0)) {
        // Asked about with each destination, as before.
        for (const dest of dests) if (dest.id !== s0.id) emit(blocks, [s0], [dest], 'all', ask(s0, dest), pathOf);
        continue;
      }
      for (const relation of relations) {
        const { first } = summarize(sources, dests, relation, rank);
        if (!first) continue;
        const r = answer(first.source, first.dest);
        if (isWide && namesSubnet(r, first.dest)) return undefined;
        if (sources.length > 1 && (key.startsWith('\u0001') || namesSource(r, first.source))) {
          // That source's alone: each source on its own.
          for (const s of sources) {
            const own = summarize([s], dests, relation, rank).first;
            if (!own) continue;
            const rs = answer(s, own.dest);
            if (isWide && namesSubnet(rs, own.dest)) return undefined;
            emit(blocks, [s], dests, relation, rs, pathOf);
          }
          continue;
        }
        emit(blocks, sources, dests, relation, r, pathOf);
      }
    }
    return blocks;
  }

  /** Split by what each end's condition adds (conditions are per resource), name, and keep. */
  function emit(blocks: EastWestBlock[], sources: Endpoint[], dests: Endpoint[], relation: Relation, r: Reach, pathOf: EastWestBlock['pathOf']): void {
    if (r.verdict === 'not-reachable') return;
    const plain = dests.filter((d) => !d.condition);
    const parts: Endpoint[][] = [...(plain.length ? [plain] : []), ...dests.filter((d) => d.condition).map((d) => [d])];
    for (const ds of parts) {
      const bySource = sources.some((s) => s.condition) && ds.some((d) => d.condition) ? sources.map((s) => [s]) : [sources];
      for (const ss of bySource) {
        const n = name(ds[0], r);
        if (!n) continue;
        if (ss.length === 1 && ds.length === 1 && exclusive(ss[0], ds[0])) continue;
        const sum = summarize(ss, ds, relation, rank);
        if (!sum.first || sum.pairs === 0) continue;
        // A resource that exists only under a condition reaches, or is reached, only if it exists.
        const exists = [ss.length === 1 ? ss[0] : undefined, ds.length === 1 ? ds[0] : undefined].flatMap((e) => (e?.condition ? e.condition.reasons.map((c) => `${e.id} exists (${onlyIf(c)})`) : []));
        const verdict = (exists.length ? 'possibly-reachable' : r.verdict) as EastWestBlock['verdict'];
        blocks.push({ sources: sum.sources, dests: sum.dests, pairs: sum.pairs, relation, first: sum.first, service: n.service, services: n.services, verdict, path: r.path, assumptions: exists.length ? [...new Set([...r.assumptions, ...exists])] : r.assumptions, pathOf });
      }
    }
  }
}

/** What makes sources one class (undefined: a class of its own). */
function sourceKey(engine: Engine, source: Endpoint, subnetClass: ReadonlyMap<string, string>): string | undefined {
  if (source.condition || source.subnets.length !== 1 || typeof source.subnets[0] !== 'string') return undefined;
  const s = source.subnets[0];
  const g = engine.groupsOf(source);
  if (g.unknown.length > 0) return undefined;
  const v6 = engine.facts.ipv6.get(source.id);
  // A subnet of no class is still one class with itself.
  return [g.ids.join(','), subnetClass.get(s) ?? `subnet ${s}`, v6 && v6.value !== false ? 1 : 0, source.kind, JSON.stringify(source.role), typeof source.vpc === 'string' ? source.vpc : ''].join('\u0000');
}

/** An answer that speaks of its source by name, or of the source's subnet, is the source's alone. */
function namesSource(r: Reach, source: Endpoint): boolean {
  const names = [source.id, ...source.subnets.filter((s): s is string => typeof s === 'string')];
  return r.assumptions.some((a) => names.some((n) => a.includes(n)));
}

/** An answer that speaks of the destination's subnet holds for that subnet only. */
function namesSubnet(r: Reach, dest: Endpoint): boolean {
  const names = dest.subnets.filter((s): s is string => typeof s === 'string');
  return r.assumptions.some((a) => names.some((n) => a.includes(n)));
}

/** Blocks by the ingress rule that admits them (see groupByAdmittingRule): the same groups, keys and order. */
export function groupBlocksByAdmittingRule(blocks: readonly EastWestBlock[]): EastWestBlockGroup[] {
  const groups = new Map<string, EastWestBlockGroup>();
  const ruleIds = new Map<Rule, number>();
  for (const x of blocks) {
    const rule = admittingRule(x.path);
    const last = x.path.at(-1);
    const anchor: Hop | Endpoint = rule ? x.path.find((h) => h.rule === rule)! : last ?? x.first.dest;
    let id = rule ? ruleIds.get(rule) : undefined;
    if (rule && id === undefined) ruleIds.set(rule, (id = ruleIds.size));
    const k = `${rule ? `rule ${id}` : 'location' in anchor ? `dest ${anchor.id}` : `hop ${anchor.file}:${anchor.line} ${anchor.message}`}\u0000${x.service}`;
    const g = groups.get(k);
    if (g) g.blocks.push(x);
    else groups.set(k, { ...(rule ? { rule } : {}), anchor, service: x.service, services: x.services, blocks: [x] });
  }
  return [...groups.values()];
}
