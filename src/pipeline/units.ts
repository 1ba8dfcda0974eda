import { statSync } from 'node:fs';
import path from 'node:path';
import { scanCloudFormationFile, type CloudFormationOptions } from '../input/cloudformation/index.js';
import { discover, displayPath, type Discovery } from '../input/discover.js';
import { DEFAULT_MAX_FILE_BYTES, type ReadOnce, readSource, readSourceSync } from '../input/read.js';
import { createFileIdentity } from '../input/repo.js';
import { localModuleCalls, rootModules, scanTerraformModule, scanTerraformPlan, type TerraformOptions } from '../input/terraform/index.js';
import type { SharedParses } from '../input/terraform/options.js';
import type { Check, Finding, Severity } from '../model/check.js';
import { emptyModel, withScope, type CoverageNotice, type Model, type Rule, type ScanError } from '../model/model.js';
import type { SourceFile } from '../model/source-file.js';
import { reachContext } from '../reach/exposure.js';
import { constructEntries, type ConstructEntries } from './cdk.js';
import { rerank } from './rerank.js';
import { collectFindings } from './runner.js';
import { inShard, planTerraformShard, type Shard } from './shard.js';
import { suppressionSources } from './suppress.js';

// A scan is made of units: a Terraform root module (with the local modules it calls) or one document
// (template, plan). Each is read by itself (src/pipeline/shard.ts splits a scan along the same lines),
// so a unit can be read, and judged, on a worker thread: a task and its result are plain data that
// cross the thread boundary by structured clone.

export type UnitTask =
  | {
      kind: 'terraform';
      index: number;
      bytes: number;
      dir: string;
      files: SourceFile[];
      scope: string;
      scanRoot: string;
      /**
       * In this shard. Another shard's root module is evaluated too (a helper) when it calls a shared
       * module this shard owns; only that module's files are reported from it (src/pipeline/shard.ts).
       */
      owned: boolean;
    }
  | {
      kind: 'document';
      index: number;
      bytes: number;
      file: SourceFile;
      /** In this shard; another shard's template is still read, for the nested stacks it names. */
      owned: boolean;
      /** Beside .tf files (a plan there is read through them) and not named on the command line. */
      besideTerraform: boolean;
      /** The scanned folder nested stacks must stay in. */
      root: string;
    };

/** What reading a unit needs besides the task: the same for every unit of a scan. */
export interface UnitSettings {
  terraform?: TerraformOptions;
  cloudformation?: Omit<CloudFormationOptions, 'readFile'>;
  maxFileBytes?: number;
  /** Absolute folders of the local modules two or more of the scan's root modules call (SharedParses). */
  sharedModules?: string[];
}

/** What judging a unit needs: the checks that run (by id, in order) and their options. */
export interface UnitChecks {
  cwd: string;
  checks: Array<{ id: string; severity: Severity }>;
  options: Record<string, Record<string, unknown>>;
}

/** A scan's units in the order their models are merged: root modules (sorted), then documents. */
export interface UnitPlan {
  found: Discovery;
  /** Every root module folder (absolute), this shard's or not. */
  roots: string[];
  tasks: UnitTask[];
  shard?: Shard;
  /** Whether this shard reports what is located in a Terraform file (documents: see includedUnits in scan.ts). */
  reports: (file: string) => boolean;
  settings: UnitSettings;
  /** Discovery errors this shard reports (they belong to no unit: the first shard tells them). */
  errors: ScanError[];
  /** The .tf files planning read, for this thread's scan of their modules (worker threads read their own). */
  reads: ReadOnce;
}

export interface PlanOptions {
  paths: string[];
  cwd: string;
  terraform?: TerraformOptions;
  cloudformation?: CloudFormationOptions;
  maxFileBytes?: number;
  shard?: Shard;
  exclude?: (relPath: string, isDir: boolean) => boolean;
}

