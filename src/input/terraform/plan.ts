import path from 'node:path';
import { readdirSync } from 'node:fs';
import type { SourceFile } from '../../model/source-file.js';
import { type SourceLocation, at } from '../../model/location.js';
import { type Model, type Rule, emptyModel } from '../../model/model.js';
import { parseProtocol } from '../../model/protocol.js';
import { ResourceRef, Unknown, type Value } from '../../model/value.js';
import { isExpressionString } from './eval/index.js';
import type { TerraformOptions } from './options.js';
import { type BodyPos, type JsonNode, JsonPositionError, blocksOf, scanJsonPositions } from './locate.js';
import { type RawBody, isRecord, loadFile } from './load.js';
import type { EvalBlock, EvalBody } from './module.js';
import { dynamicKnownAtPlan, instancesOf, listFromSource } from './plan-source.js';
import { buildNetworkResource, isNetworkResource, outputResource } from './resources.js';
import { GROUP_TYPES, type InstanceInfo, RULE_TYPES, buildGroup, buildStandaloneRules, markMixedRules } from './security-groups.js';
import { type Decl, declarations, readInstalledModules } from './tree.js';
import { append } from '../../model/arrays.js';

// Terraform plan JSON (`terraform show -json PLANFILE`, also state JSON) as an input. The plan holds
// Terraform's own evaluation: planned values per resource instance, `after_unknown` for what is known
// only after apply, and the configuration's expressions (which name the resources a value refers to).
// It is turned into the same model as the .tf files give: same addresses, same rules, same peers.
// Plans carry no line numbers, so lines come from the .tf files of each module folder when they are
// beside the plan, otherwise from the plan JSON itself.

/** What the plan's `configuration` says about one module. */
interface ModuleConfig {
  resources: Map<string, { expressions: Record<string, unknown>; forEach?: string[] }>;
  calls: Map<string, ModuleCallConfig>;
  outputs: Record<string, string[] | undefined>;
}

interface ModuleCallConfig {
  source?: string;
  module: ModuleConfig;
  node?: JsonNode;
}

/** The .tf declarations of one module folder, when the folder is there. */
interface Folder {
  display: string;
  resources: Map<string, Decl>;
  modules: Map<string, Decl>;
  /** Raw `locals` expressions, by name. */
  locals: Map<string, unknown>;
}

interface PlanContext {
  planFile: SourceFile;
  model: Model;
  changes: Map<string, { actions: string[]; afterUnknown: unknown }>;
  folders: Map<string, Promise<Folder | undefined>>;
  installed: Array<{ Key: string; Dir: string }>;
  rootAbs: string;
  rootDisplay: string;
  rootConfig: ModuleConfig;
  rootConfigNode?: JsonNode;
  /** Every managed resource instance address in the planned values. */
  planned: Set<string>;
  /** .tf files whose lines were used. */
  used: Set<string>;
}

/**
 * Scan one Terraform plan (or state) JSON file. Never throws: an unreadable file becomes an error.
 * Options are accepted for symmetry with scanTerraformModule; the plan already holds every value.
 */
export async function scanTerraformPlan(file: SourceFile, text: string, _options: TerraformOptions = {}): Promise<Model> {
  try {
    return await scanPlan(file, text);
  } catch (e) {
    const model = emptyModel();
    model.files.push(file.path);
    model.errors.push({ file: file.path, message: `internal error while reading the Terraform plan: ${(e as Error)?.message ?? String(e)}` });
    return model;
  }
}

