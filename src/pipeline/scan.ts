import type { CloudFormationOptions } from '../input/cloudformation/index.js';
import { lineReader } from '../input/lines.js';
import { applyConfig, defaultConfig, type SgscanConfig } from '../config/index.js';
import { applySuppressions, type SuppressionSources } from './suppress.js';
import { foldFindings } from './fold.js';
import { reachContext } from '../reach/exposure.js';
import { rerank } from './rerank.js';
import { runChecks } from './runner.js';
import { nameConstructs } from './cdk.js';
import type { Check, Finding } from '../model/check.js';
import { SEVERITIES } from '../model/check.js';
import { createFileIdentity } from '../input/repo.js';
import { accountCoverage, type FoundFile } from '../input/coverage.js';
import { emptyModel, mergeModels, type CoverageNotice, type Model, type ScanError } from '../model/model.js';
import type { ScanResult } from '../model/scan-result.js';
import { inShard, planDocumentShard, type Shard } from './shard.js';
import type { TerraformOptions } from '../input/terraform/index.js';
import { append } from '../model/arrays.js';
import { planUnits, scanUnit, unitCache, type UnitPlan, type UnitTask } from './units.js';

// The pipeline: discover files → front ends build the shared model → checks → a ScanResult that
// reporters render. Each stage is a pure function of the previous one's output, except for reading.

/** What building the model needs: where to look and how to read what is found. */
export interface ModelOptions {
  paths: string[];
  cwd: string;
  terraform?: TerraformOptions;
  cloudformation?: CloudFormationOptions;
  maxFileBytes?: number;
  /** Told after each root module or document, for a progress bar. */
  onProgress?: (done: number, total: number, unit: string) => void;
  /** Scan only this shard's units (root modules, documents); see src/pipeline/shard.ts. */
  shard?: Shard;
  /** Entries discovery leaves out, by path relative to cwd (src/config/exclude.ts). */
  exclude?: (relPath: string, isDir: boolean) => boolean;
}

export interface ScanOptions extends ModelOptions {
  version: string;
  /**
   * Every check the caller knows (the drivers pass `rules/index.ts`'s catalog down: src/ never
   * imports rules/). The configuration picks which of them run.
   */
  checks: readonly Check[];
  checkOptions?: Record<string, Record<string, unknown>>;
  /** Loaded `.sgscan.yml` (see src/config); absent means defaults. */
  config?: SgscanConfig;
  /** Honour `# sgscan:ignore` comments and CloudFormation Metadata (default true). */
  inlineSuppressions?: boolean;
  /** YYYY-MM-DD, for suppression expiry; injected so tests are deterministic. */
  today?: string;
  /** Tell overlapping findings once (src/pipeline/fold.ts; default true). false: every check's own findings. */
  fold?: boolean;
  /** Worker threads (src/pipeline/parallel.ts `scanResult`; `scan` itself is one thread). */
  jobs?: Jobs;
  /** The worker entry (src/cli/scan-worker.ts, built); without it the scan stays on one thread. */
  workerUrl?: URL;
  /** Told when a worker thread fails: the unit it had is then read and judged on this thread. */
  onWarning?: (message: string) => void;
}

/** --jobs: 1 is the main thread only; N at most N worker threads; auto decides from the scan's size. */
export type Jobs = number | 'auto';

export async function buildModel(opts: ModelOptions): Promise<Model> {
  return (await buildWithDiscovery(opts)).model;
}

/** The model plus every file discovery found, for coverage accounting. */
async function buildWithDiscovery(opts: ModelOptions, planned?: UnitPlan): Promise<{ model: Model; found: FoundFile[]; reports: (file: string) => boolean }> {
  const plan = planned ?? (await planUnits(opts));
  const progress = unitProgress(plan, opts.onProgress);
  const parts: Model[] = [];
  const shared = unitCache(plan.settings);
  for (const task of plan.tasks) {
    parts.push(await scanUnit(task, plan.settings, shared, plan.reads));
    progress(task);
  }
  const { included, children, reports } = includedUnits(plan, parts.map((p) => p.files));
  const errors = emptyModel();
  append(errors.errors, plan.errors);
  const model = mergeModels([errors, ...parts.filter((_, i) => included[i])]);
  model.files = [...new Set(model.files)].sort();
  return { model, found: foundFiles(plan, new Set(model.files), children, reports), reports };
}

