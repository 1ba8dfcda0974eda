import type { SourceFile } from '../load/source-file.js';
import { type CoverageNotice, type Model, type Rule, type SecurityGroup, emptyModel } from '../model/model.js';
import { ResourceRef, Unknown } from '../model/value.js';
import { type Branch, assumptionsFor, enumerateBranches, makeContext, parameterValues } from './branches.js';
import type { ParseWarning } from './parse-yaml.js';
import { ParseFailure, type PNode, child, scalarString } from './node.js';
import { networkResources } from './resources.js';
import { SG_TYPES, securityGroupsForBranch } from './security-groups.js';
import { isTemplate, mentionsCloudFormation, parseTemplateText, resourceType, stripBom, toTemplate } from './template.js';

export interface CloudFormationOptions {
  /** `--parameter Key=Value`, in order. */
  parameters?: Array<[string, string]>;
}

const EXPANDED_TRANSFORMS = new Set(['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions']);

/**
 * Scan one YAML/JSON file. Returns null when it is not a CloudFormation template (workflows,
 * manifests, package files are skipped silently). Never throws.
 */
export function scanCloudFormationFile(file: SourceFile, text: string, options: CloudFormationOptions = {}): Model | null {
  const body = stripBom(text);
  let root: PNode;
  const warnings: ParseWarning[] = [];
  try {
    root = parseTemplateText(body, file.path, warnings);
  } catch (e) {
    if (!mentionsCloudFormation(body)) return null;
    const model = emptyModel();
    model.files.push(file.path);
    // Errors at the end of input point one past the last line; keep them on a real line.
    const lastLine = body.split('\n').length - (body.endsWith('\n') ? 1 : 0);
    const line = e instanceof ParseFailure && e.line !== undefined ? Math.max(1, Math.min(e.line, lastLine)) : undefined;
    model.errors.push({ file: file.path, ...(line !== undefined ? { line } : {}), message: e instanceof Error ? e.message : String(e) });
    return model;
  }
  if (!isTemplate(root)) return null;
  try {
    const model = scanTemplate(root, file.path, options);
    model.notices.unshift(...warnings.map((w) => ({ file: file.path, line: w.line, message: w.message })));
    return model;
  } catch (e) {
    // A bug here must not stop the scan of other files.
    const model = emptyModel();
    model.files.push(file.path);
    model.errors.push({ file: file.path, message: `internal error while scanning the template: ${e instanceof Error ? e.message : String(e)}` });
    return model;
  }
}

function scanTemplate(root: PNode, file: string, options: CloudFormationOptions): Model {
  const template = toTemplate(root);
  const overrides = new Map(options.parameters ?? []);
  const model = emptyModel();
  model.files.push(file);

  const sgResources = [...template.resources.values()].filter((r) => SG_TYPES.has(resourceType(r) ?? ''));
  const { branches, capped } = enumerateBranches(template, overrides, sgResources.map((r) => r.value));
  if (capped) model.notices.push({ file, message: capped });
  const results = branches.map((b) => ({ branch: b, result: securityGroupsForBranch(template.resources, file, b.ctx) }));

  const groups = new Map<string, { group: SecurityGroup; present: Branch[] }>();
  const rules = new Map<string, { rule: Rule; present: Branch[] }>();
  const notices: CoverageNotice[] = [];
  for (const { branch, result } of results) {
    for (const g of result.groups) {
      const seen = groups.get(g.address);
      if (seen) seen.present.push(branch);
      else groups.set(g.address, { group: g, present: [branch] });
    }
    for (const r of result.rules) {
      const key = ruleKey(r);
      const seen = rules.get(key);
      if (seen) seen.present.push(branch);
      else rules.set(key, { rule: r, present: [branch] });
    }
    notices.push(...result.notices);
  }
  for (const { group, present } of groups.values()) {
    const assumptions = assumptionsFor(present, branches);
    if (assumptions) group.condition = conditionFrom(group.condition, assumptions);
    model.groups.push(group);
  }
  const idCount = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  for (const { rule } of rules.values()) if (!firstSeen.has(rule.id)) firstSeen.set(rule.id, firstSeen.size);
  // Variants of one written rule (from different branches) stay together, in source order.
  const ordered = [...rules.values()].map((r, i) => ({ ...r, i })).sort((a, b) => (firstSeen.get(a.rule.id) ?? 0) - (firstSeen.get(b.rule.id) ?? 0) || a.i - b.i);
  for (const { rule, present } of ordered) {
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

  const base = makeContext(template, parameterValues(template, overrides));
  const network = networkResources(template, file, base);
  model.resources.push(...network.resources);
  notices.push(...network.notices);
  notices.push(...transformNotices(root, file));
  const seenNotices = new Set<string>();
  for (const n of notices) {
    const k = `${n.line ?? ''}|${n.message}`;
    if (!seenNotices.has(k)) {
      seenNotices.add(k);
      model.notices.push(n);
    }
  }
  return model;
}

function conditionFrom(existing: Unknown | undefined, assumptions: string[]): Unknown {
  const own = new Unknown(`only when ${assumptions.join(' and ')}`);
  return existing ? Unknown.merge(own, existing) : own;
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
