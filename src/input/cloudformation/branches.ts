import { Unknown, type Value, describeValue, isObject } from '../../model/value.js';
import { type EvalContext, evalCondition, parameterValue, takesDefault } from './intrinsics.js';
import { type PNode, child, scalarString, singleKey } from './node.js';
import { type Template, resourceType } from './template.js';

// Choices the template leaves open: a parameter with a few AllowedValues and no value given on the
// command line, and conditions that cannot be decided. The security-group part of the template is
// evaluated once per combination of the relevant choices (capped), so each rule can say under which
// choices it exists.

export const MAX_BRANCHES = 64;
export const MAX_ALLOWED_VALUES = 8;

export interface Choice {
  /** Parameter or condition name. */
  name: string;
  kind: 'parameter' | 'condition';
  value: string;
  /** "AdminCidr = 0.0.0.0/0", "condition IsProd is true". */
  label: string;
}

export interface Branch {
  ctx: EvalContext;
  choices: Choice[];
}

/** How a template is evaluated besides its parameters: address prefix and nested stack outputs (see EvalContext). */
export interface Scoping {
  prefix: string;
  stackOutput?: EvalContext['stackOutput'];
  /**
   * Names to label a parameter's choices with, when a parent stack passes its own parameter straight
   * through (`Env: !Ref Env`): the child's choices then read "Env = prod" like the parent's.
   */
  choiceNames?: Map<string, string>;
}

const TOP: Scoping = { prefix: '' };

export function makeContext(
  template: Template,
  parameters: Map<string, Value>,
  conditionChoices = new Map<string, boolean>(),
  scoping: Scoping = TOP,
  defaulted?: ReadonlySet<string>,
): EvalContext {
  return { template, parameters, conditionChoices, conditionCache: new Map(), visiting: new Set(), prefix: scoping.prefix, stackOutput: scoping.stackOutput, defaulted };
}

/** Parameters that take their Default in an evaluation with these overrides and assumptions. */
export function defaultedParameters(template: Template, overrides: Map<string, Value>, assumed = new Map<string, string>()): Set<string> {
  const out = new Set<string>();
  for (const [name, e] of template.parameters) if (takesDefault(e.value, overrides.get(name), assumed.get(name))) out.add(name);
  return out;
}

/** Parameter values: given (command line, or a parent stack's Parameters), else assumed for a branch, else Default. */
export function parameterValues(template: Template, overrides: Map<string, Value>, assumed = new Map<string, string>()): Map<string, Value> {
  const values = new Map<string, Value>();
  for (const [name, e] of template.parameters) values.set(name, parameterValue(name, e.value, overrides.get(name), assumed.get(name)));
  return values;
}

/** Parameters and conditions the given nodes depend on, following condition definitions and VPC CIDRs. */
export function relevantNames(template: Template, nodes: PNode[]): { parameters: Set<string>; conditions: Set<string> } {
  const parameters = new Set<string>();
  const conditions = new Set<string>();
  const seenVpcs = new Set<string>();
  const addCondition = (name: string | undefined): void => {
    if (name === undefined || conditions.has(name)) return;
    conditions.add(name);
    const def = template.conditions.get(name);
    if (def) walk(def.value, 0);
  };
  const walk = (node: PNode, depth: number): void => {
    if (depth > 200) return;
    if (node.kind === 'seq') return node.items.forEach((i) => walk(i, depth + 1));
    if (node.kind === 'scalar') return;
    const fn = singleKey(node);
    if (fn?.key === 'Ref') {
      const name = scalarString(fn.value);
      if (name !== undefined && template.parameters.has(name)) parameters.add(name);
    } else if (fn?.key === 'Condition') {
      addCondition(scalarString(fn.value));
    } else if (fn?.key === 'Fn::If' && fn.value.kind === 'seq') {
      addCondition(scalarString(fn.value.items[0]));
    } else if (fn?.key === 'Fn::Sub') {
      const text = scalarString(fn.value.kind === 'seq' ? fn.value.items[0] : fn.value) ?? '';
      for (const m of text.matchAll(/\$\{([^}!.]+)\}/g)) if (template.parameters.has(m[1].trim())) parameters.add(m[1].trim());
    } else if (fn?.key === 'Fn::GetAtt') {
      const target = fn.value.kind === 'scalar' ? String(fn.value.value).split('.')[0] : scalarString(fn.value.kind === 'seq' ? fn.value.items[0] : undefined);
      const res = target === undefined ? undefined : template.resources.get(target);
      if (target && res && resourceType(res) === 'AWS::EC2::VPC' && !seenVpcs.has(target)) {
        seenVpcs.add(target);
        const cidr = child(child(res.value, 'Properties'), 'CidrBlock');
        if (cidr) walk(cidr, depth + 1);
      }
    }
    for (const e of node.entries) walk(e.value, depth + 1);
  };
  for (const n of nodes) {
    addCondition(scalarString(child(n, 'Condition')));
    walk(child(n, 'Properties') ?? n, 0);
  }
  return { parameters, conditions };
}

