import { Unknown, type Value } from '../model/value.js';
import { type EvalContext, evalCondition, parameterValue } from './intrinsics.js';
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

export function makeContext(template: Template, parameters: Map<string, Value>, conditionChoices = new Map<string, boolean>()): EvalContext {
  return { template, parameters, conditionChoices, conditionCache: new Map(), visiting: new Set() };
}

export function parameterValues(template: Template, overrides: Map<string, string>, assumed = new Map<string, string>()): Map<string, Value> {
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

export function enumerateBranches(template: Template, overrides: Map<string, string>, nodes: PNode[]): Branching {
  const relevant = relevantNames(template, nodes);
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
    const paramChoices: Choice[] = [...combo].map(([name, value]) => ({ name, kind: 'parameter', value, label: `${name} = ${value}` }));
    let splits: Array<{ choices: Map<string, boolean>; labels: Choice[] }> = [{ choices: new Map(), labels: [] }];
    for (const cond of order) {
      const next: typeof splits = [];
      for (const s of splits) {
        const decided = evalCondition(cond, makeContext(template, params, s.choices));
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
            labels: [...s.labels, { name: cond, kind: 'condition', value: String(v), label: `condition ${cond} is ${v}` }],
          });
        }
      }
      splits = next;
    }
    for (const s of splits) branches.push({ ctx: makeContext(template, params, s.choices), choices: [...paramChoices, ...s.labels] });
  }
  return { branches, capped };
}

/**
 * What a thing present in only some branches assumes: per choice, the values it was seen under,
 * when those are not all the values. Undefined when present in every branch.
 */
export function assumptionsFor(present: Branch[], all: Branch[]): string[] | undefined {
  if (present.length === all.length) return undefined;
  const names: string[] = [];
  for (const b of all) for (const c of b.choices) if (!names.includes(c.name)) names.push(c.name);
  const out: string[] = [];
  for (const name of names) {
    const valuesIn = (bs: Branch[]): Set<string> => new Set(bs.map((b) => b.choices.find((c) => c.name === name)?.value ?? '\u0000unset'));
    const mine = valuesIn(present);
    const every = valuesIn(all);
    if ([...every].every((v) => mine.has(v))) continue;
    const labels = all.flatMap((b) => b.choices).filter((c) => c.name === name && mine.has(c.value));
    const unique = [...new Map(labels.map((c) => [c.value, c])).values()];
    if (unique.length === 1) out.push(unique[0].label);
    else if (unique.length > 1) {
      out.push(unique[0].kind === 'parameter' ? `${name} is one of ${unique.map((c) => c.value).join(', ')}` : `condition ${name} is either value`);
    }
  }
  return out.length ? out : [`only in some evaluations`];
}