async function scanPlan(file: SourceFile, rawText: string): Promise<Model> {
  const model = emptyModel();
  model.files.push(file.path);
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  let root: JsonNode;
  let plan: unknown;
  try {
    root = scanJsonPositions(text);
    plan = JSON.parse(text);
  } catch (e) {
    model.errors.push({ file: file.path, line: e instanceof JsonPositionError ? e.line : undefined, message: `invalid JSON: ${(e as Error).message}` });
    return model;
  }
  if (!isRecord(plan)) {
    model.errors.push({ file: file.path, line: 1, message: 'expected a JSON object at the top level' });
    return model;
  }
  const version = plan.format_version;
  if (typeof version !== 'string' || !/^[01]\./.test(version)) {
    model.notices.push({ file: file.path, line: member(root, 'format_version')?.line, message: `Terraform JSON format_version ${JSON.stringify(version ?? null)} is not 0.x or 1.x; read as far as it matches` });
  }
  // A plan has planned_values; `terraform show -json` of a state has values.
  const valuesKey = isRecord(plan.planned_values) ? 'planned_values' : isRecord(plan.values) ? 'values' : undefined;
  const rootModule = valuesKey ? (plan[valuesKey] as Record<string, unknown>).root_module : undefined;
  if (!valuesKey || !isRecord(rootModule)) {
    model.notices.push({ file: file.path, line: 1, message: 'Terraform plan JSON has no planned_values.root_module: nothing planned to scan' });
    return model;
  }
  const configNode = member(member(root, 'configuration'), 'root_module');
  const ctx: PlanContext = {
    planFile: file,
    model,
    changes: resourceChanges(plan.resource_changes),
    folders: new Map(),
    installed: await readInstalledModules(path.dirname(file.abs)),
    rootAbs: path.dirname(file.abs),
    rootDisplay: path.posix.dirname(file.path.replace(/\\/g, '/')),
    rootConfig: moduleConfig(isRecord(plan.configuration) ? plan.configuration.root_module : undefined, configNode),
    rootConfigNode: configNode,
    planned: plannedAddresses(rootModule),
    used: new Set(),
  };
  await walkModule(ctx, rootModule, member(member(root, valuesKey), 'root_module'));
  exportedGroups(ctx);

  for (const g of model.groups) g.format = 'terraform-plan';
  for (const r of model.resources) r.format = 'terraform-plan';
  markMixedRules(model);
  append(model.files, [...ctx.used].sort());
  return model;
}

function plannedAddresses(root: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  const walk = (mod: unknown): void => {
    if (!isRecord(mod)) return;
    for (const r of Array.isArray(mod.resources) ? mod.resources : []) if (isRecord(r) && r.mode === 'managed' && typeof r.address === 'string') out.add(r.address);
    for (const c of Array.isArray(mod.child_modules) ? mod.child_modules : []) walk(c);
  };
  walk(root);
  return out;
}

function resourceChanges(raw: unknown): PlanContext['changes'] {
  const out: PlanContext['changes'] = new Map();
  if (!Array.isArray(raw)) return out;
  for (const rc of raw) {
    if (!isRecord(rc) || typeof rc.address !== 'string' || !isRecord(rc.change)) continue;
    const actions = Array.isArray(rc.change.actions) ? rc.change.actions.map(String) : [];
    out.set(rc.address, { actions, afterUnknown: rc.change.after_unknown });
  }
  return out;
}

function moduleConfig(raw: unknown, node: JsonNode | undefined): ModuleConfig {
  const cfg: ModuleConfig = { resources: new Map(), calls: new Map(), outputs: {} };
  if (!isRecord(raw)) return cfg;
  for (const r of Array.isArray(raw.resources) ? raw.resources : []) {
    if (isRecord(r) && typeof r.address === 'string') {
      cfg.resources.set(r.address, { expressions: isRecord(r.expressions) ? r.expressions : {}, forEach: references(r.for_each_expression) });
    }
  }
  const callsNode = member(node, 'module_calls');
  for (const [name, c] of Object.entries(isRecord(raw.module_calls) ? raw.module_calls : {})) {
    if (!isRecord(c)) continue;
    const callNode = member(callsNode, name);
    cfg.calls.set(name, {
      source: typeof c.source === 'string' ? c.source : undefined,
      module: moduleConfig(c.module, member(callNode, 'module')),
      node: callNode,
    });
  }
  for (const [name, o] of Object.entries(isRecord(raw.outputs) ? raw.outputs : {})) {
    if (isRecord(o)) cfg.outputs[name] = references(o.expression);
  }
  return cfg;
}

function references(expr: unknown): string[] | undefined {
  return isRecord(expr) && Array.isArray(expr.references) ? expr.references.filter((r): r is string => typeof r === 'string') : undefined;
}

// ---------------------------------------------------------------------------------------------
// Modules and their folders

