import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Check, Severity } from '../model/check.js';
import { SEVERITIES, severityRank } from '../model/check.js';
import type { ScanResult } from '../model/scan-result.js';
import { defaultConfig, findConfigFile, loadConfig, pathExcluder, ruleResolver, type Preset, type SgscanConfig } from '../config/index.js';
import { activeNew, type FindingsDiff } from '../pipeline/diff/diff.js';
import type { ScanOptions } from '../pipeline/scan.js';
import type { Shard } from '../pipeline/shard.js';
import { VERSION } from '../version.js';
import { readParameterFile } from './parameter-files.js';
import { append } from '../model/arrays.js';

// The one way from what a user asked for (CLI flags, or the Action's inputs) to ScanOptions, and from
// a scan's result to an exit code. Both drivers go through here so that the same repository gives the
// same findings, suppressions and exit code whichever of them runs it.

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
/** A usage error, a broken configuration, a missing input, or nothing to scan. */
export const EXIT_USAGE = 2;

export interface ScanRequest {
  /** As written, relative to cwd; default ["."]. */
  paths: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  /** The catalog (rules/index.ts): src/ below the drivers never imports rules/. */
  checks: readonly Check[];
  /** An explicit configuration file (--config, input `config`); otherwise .sgscan.yml is looked for. */
  config?: string;
  /** --preset: wins over the configuration's `extends`, as a flag over a file setting. */
  preset?: Preset;
  /** --var-file and --var in the order given (file names as written). */
  varArgs?: Array<{ kind: 'file' | 'var'; value: string }>;
  /** --parameter Key=Value, in order, applied after the parameter files. */
  parameters?: Array<[string, string]>;
  /** --parameter-file / input `parameter-files`, as written. */
  parameterFiles?: string[];
  inlineSuppressions?: boolean;
  /** --check: only these checks (ids or names; each item may be a comma list). */
  onlyChecks?: string[];
  /** --skip-check: never these. */
  skipChecks?: string[];
  /** --skip-path: globs relative to cwd, files or folders left out of the walk. */
  skipPaths?: string[];
  /** Honour .gitignore files (default true; --no-gitignore, or `gitignore: false` in the configuration). */
  gitignore?: boolean;
  allowOutsideRoot?: boolean;
  maxFileBytes?: number;
  shard?: Shard;
}

/** A problem with the request itself: the scan does not start. */
export interface SetupError {
  /** The file the problem is in, relative to cwd (a configuration line), when there is one. */
  file?: string;
  line?: number;
  message: string;
}

export type ScanSetup =
  | { ok: true; options: ScanOptions; config?: SgscanConfig; configFile?: string }
  | { ok: false; errors: SetupError[] };

