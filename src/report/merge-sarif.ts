import type * as Sarif from 'sarif';
import { cmp } from './common.js';
import { dedupeAcross, MergeError, mergeOrdered, sameVersion, sumCoverage, type NamedInput } from './merge-json.js';
import { DEFAULT_CATEGORY, DEFAULT_MAX_RESULTS, FINGERPRINT_KEY, SARIF_SCHEMA_URI } from './sarif.js';

// `sgscan merge` for SARIF logs: the runs of a CI matrix's shards joined into one run, as one
// unsharded scan writes it, so one upload covers the matrix. Pure: parsed logs in, text out.

const TRUNCATED = 'results-truncated';

export interface SarifMergeOptions {
  /** automationDetails.id of the merged run; default: see mergedCategory. */
  category?: string;
  /** GitHub code scanning keeps at most this many results per run (default 5000, as a scan). */
  maxResults?: number;
}

export interface SarifMerge {
  text: string;
  /** Things the user should know that do not stop the merge (a shard missing from the matrix). */
  warnings: string[];
}

interface Located {
  file: string;
  run: Sarif.Run;
}

/**
 * The CLI has checked the shape (one or more runs by sgscan, each result with its fingerprint).
 * Results are deduplicated by fingerprint at one place; rules are the union of the runs' rules,
 * sorted by id, results' ruleIndex rewritten; an artifacts table, when a run has one, is merged the
 * same way and every artifactLocation.index rewritten.
 */
export function mergeSarifLogs(inputs: readonly NamedInput<Sarif.Log>[], options: SarifMergeOptions = {}): SarifMerge {
  const runs: Located[] = inputs.flatMap((i) => i.report.runs.map((run) => ({ file: i.file, run })));
  if (runs.length === 0) throw new MergeError('no SARIF run to merge');
  const version = sameVersion(runs.map((r) => ({ file: r.file, version: r.run.tool.driver.version ?? '' })));
  const { category, warnings } = mergedCategory(runs, options.category);

  // Rules: the union by id (every shard lists every check that ran; a check given to one shard only
  // still appears), sorted as a scan sorts them.
  const ruleById = new Map<string, Sarif.ReportingDescriptor>();
  for (const { run } of runs) for (const rule of run.tool.driver.rules ?? []) if (!ruleById.has(rule.id)) ruleById.set(rule.id, rule);
  const ruleIds = [...ruleById.keys()].sort(cmp);
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));

  // Artifacts (sgscan writes none, other writers of the same shape may): union by location.
  const artifactKey = (a: Sarif.Artifact) => `${a.location?.uriBaseId ?? ''}\u0000${a.location?.uri ?? ''}`;
  const artifacts: Sarif.Artifact[] = [];
  const artifactIndex = new Map<string, number>();
  const from: Array<{ run: number; parent?: number }> = [];
  const remaps = runs.map(({ run }, r) =>
    (run.artifacts ?? []).map((a) => {
      const k = artifactKey(a);
      if (!artifactIndex.has(k)) {
        artifactIndex.set(k, artifacts.length);
        artifacts.push({ ...a });
        from.push({ run: r, parent: a.parentIndex });
      }
      return artifactIndex.get(k)!;
    }),
  );
  // A parent index points into the table of the run the artifact came from.
  artifacts.forEach((a, i) => {
    const { run, parent } = from[i];
    if (parent !== undefined) a.parentIndex = remaps[run][parent];
  });

  const perRun = runs.map(({ run }, r) => (run.results ?? []).map((res) => rewriteIndexes(res, ruleIndex, remaps[r])));
  const unique = mergeOrdered(dedupeAcross(perRun, resultKey), byReportOrder);
  const maxResults = Math.max(0, options.maxResults ?? DEFAULT_MAX_RESULTS);
  // As a scan: the most severe kept when there are too many, then back in report order.
  const kept = unique.length <= maxResults ? unique : [...unique].map((res, i) => ({ res, i })).sort((a, b) => severityOf(b.res) - severityOf(a.res) || a.i - b.i).slice(0, maxResults).sort((a, b) => a.i - b.i).map((x) => x.res);

  // Each rule's security-severity is that of its worst result in the log (sarif.ts); a rule without
  // results keeps the catalog value every shard wrote for it.
  const rules = ruleIds.map((id) => withWorstSeverity(ruleById.get(id)!, kept.filter((res) => res.ruleId === id)));

  const notifications = runs.flatMap(({ run }, r) => (run.invocations ?? []).flatMap((inv) => (inv.toolExecutionNotifications ?? []).map((n) => rewriteIndexes(n, ruleIndex, remaps[r]))));
  const omittedBefore = notifications.filter((n) => n.descriptor?.id === TRUNCATED).reduce((s, n) => s + omittedCount(n), 0);
  const omitted = omittedBefore + unique.length - kept.length;
  // Errors, then notices, each in place order, as a scan writes them; each shard told its own files'.
  const told = [
    ...sortNotifications(notifications.filter((n) => n.descriptor?.id !== TRUNCATED && n.level === 'error')),
    ...sortNotifications(notifications.filter((n) => n.descriptor?.id !== TRUNCATED && n.level !== 'error')),
  ];
  if (omitted > 0) {
    const descriptor = notifications.find((n) => n.descriptor?.id === TRUNCATED)?.descriptor ?? { id: TRUNCATED, index: 2 };
    told.push({ level: 'warning', message: { text: `${omitted} ${omitted === 1 ? 'result' : 'results'} omitted: only the ${kept.length} most severe of ${kept.length + omitted} are reported.` }, descriptor });
  }

  const first = runs[0].run;
  const coverages = runs.map(({ run }) => (run.properties as { coverage?: Parameters<typeof sumCoverage>[0][number] } | undefined)?.coverage).filter((c) => c !== undefined);
  const run: Sarif.Run = {
    tool: { driver: { ...first.tool.driver, version, rules } },
    automationDetails: { id: category },
    ...(first.originalUriBaseIds ? { originalUriBaseIds: first.originalUriBaseIds } : {}),
    ...(artifacts.length > 0 ? { artifacts } : {}),
    ...(first.columnKind ? { columnKind: first.columnKind } : {}),
    invocations: [{ executionSuccessful: runs.every(({ run }) => (run.invocations ?? []).every((i) => i.executionSuccessful)), toolExecutionNotifications: told }],
    results: kept,
    ...(coverages.length > 0 ? { properties: { coverage: sumCoverage(coverages) } } : {}),
  };
  return { text: `${JSON.stringify({ $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] }, null, 2)}\n`, warnings };
}

