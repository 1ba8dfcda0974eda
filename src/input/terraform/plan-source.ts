import { ResourceRef, type Value } from '../../model/value.js';
import { isExpressionString } from './eval/index.js';
import { isRecord } from './load.js';
import type { Decl } from './tree.js';

// What the .tf source beside a plan tells where the plan says only "known after apply". Terraform
// marks a whole list unknown when one element is (`["pl-0123", aws_ec2_managed_prefix_list.x.id]`),
// and marks unknown a computed block the configuration leaves empty (a `dynamic` over `[]`); the
// source says which literals the list keeps and whether the block was written at all.

const NOT_RESOURCES = new Set(['var', 'local', 'each', 'count', 'path', 'self', 'terraform', 'data', 'module']);

/** `${aws_x.name.attr}` or `${aws_x.name[0].attr}`: one reference to one resource's attribute. */
const SINGLE_REF = /^\$\{\s*([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(\[(?:\d+|"[^"]*")\])?\.([A-Za-z0-9_]+)\s*\}$/;
/** `${aws_x.name[*].attr}`: the attribute of every instance. */
const SPLAT_REF = /^\$\{\s*([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\[\*\]\.([A-Za-z0-9_]+)\s*\}$/;

/**
 * The list a plan knows only after apply, rebuilt from its source expression: a list of literals and
 * single references, or a splat over a resource's planned instances. Undefined when the source is
 * anything else (the plan's answer, unknown, stands).
 * @param prefix module address prefix of the resource (`module.a.`)
 * @param planned every resource instance address in the plan
 */
export function listFromSource(raw: unknown, prefix: string, planned: ReadonlySet<string>): Value[] | undefined {
  if (typeof raw === 'string') {
    const m = SPLAT_REF.exec(raw);
    if (!m || NOT_RESOURCES.has(m[1])) return undefined;
    const found = instancesOf(`${prefix}${m[1]}.${m[2]}`, planned);
    return found.length > 0 ? found.map((a) => new ResourceRef(a, m[3])) : undefined;
  }
  if (!Array.isArray(raw)) return undefined;
  const out: Value[] = [];
  for (const el of raw) {
    if (typeof el === 'number') out.push(String(el));
    else if (typeof el === 'string' && !isExpressionString(el)) out.push(el);
    else if (typeof el === 'string') {
      const m = SINGLE_REF.exec(el);
      if (!m || NOT_RESOURCES.has(m[1])) return undefined;
      out.push(new ResourceRef(`${prefix}${m[1]}.${m[2]}${m[3] ?? ''}`, m[4]));
    } else return undefined;
  }
  return out;
}

/** Instances of a counted or for_each resource in the plan, in the plan's order. */
export function instancesOf(address: string, planned: ReadonlySet<string>): string[] {
  const head = `${address}[`;
  return [...planned].filter((a) => a.startsWith(head) && /^\[(?:\d+|"[^"]*")\]$/.test(a.slice(address.length)));
}

/**
 * True when every `dynamic "KEY"` block of the resource iterates over something Terraform knows at
 * plan time (variables, literals, locals built from them; no resource, data source or module
 * output): an unknown planned value for KEY then means the blocks expanded to nothing and the
 * provider computes it.
 * @param locals raw `locals` expressions of the resource's module
 */
export function dynamicKnownAtPlan(decl: Decl | undefined, key: string, locals: ReadonlyMap<string, unknown>): boolean {
  const dyn = isRecord(decl?.body.dynamic) ? decl.body.dynamic[key] : undefined;
  const list = Array.isArray(dyn) ? dyn : isRecord(dyn) ? [dyn] : [];
  if (list.length === 0) return false;
  return list.every((d) => isRecord(d) && d.for_each !== undefined && knownAtPlan(d.for_each, locals, new Set()));
}

function knownAtPlan(raw: unknown, locals: ReadonlyMap<string, unknown>, seen: Set<string>): boolean {
  const expr = typeof raw === 'string' ? raw : JSON.stringify(raw);
  // Names a `for` expression binds are its own (`[for r in var.rules : r.port]`).
  const bound = new Set<string>();
  for (const m of expr.matchAll(/\bfor\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\b/g)) {
    bound.add(m[1]);
    if (m[2]) bound.add(m[2]);
  }
  // A root not after a dot or inside a quoted literal: `var.x`, `local.y`, `aws_thing.z`.
  for (const m of expr.matchAll(/(?<![.\w"-])([A-Za-z_][\w-]*)\s*\.\s*([A-Za-z_][\w-]*)/g)) {
    const [, root, name] = m;
    if (bound.has(root) || root === 'var' || root === 'path' || root === 'terraform') continue;
    if (root !== 'local' || !locals.has(name) || seen.has(name)) return false;
    seen.add(name);
    if (!knownAtPlan(locals.get(name), locals, seen)) return false;
  }
  return true;
}