async function walkModule(ctx: PlanContext, mod: Record<string, unknown>, node: JsonNode | undefined): Promise<void> {
  const moduleAddress = typeof mod.address === 'string' ? mod.address : '';
  const names = [...moduleAddress.matchAll(/module\.([^.[]+)(\[[^\]]*\])?/g)].map((m) => m[1]);
  const resources = Array.isArray(mod.resources) ? mod.resources : [];
  const resourcesNode = member(node, 'resources');
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    if (!isRecord(r) || r.mode !== 'managed' || typeof r.type !== 'string' || typeof r.name !== 'string' || typeof r.address !== 'string') continue;
    const expressions = configOf(ctx, names)?.resources.get(`${r.type}.${r.name}`)?.expressions;
    if (!GROUP_TYPES.has(r.type) && !RULE_TYPES.has(r.type) && !isNetworkResource(r.type, r.values, expressions)) continue;
    await addResource(ctx, r, resourcesNode?.items[i], names, moduleAddress ? `${moduleAddress}.` : '');
  }
  const children = Array.isArray(mod.child_modules) ? mod.child_modules : [];
  const childNodes = member(node, 'child_modules');
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (isRecord(c)) await walkModule(ctx, c, childNodes?.items[i]);
  }
}

function configOf(ctx: PlanContext, names: string[]): ModuleConfig | undefined {
  let cfg: ModuleConfig | undefined = ctx.rootConfig;
  for (const n of names) cfg = cfg?.calls.get(n)?.module;
  return cfg;
}

/** The folder of the module reached by a chain of module calls, as far as sources are local or installed. */
function folderOf(ctx: PlanContext, names: string[]): Promise<Folder | undefined> {
  let abs = ctx.rootAbs;
  let display = ctx.rootDisplay;
  let cfg: ModuleConfig | undefined = ctx.rootConfig;
  for (let i = 0; i < names.length; i++) {
    const call: ModuleCallConfig | undefined = cfg?.calls.get(names[i]);
    cfg = call?.module;
    const source = call?.source;
    if (!source) return Promise.resolve(undefined);
    if (source.startsWith('./') || source.startsWith('../')) {
      abs = path.resolve(abs, source);
      display = path.posix.normalize(path.posix.join(display, source.replace(/\/+$/, '')));
    } else {
      const inst = ctx.installed.find((m) => m.Key === names.slice(0, i + 1).join('.'));
      if (!inst) return Promise.resolve(undefined);
      abs = path.resolve(ctx.rootAbs, inst.Dir);
      display = path.posix.normalize(path.posix.join(ctx.rootDisplay, inst.Dir.replace(/\\/g, '/')));
    }
  }
  let pending = ctx.folders.get(abs);
  if (!pending) ctx.folders.set(abs, (pending = readFolder(ctx, abs, display)));
  return pending;
}

async function readFolder(ctx: PlanContext, abs: string, display: string): Promise<Folder | undefined> {
  let names: string[];
  try {
    names = readdirSync(abs, { withFileTypes: true })
      .filter((e) => e.isFile() && (e.name.endsWith('.tf') || e.name.endsWith('.tf.json')))
      .map((e) => e.name)
      .sort();
  } catch {
    return undefined;
  }
  if (names.length === 0) return undefined;
  const folder: Folder = { display, resources: new Map(), modules: new Map(), locals: new Map() };
  for (const n of names) {
    const src: SourceFile = { abs: path.join(abs, n), path: display === '.' ? n : path.posix.join(display, n) };
    const r = await loadFile(src);
    if (!r.ok) {
      ctx.model.notices.push({ file: r.error.file, line: r.error.line, message: `cannot read this file for the line numbers of ${ctx.planFile.path}: ${r.error.message}` });
      continue;
    }
    for (const d of declarations(r.file)) {
      if (d.kind === 'resource') folder.resources.set(`${d.labels[0]}.${d.labels[1]}`, d);
      else if (d.kind === 'module') folder.modules.set(d.labels[0], d);
      else if (d.kind === 'locals') for (const [k, v] of Object.entries(d.body)) folder.locals.set(k, v);
    }
  }
  return folder;
}