/** Progress per unit read: this shard's root modules and documents (helper units are not its own). */
export function unitProgress(plan: UnitPlan, onProgress: ModelOptions['onProgress']): (task: UnitTask) => void {
  let done = 0;
  const total = plan.tasks.filter((t) => t.kind === 'terraform' && t.owned).length + plan.found.documents.length;
  return (task) => {
    if (!task.owned) return;
    onProgress?.(++done, total, task.kind === 'terraform' ? task.scope : task.file.path);
  };
}

/**
 * Which units' models make the scan's: every root module evaluated (this shard's and its helpers),
 * and the documents of this shard, or nesting a template this shard owns, that are not the nested
 * stack of another (a template scanned as a nested stack is not scanned again on its own, with
 * defaults instead of its parent's parameters and addresses that do not say where it is used).
 * `files` are the files each unit read, by task; `reports` says which files this shard reports.
 */
export function includedUnits(plan: UnitPlan, files: ReadonlyArray<readonly string[]>): { included: boolean[]; children: Set<string>; reports: (file: string) => boolean } {
  const children = new Set<string>();
  plan.tasks.forEach((t, i) => {
    if (t.kind === 'document') for (const f of files[i]) if (f !== t.file.path) children.add(f);
  });
  // A template nested by documents of several shards is reported by one (as a shared local module).
  const units: Array<{ path: string; nested: string[] }> = [];
  plan.tasks.forEach((t, i) => {
    if (t.kind === 'document' && !children.has(t.file.path)) units.push({ path: t.file.path, nested: files[i].filter((f) => f !== t.file.path) });
  });
  const nesting = planDocumentShard(units, plan.shard);
  const included = plan.tasks.map((t) => t.kind === 'terraform' || ((t.owned || nesting.helpers.has(t.file.path)) && !children.has(t.file.path)));
  return { included, children, reports: (file) => plan.reports(file) && nesting.reports(file) };
}

/** Every file discovery found, of this shard's units. */
export function foundFiles(plan: UnitPlan, read: Set<string>, children: Set<string>, reports: (file: string) => boolean): FoundFile[] {
  const all: FoundFile[] = [
    ...[...plan.found.terraformModules.values()].flat().map((f) => ({ path: f.path, kind: 'terraform' as const })),
    ...plan.found.documents.map((f) => ({ path: f.path, kind: 'document' as const })),
  ];
  return plan.shard ? all.filter(shardCoverage(plan.shard, reports, read, children)) : all;
}

/** The checks the configuration turns on, and their options (explicit options win). */
export function configureChecks(opts: ScanOptions): { checks: Check[]; options: Record<string, Record<string, unknown>> } {
  // Without a configuration the recommended preset applies: strict-only checks stay off.
  const configured = applyConfig(opts.checks, opts.config ?? defaultConfig());
  return { checks: configured.checks, options: { ...configured.options, ...opts.checkOptions } };
}

/** Said when a check throws; its findings are missing, the other checks' are not. */
export function checkFailure(check: Check, message: string): ScanError {
  return { file: '.', message: `internal error in check ${check.meta.id} (${check.meta.name}): ${message}; its findings are missing from this report` };
}

export async function scan(opts: ScanOptions, plan?: UnitPlan): Promise<{ model: Model; result: ScanResult }> {
  const { model, found, reports } = await buildWithDiscovery(opts, plan);
  // Configuration picks the checks, their severities and options.
  const { checks, options } = configureChecks(opts);
  const raw = runChecks(model, checks, {
    options,
    fileIdentity: createFileIdentity(opts.cwd),
    onCheckError: (check, e) => model.errors.push(checkFailure(check, e instanceof Error ? e.message : String(e))),
  });
  // Rule findings are judged by real exposure: "SSH open to the world, but not reachable" is lowered.
  const ranked = nameConstructs(rerank(raw, reachContext(model)), model);
  const digest = {
    files: model.files,
    errors: model.errors,
    notices: model.notices,
    groups: model.groups.map((g) => g.location.file),
    rules: model.rules.map((r) => r.location.file),
    sources: model,
  };
  return { model, result: finishScan(opts, checks, ranked, digest, found, reports) };
}

