// Terraform's built-in functions (the pure ones). Functions that read files or the clock yield an
// Unknown; unknown arguments make the result unknown only where the function must inspect them.
import { ResourceRef, Unknown, isObject, type Value } from '../../../model/value.js';
import type { Node } from './ast.js';
import { cidrhost, cidrnetmask, cidrsubnet, cidrsubnets } from './cidr.js';
import { formatValue } from './format.js';
import { regex, regexall, replaceRegex } from './regex.js';
import {

  EvalError,
  LimitError,
  MAX_STRING,
  UnknownSignal,
  checkSize,
  compareStrings,
  formatNumber,
  fromJson,
  hasKey,
  jsonEncode,
  newObj,
  refUnknown,
  requireKnown,
  sameValue,
  setKey,
  sortedKeys,
  toBool,
  toInt,
  toList,
  toNum,
  toObj,
  toStr,
  typeName,
  unknownsIn,
  type Obj,
} from './values.js';
import { append, maxOf, minOf } from '../../../model/arrays.js';

/** What functions need of the evaluator: try() and can() evaluate their arguments lazily. */
export interface ArgumentEvaluator {
  eval(n: Node): Value;
}

type Fn = (args: Value[]) => Value;

/** Evaluate a call: try/can are lazy, everything else gets evaluated arguments. */
export function callFunction(name: string, argNodes: Node[], expand: boolean, ev: ArgumentEvaluator): Value {
  const short = name.replace(/^core::/, '');
  if (short === 'try') return tryFn(argNodes, ev);
  if (short === 'can') return canFn(argNodes, ev);
  const fn = FUNCTIONS[short];
  if (!fn) {
    if (UNKNOWABLE.has(short)) return new Unknown(`${short}() is not evaluated statically`);
    if (name.startsWith('provider::')) return new Unknown(`provider function ${name}() is not evaluated`);
    throw new EvalError(`call to unknown function ${name}()`);
  }
  let args = argNodes.map((a) => ev.eval(a));
  if (expand && args.length) {
    const last = args[args.length - 1];
    if (last instanceof Unknown) return last;
    args = [...args.slice(0, -1), ...toList(last, 'expanded argument')];
  }
  try {
    return fn(args);
  } catch (e) {
    if (e instanceof UnknownSignal) {
      const inArgs = args.map((a) => unknownsIn(a)).filter((u): u is Unknown => u !== undefined);
      return Unknown.merge(e.unknown, ...inArgs);
    }
    if (e instanceof EvalError) throw new EvalError(`${short}(): ${e.message}`);
    throw e;
  }
}

/** Outcome of evaluating an argument of try/can: a value or the error it raised. */
function attempt(node: Node, ev: ArgumentEvaluator): { value: Value } | { error: string } {
  try {
    return { value: ev.eval(node) };
  } catch (e) {
    if (e instanceof EvalError) return { error: e.message };
    if (e instanceof UnknownSignal) return { value: e.unknown };
    if (e instanceof LimitError) return { value: new Unknown(e.message) };
    throw e;
  }
}

function tryFn(args: Node[], ev: ArgumentEvaluator): Value {
  if (args.length === 0) throw new EvalError('try() needs at least one argument');
  const errors: string[] = [];
  for (const a of args) {
    const r = attempt(a, ev);
    if ('error' in r) {
      errors.push(r.error);
      continue;
    }
    // An unknown might still turn into an error later, so the choice is unknown too.
    const u = unknownsIn(r.value);
    return u ?? r.value;
  }
  throw new EvalError(`no expression succeeded: ${errors.join('; ')}`);
}

function canFn(args: Node[], ev: ArgumentEvaluator): Value {
  if (args.length !== 1) throw new EvalError('can() takes exactly one argument');
  const r = attempt(args[0], ev);
  if ('error' in r) return false;
  return unknownsIn(r.value) ?? true;
}

