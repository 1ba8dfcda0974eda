// Terraform's regular-expression functions: regex(), regexall() and replace() with a /pattern/.
// Terraform uses Go's RE2, which matches in linear time; JavaScript's RegExp backtracks, so a
// pattern like "^(a+)+$" from a scanned file could hang the scan. re2js is a port of RE2 (same
// syntax, same leftmost-first semantics, linear time), so results agree with Terraform's too.
import { RE2JS } from 're2js';
import type { Value } from '../../../model/value.js';
import { EvalError, LimitError, MAX_STRING, checkSize, newObj, setKey } from './values.js';

interface Compiled {
  re: RE2JS;
  /** Capture group name → index (1-based). */
  names: Record<string, number>;
  groups: number;
}

function compile(pattern: string): Compiled {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
    throw new EvalError(`invalid regular expression ${JSON.stringify(pattern)}: ${why}`);
  }
  return { re, names: re.namedGroups(), groups: re.groupCount() };
}

/** Submatch index pairs of every match, Go's FindAllStringSubmatchIndex(s, -1). */
function allMatches(c: Compiled, s: string): number[][] {
  return c.re.re2().findAllSubmatchIndex(s, -1) ?? [];
}

/** One match as Terraform gives it: the string, a list of groups, or an object of named groups. */
function matchValue(c: Compiled, s: string, idx: number[]): Value {
  const sub = (g: number): Value => (idx[2 * g] < 0 ? null : s.slice(idx[2 * g], idx[2 * g + 1]));
  const named = Object.entries(c.names);
  if (c.groups === 0) return sub(0);
  if (named.length === 0) return Array.from({ length: c.groups }, (_, i) => sub(i + 1));
  if (named.length !== c.groups) throw new EvalError('a regular expression cannot mix named and unnamed capture groups');
  const o = newObj();
  for (const [name, g] of named.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) setKey(o, name, sub(g));
  return o;
}

export function regex(pattern: string, s: string): Value {
  const c = compile(pattern);
  const idx = c.re.re2().findSubmatchIndex(s);
  if (!idx) throw new EvalError('pattern did not match');
  return matchValue(c, s, idx);
}

export function regexall(pattern: string, s: string): Value[] {
  const c = compile(pattern);
  const matches = allMatches(c, s);
  checkSize(matches.length, 'regexall() result');
  return matches.map((idx) => matchValue(c, s, idx));
}

/** replace(s, "/pattern/", template): Go's ReplaceAllString, with $1, ${1}, $name, ${name}, $$. */
export function replaceRegex(s: string, pattern: string, template: string): string {
  const c = compile(pattern);
  const parts: string[] = [];
  let last = 0;
  let length = 0;
  for (const idx of allMatches(c, s)) {
    const piece = s.slice(last, idx[0]) + expand(c, s, idx, template);
    length += piece.length;
    if (length > MAX_STRING) throw new LimitError(`string longer than ${MAX_STRING} characters`);
    parts.push(piece);
    last = idx[1];
  }
  parts.push(s.slice(last));
  const out = parts.join('');
  if (out.length > MAX_STRING) throw new LimitError(`string longer than ${MAX_STRING} characters`);
  return out;
}

/** Go's Regexp.Expand: `$name` takes the longest run of word characters; a bad `$` stays as text. */
function expand(c: Compiled, s: string, idx: number[], template: string): string {
  return template.replace(/\$(?:\{(\w+)\}|(\w+))|\$\$/g, (t, braced?: string, bare?: string) => {
    if (t === '$$') return '$';
    const name = (braced ?? bare)!;
    const g = /^\d+$/.test(name) ? Number(name) : c.names[name];
    if (g === undefined || g > c.groups || idx[2 * g] < 0) return '';
    return s.slice(idx[2 * g], idx[2 * g + 1]);
  });
}