const SHARD_CATEGORY = /^(.*)shard-(\d+)-of-(\d+)\/$/;

/**
 * The category of the merged run: --category if given; else the runs' common category; else, for
 * the default shard categories (`sgscan/shard-i-of-n/`, src/pipeline/shard.ts), what precedes them
 * (`sgscan/`: the category of an unsharded scan, so the merged upload replaces one). Any other mix
 * is the user's to name: GitHub keeps one analysis per category.
 */
function mergedCategory(runs: readonly Located[], given: string | undefined): { category: string; warnings: string[] } {
  const ids = runs.map((r) => r.run.automationDetails?.id ?? DEFAULT_CATEGORY);
  const warnings: string[] = [];
  const shards = ids.map((id) => SHARD_CATEGORY.exec(id));
  if (shards.every((m) => m !== null)) {
    const counts = new Set(shards.map((m) => m![3]));
    const prefixes = new Set(shards.map((m) => m![1]));
    if (counts.size === 1 && prefixes.size === 1) {
      const n = Number(shards[0]![3]);
      const have = new Set(shards.map((m) => Number(m![2])));
      const missing = [...Array(n).keys()].map((i) => i + 1).filter((i) => !have.has(i));
      if (missing.length > 0) warnings.push(`${missing.length === 1 ? 'shard' : 'shards'} ${missing.join(', ')} of ${n} missing: ${missing.length === 1 ? 'its' : 'their'} findings are not in the merged report`);
      if (given === undefined) return { category: [...prefixes][0] || DEFAULT_CATEGORY, warnings };
    }
  }
  if (given !== undefined) {
    const id = given.trim() || DEFAULT_CATEGORY;
    return { category: id.endsWith('/') ? id : `${id}/`, warnings };
  }
  const distinct = [...new Set(ids)];
  if (distinct.length === 1) return { category: distinct[0], warnings };
  throw new MergeError(`the runs have different categories (${distinct.join(', ')}); give the merged run one with --category`);
}

