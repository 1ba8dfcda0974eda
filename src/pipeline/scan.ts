import { statSync } from 'node:fs';
import path from 'node:path';
import { scanCloudFormationFile, type CloudFormationOptions } from '../input/cloudformation/index.js';
import { lineReader } from '../input/lines.js';
import { applyConfig, defaultConfig, type SgscanConfig } from '../config/index.js';
import { applySuppressions } from './suppress.js';
import { foldFindings } from './fold.js';
import { reachContext } from '../reach/exposure.js';
import { rerank } from './rerank.js';
import { runChecks } from './runner.js';
import { nameConstructs } from './cdk.js';
import type { Check } from '../model/check.js';
import { SEVERITIES } from '../model/check.js';
import { discover, displayPath } from '../input/discover.js';
import { DEFAULT_MAX_FILE_BYTES, readSource, readSourceSync } from '../input/read.js';
import type { SourceFile } from '../model/source-file.js';
import { createFileIdentity } from '../input/repo.js';
import { accountCoverage, type FoundFile } from '../input/coverage.js';
import { emptyModel, mergeModels, withScope, type Model } from '../model/model.js';
import type { ScanResult } from '../model/scan-result.js';
import { inShard, planDocumentShard, planTerraformShard, type Shard } from './shard.js';
import { localModuleCalls, rootModules, scanTerraformModule, scanTerraformPlan, type TerraformOptions } from '../input/terraform/index.js';
import { append } from '../model/arrays.js';

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
}

export async function buildModel(opts: ModelOptions): Promise<Model> {
  return (await buildWithDiscovery(opts)).model;
}

/** The model plus every file discovery found, for coverage accounting. */
async function buildWithDiscovery(opts: ModelOptions): Promise<{ model: Model; found: FoundFile[]; reports: (file: string) => boolean }> {
  const found = await discover(opts.paths, { cwd: opts.cwd, exclude: opts.exclude });
  const parts: Model[] = [];
  const errors = emptyModel();
  // Discovery errors belong to no unit: the first shard reports them, so shards never repeat them.
  if (!opts.shard || opts.shard.index === 1) append(errors.errors, found.errors);
  parts.push(errors);

  // A folder called as a local module by another folder of the scan is scanned through its callers.
  const calls = new Map<string, string[]>();
  // Unguarded, one hostile file here (e.g. nesting 10,000 deep) would take the whole scan down; the
  // module's own scan reports the file properly.
  for (const [dir, files] of found.terraformModules) calls.set(dir, await localModuleCalls(dir, files).catch(() => []));
  const dirs = rootModules(calls);
  const named = (abs: string) => displayPath(abs, opts.cwd);
  const plan = planTerraformShard(dirs.map(named), new Map([...calls].map(([d, ts]) => [named(d), ts.filter((t) => calls.has(t)).map(named)])), opts.shard);
  const evaluated = new Set([...plan.roots, ...plan.helpers]);
  const explicitInputs = new Set(opts.paths.map((p) => path.resolve(opts.cwd, p)));
  const scannedRoot = scannedRoots(explicitInputs, opts.cwd);
  let done = 0;
  const total = plan.roots.length + found.documents.length;
  const progress = (unit: string) => opts.onProgress?.(++done, total, unit);
  for (const dir of dirs) {
    const files = found.terraformModules.get(dir)!;
    const scope = named(dir);
    if (!evaluated.has(scope)) continue;
    const terraform = { ...opts.terraform, scanRoot: scannedRoot(dir), maxFileBytes: opts.maxFileBytes };
    parts.push(withScope(await guard(files[0].path, () => scanTerraformModule(dir, files, terraform)), scope));
    if (inShard(scope, opts.shard)) progress(scope);
  }
  const explicit = new Set(opts.paths.map((p) => path.resolve(opts.cwd, p)));
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const documents: Array<{ file: SourceFile; part: Model; owned: boolean }> = [];
  for (const file of found.documents) {
    // Another shard's template is still read when it has nested stacks: only then do we know which of
    // this shard's templates are its children, and so scanned there, not here.
    const owned = inShard(file.path, opts.shard);
    const part = await guard(file.path, async () => {
      const read = await readSource(file, maxBytes);
      if (!owned && !(read.ok && read.text.includes('AWS::CloudFormation::Stack'))) return emptyModel();
      if (!read.ok) return { ...emptyModel(), errors: [read.error] };
      if (isTerraformPlan(file.path, read.text)) {
        // A plan found beside the .tf files it was made from would count every group twice; the
        // .tf files carry the same rules and lines. A plan named on the command line is always read.
        if (found.terraformModules.has(path.dirname(file.abs)) && !explicit.has(file.abs)) {
          return { ...emptyModel(), notices: [{ file: file.path, message: 'Terraform plan JSON beside the .tf files it describes: scanned through the .tf files (name the plan file itself to scan it instead)' }] };
        }
        return scanTerraformPlan(file, read.text, opts.terraform ?? {});
      }
      // Nested stacks are read from disk as the parent is evaluated, never from outside the scanned root.
      const cloudformation = { ...opts.cloudformation, readFile: (f: SourceFile) => readSourceSync(f, maxBytes), root: scannedRoot(file.abs) };
      return scanCloudFormationFile(file, read.text, cloudformation) ?? emptyModel();
    });
    documents.push({ file, part: withScope(part, file.path), owned });
    if (owned) progress(file.path);
  }
  // A template scanned as a nested stack of another is not scanned again on its own (with defaults
  // instead of its parent's parameters, and with addresses that do not say where it is used).
  const children = new Set(documents.flatMap(({ file, part }) => part.files.filter((f) => f !== file.path)));
  const units = documents.filter(({ file }) => !children.has(file.path));
  // A template nested by documents of several shards is reported by one (as a shared local module).
  const nesting = planDocumentShard(units.map(({ file, part }) => ({ path: file.path, nested: part.files.filter((f) => f !== file.path) })), opts.shard);
  for (const { file, part, owned } of units) if (owned || nesting.helpers.has(file.path)) parts.push(part);
  const model = mergeModels(parts);
  model.files = [...new Set(model.files)].sort();
  let foundFiles: FoundFile[] = [
    ...[...found.terraformModules.values()].flat().map((f) => ({ path: f.path, kind: 'terraform' as const })),
    ...found.documents.map((f) => ({ path: f.path, kind: 'document' as const })),
  ];
  const reports = (file: string) => plan.reports(file) && nesting.reports(file);
  if (opts.shard) foundFiles = foundFiles.filter(shardCoverage(opts.shard, reports, new Set(model.files), children));
  return { model, found: foundFiles, reports };
}

