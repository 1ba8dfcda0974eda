// Turning the syntax tree into exactly the JSON that @cdktf/hcl2json's `parse` returns, quirks
// included: literals become JSON values, every other expression becomes "${<source>}", template
// literals keep `${`/`%{` escaped as `$${`/`%%{`, a conditional inside a template becomes an
// `%{if}` directive, and object keys are sorted (Go's json.Marshal sorts map keys).
import type { Block, Body, Expr, TemplatePart } from './syntax.js';
import { HclSyntaxError } from './syntax.js';
import { evalNode } from './lexer.js';
import type { Node } from '../eval/ast.js';
import { isExpressionString } from '../eval/index.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A conversion failure (hcl2json's "convert to HCL: ..."), optionally at a source range. */
export class HclConvertError extends Error {
  constructor(
    message: string,
    readonly where?: { start: number; end: number; summary: string; detail: string },
  ) {
    super(message);
  }
}

type JsonObj = Map<string, unknown>;

/**
 * The JSON of a file, and every expression string in it (values and keys) with the evaluator's node
 * for it where the syntax tree gives one (see Expr.node); undefined: the string is to be parsed.
 */
export interface Converted {
  value: Record<string, JsonValue>;
  expressions: Map<string, Node | undefined>;
}

export function convertFile(body: Body, src: string): Converted {
  // Keys hold surrogate pairs only where the text does, or a \U escape makes one: other files
  // need no check of every key.
  const c = new Converter(src, /[\ud800-\udfff]|\\U/.test(src));
  return { value: c.body(body), expressions: c.expressions };
}

class Converter {
  readonly expressions = new Map<string, Node | undefined>();

  constructor(
    readonly src: string,
    /** Whether keys may hold surrogate pairs (then sorted by code point). */
    readonly pairs: boolean,
  ) {}

  /** Note an expression string of the JSON, with the node the evaluator's parser would read from it. */
  note(s: string, node: Node | undefined): void {
    if (this.expressions.get(s) === undefined) this.expressions.set(s, node);
  }

  /** A body as a JSON object: blocks grouped by type and labels (label maps), then attributes. */
  body(body: Body): { [key: string]: JsonValue } {
    const out: JsonObj = new Map();
    for (const b of body.blocks) this.block(b, out);
    for (const a of body.attributes) out.set(a.name, this.expression(a.expr));
    return this.object(out);
  }

  /**
   * A map as a plain object with keys in Go's order (byte order of UTF-8, i.e. code point order).
   * Values are JSON already, except label maps (see block), which are converted here.
   */
  object(m: JsonObj): { [key: string]: JsonValue } {
    const keys = Array.from(m.keys());
    if (keys.length > 1) keys.sort(this.pairs && hasSurrogates(keys) ? compareCodePoints : undefined);
    const out: { [key: string]: JsonValue } = {};
    for (const k of keys) {
      const v = m.get(k);
      const x = (v instanceof Map ? this.object(v) : v) as JsonValue;
      // As Object.fromEntries does: "__proto__" is a key like any other, not the prototype.
      if (k === '__proto__') Object.defineProperty(out, k, { value: x, writable: true, enumerable: true, configurable: true });
      else out[k] = x;
    }
    return out;
  }

  block(block: Block, root: JsonObj): void {
    let out = root;
    let key = block.type;
    for (const label of block.labels) {
      if (isExpressionString(label)) this.note(label, undefined);
      const inner = out.get(key);
      if (inner !== undefined) {
        if (!(inner instanceof Map)) throw new HclConvertError(`Unable to convert Block to JSON: ${block.type}.${block.labels.join('.')}`);
        out = inner;
      } else {
        const obj: JsonObj = new Map();
        out.set(key, obj);
        out = obj;
      }
      key = label;
    }
    const value = this.body(block.body);
    const current = out.get(key);
    if (current === undefined) out.set(key, [value]);
    else if (Array.isArray(current)) current.push(value);
    else throw new HclConvertError(`invalid HCL detected for "${block.type}" block, cannot have blocks with and without labels`);
  }

  /** hcl2json's rangeSource: the expression's text, plus a directly following ")". */
  source(e: { start: number; end: number }): string {
    const end = this.src[e.end] === ')' ? e.end + 1 : e.end;
    return this.src.slice(e.start, end);
  }

  wrap(e: Expr): string {
    return '${' + this.source(e) + '}';
  }

  /** A wrapped expression as a JSON value. */
  wrapValue(e: Expr): string {
    const s = this.wrap(e);
    if (this.expressions.get(s) === undefined) this.expressions.set(s, this.wrapNode(e));
    return s;
  }

  /** The node of "${<source>}": none when rangeSource took a following ")" in. */
  wrapNode(e: Expr): Node | undefined {
    const node = evalNode(e);
    return node && this.src[e.end] !== ')' ? { k: 'wrap', e: node } : undefined;
  }

