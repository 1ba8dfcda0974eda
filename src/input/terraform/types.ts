import { ResourceRef, Unknown, type Value, isObject } from '../../model/value.js';
import type { Node } from './eval/ast.js';
import { parseExpressionSync, toSet } from './eval/index.js';

// Variable type constraints. Terraform converts every variable value to its declared type, and
// that conversion matters to security-group code: `map(object({ cidr_ipv4 = optional(string) }))`
// turns a missing `cidr_ipv4` into null, so `each.value.cidr_ipv4` is null, not an error. Without
// it, modules like terraform-aws-modules/alb would read as "unknown peer" everywhere.

export type TypeSpec =
  | { t: 'any' }
  | { t: 'string' | 'number' | 'bool' }
  | { t: 'list' | 'set' | 'map'; of: TypeSpec }
  | { t: 'object'; attrs: Record<string, { type: TypeSpec; optional: boolean; default?: Value }> }
  | { t: 'tuple'; items: TypeSpec[] };

const ANY: TypeSpec = { t: 'any' };

/** Parse a `type = ...` attribute as hcl2json rendered it ("${map(object({...}))}"). */
export function parseTypeConstraint(file: string, raw: unknown): TypeSpec {
  if (typeof raw !== 'string') return ANY;
  const node = parseExpressionSync(file, raw).ast as Node;
  return fromNode(node.k === 'wrap' ? node.e : node);
}

function fromNode(n: Node): TypeSpec {
  if (n.k === 'wrap') return fromNode(n.e);
  if (n.k === 'name') {
    if (n.name === 'string' || n.name === 'number' || n.name === 'bool') return { t: n.name };
    return ANY;
  }
  if (n.k !== 'call') return ANY;
  const [first] = n.args;
  switch (n.name) {
    case 'list':
    case 'set':
    case 'map':
      return { t: n.name, of: first ? fromNode(first) : ANY };
    case 'tuple':
      return { t: 'tuple', items: first?.k === 'tuple' ? first.items.map(fromNode) : [] };
    case 'object': {
      if (first?.k !== 'object') return ANY;
      const attrs: Record<string, { type: TypeSpec; optional: boolean; default?: Value }> = {};
      for (const [k, v] of first.items) {
        const key = k.k === 'name' ? k.name : k.k === 'lit' && typeof k.v === 'string' ? k.v : k.k === 'wrap' && k.e.k === 'name' ? k.e.name : null;
        if (key === null) return ANY;
        if (v.k === 'call' && v.name === 'optional') {
          const def = v.args[1];
          attrs[key] = { type: v.args[0] ? fromNode(v.args[0]) : ANY, optional: true, default: def ? literal(def) : undefined };
        } else {
          attrs[key] = { type: fromNode(v), optional: false };
        }
      }
      return { t: 'object', attrs };
    }
    default:
      return ANY;
  }
}

/** Defaults of optional attributes are almost always literals; anything else stays unknown. */
function literal(n: Node): Value {
  switch (n.k) {
    case 'lit':
      return n.v;
    case 'wrap':
      return literal(n.e);
    case 'tmpl':
      // A quoted string is a template whose parts are all literal text.
      return n.parts.every((p) => p.k === 'lit')
        ? n.parts.map((p) => (p.k === 'lit' ? String(p.v) : '')).join('')
        : new Unknown('optional() default is not a literal');
    case 'tuple':
      return n.items.map(literal);
    case 'object': {
      const out: Record<string, Value> = {};
      for (const [k, v] of n.items) {
        const key = k.k === 'name' ? k.name : k.k === 'lit' ? String(k.v) : null;
        if (key === null) return new Unknown('optional() default is not a literal');
        out[key] = literal(v);
      }
      return out;
    }
    case 'un':
      return n.op === '-' && n.e.k === 'lit' && typeof n.e.v === 'number' ? -n.e.v : new Unknown('optional() default is not a literal');
    default:
      return new Unknown('optional() default is not a literal');
  }
}

/** Convert a value to a type as Terraform does for variables; what cannot convert is left as is. */
export function convertToType(v: Value, type: TypeSpec): Value {
  if (v instanceof Unknown || v instanceof ResourceRef || v === null || type.t === 'any') return v;
  switch (type.t) {
    case 'string':
      return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
    case 'number':
      return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
    case 'bool':
      return v === 'true' ? true : v === 'false' ? false : v;
    case 'list':
      return Array.isArray(v) ? v.map((x) => convertToType(x, type.of)) : v;
    case 'set': {
      // A set keeps one of each element (`set(string)` with a repeated CIDR is one rule, not two).
      if (!Array.isArray(v)) return v;
      const items = v.map((x) => convertToType(x, type.of));
      try {
        return toSet(items);
      } catch {
        return items; // an element not known yet: duplicates cannot be told apart
      }
    }
    case 'tuple':
      return Array.isArray(v) ? v.map((x, i) => convertToType(x, type.items[i] ?? ANY)) : v;
    case 'map':
      return isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convertToType(x, type.of)])) : v;
    case 'object': {
      if (!isObject(v)) return v;
      const out: Record<string, Value> = {};
      for (const [name, attr] of Object.entries(type.attrs)) {
        const given = v[name];
        if (given === undefined || given === null) {
          // A missing optional attribute becomes its default (or null); a missing required one is
          // a Terraform error, so keep the value as given for the front end to report.
          if (attr.optional) out[name] = attr.default === undefined ? null : convertToType(attr.default, attr.type);
          else if (name in v) out[name] = null;
        } else {
          out[name] = convertToType(given, attr.type);
        }
      }
      // Terraform drops attributes the type does not declare.
      return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
  }
}