export async function planUnits(opts: PlanOptions): Promise<UnitPlan> {
  const found = await discover(opts.paths, { cwd: opts.cwd, exclude: opts.exclude });
  // A folder called as a local module by another folder of the scan is scanned through its callers.
  const calls = new Map<string, string[]>();
  const reads: ReadOnce = new Map();
  // Unguarded, one hostile file here (e.g. nesting 10,000 deep) would take the whole scan down; the
  // module's own scan reports the file properly.
  for (const [dir, files] of found.terraformModules) calls.set(dir, await localModuleCalls(dir, files, reads).catch(() => []));
  const roots = rootModules(calls);
  const named = (abs: string) => displayPath(abs, opts.cwd);
  const shardPlan = planTerraformShard(roots.map(named), new Map([...calls].map(([d, ts]) => [named(d), ts.filter((t) => calls.has(t)).map(named)])), opts.shard);
  const evaluated = new Set([...shardPlan.roots, ...shardPlan.helpers]);
  const explicit = new Set(opts.paths.map((p) => path.resolve(opts.cwd, p)));
  const scannedRoot = scannedRoots(explicit, opts.cwd);
  const tasks: UnitTask[] = [];
  for (const dir of roots) {
    const files = found.terraformModules.get(dir)!;
    const scope = named(dir);
    if (!evaluated.has(scope)) continue;
    tasks.push({ kind: 'terraform', index: tasks.length, bytes: sizeOf(files), dir, files, scope, scanRoot: scannedRoot(dir), owned: inShard(scope, opts.shard) });
  }
  for (const file of found.documents) {
    const besideTerraform = found.terraformModules.has(path.dirname(file.abs)) && !explicit.has(file.abs);
    tasks.push({ kind: 'document', index: tasks.length, bytes: sizeOf([file]), file, owned: inShard(file.path, opts.shard), besideTerraform, root: scannedRoot(file.abs) });
  }
  const { readFile: _readFile, ...cloudformation } = opts.cloudformation ?? {};
  return {
    found,
    roots,
    tasks,
    settings: { terraform: opts.terraform, cloudformation, maxFileBytes: opts.maxFileBytes, sharedModules: sharedModules(tasks, calls) },
    shard: opts.shard,
    reports: shardPlan.reports,
    errors: !opts.shard || opts.shard.index === 1 ? found.errors : [],
    reads,
  };
}

/** The local modules that two or more of the root modules to be evaluated reach through their calls. */
function sharedModules(tasks: readonly UnitTask[], calls: ReadonlyMap<string, readonly string[]>): string[] {
  const callers = new Map<string, number>();
  for (const task of tasks) {
    if (task.kind !== 'terraform') continue;
    const reached = new Set<string>([task.dir]);
    const queue = [task.dir];
    while (queue.length > 0) {
      for (const t of calls.get(queue.pop()!) ?? []) {
        if (reached.has(t)) continue;
        reached.add(t);
        queue.push(t);
        callers.set(t, (callers.get(t) ?? 0) + 1);
      }
    }
  }
  return [...callers].filter(([, n]) => n > 1).map(([dir]) => dir).sort();
}

/** What one thread keeps across the units it reads: the parses of the shared local modules. */
export function unitCache(settings: UnitSettings): SharedParses | undefined {
  return settings.sharedModules?.length ? { dirs: new Set(settings.sharedModules), parsed: new Map() } : undefined;
}