/** Module blocks that led to a module, outermost first: in the .tf files, else in the plan's configuration. */
async function viaOf(ctx: PlanContext, names: string[]): Promise<SourceLocation[]> {
  const via: SourceLocation[] = [];
  let cfg: ModuleConfig | undefined = ctx.rootConfig;
  for (let i = 0; i < names.length; i++) {
    const folder = await folderOf(ctx, names.slice(0, i));
    const decl = folder?.modules.get(names[i]);
    const node = cfg?.calls.get(names[i])?.node;
    cfg = cfg?.calls.get(names[i])?.module;
    if (decl?.pos) {
      via.push(at(decl.file.path, decl.pos.line, decl.pos.endLine));
      ctx.used.add(decl.file.path);
    } else if (node) via.push(at(ctx.planFile.path, node.line, node.endLine));
  }
  return via;
}

// ---------------------------------------------------------------------------------------------
// Resources

async function addResource(ctx: PlanContext, r: Record<string, unknown>, node: JsonNode | undefined, names: string[], prefix: string): Promise<void> {
  const type = r.type as string;
  const name = r.name as string;
  const address = r.address as string;
  const cfg = configOf(ctx, names);
  const resCfg = cfg?.resources.get(`${type}.${name}`);
  const expressions = resCfg?.expressions;
  const refsOf = (key: string) => eachValueRefs(references(expressions?.[key]), resCfg?.forEach, r.index);
  const folder = await folderOf(ctx, names);
  const decl = folder?.resources.get(`${type}.${name}`);
  const change = ctx.changes.get(address);
  const valuesNode = member(node, 'values');

  const values = withUnknowns(r.values, change?.afterUnknown);
  const attrs: Record<string, Value> = isRecordValue(values) ? values : {};
  const unknownWhy = (key: string): Unknown => new Unknown(`${key} of ${address} is known after apply`);
  const configured = (key: string): boolean => !expressions || key in expressions || hasDynamic(decl, key);

  for (const key of Object.keys(attrs).sort()) {
    const v = attrs[key];
    if (v instanceof Unknown) {
      // Unknown and not written in the configuration: a computed attribute (id, arn, a group's
      // ingress when its rules are separate resources), not something the code sets.
      if (!configured(key)) {
        delete attrs[key];
        continue;
      }
      // Blocks written only by `dynamic` over a value known at plan time that expanded to nothing.
      if (expressions && !(key in expressions) && GROUP_TYPES.has(type) && dynamicKnownAtPlan(decl, key, folder?.locals ?? new Map())) {
        delete attrs[key];
        continue;
      }
      attrs[key] = listFromSource(decl?.body[key], prefix, ctx.planned) ?? resolveRef(refsOf(key), cfg, prefix) ?? unknownWhy(key);
    } else if (containsUnknown(v) && !(GROUP_TYPES.has(type) && INLINE.has(key))) {
      // Unknown parts inside a list or block (e.g. `security_groups = [aws_security_group.x.id]`):
      // a reference is resolvable when the attribute names exactly one resource. Inline rules are
      // settled per element in inlineBlocks, beside the block that wrote them.
      attrs[key] = fillUnknowns(v, undefined, refsOf(key), cfg, prefix, ctx.planned);
    }
  }

  const located = decl?.pos !== undefined;
  if (decl?.pos) ctx.used.add(decl.file.path);
  const location = decl?.pos ? at(decl.file.path, decl.pos.line, decl.pos.endLine) : at(ctx.planFile.path, node?.line ?? 1, node?.endLine ?? node?.line ?? 1);
  const info: InstanceInfo = { address, resourceType: type, location, via: await viaOf(ctx, names), raw: decl?.body ?? {} };
  const attrLines = located ? declAttrLines(decl!.pos!) : jsonAttrLines(valuesNode);

  if (GROUP_TYPES.has(type)) {
    const body: EvalBody = { attrs: {}, attrLines, attrElements: {}, blocks: {} };
    const isCreate = !change || change.actions.includes('create');
    for (const [k, v] of Object.entries(attrs)) {
      if (k !== 'ingress' && k !== 'egress') body.attrs[k] = v;
      else if (v instanceof Unknown) body.attrs[k] = v;
      // A group that already exists lists in its state the rules that separate resources manage.
      else if (isCreate || configured(k)) {
        const fill = (el: Value, raw: unknown): Value => fillUnknowns(el, raw, refsOf(k), cfg, prefix, ctx.planned);
        body.blocks[k] = inlineBlocks(decl, k, Array.isArray(v) ? v : [], member(valuesNode, k), location, fill);
      }
    }
    const { group, rules } = buildGroup(info, body);
    ctx.model.groups.push(group);
    append(ctx.model.rules, rules.map(blankDescription));
  } else if (RULE_TYPES.has(type)) {
    const { rules, problem } = buildStandaloneRules(info, { attrs, attrLines, attrElements: {}, blocks: {} });
    append(ctx.model.rules, rules.map(blankDescription));
    if (problem) ctx.model.notices.push({ file: location.file, line: location.line, message: problem });
  } else {
    const body: EvalBody = { attrs: {}, attrLines, attrElements: {}, blocks: {} };
    const nested = NESTED_ITEMS[type] ?? [];
    for (const [k, v] of Object.entries(attrs)) {
      // Set-typed nested blocks (NACL entries, routes) are matched back to the blocks that wrote them.
      if (nested.includes(k) && Array.isArray(v)) body.blocks[k] = inlineBlocks(decl, k, v, member(valuesNode, k), location);
      else body.attrs[k] = v;
    }
    ctx.model.resources.push(buildNetworkResource(info, body));
  }
}

