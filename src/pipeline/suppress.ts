import path from 'node:path';
import type { Check, Finding, Suppression } from '../model/check.js';
import { matchGlob, matchPathGlob } from '../config/glob.js';
import { ruleResolver } from '../config/rule-ids.js';
import { defaultConfig, type SgscanConfig, type SuppressionEntry } from '../config/types.js';
import type { CoverageNotice, Model } from '../model/model.js';
import { parseCloudFormationDirectives } from '../input/cloudformation/suppressions.js';
import { directiveLines, parseTerraformDirectives } from '../input/terraform/suppressions.js';
import type { DirectiveProblem, RawDirective } from '../model/directive.js';
import { addTo } from '../model/arrays.js';

export interface SuppressOptions {
  /** Honour inline directives (false for --no-inline-suppressions); the config can turn them off too. */
  inline: boolean;
  /** Source lines of a scanned file (path as in findings), undefined when unreadable. */
  readLines: (file: string) => string[] | undefined;
  /** YYYY-MM-DD; suppressions that expired before this day are not applied. Injected for determinism. */
  today: string;
  /**
   * The checks that ran (default: all). Ids of checks that exist but did not run (disabled) are
   * neither unknown nor reported when they match nothing.
   */
  checks?: readonly Check[];
  /** Every check the caller knows, for resolving ids in directives (default: the checks that ran). */
  catalog?: readonly Check[];
  /**
   * Absolute folder the findings' paths are relative to. With it, a configuration path glob may also be
   * written relative to the configuration file's folder.
   */
  cwd?: string;
}

export interface SuppressResult {
  /** The same findings in the same order; suppressed ones are copies carrying `suppression`. */
  findings: Finding[];
  /** Malformed, unknown, unmatched and expired suppressions, each with file and line; sorted. */
  warnings: CoverageNotice[];
}

/** A directive with its rule ids checked, and which of them suppressed something. */
interface Directive {
  file: string;
  line: number;
  rules: string[];
  reason: string;
  /** How it is written, for messages: "sgscan:ignore" or "Metadata.sgscan.ignore". */
  label: string;
  used: Set<string>;
}

/**
 * Mark findings accepted by inline directives (Terraform comments, CloudFormation Metadata) or by the
 * configuration's `suppressions`. An inline directive wins over the configuration when both match.
 */
export function applySuppressions(
  findings: readonly Finding[],
  model: Model | SuppressionSources,
  config: SgscanConfig | undefined,
  opts: SuppressOptions,
): SuppressResult {
  const cfg = config ?? defaultConfig();
  const sources = 'itemFiles' in model ? model : suppressionSources(model);
  const ran = opts.checks ?? opts.catalog ?? [];
  const resolve = ruleResolver([...(opts.catalog ?? []), ...ran]);
  const ranIds = new Set(ran.map((c) => c.meta.id));
  const warnings: CoverageNotice[] = [];

  const inline = opts.inline && cfg.inlineSuppressions;
  // Each file is read once, whether for its directives or to place a finding.
  const linesCache = new Map<string, string[] | undefined>();
  const linesOf = (file: string) => {
    if (!linesCache.has(file)) linesCache.set(file, opts.readLines(file));
    return linesCache.get(file);
  };

  const terraform = new Map<string, Map<number, Directive[]>>(); // file → line → directives
  const cloudformation = new Map<string, Map<string, Directive[]>>(); // file → logical ID → directives
  const all: Directive[] = [];

  const check = (raw: RawDirective, label: string): Directive | undefined => {
    const rules: string[] = [];
    for (const r of raw.rules) {
      const id = resolve(r);
      if (id) rules.push(id);
      else warnings.push({ file: raw.file, line: raw.line, message: `${label} names unknown check "${r}" (\`sgscan rules\` lists them)` });
    }
    if (rules.length === 0) return undefined;
    const d: Directive = { file: raw.file, line: raw.line, rules: [...new Set(rules)], reason: raw.reason, label, used: new Set() };
    all.push(d);
    return d;
  };
  const problem = (p: DirectiveProblem) => warnings.push({ file: p.file, line: p.line, message: p.message });

  if (inline) {
    const quiet = new Set(sources.quiet);
    for (const file of sourceFiles(findings, sources, (f) => isTerraformFile(f) && !quiet.has(f))) {
      const lines = linesOf(file);
      if (!lines) continue;
      const parsed = parseTerraformDirectives(file, lines);
      parsed.problems.forEach(problem);
      const byLine = new Map<number, Directive[]>();
      for (const raw of parsed.directives) {
        const d = check(raw, 'sgscan:ignore');
        if (d) addTo(byLine, d.line, d);
      }
      terraform.set(file, byLine);
    }
    const cfnFiles = new Set(sources.cloudFormationFiles);
    for (const file of sourceFiles(findings, sources, (f) => cfnFiles.has(f) && !quiet.has(f))) {
      const lines = linesOf(file);
      if (!lines) continue;
      const parsed = parseCloudFormationDirectives(file, lines.join('\n'));
      parsed.problems.forEach(problem);
      const byResource = new Map<string, Directive[]>();
      for (const raw of parsed.directives) {
        const d = check(raw, 'Metadata.sgscan.ignore');
        if (d) addTo(byResource, raw.resource, d);
      }
      cloudformation.set(file, byResource);
    }
  }

  const active: { entry: SuppressionEntry; used: boolean }[] = [];
  for (const entry of cfg.suppressions) {
    if (entry.expires !== undefined && entry.expires < opts.today) {
      warnings.push({
        file: entry.file,
        line: entry.line,
        message: `suppression of ${describeEntry(entry)} expired on ${entry.expires} and is no longer applied`,
      });
    } else {
      active.push({ entry, used: false });
    }
  }

  const out = findings.map((f) => {
    let suppression: Suppression | undefined;
    for (const d of inline ? inlineCandidates(f, terraform, cloudformation, linesOf) : []) {
      if (!d.rules.includes(f.ruleId)) continue;
      d.used.add(f.ruleId);
      suppression ??= { kind: 'inline', reason: d.reason, file: d.file, line: d.line };
    }
    for (const a of active) {
      if (!entryMatches(a.entry, f, cfg, opts.cwd)) continue;
      a.used = true;
      suppression ??= {
        kind: 'config',
        reason: a.entry.reason,
        ...(a.entry.expires !== undefined ? { expires: a.entry.expires } : {}),
        file: a.entry.file,
        line: a.entry.line,
      };
    }
    return suppression && !f.suppression ? { ...f, suppression } : f;
  });

  for (const d of all) {
    for (const id of d.rules) {
      if (d.used.has(id) || !ranIds.has(id)) continue;
      warnings.push({ file: d.file, line: d.line, message: `${d.label} ${id} matched no finding; remove it if the finding is gone` });
    }
  }
  for (const a of active) {
    if (a.used || (a.entry.rule !== '*' && !ranIds.has(a.entry.rule))) continue;
    warnings.push({ file: a.entry.file, line: a.entry.line, message: `suppression of ${describeEntry(a.entry)} matched no finding` });
  }

  return { findings: out, warnings: sortNotices(warnings) };
}