/** Checks every path and file named, finds and loads the configuration; never throws. */
export function buildScanSetup(req: ScanRequest): ScanSetup {
  const paths = req.paths.length ? req.paths : ['.'];
  const rel = (abs: string) => relativePath(abs, req.cwd);
  const varFiles = (req.varArgs ?? []).filter((a) => a.kind === 'file').map((a) => a.value);
  const errors = missingInputs(req.cwd, paths, varFiles, req.parameterFiles ?? []);
  const varArgs = (req.varArgs ?? []).map((a) => (a.kind === 'file' ? { kind: 'file' as const, value: path.resolve(req.cwd, a.value) } : a));
  const parameters: Array<[string, string]> = [];
  for (const file of req.parameterFiles ?? []) {
    const abs = path.resolve(req.cwd, file);
    if (!isFile(abs)) continue;
    const read = readParameterFile(abs, file);
    if (read.error) errors.push({ file, message: read.error });
    append(parameters, read.parameters);
  }
  append(parameters, req.parameters ?? []);

  // A broken configuration is an error in both drivers: a central policy must never be half-applied.
  let config: SgscanConfig | undefined;
  const configFile = req.config ? path.resolve(req.cwd, req.config) : findConfigFile(path.resolve(req.cwd, paths[0]));
  if (req.config && !isFile(configFile!)) {
    errors.push({ message: `configuration file ${req.config} not found` });
  } else if (configFile) {
    const loaded = loadConfig(configFile, { checks: req.checks });
    for (const e of loaded.errors) errors.push({ file: rel(e.file), line: e.line, message: e.message });
    // Findings on the configuration itself (an intent that selects nothing) use the same relative
    // paths as every other finding.
    config = { ...loaded.config, intents: loaded.config.intents?.map((i) => ({ ...i, file: rel(i.file) })) };
  }
  if (req.preset) config = { ...(config ?? defaultConfig()), preset: req.preset };
  const checks = selectChecks(req.checks, req.onlyChecks ?? [], req.skipChecks ?? [], errors);
  if (errors.length) return { ok: false, errors };

  const gitignore = req.gitignore !== false && config?.gitignore !== false;
  const exclude = pathExcluder({
    cwd: req.cwd,
    skipPaths: req.skipPaths,
    configExclude: config?.exclude && config.dir ? { dir: config.dir, globs: config.exclude } : undefined,
    gitignoreRoot: gitignore ? (repositoryRoot(path.resolve(req.cwd, paths[0])) ?? req.cwd) : undefined,
  });

  const options: ScanOptions = {
    paths,
    cwd: req.cwd,
    version: VERSION,
    checks,
    config,
    inlineSuppressions: req.inlineSuppressions ?? true,
    terraform: {
      varArgs,
      env: req.env,
      allowOutsideRoot: req.allowOutsideRoot,
    },
    cloudformation: { parameters },
    maxFileBytes: req.maxFileBytes,
    shard: req.shard,
    exclude,
  };
  return { ok: true, options, config, configFile };
}