function allowedValues(def: PNode): string[] | undefined {
  const node = child(def, 'AllowedValues');
  if (!node || node.kind !== 'seq' || node.items.length < 2 || node.items.length > MAX_ALLOWED_VALUES) return undefined;
  const values = node.items.map((i) => (i.kind === 'scalar' && i.value !== null ? String(i.value) : undefined));
  return values.every((v) => v !== undefined) ? [...new Set(values as string[])] : undefined;
}

/** Conditions in an order where each comes after the conditions it refers to. */
function dependencyOrder(template: Template, names: Set<string>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (name: string, depth: number): void => {
    if (done.has(name) || depth > 100) return;
    done.add(name);
    const def = template.conditions.get(name);
    const refs: string[] = [];
    const walk = (n: PNode): void => {
      if (n.kind === 'seq') n.items.forEach(walk);
      else if (n.kind === 'map') {
        const fn = singleKey(n);
        const c = fn?.key === 'Condition' ? scalarString(fn.value) : undefined;
        if (c !== undefined) refs.push(c);
        else n.entries.forEach((e) => walk(e.value));
      }
    };
    if (def) walk(def.value);
    for (const r of refs) if (names.has(r)) visit(r, depth + 1);
    order.push(name);
  };
  for (const name of template.conditions.keys()) if (names.has(name)) visit(name, 0);
  return order;
}

export interface Branching {
  branches: Branch[];
  /** Set when there were more combinations than MAX_BRANCHES; the rest stays Unknown. */
  capped: string | undefined;
}

export function enumerateBranches(template: Template, overrides: Map<string, Value>, nodes: PNode[], scoping: Scoping = TOP): Branching {
  // Inside a nested stack, choices are named after the stack (`Network.Env = prod`).
  const p = scoping.prefix;
  // Without conditions and without a parameter that could split, nothing the nodes name matters:
  // no walk (an estate's template is thousands of groups).
  const mayBranch = template.conditions.size > 0 || [...template.parameters].some(([name, def]) => !overrides.has(name) && allowedValues(def.value) !== undefined);
  const relevant = mayBranch ? relevantNames(template, nodes) : { parameters: new Set<string>(), conditions: new Set<string>() };
  let capped: string | undefined;
  let dims: Array<{ name: string; values: string[] }> = [];
  for (const name of template.parameters.keys()) {
    const def = template.parameters.get(name);
    if (!def || !relevant.parameters.has(name) || overrides.has(name)) continue;
    const values = allowedValues(def.value);
    if (values) dims.push({ name, values });
  }
  const product = dims.reduce((n, d) => n * d.values.length, 1);
  if (product > MAX_BRANCHES) {
    capped = `${product} combinations of parameters ${dims.map((d) => d.name).join(', ')} exceed ${MAX_BRANCHES}; their rules use the defaults or stay unknown`;
    dims = [];
  }
  let paramCombos: Array<Map<string, string>> = [new Map()];
  for (const d of dims) paramCombos = paramCombos.flatMap((c) => d.values.map((v) => new Map([...c, [d.name, v]])));

  const order = dependencyOrder(template, relevant.conditions);
  const branches: Branch[] = [];
  const perCombo = Math.max(1, Math.floor(MAX_BRANCHES / paramCombos.length));
  for (const combo of paramCombos) {
    const params = parameterValues(template, overrides, combo);
    const defaulted = defaultedParameters(template, overrides, combo);
    const label = (name: string): string => scoping.choiceNames?.get(name) ?? p + name;
    const paramChoices: Choice[] = [...combo].map(([name, value]) => ({ name: label(name), kind: 'parameter', value, label: `${label(name)} = ${value}` }));
    let splits: Array<{ choices: Map<string, boolean>; labels: Choice[] }> = [{ choices: new Map(), labels: [] }];
    for (const cond of order) {
      const next: typeof splits = [];
      for (const s of splits) {
        const decided = evalCondition(cond, makeContext(template, params, s.choices, scoping));
        if (!(decided instanceof Unknown)) {
          next.push(s);
          continue;
        }
        if (splits.length + next.length + 1 > perCombo) {
          capped ??= `too many undecided conditions; condition ${cond} stays unknown`;
          next.push(s);
          continue;
        }
        for (const v of [true, false]) {
          next.push({
            choices: new Map([...s.choices, [cond, v]]),
            labels: [...s.labels, { name: p + cond, kind: 'condition', value: String(v), label: `condition ${p}${cond} is ${v}` }],
          });
        }
      }
      splits = next;
    }
    for (const s of splits) branches.push({ ctx: makeContext(template, params, s.choices, scoping, defaulted), choices: [...paramChoices, ...s.labels] });
  }
  return { branches, capped };
}