/** Read one unit: the front end's model, scoped; never throws. */
export async function scanUnit(task: UnitTask, settings: UnitSettings, shared?: SharedParses, reads?: ReadOnce): Promise<Model> {
  const maxBytes = settings.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (task.kind === 'terraform') {
    const terraform = { ...settings.terraform, scanRoot: task.scanRoot, maxFileBytes: settings.maxFileBytes, shared, reads };
    return withScope(await guard(task.files[0].path, () => scanTerraformModule(task.dir, task.files, terraform)), task.scope);
  }
  const { file } = task;
  const part = await guard(file.path, async () => {
    const read = await readSource(file, maxBytes);
    if (!task.owned && !(read.ok && read.text.includes('AWS::CloudFormation::Stack'))) return emptyModel();
    if (!read.ok) return { ...emptyModel(), errors: [read.error] };
    if (isTerraformPlan(file.path, read.text)) {
      // A plan found beside the .tf files it was made from would count every group twice; the
      // .tf files carry the same rules and lines. A plan named on the command line is always read.
      if (task.besideTerraform) {
        return { ...emptyModel(), notices: [{ file: file.path, message: 'Terraform plan JSON beside the .tf files it describes: scanned through the .tf files (name the plan file itself to scan it instead)' }] };
      }
      return scanTerraformPlan(file, read.text, settings.terraform ?? {});
    }
    // Nested stacks are read from disk as the parent is evaluated, never from outside the scanned root.
    const cloudformation = { ...settings.cloudformation, readFile: (f: SourceFile) => readSourceSync(f, maxBytes), root: task.root };
    return scanCloudFormationFile(file, read.text, cloudformation) ?? emptyModel();
  });
  return withScope(part, file.path);
}

/**
 * A unit read and judged by itself: what the scan needs of it to merge it with the others exactly as
 * if the whole model had been judged at once (src/pipeline/parallel.ts). Plain data only.
 */
export interface UnitResult {
  index: number;
  /** The files the front end read, as it listed them (a parent template lists its nested stacks). */
  files: string[];
  errors: ScanError[];
  notices: CoverageNotice[];
  /** The file of each group and of each rule. */
  groups: string[];
  rules: string[];
  /** What suppression and construct naming need of the model (src/pipeline/suppress.ts, cdk.ts). */
  itemFiles: string[];
  cloudFormationFiles: string[];
  quiet: string[];
  constructs: ConstructEntries;
  /** The reachability namespaces of the unit's model: no other unit may share one. */
  namespaces: string[];
  /** Judged (an owned unit): each check's findings as collected, and re-ranked where that changes them. */
  judged?: {
    findings: Finding[][];
    reranked: Array<Array<Finding | null>>;
    /** Per check: what it threw, when it did. */
    failures: Array<string | null>;
  };
}

/** Read and judge one unit. `catalog` is every check the caller knows; `checks` picks them by id. */
export async function analyseUnit(task: UnitTask, settings: UnitSettings, judging: UnitChecks | undefined, catalog: readonly Check[], shared?: SharedParses): Promise<UnitResult> {
  const part = await scanUnit(task, settings, shared);
  const sources = suppressionSources(part);
  const result: UnitResult = {
    index: task.index,
    files: part.files,
    errors: part.errors,
    notices: part.notices,
    groups: part.groups.map((g) => g.location.file),
    rules: part.rules.map((r) => r.location.file),
    itemFiles: [...sources.itemFiles],
    cloudFormationFiles: [...sources.cloudFormationFiles],
    quiet: [...(sources.quiet ?? [])],
    constructs: constructEntries(part),
    namespaces: [],
  };
  // Another shard's document is judged only when it nests templates: it may be a helper (its nested
  // template owned here, see includedUnits in scan.ts), which only all units' files together tell.
  if (!judging || (task.kind === 'document' && !task.owned && !part.files.some((f) => f !== task.file.path))) return result;
  // The model the checks see, as the whole scan's would be: files once each, sorted.
  const model: Model = { ...part, errors: [...part.errors], files: [...new Set(part.files)].sort() };
  const checks = judging.checks.map(({ id, severity }) => {
    const check = catalog.find((c) => c.meta.id === id);
    if (!check) throw new Error(`check ${id} is not in this thread's catalog`);
    return severity === check.meta.severity ? check : { ...check, meta: { ...check.meta, severity }, run: check.run.bind(check) };
  });
  const failures: Array<string | null> = checks.map(() => null);
  const findings = collectFindings(model, checks, {
    options: judging.options,
    fileIdentity: createFileIdentity(judging.cwd),
    onCheckError: (check, e) => (failures[checks.indexOf(check)] = e instanceof Error ? e.message : String(e)),
  });
  const reach = reachContext(model);
  // Re-ranking judges each finding by itself, so it can be done here for findings the merge may drop;
  // in one call, so the checks of one rule share their members' exposures.
  const flat = findings.flat();
  const ranked = rerank(flat, reach);
  let at = 0;
  const reranked = findings.map((list) =>
    list.map(() => {
      const f = ranked[at];
      return f === flat[at++] ? null : f;
    }),
  );
  result.namespaces = reach.parts.map((p) => p.root);
  result.judged = withRuleStubs(findings, reranked, failures);
  return result;
}