/** Nested block lists of network resources whose items carry their own lines. */
const NESTED_ITEMS: Record<string, string[]> = {
  aws_network_acl: ['ingress', 'egress'],
  aws_default_network_acl: ['ingress', 'egress'],
  aws_route_table: ['route'],
  aws_default_route_table: ['route'],
};

/** Root module outputs that name security groups (from the configuration's references). */
function exportedGroups(ctx: PlanContext): void {
  const groups = ctx.model.groups.map((g) => g.address);
  const outputsNode = member(ctx.rootConfigNode, 'outputs');
  for (const [name, refs] of Object.entries(ctx.rootConfig.outputs)) {
    const value: Value[] = [];
    for (const ref of refs ?? []) {
      const r = resolveRef([ref], ctx.rootConfig, '');
      if (r) value.push(r);
    }
    const node = member(outputsNode, name);
    const line = outputsNode?.members.find((m) => m.key === name)?.keyLine ?? node?.line ?? 1;
    const r = outputResource(name, value, groups, at(ctx.planFile.path, line, node?.endLine ?? line));
    if (r) ctx.model.resources.push(r);
  }
}

/** The provider stores an omitted rule description as "": the same as no description. */
function blankDescription(r: Rule): Rule {
  if (r.description === '') delete r.description;
  return r;
}

function hasDynamic(decl: Decl | undefined, key: string): boolean {
  return blocksOf(decl?.pos, 'dynamic', [key]).length > 0;
}

/** Lines of a resource's attributes and (first) nested blocks, as in HCL mode. */
function declAttrLines(pos: BodyPos): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, a] of pos.attrs) if (!META.has(k)) out[k] = a.line;
  for (const b of pos.blocks) {
    const k = b.type === 'dynamic' ? b.labels[0] : b.type;
    if (k && !META.has(k) && !(k in out)) out[k] = b.line;
  }
  return out;
}

const META = new Set(['count', 'for_each', 'provider', 'providers', 'depends_on', 'lifecycle', 'provisioner', 'connection', 'source', 'version']);