const UNSET = '\u0000unset';

/** The choices of a set of branches, by name: asked once per rule, resource and merged value. */
interface ChoiceIndex {
  /** Choice names in first-seen order. */
  names: string[];
  /** Per name: every choice of that name, in branch order, and the values it takes (UNSET where a branch has none). */
  byName: Map<string, { choices: Choice[]; values: Set<string> }>;
}
const choiceIndexes = new WeakMap<Branch[], ChoiceIndex>();
/** Per branch: the value of each choice name (the first choice of that name). */
const branchValues = new WeakMap<Branch, Map<string, string>>();

function valuesOf(b: Branch): Map<string, string> {
  let m = branchValues.get(b);
  if (!m) {
    m = new Map();
    for (const c of b.choices) if (!m.has(c.name)) m.set(c.name, c.value);
    branchValues.set(b, m);
  }
  return m;
}

function choiceIndex(all: Branch[]): ChoiceIndex {
  let idx = choiceIndexes.get(all);
  if (idx) return idx;
  const byName = new Map<string, { choices: Choice[]; values: Set<string> }>();
  for (const b of all) {
    for (const c of b.choices) {
      const e = byName.get(c.name);
      if (e) e.choices.push(c);
      else byName.set(c.name, { choices: [c], values: new Set() });
    }
  }
  for (const [name, e] of byName) for (const b of all) e.values.add(valuesOf(b).get(name) ?? UNSET);
  idx = { names: [...byName.keys()], byName };
  choiceIndexes.set(all, idx);
  return idx;
}

/** Per choice that tells `present` apart from `all`: the choice values seen in `present`. */
function distinguishing(present: Branch[], all: Branch[]): Array<{ name: string; kind: Choice['kind']; seen: Choice[] }> {
  const idx = choiceIndex(all);
  const out: Array<{ name: string; kind: Choice['kind']; seen: Choice[] }> = [];
  for (const name of idx.names) {
    const { choices, values: every } = idx.byName.get(name) as { choices: Choice[]; values: Set<string> };
    const mine = new Set<string>();
    for (const b of present) mine.add(valuesOf(b).get(name) ?? UNSET);
    let all = true;
    for (const v of every) if (!mine.has(v)) all = false;
    if (all) continue;
    // The last label of each value, in the order the values are first seen.
    const seenBy = new Map<string, Choice>();
    for (const c of choices) if (mine.has(c.value)) seenBy.set(c.value, c);
    const seen = [...seenBy.values()];
    if (seen.length > 0) out.push({ name, kind: seen[0].kind, seen });
  }
  return out;
}

/**
 * What a thing present in only some branches assumes: per choice, the values it was seen under,
 * when those are not all the values. Undefined when present in every branch.
 */
export function assumptionsFor(present: Branch[], all: Branch[]): string[] | undefined {
  if (present.length === all.length) return undefined;
  const out = distinguishing(present, all).map(({ name, kind, seen }) => {
    if (seen.length === 1) return seen[0].label;
    return kind === 'parameter' ? `${name} is one of ${seen.map((c) => c.value).join(', ')}` : `condition ${name} is either value`;
  });
  return out.length ? out : [`only in some evaluations`];
}

/** A value as evaluated in one branch; undefined when the property is not set there. */
export interface BranchValue {
  branch: Branch;
  value: Value | undefined;
}

function sameBranchValue(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return (a instanceof Unknown) === (b instanceof Unknown) && describeValue(a) === describeValue(b);
}

/** Every variant the same as the first (sameBranchValue), describing the first once. */
function allSame(variants: BranchValue[], first: Value | undefined): boolean {
  let firstText: string | undefined;
  const firstUnknown = first instanceof Unknown;
  for (const v of variants) {
    const x = v.value;
    if (x === first) continue;
    if (x === undefined || first === undefined || (x instanceof Unknown) !== firstUnknown) return false;
    firstText ??= describeValue(first);
    if (describeValue(x) !== firstText) return false;
  }
  return true;
}

