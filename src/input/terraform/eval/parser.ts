// Parser for Terraform expressions and templates (HCL native syntax), written by hand because
// @cdktf/hcl2json's getExpressionAst drops parenthesised expressions and object items and leaves
// template escapes undecoded. Pure and synchronous; errors become a ParseError.
import type { BinaryOp, Node } from './ast.js';
import { minOf } from '../../../model/arrays.js';

export class ParseError extends Error {}

/** Nesting deeper than this is refused rather than risking a stack overflow. */
const MAX_DEPTH = 150;

const BINARY_LEVELS: BinaryOp[][] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];
/** Each level's operators, longest first (sorted once: binaryOperator runs at every level of every operand). */
const LEVEL_OPERATORS: BinaryOp[][] = BINARY_LEVELS.map((ops) => [...ops].sort((a, b) => b.length - a.length));

/**
 * Parse a string as hcl2json renders attribute values: a template whose literal text is already
 * decoded (only `$${` and `%%{` remain escaped) and whose `${...}` parts hold expression source.
 */
export function parseRenderedTemplate(source: string): Node {
  const p = new Parser(source);
  const node = p.template('rendered', '');
  if (p.pos < source.length) p.fail('unexpected text');
  return node;
}

/** Parse a bare expression ("var.x + 1"). */
export function parseBareExpression(source: string): Node {
  const p = new Parser(source);
  const node = p.expr();
  p.ws(true);
  if (p.pos < source.length) p.fail(`unexpected "${source[p.pos]}"`);
  return node;
}

type TemplateMode = 'rendered' | 'quoted' | 'heredoc';

interface Directive {
  kind: 'if' | 'else' | 'endif' | 'for' | 'endfor';
  cond?: Node;
  keyVar?: string | null;
  valVar?: string;
  coll?: Node;
}

class Parser {
  pos = 0;
  depth = 0;
  constructor(readonly src: string) {}

  fail(msg: string): never {
    throw new ParseError(`${msg} at offset ${this.pos}`);
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail('expression nested too deeply');
  }