export async function scan(opts: ScanOptions): Promise<{ model: Model; result: ScanResult }> {
  const { model, found, reports } = await buildWithDiscovery(opts);
  // Configuration picks the checks, their severities and options; explicit options win.
  // Without a configuration the recommended preset applies: strict-only checks stay off.
  const configured = applyConfig(opts.checks, opts.config ?? defaultConfig());
  const checks = configured.checks;
  const raw = runChecks(model, checks, {
    options: { ...configured.options, ...opts.checkOptions },
    fileIdentity: createFileIdentity(opts.cwd),
    onCheckError: (check, e) =>
      model.errors.push({
        file: '.',
        message: `internal error in check ${check.meta.id} (${check.meta.name}): ${e instanceof Error ? e.message : String(e)}; its findings are missing from this report`,
      }),
  });
  // Rule findings are judged by real exposure: "SSH open to the world, but not reachable" is lowered.
  const ranked = nameConstructs(rerank(raw, reachContext(model)), model);
  const { findings: judged, warnings } = applySuppressions(ranked, model, opts.config, {
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
  const result: ScanResult = {
    tool: { name: 'sgscan', version: opts.version },
    findings,
    errors,
    notices,
    files,
    checks,
    summary: {
      filesScanned: files.length,
      filesWithErrors: new Set(errors.map((e) => e.file)).size,
      groups: model.groups.filter((g) => reports(g.location.file)).length,
      rules: model.rules.filter((r) => reports(r.location.file)).length,
      findings: reported.length,
      suppressed: findings.length - reported.length,
      bySeverity,
      coverage: accountCoverage(found, files, errors, notices),
    },
  };
  return { model, result };
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