/** Functions whose result depends on files, time, randomness or secrets. */
const UNKNOWABLE = new Set([
  'file', 'fileexists', 'fileset', 'filebase64', 'filemd5', 'filesha1', 'filesha256', 'filesha512',
  'filebase64sha256', 'filebase64sha512', 'templatefile', 'timestamp', 'plantimestamp', 'uuid', 'bcrypt',
  'rsadecrypt', 'uuidv5', 'md5', 'sha1', 'sha256', 'sha512', 'base64sha256', 'base64sha512', 'ephemeralasnull',
  'pathexpand', 'abspath', 'timeadd', 'timecmp', 'formatdate', 'textencodebase64', 'textdecodebase64',
]);

function arity(name: string, args: Value[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new EvalError(`${name}() takes ${want} argument(s), got ${args.length}`);
  }
}

function str(v: Value): string {
  return toStr(v, 'argument');
}

function list(v: Value): Value[] {
  if (v === null) throw new EvalError('argument is null, a list is required');
  return toList(v, 'argument');
}

/** Lists, sets and tuples; maps/objects also allowed where Terraform takes any collection. */
function collectionValues(v: Value): Value[] {
  if (isObject(v)) return sortedKeys(v).map((k) => v[k]);
  return list(v);
}

function makeList(items: Value[], what: string): Value[] {
  checkSize(items.length, what);
  return items;
}

function sortKnown(items: Value[]): Value[] {
  requireKnown(items);
  return items;
}

/** toset: dedupe and order as Terraform's sets of primitives (strings lexical, numbers numeric). */
function toSet(items: Value[]): Value[] {
  requireKnown(items);
  let xs = items;
  const kinds = new Set(xs.filter((x) => x !== null).map((x) => typeName(x)));
  if (kinds.size > 1 && [...kinds].every((k) => k === 'string' || k === 'number' || k === 'boolean')) {
    xs = xs.map((x) => (x === null ? x : toStr(x)));
  }
  const out = distinctValues(xs);
  if (out.every((x) => typeof x === 'string')) return (out as string[]).sort(compareStrings);
  if (out.every((x) => typeof x === 'number')) return (out as number[]).sort((a, b) => a - b);
  return out;
}

/** First occurrences, in order. Primitives by a key (linear: toset(range(20000)) took a minute); others compared. */
function distinctValues(xs: Value[]): Value[] {
  const out: Value[] = [];
  const primitives = new Set<string>();
  const others: Value[] = [];
  for (const x of xs) {
    if (x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') {
      const key = `${typeof x}:${String(x)}`;
      if (primitives.has(key)) continue;
      primitives.add(key);
    } else {
      if (others.some((y) => sameValue(x, y))) continue;
      others.push(x);
    }
    out.push(x);
  }
  return out;
}

function limitString(s: string): string {
  if (s.length > MAX_STRING) throw new LimitError(`string longer than ${MAX_STRING} characters`);
  return s;
}

function numbers(args: Value[]): number[] {
  const flat = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  return flat.map((x) => toNum(x, 'argument'));
}

function chars(s: string): string[] {
  return Array.from(s);
}