/**
 * Findings name the rule they are about (`exposes`, a path step's `rule`). After re-ranking only its
 * identity (folding matches a rule's finding with the exposures through it) and its direction are
 * read; the whole rule holds values that do not survive structured clone (a domain's `admits`), so it
 * crosses as a stub: one per rule, so identity survives the clone.
 */
function withRuleStubs(findings: Finding[][], reranked: Array<Array<Finding | null>>, failures: Array<string | null>): NonNullable<UnitResult['judged']> {
  const stubs = new Map<Rule, Rule>();
  const stub = (r: Rule): Rule => {
    let s = stubs.get(r);
    if (!s) stubs.set(r, (s = { id: r.id, group: r.group, direction: r.direction, resource: r.resource, location: r.location } as Rule));
    return s;
  };
  const strip = (f: Finding): Finding => {
    if (!f.exposes && !f.path?.some((s) => s.rule)) return f;
    const out = { ...f };
    if (f.exposes) out.exposes = stub(f.exposes);
    if (f.path) out.path = f.path.map((s) => (s.rule ? { ...s, rule: stub(s.rule) } : s));
    return out;
  };
  return { findings: findings.map((l) => l.map(strip)), reranked: reranked.map((l) => l.map((f) => f && strip(f))), failures };
}

/**
 * The scanned folder a file or module was found under (a file given directly: its folder). Each
 * input is looked at once; a file then climbs its own folders, so a scan of thousands of files named
 * on the command line does not stat every input for every file.
 */
function scannedRoots(inputs: ReadonlySet<string>, cwd: string): (abs: string) => string {
  const dirs = new Set<string>();
  for (const input of inputs) dirs.add(isDirectory(input) ? input : path.dirname(input));
  return (abs) => {
    // The nearest folder above (or at) abs is the longest input folder it lies in.
    for (let d = abs; ; d = path.dirname(d)) {
      // A folder ending in the separator (the file system root) holds only itself, as startsWith(dir + sep) said.
      if (dirs.has(d) && (d === abs || !d.endsWith(path.sep))) return d;
      if (path.dirname(d) === d) return cwd;
    }
  };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Bytes of a unit's own files, for balancing threads and deciding whether they pay off. */
function sizeOf(files: readonly SourceFile[]): number {
  let n = 0;
  for (const f of files) {
    try {
      n += statSync(f.abs).size;
    } catch {
      // unreadable: its unit reports it
    }
  }
  return n;
}

function isTerraformPlan(file: string, text: string): boolean {
  return path.extname(file) === '.json' && text.includes('"format_version"') && /"(planned_values|resource_changes)"/.test(text);
}

/** A front end must never take the scan down: anything it throws becomes an error for that file. */
async function guard(file: string, work: () => Promise<Model> | Model): Promise<Model> {
  try {
    return await work();
  } catch (e) {
    const m = emptyModel();
    m.errors.push({ file, message: `internal error while reading this file: ${e instanceof Error ? e.message : String(e)}` });
    return m;
  }
}