  /** Skip blanks and comments; newlines only when allowed (inside brackets, interpolations). */
  ws(newlines = true): void {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.pos++;
      else if (c === '#' || (c === '/' && s[this.pos + 1] === '/')) {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && s[this.pos + 1] === '*') {
        const end = s.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('unterminated comment');
        this.pos = end + 2;
      } else return;
    }
  }

  peek(str: string): boolean {
    return this.src.startsWith(str, this.pos);
  }

  /** Consume `str` after blanks; on a miss leave the position alone (newlines may separate items). */
  eat(str: string): boolean {
    const save = this.pos;
    this.ws();
    if (this.peek(str)) {
      this.pos += str.length;
      return true;
    }
    this.pos = save;
    return false;
  }

  expect(str: string): void {
    if (!this.eat(str)) this.fail(`expected "${str}"`);
  }

  ident(): string | null {
    this.ws();
    // At most 256 characters, as the name pattern matched against a 256-character window did.
    const s = this.src;
    const start = this.pos;
    if (!isNameStart(s.charCodeAt(start))) return null;
    const limit = Math.min(s.length, start + 256);
    let end = start + 1;
    while (end < limit && isNameChar(s.charCodeAt(end))) end++;
    this.pos = end;
    return s.slice(start, end);
  }

  /** True when the next word is exactly `kw` (not a prefix of a longer identifier). */
  keyword(kw: string): boolean {
    const save = this.pos;
    this.ws();
    const next = this.src[this.pos + kw.length] ?? '';
    if (!this.peek(kw) || /[A-Za-z0-9_-]/.test(next)) {
      this.pos = save;
      return false;
    }
    this.pos += kw.length;
    return true;
  }

  expr(): Node {
    this.enter();
    try {
      const c = this.binary(0);
      if (this.eat('?')) {
        const t = this.expr();
        this.expect(':');
        const f = this.expr();
        return { k: 'cond', c, t, f };
      }
      return c;
    } finally {
      this.depth--;
    }
  }

  binary(level: number): Node {
    if (level >= BINARY_LEVELS.length) return this.unary();
    let l = this.binary(level + 1);
    for (;;) {
      const save = this.pos;
      this.ws();
      const op = this.binaryOperator(level);
      if (!op) {
        this.pos = save;
        return l;
      }
      const r = this.binary(level + 1);
      l = { k: 'bin', op, l, r };
    }
  }

  binaryOperator(level: number): BinaryOp | null {
    // Longest operators first (LEVEL_OPERATORS); "=>" and "==" must not be read as "=" / ">" etc.
    for (const op of LEVEL_OPERATORS[level]) {
      if (!this.peek(op)) continue;
      if ((op === '<' || op === '>') && this.src[this.pos + 1] === '=') continue;
      if (op === '>' && this.src[this.pos - 1] === '=') continue;
      if (op === '*' && (this.src[this.pos - 1] === '[' || this.src[this.pos - 1] === '.')) continue;
      this.pos += op.length;
      return op;
    }
    return null;
  }

  unary(): Node {
    this.ws();
    const c = this.src[this.pos];
    if (c === '-' || c === '!') {
      if (c === '!' && this.src[this.pos + 1] === '=') this.fail('unexpected "!="');
      this.pos++;
      this.enter();
      try {
        const e = this.unary();
        if (c === '-' && e.k === 'lit' && typeof e.v === 'number') return { k: 'lit', v: -e.v };
        return { k: 'un', op: c, e };
      } finally {
        this.depth--;
      }
    }
    return this.postfix(this.primary());
  }

  postfix(node: Node): Node {
    for (;;) {
      // Traversals may not cross a newline outside brackets in HCL, but inside brackets they may;
      // accepting both is harmless for rendered attribute values.
      const save = this.pos;
      this.ws();
      if (this.peek('.*')) {
        this.pos += 2;
        node = { k: 'splat', o: node, each: this.splatEach(true) };
      } else if (this.peek('[') && /^\[\s*\*\s*\]/.test(this.src.slice(this.pos, this.pos + 20))) {
        this.pos = this.src.indexOf(']', this.pos) + 1;
        node = { k: 'splat', o: node, each: this.splatEach(false) };
      } else if (this.peek('.') && !this.peek('...')) {
        this.pos++;
        node = this.dotStep(node);
      } else if (this.peek('[')) {
        this.pos++;
        const key = this.expr();
        this.expect(']');
        node = { k: 'index', o: node, key };
      } else {
        this.pos = save;
        return node;
      }
    }
  }

  dotStep(node: Node): Node {
    this.ws();
    const c = this.src.charCodeAt(this.pos);
    const num = c >= 48 && c <= 57 ? /^[0-9]+/.exec(this.src.slice(this.pos, this.pos + 32)) : null;
    if (num) {
      this.pos += num[0].length;
      return { k: 'index', o: node, key: { k: 'lit', v: Number(num[0]) } };
    }
    const name = this.ident();
    if (name === null) this.fail('expected attribute name');
    return { k: 'attr', o: node, name };
  }

  /** Traversal steps applied to each element after a splat; `.*` takes attributes only. */
  splatEach(attrOnly: boolean): Node {
    let each: Node = { k: 'anon' };
    for (;;) {
      const save = this.pos;
      this.ws();
      if (this.peek('.') && !this.peek('.*') && !this.peek('...')) {
        this.pos++;
        each = this.dotStep(each);
      } else if (!attrOnly && this.peek('[') && !/^\[\s*\*/.test(this.src.slice(this.pos, this.pos + 20))) {
        this.pos++;
        const key = this.expr();
        this.expect(']');
        each = { k: 'index', o: each, key };
      } else {
        this.pos = save;
        return each;
      }
    }
  }

  primary(): Node {
    this.ws();
    const s = this.src;
    const c = s[this.pos];
    if (c === undefined) this.fail('unexpected end of expression');
    if (c === '(') {
      this.pos++;
      const e = this.expr();
      this.expect(')');
      return e;
    }
    if (c === '"') {
      this.pos++;
      this.enter();
      try {
        return this.template('quoted', '');
      } finally {
        this.depth--;
      }
    }
    if (this.peek('<<')) return this.heredoc();
    if (c === '[') {
      this.pos++;
      this.enter();
      try {
        return this.tupleOrFor();
      } finally {
        this.depth--;
      }
    }
    if (c === '{') {
      this.pos++;
      this.enter();
      try {
        return this.objectOrFor();
      } finally {
        this.depth--;
      }
    }
    const num = c >= '0' && c <= '9' ? /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(s.slice(this.pos, this.pos + 400)) : null;
    if (num) {
      this.pos += num[0].length;
      return { k: 'lit', v: Number(num[0]) };
    }
    const id = this.ident();
    if (id === null) this.fail(`unexpected "${c}"`);
    if (id === 'true') return { k: 'lit', v: true };
    if (id === 'false') return { k: 'lit', v: false };
    if (id === 'null') return { k: 'lit', v: null };
    let name = id;
    while (this.peek('::')) {
      this.pos += 2;
      const part = this.ident();
      if (part === null) this.fail('expected function name');
      name += `::${part}`;
    }
    const save = this.pos;
    this.ws();
    if (this.peek('(')) {
      this.pos++;
      this.enter();
      try {
        return this.call(name);
      } finally {
        this.depth--;
      }
    }
    if (name !== id) this.fail('expected "("');
    this.pos = save;
    return { k: 'name', name };
  }

  call(name: string): Node {
    const args: Node[] = [];
    let expand = false;
    for (;;) {
      if (this.eat(')')) break;
      args.push(this.expr());
      if (this.eat('...')) {
        expand = true;
        this.eat(',');
        this.expect(')');
        break;
      }
      if (!this.eat(',')) {
        this.expect(')');
        break;
      }
    }
    return { k: 'call', name, args, expand };
  }

  tupleOrFor(): Node {
    if (this.keyword('for')) return this.forExpr(false);
    const items: Node[] = [];
    for (;;) {
      if (this.eat(']')) break;
      items.push(this.expr());
      if (!this.eat(',')) {
        this.expect(']');
        break;
      }
    }
    return { k: 'tuple', items };
  }

  objectOrFor(): Node {
    if (this.keyword('for')) return this.forExpr(true);
    const items: [Node, Node][] = [];
    for (;;) {
      if (this.eat('}')) break;
      this.ws();
      const parenthesised = this.src[this.pos] === '(';
      let key = this.expr();
      // A bare name as key is the literal name, as in HCL ({ a = 1 } has the key "a"); `(a)` is
      // the value of a.
      if (key.k === 'name' && !parenthesised) key = { k: 'lit', v: key.name };
      this.ws();
      if (!this.eat('=') && !this.eat(':')) this.fail('expected "=" or ":" in object');
      const value = this.expr();
      items.push([key, value]);
      this.ws(false);
      // Items are separated by commas or newlines.
      if (this.src[this.pos] === ',' || this.src[this.pos] === '\n') {
        this.pos++;
        continue;
      }
      this.expect('}');
      break;
    }
    return { k: 'object', items };
  }

  forVars(): { keyVar: string | null; valVar: string } {
    const first = this.ident();
    if (first === null) this.fail('expected for variable');
    if (this.eat(',')) {
      const second = this.ident();
      if (second === null) this.fail('expected for variable');
      return { keyVar: first, valVar: second };
    }
    return { keyVar: null, valVar: first };
  }

  forExpr(obj: boolean): Node {
    const { keyVar, valVar } = this.forVars();
    if (!this.keyword('in')) this.fail('expected "in"');
    const coll = this.expr();
    this.expect(':');
    let keyE: Node | null = null;
    let valE = this.expr();
    let group = false;
    if (obj) {
      this.expect('=>');
      keyE = valE;
      valE = this.expr();
      group = this.eat('...');
    }
    const cond = this.keyword('if') ? this.expr() : null;
    this.expect(obj ? '}' : ']');
    return { k: 'for', obj, keyVar, valVar, coll, keyE, valE, cond, group };
  }

  heredoc(): Node {
    const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\r?\n/.exec(this.src.slice(this.pos, this.pos + 300));
    if (!m) this.fail('malformed heredoc');
    const [whole, dash, marker] = m;
    const bodyStart = this.pos + whole.length;
    const endRe = new RegExp(`(^|\\n)[ \\t]*${marker}[ \\t]*(\\r?\\n|$)`, 'g');
    endRe.lastIndex = bodyStart - 1;
    const end = endRe.exec(this.src);
    if (!end) this.fail('unterminated heredoc');
    let body = this.src.slice(bodyStart, end.index + (end[1] ? 1 : 0));
    if (dash) {
      // <<- removes the smallest common leading whitespace of the lines.
      const lines = body.split('\n');
      const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
      const cut = indents.length ? minOf(indents) : 0;
      body = lines.map((l) => l.slice(cut)).join('\n');
    }
    this.pos = end.index + end[0].length;
    const inner = new Parser(body);
    inner.depth = this.depth;
    const node = inner.template('heredoc', '');
    return node;
  }

  /** Parse template text up to `"` (quoted), `%{...}` closing a directive body, or the end. */
  template(mode: TemplateMode, _ctx: string): Node {
    const items: (Node | Directive)[] = [];
    let lit = '';
    let trimNext = false;
    const s = this.src;
    const flush = (): void => {
      if (lit !== '') items.push({ k: 'lit', v: lit });
      lit = '';
    };
    for (;;) {
      if (this.pos >= s.length) {
        if (mode === 'quoted') this.fail('unterminated string');
        break;
      }
      const c = s[this.pos];
      if (mode === 'quoted' && c === '"') {
        this.pos++;
        break;
      }
      if (mode === 'quoted' && c === '\n') this.fail('newline in quoted string');
      if ((c === '$' || c === '%') && s[this.pos + 1] === c && s[this.pos + 2] === '{') {
        lit += `${c}{`;
        this.pos += 3;
        continue;
      }
      if ((c === '$' || c === '%') && s[this.pos + 1] === '{') {
        this.pos += 2;
        const stripBefore = s[this.pos] === '~';
        if (stripBefore) {
          this.pos++;
          lit = lit.replace(/\s+$/, '');
        }
        flush();
        if (c === '$') {
          // Interpolations are marked as wraps so a lone one can yield its value unconverted.
          items.push({ k: 'wrap', e: this.expr() });
        } else {
          items.push(this.directive());
        }
        this.ws();
        trimNext = false;
        if (s[this.pos] === '~') {
          this.pos++;
          trimNext = true;
        }
        if (s[this.pos] !== '}') this.fail('expected "}"');
        this.pos++;
        if (trimNext) {
          while (this.pos < s.length && /\s/.test(s[this.pos])) this.pos++;
        }
        continue;
      }
      if (mode === 'quoted' && c === '\\') {
        lit += this.escape();
        continue;
      }
      lit += c;
      this.pos++;
    }
    flush();
    return buildTemplate(items, this);
  }

  escape(): string {
    const s = this.src;
    const e = s[this.pos + 1];
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
    if (e !== undefined && e in simple) {
      this.pos += 2;
      return simple[e];
    }
    const hex = e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hex) {
      const digits = s.slice(this.pos + 2, this.pos + 2 + hex);
      if (!new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) this.fail('invalid unicode escape');
      const cp = parseInt(digits, 16);
      if (cp > 0x10ffff) this.fail('invalid unicode escape');
      this.pos += 2 + hex;
      return String.fromCodePoint(cp);
    }
    this.fail('invalid escape sequence');
  }

  directive(): Directive {
    if (this.keyword('if')) return { kind: 'if', cond: this.expr() };
    if (this.keyword('else')) return { kind: 'else' };
    if (this.keyword('endif')) return { kind: 'endif' };
    if (this.keyword('endfor')) return { kind: 'endfor' };
    if (this.keyword('for')) {
      const { keyVar, valVar } = this.forVars();
      if (!this.keyword('in')) this.fail('expected "in"');
      return { kind: 'for', keyVar, valVar, coll: this.expr() };
    }
    this.fail('unknown template directive');
  }
}

