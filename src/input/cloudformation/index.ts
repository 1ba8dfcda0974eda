import path from 'node:path';
import type { ReadResult } from '../read.js';
import type { SourceFile } from '../../model/source-file.js';
import { type CoverageNotice, type Model, type Rule, type SecurityGroup, emptyModel, mergeModels } from '../../model/model.js';
import { mayHoldDirective } from '../../model/directive.js';
import { ResourceRef, Unknown, type Value } from '../../model/value.js';
import { type Branch, type Scoping, assumptionsFor, conditionFrom, enumerateBranches, makeContext, mergeBranchValues, parameterValues } from './branches.js';
import { expandForEach } from './foreach.js';
import { NO_VALUE, evaluate } from './intrinsics.js';
import { type ChildScan, type Nesting, type ScanChild, nestedStacks } from './nested.js';
import type { ParseWarning } from './parse-yaml.js';
import { ParseFailure, type PNode, child, scalarString } from './node.js';
import { outputResources } from './outputs.js';
import { isNetworkResource, networkResources } from './resources.js';
import { SG_TYPES, securityGroupsForBranch } from './security-groups.js';
import { type Template, isTemplate, mentionsCloudFormation, parseTemplateText, resourceType, stripBom, toTemplate } from './template.js';
import { append } from '../../model/arrays.js';

export interface CloudFormationOptions {
  /** `--parameter Key=Value`, in order. */
  parameters?: Array<[string, string]>;
  /**
   * Reads a nested stack's local template (TemplateURL `./child.yaml`), synchronously, with the same
   * guards as `readSource` (size, binary, UTF-8). Absent: local nested stacks get a notice instead.
   */
  readFile?: (file: SourceFile) => ReadResult;
  /** Absolute folder nested templates must stay inside (the scanned root); default: the template's folder. */
  root?: string;
}

const EXPANDED_TRANSFORMS = new Set(['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions']);

type Parsed = { root: PNode; warnings: ParseWarning[] } | { model: Model } | null;

/** Syntax only: a tree, a model holding the parse error, or null when the file is not a template. */
function parseFile(file: SourceFile, text: string): Parsed {
  const body = stripBom(text);
  const warnings: ParseWarning[] = [];
  let root: PNode;
  try {
    root = parseTemplateText(body, file.path, warnings);
  } catch (e) {
    if (!mentionsCloudFormation(body)) return null;
    const model = emptyModel();
    model.files.push(file.path);
    // Errors at the end of input point one past the last line; keep them on a real line.
    const lastLine = body.split('\n').length - (body.endsWith('\n') ? 1 : 0);
    const line = e instanceof ParseFailure && e.line !== undefined ? Math.max(1, Math.min(e.line, lastLine)) : undefined;
    // never the engine's own words for a stack overflow
    const message = e instanceof RangeError ? 'nested too deeply to parse' : e instanceof Error ? e.message : String(e);
    model.errors.push({ file: file.path, ...(line !== undefined ? { line } : {}), message });
    return { model };
  }
  return isTemplate(root) ? { root, warnings } : null;
}

/**
 * Scan one YAML/JSON file. Returns null when it is not a CloudFormation template (workflows,
 * manifests, package files are skipped silently). Never throws.
 */
export function scanCloudFormationFile(file: SourceFile, text: string, options: CloudFormationOptions = {}): Model | null {
  const nesting: Nesting = { prefix: '', via: [], ancestors: [path.resolve(file.abs)], root: path.resolve(options.root ?? path.dirname(file.abs)), readFile: options.readFile };
  const result = scanFile(file, text, new Map(options.parameters ?? []), nesting);
  return result && result.model;
}

/** One template file at any nesting depth; `given` are its parameter values (command line or parent). */
function scanFile(file: SourceFile, text: string, given: Map<string, Value>, nesting: Nesting): ChildScan | { model: Model } | null {
  const result = scanText(file, text, given, nesting);
  // Suppression reads a template again only for its directives: none here.
  if (result && !mayHoldDirective(text)) (result.model.quiet ??= []).push(file.path);
  return result;
}

function scanText(file: SourceFile, text: string, given: Map<string, Value>, nesting: Nesting): ChildScan | { model: Model } | null {
  const parsed = parseFile(file, text);
  if (parsed === null || 'model' in parsed) return parsed;
  try {
    const scanned = scanTemplate(parsed.root, file, given, nesting);
    scanned.model.notices = [...parsed.warnings.map((w) => ({ file: file.path, line: w.line, message: w.message })), ...scanned.model.notices];
    return scanned;
  } catch (e) {
    // A bug here must not stop the scan of other files.
    const model = emptyModel();
    model.files.push(file.path);
    model.errors.push({ file: file.path, message: `internal error while scanning the template: ${e instanceof Error ? e.message : String(e)}` });
    return { model };
  }
}

const scanChild: ScanChild = (file, text, given, nesting) => {
  const result = scanFile(file, text, given, nesting);
  if (result === null) return { model: { ...emptyModel(), files: [file.path] } };
  return result;
};