function jsonAttrLines(node: JsonNode | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of node?.members ?? []) out[m.key] = m.keyLine;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Inline rules: each planned element is matched to the block that wrote it (the provider keeps
// ingress/egress as sets, so the plan's order is not the source order).

interface Candidate {
  raw: RawBody;
  /** Where the rule points: the block, the list element, or the whole `dynamic` block. */
  span: { line: number; endLine: number };
  attrs: BodyPos | undefined;
  /** A `dynamic` block writes any number of elements; a plain block or list element writes one. */
  many: boolean;
  used: boolean;
}

function candidates(decl: Decl | undefined, key: string): Candidate[] {
  if (!decl?.pos) return [];
  const out: Candidate[] = [];
  const raw = decl.body[key];
  const rawList = Array.isArray(raw) ? raw : isRecord(raw) ? [raw] : [];
  const attr = decl.pos.attrs.get(key);
  const positions: BodyPos[] = attr ? attr.elements : blocksOf(decl.pos, key);
  positions.forEach((p, i) => {
    const r = rawList[i];
    out.push({ raw: isRecord(r) ? r : {}, span: p, attrs: p, many: false, used: false });
  });
  const dynRaw = isRecord(decl.body.dynamic) ? decl.body.dynamic[key] : undefined;
  const dynList = Array.isArray(dynRaw) ? dynRaw : isRecord(dynRaw) ? [dynRaw] : [];
  blocksOf(decl.pos, 'dynamic', [key]).forEach((p, i) => {
    const d = dynList[i];
    const contents = isRecord(d) ? (Array.isArray(d.content) ? d.content : [d.content]) : [];
    const content = isRecord(contents[0]) ? contents[0] : {};
    out.push({ raw: content, span: p, attrs: blocksOf(p, 'content')[0], many: true, used: false });
  });
  return out;
}

/**
 * @param fill settles what an element attribute leaves unknown, from the raw source attribute of
 *   the block that wrote it (when there is one)
 */
function inlineBlocks(
  decl: Decl | undefined,
  key: string,
  list: Value[],
  listNode: JsonNode | undefined,
  fallback: SourceLocation,
  fill: (v: Value, raw: unknown) => Value = (v) => v,
): EvalBlock[] {
  const cands = candidates(decl, key);
  const blocks: EvalBlock[] = [];
  list.forEach((el, i) => {
    const attrs: Record<string, Value> = isRecordValue(el) ? el : {};
    const best = bestCandidate(cands, attrs);
    for (const k of Object.keys(attrs)) if (containsUnknown(attrs[k])) attrs[k] = fill(attrs[k], best?.raw[k]);
    if (best) {
      if (!best.many) best.used = true;
      const attrLines: Record<string, number> = {};
      for (const [k, a] of best.attrs?.attrs ?? []) attrLines[k] = a.line;
      blocks.push({ attrs, attrLines, attrElements: {}, blocks: {}, line: best.span.line, endLine: best.span.endLine });
      return;
    }
    const n = decl?.pos ? undefined : listNode?.items[i];
    if (n) {
      // No .tf beside the plan: the element's own lines in the plan file (the group's file).
      blocks.push({ attrs, attrLines: jsonAttrLines(n), attrElements: {}, blocks: {}, line: n.line, endLine: n.endLine });
    } else blocks.push({ attrs, attrLines: {}, attrElements: {}, blocks: {}, line: fallback.line, endLine: fallback.endLine });
  });
  // Source order, as HCL mode numbers rules.
  return blocks.map((b, i) => ({ b, i })).sort((x, y) => x.b.line - y.b.line || x.i - y.i).map((x) => x.b);
}

/** The candidate whose literal attributes all agree with the element, most agreements first. */
function bestCandidate(cands: Candidate[], el: Record<string, Value>): Candidate | undefined {
  let best: Candidate | undefined;
  let bestScore = -1;
  for (const c of cands) {
    if (c.used) continue;
    const score = agreement(c.raw, el);
    // Ties go to a single block before a dynamic one, then to source order.
    if (score > bestScore || (score === bestScore && best?.many && !c.many)) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** Number of literal attributes that match; -1 when one contradicts the element. */
function agreement(raw: RawBody, el: Record<string, Value>): number {
  let score = 0;
  for (const [k, v] of Object.entries(raw)) {
    if (!(k in el)) continue;
    if (typeof v === 'string' && isExpressionString(v)) {
      // A template's literal parts must still appear ("port ${r.value.port}" vs "port 6379").
      if (!templateMatches(v, el[k])) return -1;
      continue;
    }
    if (hasExpression(v)) continue;
    if (!sameLiteral(k, v, el[k])) return -1;
    score++;
  }
  // The element has a value the block never writes (the provider fills only blanks).
  for (const k of ['description', 'cidr_blocks', 'ipv6_cidr_blocks', 'prefix_list_ids', 'security_groups', 'self']) {
    if (!(k in raw) && isSet(el[k])) return -1;
  }
  return score;
}

function isSet(v: Value | undefined): boolean {
  if (v === undefined || v === null || v === false || v === '') return false;
  return !(Array.isArray(v) && v.length === 0);
}

function templateMatches(template: string, planned: Value): boolean {
  if (typeof planned !== 'string' || /^\$\{[^]*\}$/.test(template) || template.includes('%{')) return true;
  const parts = template.split(/\$\{[^}]*\}/);
  const pattern = parts.map((p) => p.replace(/\$\$\{/g, '${').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^]*');
  return new RegExp(`^${pattern}$`).test(planned);
}

function hasExpression(v: unknown): boolean {
  if (typeof v === 'string') return isExpressionString(v);
  if (Array.isArray(v)) return v.some(hasExpression);
  if (isRecord(v)) return Object.values(v).some(hasExpression);
  return false;
}

function sameLiteral(key: string, raw: unknown, planned: Value): boolean {
  if (planned instanceof Unknown || planned instanceof ResourceRef) return true;
  if (key === 'protocol') return JSON.stringify(parseProtocol(raw)) === JSON.stringify(parseProtocol(planned));
  if (Array.isArray(raw) || Array.isArray(planned)) {
    const a = (Array.isArray(raw) ? raw : []).map(String).sort();
    const b = (Array.isArray(planned) ? planned : []).map(String).sort();
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (raw === null || planned === null) return raw === planned || raw === '' || planned === '' || planned === false;
  return String(raw).toLowerCase() === String(planned).toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Values

/** Planned values with `after_unknown` leaves turned into Unknowns. */
function withUnknowns(v: unknown, u: unknown): Value {
  const why = new Unknown('known after apply');
  const go = (x: unknown, mark: unknown): Value => {
    if (mark === true) return why;
    if (Array.isArray(mark)) {
      const arr = Array.isArray(x) ? x : [];
      // Marks follow the planned list; a list that is all unknown is marked `true` instead.
      return Array.from({ length: Array.isArray(x) ? arr.length : mark.length }, (_, i) => go(arr[i], mark[i]));
    }
    if (isRecord(mark) && (isRecord(x) || x === undefined || x === null)) {
      const obj: Record<string, Value> = {};
      const src = isRecord(x) ? x : {};
      for (const k of [...new Set([...Object.keys(src), ...Object.keys(mark)])].sort()) {
        const val = go(src[k], mark[k]);
        if (val !== undefined) obj[k] = val;
      }
      return obj;
    }
    return plain(x);
  };
  return go(v, u);
}

function plain(x: unknown): Value {
  if (x === undefined || x === null) return null;
  if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) return x.map(plain);
  if (isRecord(x)) return Object.fromEntries(Object.keys(x).sort().map((k) => [k, plain(x[k])]));
  return null;
}

function isRecordValue(v: Value): v is Record<string, Value> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof ResourceRef);
}

function containsUnknown(v: Value): boolean {
  if (v instanceof Unknown) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (isRecordValue(v)) return Object.values(v).some(containsUnknown);
  return false;
}

function replaceUnknown(v: Value, f: (u: Unknown) => Value): Value {
  if (v instanceof Unknown) return f(v);
  if (Array.isArray(v)) return v.map((x) => replaceUnknown(x, f));
  if (isRecordValue(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceUnknown(x, f)]));
  return v;
}

const NOT_RESOURCES = new Set(['var', 'local', 'each', 'count', 'path', 'self', 'terraform', 'data', 'module']);

/**
 * The resource a configuration expression names, following module outputs: references are listed
 * most specific first (`aws_security_group.web.id`, `aws_security_group.web`).
 */
export function resolveRef(refs: string[] | undefined, cfg: ModuleConfig | undefined, prefix: string, depth = 0): ResourceRef | undefined {
  if (!refs || depth > 20) return undefined;
  for (const ref of refs) {
    const mod = /^module\.([A-Za-z0-9_-]+)(\[[^\]]*\])?\.([A-Za-z0-9_-]+)$/.exec(ref);
    if (mod) {
      const call = cfg?.calls.get(mod[1]);
      const found = call && resolveRef(call.module.outputs[mod[3]], call.module, `${prefix}module.${mod[1]}${mod[2] ?? ''}.`, depth + 1);
      if (found) return found;
      continue;
    }
    const res = /^([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(\[[^\]]*\])?\.([A-Za-z0-9_]+)$/.exec(ref);
    if (res && !NOT_RESOURCES.has(res[1])) return new ResourceRef(`${prefix}${res[1]}.${res[2]}${res[3] ?? ''}`, res[4]);
  }
  // Terraform 0.12 listed only the resource (`aws_security_group.web`), not the attribute: where a
  // resource is used as a value it is its id.
  for (const ref of refs) {
    const res = /^([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(\[[^\]]*\])?$/.exec(ref);
    if (res && !NOT_RESOURCES.has(res[1])) return new ResourceRef(`${prefix}${res[1]}.${res[2]}${res[3] ?? ''}`, 'id');
  }
  return undefined;
}

const INLINE = new Set(['ingress', 'egress']);

/**
 * Unknown parts of a planned value settled from the configuration: a list rebuilt from its source
 * (literals kept), else every instance of the one counted resource the expression names (a splat),
 * else the one resource it names.
 */
function fillUnknowns(v: Value, raw: unknown, refs: string[] | undefined, cfg: ModuleConfig | undefined, prefix: string, planned: ReadonlySet<string>): Value {
  if (v instanceof Unknown) {
    const rebuilt = raw === undefined ? undefined : listFromSource(raw, prefix, planned);
    if (rebuilt) return rebuilt;
    const all = splatOf(refs, cfg, prefix, planned);
    if (all) return all;
  }
  const ref = singleRef(refs, cfg, prefix);
  return replaceUnknown(v, (u) => ref ?? u);
}

/**
 * An expression naming a counted or for_each resource as a whole (`aws_security_group.app[*].id`,
 * or a module output listing every instance): all its instances' ids. Not when any reference picks
 * one element (`module.m.by_name["app"]`): that is one of them, not all.
 */
function splatOf(refs: string[] | undefined, cfg: ModuleConfig | undefined, prefix: string, planned: ReadonlySet<string>): Value[] | undefined {
  if (!refs || refs.some((r) => r.includes('['))) return undefined;
  const whole = resolveRef(refs, cfg, prefix);
  if (!whole || whole.attribute !== 'id') return undefined;
  const found = instancesOf(whole.address, planned);
  return found.length > 0 ? found.map((a) => new ResourceRef(a, 'id')) : undefined;
}

/**
 * `each.value.sg_id` of an instance whose for_each is one module call or resource (`for_each =
 * module.grp`): the same attribute of that instance of it (`module.grp["a"].sg_id`).
 */
function eachValueRefs(refs: string[] | undefined, forEach: string[] | undefined, index: unknown): string[] | undefined {
  if (!refs || !forEach || forEach.length !== 1 || (typeof index !== 'string' && typeof index !== 'number')) return refs;
  const target = forEach[0];
  if (!/^(module\.[A-Za-z0-9_-]+|[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)$/.test(target) || target.startsWith('var.') || target.startsWith('local.')) return refs;
  const key = `${target}[${JSON.stringify(index)}]`;
  return refs.flatMap((ref) => (ref === 'each.value' ? [key] : ref.startsWith('each.value.') ? [`${key}${ref.slice('each.value'.length)}`] : [ref]));
}

/** The one resource an expression refers to, or undefined when it names none or several. */
function singleRef(refs: string[] | undefined, cfg: ModuleConfig | undefined, prefix: string): ResourceRef | undefined {
  const found = new Map<string, ResourceRef>();
  for (const ref of refs ?? []) {
    const r = resolveRef([ref], cfg, prefix);
    if (r && r.attribute) found.set(r.toString(), r);
  }
  return found.size === 1 ? [...found.values()][0] : undefined;
}

function member(node: JsonNode | undefined, key: string): JsonNode | undefined {
  return node?.members.find((m) => m.key === key)?.value;
}