/** [A-Za-z_] */
function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/** [A-Za-z0-9_-] */
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45;
}

function isDirective(x: Node | Directive): x is Directive {
  return 'kind' in x;
}

/** Turn the flat list of parts and directives into nested if/for nodes. */
function buildTemplate(items: (Node | Directive)[], p: Parser): Node {
  let i = 0;
  const seq = (stops: Directive['kind'][]): { node: Node; stop: Directive | null } => {
    const parts: Node[] = [];
    while (i < items.length) {
      const it = items[i++];
      if (!isDirective(it)) {
        parts.push(it);
        continue;
      }
      if (stops.includes(it.kind)) return { node: { k: 'tmpl', parts }, stop: it };
      if (it.kind === 'if') {
        const t = seq(['else', 'endif']);
        let f: Node | null = null;
        if (t.stop?.kind === 'else') {
          const fe = seq(['endif']);
          if (!fe.stop) p.fail('missing %{endif}');
          f = fe.node;
        } else if (!t.stop) p.fail('missing %{endif}');
        parts.push({ k: 'tif', c: it.cond!, t: t.node, f });
      } else if (it.kind === 'for') {
        const body = seq(['endfor']);
        if (!body.stop) p.fail('missing %{endfor}');
        parts.push({ k: 'tfor', keyVar: it.keyVar ?? null, valVar: it.valVar!, coll: it.coll!, body: body.node });
      } else p.fail(`unexpected %{${it.kind}}`);
    }
    return { node: { k: 'tmpl', parts }, stop: null };
  };
  const { node, stop } = seq([]);
  if (stop) p.fail(`unexpected %{${stop.kind}}`);
  if (node.k === 'tmpl' && node.parts.length === 1 && node.parts[0].k === 'wrap') return node.parts[0];
  return node;
}