/**
 * One value for something evaluated in several branches: the value when they all agree; maps and
 * equally long lists are merged part by part so only the part that differs becomes Unknown, and that
 * Unknown names the choices ("PubliclyAccessible depends on parameter Public (true when Public = yes;
 * false when Public = no)"). `path` names the part in messages. Undefined when set in no branch.
 */
export function mergeBranchValues(path: string, variants: BranchValue[]): Value | undefined {
  if (variants.length === 0) return undefined;
  const first = variants[0].value;
  if (allSame(variants, first)) return first;
  if (variants.every((v) => isObject(v.value))) {
    const keys: string[] = [];
    for (const v of variants) for (const k of Object.keys(v.value as object)) if (!keys.includes(k)) keys.push(k);
    const out: { [k: string]: Value } = {};
    for (const k of keys) {
      const merged = mergeBranchValues(`${path}.${k}`, variants.map((v) => ({ branch: v.branch, value: (v.value as { [k: string]: Value })[k] })));
      if (merged !== undefined) out[k] = merged;
    }
    return out;
  }
  if (variants.every((v) => Array.isArray(v.value) && v.value.length === (first as Value[]).length)) {
    return (first as Value[]).map((_x, i) => mergeBranchValues(`${path}[${i}]`, variants.map((v) => ({ branch: v.branch, value: (v.value as Value[])[i] }))) ?? null);
  }
  // Unknown in every branch for the same reasons (`!If [NumberOfSubnets2, [!Select [0, !Ref Subnet],
  // ...], ...]`): what it depends on is those reasons (parameter Subnet), not the choice that only
  // picks how many of them.
  const shared = sharedUnknown(variants.map((v) => v.value));
  if (shared) return shared;
  const all = variants.map((v) => v.branch);
  const groups: Array<{ value: Value | undefined; branches: Branch[] }> = [];
  for (const v of variants) {
    const g = groups.find((x) => sameBranchValue(x.value, v.value));
    if (g) g.branches.push(v.branch);
    else groups.push({ value: v.value, branches: [v.branch] });
  }
  const names: string[] = [];
  for (const g of groups) {
    for (const d of distinguishing(g.branches, all)) {
      const n = d.kind === 'parameter' ? `parameter ${d.name}` : `condition ${d.name}`;
      if (!names.includes(n)) names.push(n);
    }
  }
  const cases = groups.map((g) => `${g.value === undefined ? 'not set' : describeValue(g.value)} when ${(assumptionsFor(g.branches, all) ?? []).join(' and ')}`);
  return new Unknown(`${path} depends on ${names.join(' and ') || 'the evaluation'} (${cases.join('; ')})`);
}

/** The unknowns inside a value (lists and maps included), in order. */
function unknownsIn(v: Value | undefined, out: Unknown[] = []): Unknown[] {
  if (v instanceof Unknown) out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => unknownsIn(x, out));
  else if (isObject(v)) Object.values(v).forEach((x) => unknownsIn(x, out));
  return out;
}

/**
 * The one Unknown every variant is made of, when each is set, holds only unknowns (no known part
 * that differs), and all of them have the same reasons; undefined otherwise.
 */
function sharedUnknown(values: Array<Value | undefined>): Unknown | undefined {
  let first: Unknown | undefined;
  let key: string | undefined;
  for (const v of values) {
    if (v === undefined || v === null) return undefined;
    const parts = unknownsIn(v);
    if (parts.length === 0 || !onlyUnknowns(v)) return undefined;
    const merged = parts.length === 1 ? parts[0] : new Unknown(parts.flatMap((p) => p.reasons), parts.every((p) => p.domain === parts[0].domain) ? parts[0].domain : undefined);
    const k = merged.reasons.join('\u0000');
    if (key === undefined) {
      key = k;
      first = merged;
    } else if (k !== key) return undefined;
  }
  return first;
}

function onlyUnknowns(v: Value): boolean {
  if (v instanceof Unknown) return true;
  if (Array.isArray(v)) return v.every(onlyUnknowns);
  return false;
}

/** A condition saying under which choices something exists, with any condition it already had. */
export function conditionFrom(existing: Unknown | undefined, assumptions: string[]): Unknown {
  const own = new Unknown(`only when ${assumptions.join(' and ')}`);
  return existing ? Unknown.merge(own, existing) : own;
}