  /**
   * The node of a rendered template (parts as `template` renders them): literals and interpolations
   * rendered as "${<source>}"; nothing where the rendering changes how the text reads (a literal
   * "$" before an interpolation reads as the escape "$${").
   */
  templateNode(parts: TemplatePart[]): Node | undefined {
    const out: Node[] = [];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (p.kind === 'literal') {
        if (i < parts.length - 1 && (p.value.endsWith('$') || p.value.endsWith('%'))) return undefined;
        out.push({ k: 'lit', v: p.value });
      } else if (p.kind === 'interp' && WRAPPED_IN_STRING.has(p.expr.kind)) {
        const node = this.wrapNode(p.expr);
        if (node === undefined) return undefined;
        out.push(node);
      } else return undefined;
    }
    return out.length === 1 && out[0].k === 'wrap' ? out[0] : { k: 'tmpl', parts: out };
  }

  /** The node of stringPart's string. */
  stringNode(e: Expr): Node | undefined {
    if (e.kind === 'template') return this.templateNode(e.parts);
    if (e.kind === 'wrap') return this.stringNode(e.inner);
    return WRAPPED_IN_STRING.has(e.kind) ? this.wrapNode(e) : undefined;
  }

  expression(e: Expr): JsonValue {
    switch (e.kind) {
      case 'number':
        return Number(e.text);
      case 'bool':
        return e.value;
      case 'null':
        return null;
      case 'unary':
        return this.unary(e);
      case 'template': {
        const s = this.template(e.parts);
        if (isExpressionString(s) && this.expressions.get(s) === undefined) this.expressions.set(s, this.templateNode(e.parts));
        return s;
      }
      case 'wrap':
        return this.expression(e.inner);
      case 'tuple':
        return e.items.map((x) => this.expression(x));
      case 'object': {
        const m: JsonObj = new Map();
        for (const item of e.items) m.set(this.key(item.key), this.expression(item.value));
        return this.object(m);
      }
      default:
        return this.wrapValue(e);
    }
  }

  unary(e: Expr & { kind: 'unary' }): JsonValue {
    const v = e.operand;
    if (v.kind !== 'number' && v.kind !== 'bool' && v.kind !== 'null') return this.wrapValue(e);
    const fail = (start: number, summary: string, detail: string): never => {
      throw new HclConvertError(`${summary}; ${detail}`, { start, end: e.end, summary, detail });
    };
    if (v.kind === 'null') return fail(e.start, 'Operation failed', 'Error during operation: argument must not be null.');
    if (e.op === '-') {
      if (v.kind === 'number') return -Number(v.text);
      return fail(v.start, 'Invalid operand', 'Unsuitable value for unary operand: number required.');
    }
    if (v.kind === 'bool') return !v.value;
    return fail(v.start, 'Invalid operand', 'Unsuitable value for unary operand: bool required.');
  }

  template(parts: TemplatePart[]): string {
    let out = '';
    for (const p of parts) out += this.part(p);
    return out;
  }

  part(p: TemplatePart): string {
    switch (p.kind) {
      case 'literal':
        return escapeLiteral(p.value);
      case 'interp':
        return this.stringPart(p.expr);
      case 'if': {
        const f = this.template(p.else);
        return `%{if ${this.source(p.cond)}}${this.template(p.then)}${f ? `%{else}${f}` : ''}%{endif}`;
      }
      case 'for':
        return `%{for ${p.keyVar ? `${p.keyVar}, ` : ''}${p.valVar} in ${this.source(p.coll)}}${this.template(p.body)}%{endfor}`;
    }
  }

  /** An expression as part of a string (template part or object key). */
  stringPart(e: Expr): string {
    switch (e.kind) {
      case 'number':
        return decimalString(e.text);
      case 'bool':
        return String(e.value);
      case 'null':
        throw new HclConvertError('Invalid template interpolation value; The expression result is null.', {
          start: e.start,
          end: e.end,
          summary: 'Invalid template interpolation value',
          detail: 'The expression result is null.',
        });
      case 'template':
        return this.template(e.parts);
      case 'wrap':
        return this.stringPart(e.inner);
      case 'conditional': {
        const f = this.stringPart(e.else);
        return `%{if ${this.source(e.cond)}}${this.stringPart(e.then)}${f ? `%{else}${f}` : ''}%{endif}`;
      }
      default:
        return this.wrap(e);
    }
  }

  key(k: Expr): string {
    // A bare name or traversal (keywords included) is the key as written.
    if (k.kind === 'traversal' || k.kind === 'bool' || k.kind === 'null') {
      const s = this.source(k);
      if (isExpressionString(s)) this.note(s, undefined);
      return s;
    }
    const s = this.stringPart(k);
    if (isExpressionString(s) && this.expressions.get(s) === undefined) this.expressions.set(s, this.stringNode(k));
    return s;
  }
}

/** Expressions that stringPart renders as "${<source>}". */
const WRAPPED_IN_STRING: ReadonlySet<Expr['kind']> = new Set(['traversal', 'other', 'unary', 'tuple', 'object']);

/** Literal template text as hcl2json prints it: `${` and `%{` stay escaped. */
function escapeLiteral(s: string): string {
  if (!s.includes('{')) return s;
  return s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** A number literal as cty converts it to a string: plain decimal, no exponent, no trailing zeros. */
export function decimalString(text: string): string {
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text;
  const intPart = m[1] ?? '';
  let digits = intPart + (m[2] ?? '');
  // `point`: where the decimal point sits within `digits`.
  let point = intPart.length + Number(m[3] ?? 0);
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead).replace(/0+$/, '');
  point -= lead;
  if (digits === '') return '0';
  if (point <= 0) return '0.' + '0'.repeat(-point) + digits;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return digits.slice(0, point) + '.' + digits.slice(point);
}

/** UTF-16 order equals code point order unless a key holds a surrogate pair. */
function hasSurrogates(keys: string[]): boolean {
  for (const k of keys) {
    for (let i = 0; i < k.length; i++) if (k.charCodeAt(i) >= 0xd800) return true;
  }
  return false;
}

function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

export { HclSyntaxError };