/** Directives that could apply to the finding, closest first. */
function inlineCandidates(
  f: Finding,
  terraform: Map<string, Map<number, Directive[]>>,
  cloudformation: Map<string, Map<string, Directive[]>>,
  linesOf: (file: string) => string[] | undefined,
): Directive[] {
  const byLine = terraform.get(f.file);
  if (byLine) {
    if (byLine.size === 0) return [];
    const lines = linesOf(f.file);
    return lines ? directiveLines(lines, f.line, f.resource).flatMap((l) => byLine.get(l) ?? []) : [];
  }
  const byResource = cloudformation.get(f.file);
  if (byResource) {
    return logicalIds(f.resource).flatMap((id) => byResource.get(id) ?? []);
  }
  return [];
}

/** The logical ID a CloudFormation finding's resource names: itself, or the part before "/" or ".". */
function logicalIds(resource: string): string[] {
  const head = resource.split(/[/.]/)[0];
  return head && head !== resource ? [resource, head] : [resource];
}

function entryMatches(e: SuppressionEntry, f: Finding, cfg: SgscanConfig, cwd: string | undefined): boolean {
  if (e.rule !== '*' && e.rule !== f.ruleId) return false;
  if (e.resource !== undefined && !matchGlob(e.resource, f.resource, { paths: false })) return false;
  if (e.path !== undefined) {
    const candidates = [f.file];
    if (cfg.dir && cwd) {
      const rel = path.relative(cfg.dir, path.resolve(cwd, f.file)).split(path.sep).join('/');
      if (!rel.startsWith('..') && !path.isAbsolute(rel)) candidates.push(rel);
    }
    if (!candidates.some((p) => matchPathGlob(e.path!, p))) return false;
  }
  return true;
}

function describeEntry(e: SuppressionEntry): string {
  const parts = [e.rule === '*' ? 'every check' : e.rule];
  if (e.path !== undefined) parts.push(`path ${e.path}`);
  if (e.resource !== undefined) parts.push(`resource ${e.resource}`);
  return parts.join(', ');
}

/**
 * What suppression needs of the model: the files it read, the files its items are in, and which of
 * those the CloudFormation front end produced something from. A worker thread sends these, not the model.
 */
export interface SuppressionSources {
  files: readonly string[];
  /** Files whose text holds no directive (Model.quiet): not read again. */
  quiet?: readonly string[];
  itemFiles: readonly string[];
  cloudFormationFiles: readonly string[];
}

export function suppressionSources(model: Model): SuppressionSources {
  const items = new Set<string>();
  const cfn = new Set<string>();
  for (const x of model.groups) {
    items.add(x.location.file);
    if (x.format === 'cloudformation') cfn.add(x.location.file);
  }
  for (const r of model.rules) {
    items.add(r.location.file);
    if (r.resourceType.startsWith('AWS::')) cfn.add(r.location.file);
  }
  for (const x of model.resources) {
    items.add(x.location.file);
    if (x.format === 'cloudformation') cfn.add(x.location.file);
  }
  return { files: model.files, quiet: model.quiet ?? [], itemFiles: [...items], cloudFormationFiles: [...cfn] };
}

/** Files that findings point at or the model read, of one kind, sorted. */
function sourceFiles(findings: readonly Finding[], sources: SuppressionSources, keep: (file: string) => boolean): string[] {
  const files = new Set<string>([...sources.files, ...findings.map((f) => f.file), ...sources.itemFiles]);
  return [...files].filter(keep).sort();
}

function isTerraformFile(file: string): boolean {
  return file.endsWith('.tf');
}

function sortNotices(ns: CoverageNotice[]): CoverageNotice[] {
  const seen = new Set<string>();
  return [...ns]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)))
    .filter((n) => {
      const k = `${n.file}\u0000${n.line}\u0000${n.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}
