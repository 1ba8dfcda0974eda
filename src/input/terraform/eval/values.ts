// Value helpers with Terraform's conversion and comparison rules, shared by the evaluator and the
// function library. Failures are signalled with the exceptions below and turned into Unknowns by
// evaluate(); they never escape it.
import { ResourceRef, Unknown, isObject, type Value } from '../../../model/value.js';

/** The expression is invalid (Terraform would report an error): becomes an Unknown with the message. */
export class EvalError extends Error {}
/** A size or depth bound was hit: becomes an Unknown, and try()/can() must not swallow it. */
export class LimitError extends Error {}
/** An operation needed a value that is not known: the caller merges reasons into an Unknown. */
export class UnknownSignal extends Error {
  constructor(readonly unknown: Unknown) {
    super(unknown.toString());
  }
}

/** Largest list, map or string length the evaluator builds. */
export const MAX_ELEMENTS = 100_000;
export const MAX_STRING = 1_000_000;

export type Obj = { [key: string]: Value };

export function checkSize(n: number, what: string): void {
  if (n > MAX_ELEMENTS) throw new LimitError(`${what} would have ${n} elements, more than the limit of ${MAX_ELEMENTS}`);
}

export function refUnknown(ref: ResourceRef): Unknown {
  return new Unknown(`${ref.toString()} is only known after apply`);
}

/** Keys of an object in Terraform's iteration order (lexical). */
export function sortedKeys(o: Obj): string[] {
  return Object.keys(o).sort(compareStrings);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every Unknown inside a value, merged; undefined when the value is wholly known. */
export function unknownsIn(v: Value, depth = 0): Unknown | undefined {
  if (v instanceof Unknown) return v;
  if (depth > 200) return undefined;
  let parts: Unknown[] = [];
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = unknownsIn(x, depth + 1);
      if (u) parts.push(u);
    }
  } else if (isObject(v)) {
    for (const k of sortedKeys(v)) {
      const u = unknownsIn(v[k], depth + 1);
      if (u) parts.push(u);
    }
  } else return undefined;
  if (parts.length === 0) return undefined;
  if (parts.length > 50) parts = parts.slice(0, 50);
  return Unknown.merge(...parts);
}

/** Throw an UnknownSignal when the value is, or contains, an Unknown or (if strict) a ResourceRef. */
export function requireKnown(v: Value): Value {
  const u = unknownsIn(v);
  if (u) throw new UnknownSignal(u);
  return v;
}

export function typeName(v: Value): string {
  if (v === null) return 'null';
  if (v instanceof Unknown) return 'unknown';
  if (v instanceof ResourceRef) return 'string';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** Render a number as Terraform does (no ".0", no exponent for integers). */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 1e21) return BigInt(n).toString();
  if (Object.is(n, -0)) return '0';
  if (Number.isInteger(n)) return String(n);
  // Drop binary noise (0.30000000000000004) the way Terraform's decimal arithmetic would not have it.
  return String(Number(n.toPrecision(15)));
}

/** Convert to string like Terraform's automatic conversion (numbers and bools only). */
export function toStr(v: Value, what = 'value'): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Unknown) throw new UnknownSignal(v);
  if (v instanceof ResourceRef) throw new UnknownSignal(refUnknown(v));
  if (v === null) throw new EvalError(`${what} is null, a string is required`);
  throw new EvalError(`${what} is a ${typeName(v)}, a string is required`);
}

const NUMBER_RE = /^-?(0|[1-9][0-9]*|[0-9]+)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

export function toNum(v: Value, what = 'value'): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (NUMBER_RE.test(v)) return Number(v);
    throw new EvalError(`cannot convert "${v}" to a number`);
  }
  if (v instanceof Unknown) throw new UnknownSignal(v);
  if (v instanceof ResourceRef) throw new UnknownSignal(refUnknown(v));
  throw new EvalError(`${what} is a ${typeName(v)}, a number is required`);
}

export function toBool(v: Value, what = 'value'): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (v instanceof Unknown) throw new UnknownSignal(v);
  if (v instanceof ResourceRef) throw new UnknownSignal(refUnknown(v));
  throw new EvalError(`${what} is a ${typeName(v)}, a bool is required`);
}

export function toList(v: Value, what = 'value'): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof Unknown) throw new UnknownSignal(v);
  throw new EvalError(`${what} is a ${typeName(v)}, a list is required`);
}

export function toObj(v: Value, what = 'value'): Obj {
  if (isObject(v)) return v;
  if (v instanceof Unknown) throw new UnknownSignal(v);
  throw new EvalError(`${what} is a ${typeName(v)}, a map or object is required`);
}