/** What the end of a scan needs of its model (a worker thread's units send this, not their models). */
export interface ModelDigest {
  files: string[];
  errors: ScanError[];
  notices: CoverageNotice[];
  /** The file of each group and of each rule, for counting those a shard reports. */
  groups: readonly string[];
  rules: readonly string[];
  sources: Model | SuppressionSources;
}

/**
 * A shard sees only its own units: a claim about the whole scan (Report.everyUnit, an intent that selects
 * nothing) holds only if the other shards' units agree, so it is possible there, and says on what.
 */
function withinShard(findings: readonly Finding[], shard: Shard | undefined): readonly Finding[] {
  if (!shard || shard.count === 1) return findings;
  const unless = `nothing in the other shards' units matches it either (this scan is shard ${shard.index}/${shard.count})`;
  return findings.map((f) => (f.everyUnit ? { ...f, certainty: 'possible', assumptions: [...f.assumptions, unless] } : f));
}

/** Suppression, folding and the summary: from ranked findings to the ScanResult reporters render. */
export function finishScan(opts: ScanOptions, checks: readonly Check[], ranked: readonly Finding[], model: ModelDigest, found: FoundFile[], reports: (file: string) => boolean): ScanResult {
  const { findings: judged, warnings } = applySuppressions(withinShard(ranked, opts.shard), model.sources, opts.config, {
    inline: opts.inlineSuppressions ?? true,
    readLines: lineReader(opts.cwd),
    today: opts.today ?? new Date().toISOString().slice(0, 10),
    checks,
    catalog: opts.checks,
    cwd: opts.cwd,
  });
  // After suppression: accepting one check's finding accepts only that one, and the rest still fold.
  const folded = opts.fold === false ? judged : foldFindings(judged, checks);
  // A shard drops, rather than hides, what another shard reports (a shared module's findings belong
  // to its owner; a helper root module's own files to its shard): not counted, never failing the run.
  const findings = folded.filter((f) => reports(f.file));
  const reported = findings.filter((f) => !f.suppression);
  const bySeverity: Record<string, number> = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  for (const f of reported) bySeverity[f.severity]++;
  const byPlace = (a: { file: string; line?: number; message: string }, b: { file: string; line?: number; message: string }) =>
    (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  const errors = model.errors.filter((e) => reports(e.file)).sort(byPlace);
  const notices = [...model.notices, ...warnings].filter((n) => reports(n.file)).sort(byPlace);
  const files = model.files.filter(reports);
  return {
    tool: { name: 'sgscan', version: opts.version },
    findings,
    errors,
    notices,
    files,
    checks: [...checks],
    summary: {
      filesScanned: files.length,
      filesWithErrors: new Set(errors.map((e) => e.file)).size,
      groups: model.groups.filter(reports).length,
      rules: model.rules.filter(reports).length,
      findings: reported.length,
      suppressed: findings.length - reported.length,
      bySeverity,
      coverage: accountCoverage(found, files, errors, notices),
    },
  };
}

/**
 * A shard accounts for the files of its own units: its documents, its root modules' files, and the
 * files of the local modules and nested templates it reports (see shard.ts). Other files are other shards' business.
 */
function shardCoverage(shard: Shard, reports: (file: string) => boolean, read: Set<string>, nested: Set<string>): (f: FoundFile) => boolean {
  return (f) => {
    if (!reports(f.path)) return false; // a shared module's or nested template's files are its owner's
    if (f.kind === 'document') return read.has(f.path) || (inShard(f.path, shard) && !nested.has(f.path)); // a nested stack goes with its parent
    // Every Terraform folder is a root module or a module: its files, read or not (a module's unused
    // .tfvars), are accounted by the shard that reports the folder.
    return true;
  };
}