/** Comma lists of ids or names, as the flags take them. */
export function splitList(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** --check and --skip-check applied to the catalog; an unknown id or name is an error naming it. */
function selectChecks(all: readonly Check[], only: readonly string[], skip: readonly string[], errors: SetupError[]): readonly Check[] {
  if (only.length === 0 && skip.length === 0) return all;
  const resolve = ruleResolver(all);
  const ids = (flag: string, values: readonly string[]) =>
    new Set(
      splitList(values).flatMap((v) => {
        const id = resolve(v);
        if (!id) errors.push({ message: `${flag} ${v}: unknown check (\`sgscan rules\` lists them)` });
        return id ? [id] : [];
      }),
    );
  const keep = ids('--check', only);
  const drop = ids('--skip-check', skip);
  return all.filter((c) => (only.length === 0 || keep.has(c.meta.id)) && !drop.has(c.meta.id));
}

/** Paths, variable files and parameter files that do not exist, each named as written (scan, reach, graph). */
export function missingInputs(cwd: string, paths: readonly string[], varFiles: readonly string[], parameterFiles: readonly string[]): SetupError[] {
  return [
    ...paths.filter((p) => !existsSync(path.resolve(cwd, p))).map((p) => ({ message: `${p}: no such file or folder` })),
    ...varFiles.filter((f) => !isFile(path.resolve(cwd, f))).map((f) => ({ message: `variable file ${f} not found` })),
    ...parameterFiles.filter((f) => !isFile(path.resolve(cwd, f))).map((f) => ({ message: `parameter file ${f} not found` })),
  ];
}

/** One line per error, `FILE:LINE: message` when it has a place. */
export function describeSetupError(e: SetupError): string {
  return e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}` : e.message;
}

export interface ExitRules {
  failOn: Severity | 'none';
  /** Exit 2 when anything was not fully understood. */
  strict?: boolean;
  shard?: Shard;
  /** The paths as written, for the "nothing found" message. */
  paths: string[];
}

export interface ExitDecision {
  code: number;
  /** Why, when the code is not simply the findings' verdict. */
  message?: string;
  /** The unsuppressed findings (new ones in diff mode) at or above fail-on. */
  failing: number;
}

/** The exit code of a scan, the same for the CLI and the Action. */
export function decideExit(result: ScanResult, diff: FindingsDiff | undefined, rules: ExitRules): ExitDecision {
  // A shard may own no unit at all (few units, many shards): that is not a usage error in a CI matrix.
  if (result.summary.filesScanned === 0 && rules.shard && rules.shard.count > 1 && result.errors.length === 0) {
    return { code: EXIT_OK, failing: 0, message: `shard ${rules.shard.index}/${rules.shard.count} holds no root module or template of ${rules.paths.join(', ')}` };
  }
  if (result.summary.filesScanned === 0) {
    return {
      code: EXIT_USAGE,
      failing: 0,
      message: result.errors.length ? 'nothing could be scanned (see the errors above)' : nothingFoundMessage(rules.paths),
    };
  }
  // --strict: a scan that did not understand everything it was given is not a pass.
  if (rules.strict && (result.errors.length > 0 || result.notices.length > 0)) {
    return { code: EXIT_USAGE, failing: 0, message: `--strict: ${result.errors.length} error(s) and ${result.notices.length} notice(s) (see the report)` };
  }
  if (rules.failOn === 'none') return { code: EXIT_OK, failing: 0 };
  const threshold = severityRank(rules.failOn);
  const judged = diff ? activeNew(diff) : result.findings.filter((f) => !f.suppression);
  const failing = judged.filter((f) => severityRank(f.severity) <= threshold).length;
  return { code: failing > 0 ? EXIT_FINDINGS : EXIT_OK, failing };
}

export function nothingFoundMessage(paths: readonly string[]): string {
  return `no Terraform or CloudFormation found in ${paths.join(', ')}`;
}

export function relativePath(file: string, cwd: string): string {
  return path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join('/');
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The repository root: the nearest folder from `dir` upward holding a `.git` entry (a folder, or the
 * file a worktree or submodule has; git is never executed), else undefined.
 */
export function repositoryRoot(dir: string): string | undefined {
  let d = path.resolve(dir);
  for (;;) {
    if (existsSync(path.join(d, '.git'))) return d;
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

/**
 * The path from the root report URIs are relative to (SARIF, GitLab) to the working folder, whose
 * relative paths the findings carry: `root` when given (--sarif-root), else the repository root, else
 * the working folder itself (""). "infra/" when scanning from infra/ of a repository.
 */
export function reportPathPrefix(cwd: string, root?: string): string {
  const base = root !== undefined ? path.resolve(cwd, root) : (repositoryRoot(cwd) ?? cwd);
  const rel = path.relative(base, path.resolve(cwd)).split(path.sep).join('/');
  return rel === '' ? '' : `${rel}/`;
}

/** --severity: the levels asked for (comma lists), or an error naming the bad one. */
export function parseSeverities(values: readonly string[]): { levels?: Set<Severity>; error?: string } {
  const items = splitList(values).map((v) => v.toLowerCase());
  if (items.length === 0) return {};
  const bad = items.find((v) => !(SEVERITIES as readonly string[]).includes(v));
  if (bad) return { error: `--severity ${bad}: expected ${SEVERITIES.join(', ')} (comma-separated)` };
  return { levels: new Set(items as Severity[]) };
}

/**
 * Only the findings of the given levels, in the result and its diff: what --severity hides is neither
 * reported nor judged by --fail-on, as with Trivy's --severity. The summary's counts stay the scan's.
 */
export function keepSeverities(result: ScanResult, diff: FindingsDiff | undefined, levels: ReadonlySet<Severity> | undefined): { result: ScanResult; diff?: FindingsDiff } {
  if (!levels) return { result, diff };
  const keep = <T extends { severity: Severity }>(fs: readonly T[]) => fs.filter((f) => levels.has(f.severity));
  return {
    result: { ...result, findings: keep(result.findings) },
    diff: diff && { ...diff, new: keep(diff.new), unchanged: keep(diff.unchanged), fixed: keep(diff.fixed) },
  };
}

/** --quiet: only the findings that fail the run (unsuppressed, at or above --fail-on). */
export function failingOnly(result: ScanResult, failOn: Severity | 'none'): ScanResult {
  if (failOn === 'none') return { ...result, findings: [] };
  const threshold = severityRank(failOn);
  return { ...result, findings: result.findings.filter((f) => !f.suppression && severityRank(f.severity) <= threshold) };
}