function scanTemplate(parsedRoot: PNode, source: SourceFile, given: Map<string, Value>, nesting: Nesting): ChildScan {
  const file = source.path;
  const written = toTemplate(parsedRoot);
  const model = emptyModel();
  model.files.push(file);
  // A value the parent cannot know yet leaves a parameter with AllowedValues to its choices.
  const overrides = new Map([...given].filter(([name, v]) => !(v instanceof Unknown && nesting.prefix && child(written.parameters.get(name)?.value, 'AllowedValues'))));

  // Nested stacks are scanned when first needed: a rule may name a child's output.
  const scoping: Scoping = { prefix: nesting.prefix, stackOutput: (stack, output) => nested.scan(stack)?.output(output), choiceNames: nesting.choiceNames };
  // Fn::ForEach loops are expanded first, with parameters at their given or default values.
  const loops = expandForEach(parsedRoot, makeContext(written, parameterValues(written, overrides), new Map(), scoping), file);
  const root = loops.root;
  const template = root === parsedRoot ? written : toTemplate(root);
  const nested = nestedStacks(template, source, nesting, overrides, scoping, scanChild);

  const sgResources = [...template.resources.values()].filter((r) => SG_TYPES.has(resourceType(r) ?? ''));
  const { branches, capped } = enumerateBranches(template, overrides, sgResources.map((r) => r.value), scoping);
  if (capped) model.notices.push({ file, message: capped });
  const results = branches.map((b) => ({ branch: b, result: securityGroupsForBranch(template.resources, file, b.ctx, nesting.via) }));
  const groups = new Map<string, { group: SecurityGroup; present: Branch[] }>();
  // Variants of one written rule (from different branches), by id in first-seen order: each variant
  // is a distinct rule body. A branch yields each id once, so the body is compared (serialized) only
  // when a second branch yields the same id: a one-branch template serializes nothing.
  const rulesById = new Map<string, Array<{ rule: Rule; present: Branch[]; key?: string }>>();
  const notices: CoverageNotice[] = [...loops.notices];
  for (const { branch, result } of results) {
    for (const g of result.groups) {
      const seen = groups.get(g.address);
      if (seen) seen.present.push(branch);
      else groups.set(g.address, { group: g, present: [branch] });
    }
    for (const r of result.rules) {
      const variants = rulesById.get(r.id);
      if (!variants) {
        rulesById.set(r.id, [{ rule: r, present: [branch] }]);
        continue;
      }
      const key = ruleKey(r);
      const seen = variants.find((v) => (v.key ??= ruleKey(v.rule)) === key);
      if (seen) seen.present.push(branch);
      else variants.push({ rule: r, present: [branch], key });
    }
    append(notices, result.notices);
  }
  for (const { group, present } of groups.values()) {
    const assumptions = assumptionsFor(present, branches);
    if (assumptions) group.condition = conditionFrom(group.condition, assumptions);
    model.groups.push(group);
  }
  const idCount = new Map<string, number>();
  // Variants of one written rule stay together, in source order.
  for (const { rule, present } of [...rulesById.values()].flat()) {
    // Several branches can turn one written rule into different rules; keep ids unique.
    const n = idCount.get(rule.id) ?? 0;
    idCount.set(rule.id, n + 1);
    if (n > 0) rule.id = `${rule.id}~${n}`;
    const assumptions = assumptionsFor(present, branches);
    if (assumptions) {
      rule.assumptions = assumptions;
      rule.condition = conditionFrom(rule.condition, assumptions);
    }
    model.rules.push(rule);
  }

  const networkEntries = [...template.resources].filter(([, r]) => isNetworkResource(r));
  const network = enumerateBranches(template, overrides, networkEntries.map(([, r]) => r.value), scoping);
  if (network.capped && network.capped !== capped) notices.push({ file, message: network.capped });
  append(model.resources, networkResources(template, file, network.branches, nesting.via, networkEntries));
  append(model.resources, outputResources(template, file, nesting.via));
  const children = nested.all();
  append(notices, children.notices);
  append(notices, transformNotices(root, file));
  const seenNotices = new Set<string>();
  for (const n of notices) {
    const k = `${n.line ?? ''}|${n.message}`;
    if (!seenNotices.has(k)) {
      seenNotices.add(k);
      model.notices.push(n);
    }
  }
  const all = mergeModels([model, ...children.models]);
  return { model: all, output: (name) => outputValue(template, name, overrides, scoping) };
}

/** A template output's value, merged over the choices it depends on. */
function outputValue(template: Template, name: string, overrides: Map<string, Value>, scoping: Scoping): Value | undefined {
  const node = child(child(child(template.root, 'Outputs'), name), 'Value');
  if (!node) return undefined;
  const { branches } = enumerateBranches(template, overrides, [node], scoping);
  return mergeBranchValues(
    `output ${scoping.prefix}${name}`,
    branches.map((b) => {
      const v = evaluate(node, b.ctx);
      return { branch: b, value: v === NO_VALUE ? undefined : v };
    }),
  );
}

function ruleKey(r: Rule): string {
  const { assumptions: _a, condition: _c, ...rest } = r;
  return JSON.stringify(rest, (_k, v: unknown) => {
    if (v instanceof Unknown) return `unknown:${v.toString()}`;
    if (v instanceof ResourceRef) return `ref:${v.toString()}`;
    return v;
  });
}

function transformNotices(root: PNode, file: string): CoverageNotice[] {
  const node = child(root, 'Transform');
  if (!node) return [];
  const names = node.kind === 'seq' ? node.items.map((i) => scalarString(i) ?? scalarString(child(i, 'Name'))) : [scalarString(node) ?? scalarString(child(node, 'Name'))];
  return names
    .filter((n) => n === undefined || !EXPANDED_TRANSFORMS.has(n))
    .map((n) => ({ file, line: node.line, message: `Transform ${n ?? '(not static)'} is not expanded; resources it would add are not scanned` }));
}