const FUNCTIONS: Record<string, Fn> = {
  // --- collections
  concat: (a) => {
    arity('concat', a, 1, Infinity);
    const out: Value[] = [];
    for (const x of a) {
      const l = list(x);
      checkSize(out.length + l.length, 'concat() result');
      append(out, l);
    }
    return out;
  },
  flatten: (a) => {
    arity('flatten', a, 1);
    const out: Value[] = [];
    const walk = (v: Value, depth: number): void => {
      if (depth > 100) throw new LimitError('flatten(): list nested too deeply');
      if (v instanceof Unknown) throw new UnknownSignal(v);
      if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
      else {
        out.push(v);
        checkSize(out.length, 'flatten() result');
      }
    };
    list(a[0]).forEach((x) => walk(x, 0));
    return out;
  },
  merge: (a) => {
    const out = newObj();
    for (const x of a) {
      if (x === null) continue;
      const o = toObj(x, 'argument');
      for (const k of sortedKeys(o)) setKey(out, k, o[k]);
    }
    return out;
  },
  lookup: (a) => {
    arity('lookup', a, 2, 3);
    const o = toObj(a[0], 'first argument');
    const k = str(a[1]);
    if (hasKey(o, k)) return o[k];
    if (a.length === 3) return a[2];
    throw new EvalError(`the given key "${k}" does not exist and no default was given`);
  },
  element: (a) => {
    arity('element', a, 2);
    const l = list(a[0]);
    const i = toInt(a[1], 'index');
    if (l.length === 0) throw new EvalError('cannot use element() with an empty list');
    if (i < 0) throw new EvalError('index must not be negative');
    return l[i % l.length];
  },
  length: (a) => {
    arity('length', a, 1);
    const v = a[0];
    if (typeof v === 'string') return chars(v).length;
    if (isObject(v)) return Object.keys(v).length;
    if (v instanceof ResourceRef) throw new UnknownSignal(refUnknown(v));
    return list(v).length;
  },
  keys: (a) => {
    arity('keys', a, 1);
    return sortedKeys(toObj(a[0], 'argument'));
  },
  values: (a) => {
    arity('values', a, 1);
    const o = toObj(a[0], 'argument');
    return sortedKeys(o).map((k) => o[k]);
  },
  contains: (a) => {
    arity('contains', a, 2);
    const l = collectionValues(a[0]);
    requireKnown(a[1]);
    let unknown: Unknown | undefined;
    for (const x of l) {
      const eq = sameValueOrUnknown(x, a[1]);
      if (eq === true) return true;
      if (eq instanceof Unknown) unknown = unknown ? Unknown.merge(unknown, eq) : eq;
    }
    return unknown ?? false;
  },
  distinct: (a) => {
    arity('distinct', a, 1);
    return distinctValues(sortKnown(list(a[0])));
  },
  compact: (a) => {
    arity('compact', a, 1);
    return list(a[0]).filter((x) => {
      if (x instanceof Unknown) throw new UnknownSignal(x);
      return x !== null && x !== '';
    }).map((x) => (x instanceof ResourceRef ? x : str(x)));
  },
  coalesce: (a) => {
    for (const x of a) {
      if (x instanceof Unknown) throw new UnknownSignal(x);
      if (x !== null && x !== '') return x;
    }
    throw new EvalError('no non-null, non-empty-string arguments');
  },
  coalescelist: (a) => {
    for (const x of a) {
      if (x instanceof Unknown) throw new UnknownSignal(x);
      if (list(x).length > 0) return x;
    }
    throw new EvalError('no non-empty list arguments');
  },
  one: (a) => {
    arity('one', a, 1);
    if (a[0] === null) return null;
    const l = list(a[0]);
    if (l.length === 0) return null;
    if (l.length === 1) return l[0];
    throw new EvalError('must be a list with either zero or one elements');
  },
  alltrue: (a) => {
    arity('alltrue', a, 1);
    const l = list(a[0]);
    let unknown: Unknown | undefined;
    for (const x of l) {
      if (x instanceof Unknown) unknown = x;
      else if (!toBool(x, 'element')) return false;
    }
    if (unknown) throw new UnknownSignal(unknown);
    return true;
  },
  anytrue: (a) => {
    arity('anytrue', a, 1);
    const l = list(a[0]);
    let unknown: Unknown | undefined;
    for (const x of l) {
      if (x instanceof Unknown) unknown = x;
      else if (toBool(x, 'element')) return true;
    }
    if (unknown) throw new UnknownSignal(unknown);
    return false;
  },
  range: (a) => {
    arity('range', a, 1, 3);
    const n = a.map((x) => toNum(x, 'argument'));
    const [start, limit, step] = n.length === 1 ? [0, n[0], 1] : n.length === 2 ? [n[0], n[1], n[0] <= n[1] ? 1 : -1] : n;
    if (step === 0) throw new EvalError('step must not be zero');
    if ((step > 0 && start > limit) || (step < 0 && start < limit)) {
      throw new EvalError('step must be positive when start is below limit, negative otherwise');
    }
    const count = Math.max(0, Math.ceil((limit - start) / step));
    checkSize(count, `range(${n.map(formatNumber).join(', ')})`);
    return Array.from({ length: count }, (_, i) => start + i * step);
  },
  zipmap: (a) => {
    arity('zipmap', a, 2);
    const ks = list(a[0]);
    const vs = list(a[1]);
    if (ks.length !== vs.length) throw new EvalError('number of keys and values must match');
    const o = newObj();
    ks.forEach((k, i) => setKey(o, str(k), vs[i]));
    return o;
  },
  setproduct: (a) => {
    if (a.length < 1) throw new EvalError('at least one argument is required');
    const ls = a.map(list);
    const total = ls.reduce((n, l) => n * l.length, 1);
    checkSize(total, 'setproduct() result');
    let out: Value[][] = [[]];
    for (const l of ls) out = out.flatMap((prefix) => l.map((x) => [...prefix, x]));
    return out;
  },
  slice: (a) => {
    arity('slice', a, 3);
    const l = list(a[0]);
    const from = toInt(a[1], 'start index');
    const to = toInt(a[2], 'end index');
    if (from < 0 || to > l.length || from > to) throw new EvalError('slice indexes out of range');
    return l.slice(from, to);
  },
  sort: (a) => {
    arity('sort', a, 1);
    return sortKnown(list(a[0])).map((x) => str(x)).sort(compareStrings);
  },
  reverse: (a) => {
    arity('reverse', a, 1);
    if (typeof a[0] === 'string') return chars(a[0]).reverse().join('');
    return [...list(a[0])].reverse();
  },
  chunklist: (a) => {
    arity('chunklist', a, 2);
    const l = list(a[0]);
    const size = toInt(a[1], 'chunk size');
    if (size < 0) throw new EvalError('chunk size must not be negative');
    if (size === 0) return [l];
    const out: Value[] = [];
    for (let i = 0; i < l.length; i += size) out.push(l.slice(i, i + size));
    return out;
  },
  transpose: (a) => {
    arity('transpose', a, 1);
    const o = toObj(a[0], 'argument');
    const out = newObj();
    for (const k of sortedKeys(o)) {
      for (const v of list(o[k])) {
        const key = str(v);
        const prev = hasKey(out, key) ? (out[key] as Value[]) : [];
        prev.push(k);
        setKey(out, key, prev);
      }
    }
    for (const k of Object.keys(out)) (out[k] as string[]).sort(compareStrings);
    return out;
  },
  index: (a) => {
    arity('index', a, 2);
    const l = sortKnown(list(a[0]));
    requireKnown(a[1]);
    const i = l.findIndex((x) => sameValue(x, a[1]));
    if (i < 0) throw new EvalError('item not found');
    return i;
  },
  matchkeys: (a) => {
    arity('matchkeys', a, 3);
    const vals = list(a[0]);
    const ks = sortKnown(list(a[1]));
    const search = sortKnown(list(a[2]));
    if (vals.length !== ks.length) throw new EvalError('length of keys and values should be equal');
    return vals.filter((_, i) => search.some((s) => sameValue(s, ks[i])));
  },
  tolist: (a) => {
    arity('tolist', a, 1);
    return list(a[0]);
  },
  toset: (a) => {
    arity('toset', a, 1);
    return toSet(list(a[0]));
  },
  tomap: (a) => {
    arity('tomap', a, 1);
    return toObj(a[0], 'argument');
  },
  tostring: (a) => {
    arity('tostring', a, 1);
    if (a[0] === null || a[0] instanceof ResourceRef) return a[0];
    return str(a[0]);
  },
  tonumber: (a) => {
    arity('tonumber', a, 1);
    return a[0] === null ? null : toNum(a[0], 'argument');
  },
  tobool: (a) => {
    arity('tobool', a, 1);
    return a[0] === null ? null : toBool(a[0], 'argument');
  },
  type: (a) => {
    arity('type', a, 1);
    return typeName(a[0]);
  },
  // --- strings
  format: (a) => {
    if (a.length < 1) throw new EvalError('format() needs a format string');
    return limitString(formatValue(str(a[0]), a.slice(1)));
  },
  formatlist: (a) => {
    if (a.length < 1) throw new EvalError('formatlist() needs a format string');
    const fmt = str(a[0]);
    const rest = a.slice(1);
    let n = -1;
    for (const x of rest) {
      if (Array.isArray(x)) {
        if (n >= 0 && x.length !== n) throw new EvalError('all list arguments must have the same length');
        n = x.length;
      }
    }
    if (n < 0) n = 1;
    return Array.from({ length: n }, (_, i) => formatValue(fmt, rest.map((x) => (Array.isArray(x) ? x[i] : x))));
  },
  join: (a) => {
    if (a.length < 2) throw new EvalError('join() needs a separator and at least one list');
    const sep = str(a[0]);
    const parts = a.slice(1).flatMap(list).map((x) => str(x));
    return limitString(parts.join(sep));
  },
  split: (a) => {
    arity('split', a, 2);
    const sep = str(a[0]);
    const s = str(a[1]);
    if (sep === '') return chars(s);
    return makeList(s.split(sep), 'split() result');
  },
  replace: (a) => {
    arity('replace', a, 3);
    const s = str(a[0]);
    const search = str(a[1]);
    const rep = str(a[2]);
    if (search.length > 1 && search.startsWith('/') && search.endsWith('/')) return replaceRegex(s, search.slice(1, -1), rep);
    if (search === '') return s;
    return limitString(s.split(search).join(rep));
  },
  lower: (a) => str(a[0]).toLowerCase(),
  upper: (a) => str(a[0]).toUpperCase(),
  title: (a) => str(a[0]).replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_m, p: string, c: string) => p + c.toUpperCase()),
  trimspace: (a) => str(a[0]).replace(/^\s+|\s+$/g, ''),
  trim: (a) => {
    arity('trim', a, 2);
    const set = new Set(chars(str(a[1])));
    const cs = chars(str(a[0]));
    let i = 0;
    let j = cs.length;
    while (i < j && set.has(cs[i])) i++;
    while (j > i && set.has(cs[j - 1])) j--;
    return cs.slice(i, j).join('');
  },
  trimprefix: (a) => {
    arity('trimprefix', a, 2);
    const s = str(a[0]);
    const p = str(a[1]);
    return s.startsWith(p) ? s.slice(p.length) : s;
  },
  trimsuffix: (a) => {
    arity('trimsuffix', a, 2);
    const s = str(a[0]);
    const p = str(a[1]);
    return p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
  },
  startswith: (a) => {
    arity('startswith', a, 2);
    return str(a[0]).startsWith(str(a[1]));
  },
  endswith: (a) => {
    arity('endswith', a, 2);
    return str(a[0]).endsWith(str(a[1]));
  },
  strcontains: (a) => {
    arity('strcontains', a, 2);
    return str(a[0]).includes(str(a[1]));
  },
  strrev: (a) => chars(str(a[0])).reverse().join(''),
  substr: (a) => {
    arity('substr', a, 3);
    const cs = chars(str(a[0]));
    let off = toInt(a[1], 'offset');
    let len = toInt(a[2], 'length');
    if (off < 0) off += cs.length;
    if (off < 0 || off > cs.length) throw new EvalError('offset out of range');
    if (len < 0) len = cs.length - off;
    return cs.slice(off, off + len).join('');
  },
  indent: (a) => {
    arity('indent', a, 2);
    const pad = ' '.repeat(Math.min(Math.max(0, toInt(a[0], 'spaces')), 1000));
    return str(a[1]).replace(/\n/g, `\n${pad}`);
  },
  chomp: (a) => str(a[0]).replace(/(\r?\n)+$/, ''),
  regex: (a) => {
    arity('regex', a, 2);
    return regex(str(a[0]), str(a[1]));
  },
  regexall: (a) => {
    arity('regexall', a, 2);
    return regexall(str(a[0]), str(a[1]));
  },
  base64encode: (a) => Buffer.from(str(a[0]), 'utf8').toString('base64'),
  base64decode: (a) => Buffer.from(str(a[0]), 'base64').toString('utf8'),
  // Go's url.QueryEscape: space becomes "+", only A-Z a-z 0-9 - _ . ~ stay as they are.
  urlencode: (a) =>
    encodeURIComponent(str(a[0]))
      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+'),
  jsonencode: (a) => {
    arity('jsonencode', a, 1);
    return limitString(jsonEncode(a[0]));
  },
  jsondecode: (a) => {
    arity('jsondecode', a, 1);
    try {
      return fromJson(JSON.parse(str(a[0])) as unknown);
    } catch (e) {
      if (e instanceof SyntaxError) throw new EvalError(`invalid JSON: ${e.message}`);
      throw e;
    }
  },
  // --- numbers
  min: (a) => {
    const n = numbers(a);
    if (n.length === 0) throw new EvalError('at least one argument is required');
    return minOf(n);
  },
  max: (a) => {
    const n = numbers(a);
    if (n.length === 0) throw new EvalError('at least one argument is required');
    return maxOf(n);
  },
  sum: (a) => {
    arity('sum', a, 1);
    const n = collectionValues(a[0]).map((x) => toNum(x, 'element'));
    if (n.length === 0) throw new EvalError('cannot sum an empty list');
    return n.reduce((x, y) => x + y, 0);
  },
  abs: (a) => Math.abs(toNum(a[0], 'argument')),
  ceil: (a) => Math.ceil(toNum(a[0], 'argument')),
  floor: (a) => Math.floor(toNum(a[0], 'argument')),
  signum: (a) => Math.sign(toNum(a[0], 'argument')),
  pow: (a) => Math.pow(toNum(a[0], 'argument'), toNum(a[1], 'argument')),
  log: (a) => Math.log(toNum(a[0], 'argument')) / Math.log(toNum(a[1], 'argument')),
  parseint: (a) => {
    arity('parseint', a, 2);
    const s = str(a[0]);
    const base = toInt(a[1], 'base');
    if (base < 2 || base > 62) throw new EvalError('base must be between 2 and 62');
    const digits = '0123456789abcdefghijklmnopqrstuvwxyz';
    let neg = false;
    let body = s;
    if (body.startsWith('-') || body.startsWith('+')) {
      neg = body.startsWith('-');
      body = body.slice(1);
    }
    if (body === '') throw new EvalError(`cannot parse "${s}" as a base ${base} integer`);
    let n = 0;
    for (const c of body.toLowerCase()) {
      const d = digits.indexOf(c);
      if (d < 0 || d >= base) throw new EvalError(`cannot parse "${s}" as a base ${base} integer`);
      n = n * base + d;
    }
    return neg ? -n : n;
  },
  // --- network
  cidrsubnet: (a) => {
    arity('cidrsubnet', a, 3);
    return cidrsubnet(str(a[0]), toInt(a[1], 'newbits'), toNum(a[2], 'netnum'));
  },
  cidrsubnets: (a) => {
    if (a.length < 1) throw new EvalError('cidrsubnets() needs a prefix');
    return cidrsubnets(str(a[0]), a.slice(1).map((x) => toInt(x, 'newbits')));
  },
  cidrhost: (a) => {
    arity('cidrhost', a, 2);
    return cidrhost(str(a[0]), toNum(a[1], 'hostnum'));
  },
  cidrnetmask: (a) => {
    arity('cidrnetmask', a, 1);
    return cidrnetmask(str(a[0]));
  },
  // --- misc
  sensitive: (a) => a[0],
  nonsensitive: (a) => a[0],
  issensitive: () => false,
};

function sameValueOrUnknown(a: Value, b: Value): boolean | Unknown {
  if (a instanceof Unknown) return a;
  if (a instanceof ResourceRef && typeof b === 'string') return refUnknown(a);
  const u = unknownsIn(a);
  if (u) return u;
  return sameValue(a, b);
}

/** Names of all implemented functions (for documentation and tests). */
export const FUNCTION_NAMES: readonly string[] = [...Object.keys(FUNCTIONS), 'try', 'can'].sort();

export type { Obj };