/** Known integer (Terraform requires whole numbers for indexes and counts). */
export function toInt(v: Value, what = 'value'): number {
  const n = toNum(v, what);
  if (!Number.isInteger(n)) throw new EvalError(`${what} must be a whole number, got ${formatNumber(n)}`);
  return n;
}

/**
 * Terraform equality: no conversion between types ("22" == 22 is false). Unknown when an unknown
 * part decides it; two references are equal only if they name the same resource attribute.
 */
export function equalValues(a: Value, b: Value, depth = 0): boolean | Unknown {
  if (a instanceof Unknown || b instanceof Unknown) {
    return Unknown.merge(...[a, b].filter((x): x is Unknown => x instanceof Unknown));
  }
  if (a instanceof ResourceRef || b instanceof ResourceRef) {
    if (a instanceof ResourceRef && b instanceof ResourceRef) {
      return a.address === b.address && a.attribute === b.attribute;
    }
    const other = a instanceof ResourceRef ? b : a;
    const ref = (a instanceof ResourceRef ? a : b) as ResourceRef;
    return typeof other === 'string' ? refUnknown(ref) : false;
  }
  if (depth > 200) throw new LimitError('values nested too deeply to compare');
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return allEqual(a.map((x, i) => [x, b[i]] as [Value, Value]), depth);
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const ka = sortedKeys(a);
    const kb = sortedKeys(b);
    if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
    return allEqual(ka.map((k) => [a[k], b[k]] as [Value, Value]), depth);
  }
  if (typeof a === 'number' && typeof b === 'number') return sameNumber(a, b);
  return a === b;
}

/**
 * Terraform computes with arbitrary-precision decimals (0.1 * 3 == 0.3 holds there); doubles
 * differ in the last bits, so numbers within a relative 1e-12 count as equal.
 */
export function sameNumber(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

function allEqual(pairs: [Value, Value][], depth: number): boolean | Unknown {
  const unknowns: Unknown[] = [];
  for (const [x, y] of pairs) {
    const r = equalValues(x, y, depth + 1);
    if (r === false) return false;
    if (r instanceof Unknown) unknowns.push(r);
  }
  return unknowns.length ? Unknown.merge(...unknowns) : true;
}

/** Structural equality for known values (distinct, toset, contains). */
export function sameValue(a: Value, b: Value): boolean {
  return equalValues(a, b) === true;
}

/** JSON text of a known value, as Terraform's jsonencode writes it (keys sorted, no spaces). */
export function jsonEncode(v: Value): string {
  requireKnown(v);
  const enc = (x: Value): string => {
    if (x instanceof ResourceRef) throw new UnknownSignal(refUnknown(x));
    if (x === null || typeof x === 'boolean') return String(x);
    if (typeof x === 'number') return formatNumber(x);
    if (typeof x === 'string') return jsonString(x);
    if (Array.isArray(x)) return `[${x.map(enc).join(',')}]`;
    if (isObject(x)) return `{${sortedKeys(x).map((k) => `${jsonString(k)}:${enc(x[k])}`).join(',')}}`;
    throw new EvalError('cannot encode value');
  };
  return enc(v);
}

function jsonString(s: string): string {
  // Go's encoding/json escapes <, >, & and U+2028/9 as Terraform's jsonencode shows.
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function fromJson(x: unknown): Value {
  if (x === null || typeof x === 'boolean' || typeof x === 'number' || typeof x === 'string') return x;
  if (Array.isArray(x)) return x.map(fromJson);
  if (typeof x === 'object') {
    const o: Obj = {};
    for (const [k, v] of Object.entries(x as object)) o[k] = fromJson(v as unknown);
    return o;
  }
  return null;
}

/**
 * Terraform tells a set from a list where it matters to us: a `dynamic` block over a set binds
 * `key` to the element, not to its position. Sets are arrays here; the mark is a non-enumerable
 * property, so any transformation (a `for`, a slice) gives a plain tuple again, as in Terraform.
 */
const SET_MARK = Symbol('terraform set');

export function markSet<T extends Value[]>(items: T): T {
  Object.defineProperty(items, SET_MARK, { value: true, enumerable: false });
  return items;
}

export function isSetValue(v: unknown): boolean {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[SET_MARK] === true;
}

export function newObj(): Obj {
  // Plain object; keys like "__proto__" are set with defineProperty to stay own data properties.
  return {};
}

export function setKey(o: Obj, k: string, v: Value): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

export function hasKey(o: Obj, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}