/** One finding once: its fingerprint at its place. */
function resultKey(r: Sarif.Result): string {
  const loc = r.locations?.[0]?.physicalLocation;
  return `${r.partialFingerprints?.[FINGERPRINT_KEY] ?? ''}\u0000${loc?.artifactLocation?.uri ?? ''}\u0000${loc?.region?.startLine ?? 0}`;
}

/** The report order (src/report/common.ts), as far as a result tells it; see merge-json.ts. */
function byReportOrder(a: Sarif.Result, b: Sarif.Result): number {
  const la = a.locations?.[0];
  const lb = b.locations?.[0];
  return (
    cmp(fileOf(a), fileOf(b)) ||
    (la?.physicalLocation?.region?.startLine ?? 0) - (lb?.physicalLocation?.region?.startLine ?? 0) ||
    severityOf(b) - severityOf(a) ||
    cmp(a.ruleId ?? '', b.ruleId ?? '') ||
    cmp(la?.logicalLocations?.[0]?.fullyQualifiedName ?? '', lb?.logicalLocations?.[0]?.fullyQualifiedName ?? '') ||
    cmp(a.message.text ?? '', b.message.text ?? '') ||
    (la?.physicalLocation?.region?.endLine ?? 0) - (lb?.physicalLocation?.region?.endLine ?? 0) ||
    cmp(a.partialFingerprints?.[FINGERPRINT_KEY] ?? '', b.partialFingerprints?.[FINGERPRINT_KEY] ?? '')
  );
}

/** The path as the scan sorted it (before percent-encoding). */
function fileOf(r: Sarif.Result): string {
  return decoded(r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '');
}

function decoded(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

function severityOf(r: Sarif.Result): number {
  return Number((r.properties as Record<string, unknown> | undefined)?.['security-severity'] ?? 0);
}

function withWorstSeverity(rule: Sarif.ReportingDescriptor, results: readonly Sarif.Result[]): Sarif.ReportingDescriptor {
  if (results.length === 0) return rule;
  const worst = results.reduce((w, r) => (severityOf(r) > severityOf(w) ? r : w));
  const value = (worst.properties as Record<string, unknown>)['security-severity'];
  return { ...rule, properties: { ...rule.properties, 'security-severity': value } };
}

/** A copy with ruleIndex and every artifactLocation.index pointing into the merged tables. */
function rewriteIndexes<T>(value: T, ruleIndex: ReadonlyMap<string, number>, artifacts: readonly number[]): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = walk(x, k);
    if (key === 'artifactLocation' && typeof o.index === 'number') {
      const to = artifacts[o.index];
      if (to === undefined) delete out.index; // dangling in the input: keep the uri, drop the bad index
      else out.index = to;
    }
    if (typeof o.ruleId === 'string' && typeof o.ruleIndex === 'number') {
      const to = ruleIndex.get(o.ruleId);
      if (to === undefined) delete out.ruleIndex;
      else out.ruleIndex = to;
    }
    return out;
  };
  return walk(value) as T;
}

function omittedCount(n: Sarif.Notification): number {
  return Number(/^(\d+) results? omitted/.exec(n.message.text ?? '')?.[1] ?? 0);
}

/** By file, line and message, as a scan orders its errors and notices. */
function sortNotifications(ns: Sarif.Notification[]): Sarif.Notification[] {
  const place = (n: Sarif.Notification) => n.locations?.[0]?.physicalLocation;
  return [...ns].sort(
    (a, b) =>
      cmp(decoded(place(a)?.artifactLocation?.uri ?? ''), decoded(place(b)?.artifactLocation?.uri ?? '')) ||
      (place(a)?.region?.startLine ?? 0) - (place(b)?.region?.startLine ?? 0) ||
      cmp(a.message.text ?? '', b.message.text ?? ''),
  );
}
