// A hand-written parser for HCL native syntax (.tf files), shaped after HashiCorp's hclsyntax.
//
// Why: @cdktf/hcl2json (Go in WASM) costs 100-500 ms per file. This parser builds just enough of
// hclsyntax's tree to reproduce hcl2json's JSON exactly (see convert.ts): literals, templates,
// tuples, objects and unary operators are kept structurally; every other expression only needs its
// exact source range, because hcl2json renders it as "${<source as written>}". Ranges follow
// hclsyntax's rules: first token to last token, comments and newlines inside included.

/** 0-based offsets into the text; `end` exclusive. */
export interface Range {
  start: number;
  end: number;
}

export type Expr =
  | (Range & { kind: 'number'; text: string })
  | (Range & { kind: 'bool'; value: boolean })
  | (Range & { kind: 'null' })
  | (Range & { kind: 'template'; parts: TemplatePart[] })
  /** A template that is exactly one interpolation: "${x}". */
  | (Range & { kind: 'wrap'; inner: Expr })
  | (Range & { kind: 'tuple'; items: Expr[] })
  | (Range & { kind: 'object'; items: ObjectItem[] })
  | (Range & { kind: 'unary'; op: '-' | '!'; operand: Expr })
  /** `c ? t : f`: hcl2json renders it as an `%{if}` directive when it is part of a template. */
  | (Range & { kind: 'conditional'; cond: Expr; then: Expr; else: Expr })
  /** Scope traversal (`var.a`, `a[0]`, bare `true` as an object key): keys keep its source. */
  | (Range & { kind: 'traversal' })
  /** Anything else (calls, operators, conditionals, for, splat, parentheses...). */
  | (Range & { kind: 'other' });

export type TemplatePart =
  | (Range & { kind: 'literal'; value: string })
  | (Range & { kind: 'interp'; expr: Expr })
  | (Range & { kind: 'if'; cond: Expr; then: TemplatePart[]; else: TemplatePart[] })
  | (Range & { kind: 'for'; keyVar: string; valVar: string; coll: Expr; body: TemplatePart[] });

export interface ObjectItem {
  key: Expr;
  value: Expr;
}

export interface Attribute extends Range {
  name: string;
  nameRange: Range;
  expr: Expr;
}

export interface Block extends Range {
  type: string;
  labels: string[];
  body: Body;
}

export interface Body extends Range {
  attributes: Attribute[];
  blocks: Block[];
}

/** A syntax error with its 0-based range; the caller renders it hcl2json's way. */
export class HclSyntaxError extends Error {
  constructor(
    readonly summary: string,
    readonly detail: string,
    readonly start: number,
    readonly end: number,
    /** Where an earlier definition is, for details that mention `{related}`. */
    readonly related?: Range,
  ) {
    super(`${summary}; ${detail}`);
  }
}

/** Nesting deeper than this is refused rather than risking a stack overflow. */
const MAX_DEPTH = 400;

const BINARY_LEVELS: string[][] = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];
const OPERATOR_LEVEL = new Map(BINARY_LEVELS.flatMap((ops, level) => ops.map((op) => [op, level] as const)));

const isSpaceChar = (c: string): boolean => /\s/u.test(c);

function isIdentStart(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95) return true;
  return code > 127 && /[\p{ID_Start}]/u.test(c);
}

function isIdentChar(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 45) return true;
  return code > 127 && /[\p{ID_Continue}]/u.test(c);
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Parse a whole file's body. Throws HclSyntaxError. */
export function parseConfig(text: string): Body {
  const p = new Parser(text);
  const body = p.body(true);
  return body;
}

class Parser {
  pos = 0;
  depth = 0;
  /** Whether newlines are insignificant here (inside parentheses, brackets and interpolations). */
  ignoreNl = false;

  constructor(readonly src: string) {}

  fail(summary: string, detail: string, start = this.pos, end = Math.min(start + 1, this.src.length), related?: Range): never {
    throw new HclSyntaxError(summary, detail, start, end, related);
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail('Nesting too deep', `Expressions and blocks may be nested at most ${MAX_DEPTH} levels deep.`);
  }

  leave(): void {
    this.depth--;
  }

  /** Skip blanks and comments; newlines too when `nl` (or when newlines are being ignored). */
  skip(nl = this.ignoreNl): void {
    const s = this.src;
    const n = s.length;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\ufeff') this.pos++;
      else if (c === '\n') {
        if (!nl) return;
        this.pos++;
      } else if (c === '#' || (c === '/' && s[this.pos + 1] === '/')) {
        // A line comment ends at its newline, which stays significant.
        let j = this.pos;
        while (j < n && s[j] !== '\n') j++;
        this.pos = j;
      } else if (c === '/' && s[this.pos + 1] === '*') {
        const close = s.indexOf('*/', this.pos + 2);
        if (close < 0) this.fail('Unterminated comment', 'There is no closing marker for this comment.', this.pos, this.pos + 2);
        this.pos = close + 2;
      } else return;
    }
  }

  /** Is the next significant token `tok`? (Does not consume.) */
  at(tok: string): boolean {
    this.skip();
    return this.src.startsWith(tok, this.pos);
  }

  atEnd(): boolean {
    this.skip();
    return this.pos >= this.src.length;
  }

  /** Is the text at the current position a newline (or a line comment, or EOF)? */
  atLineEnd(): boolean {
    this.skip(false);
    const c = this.src[this.pos];
    return c === undefined || c === '\n';
  }

  ident(): string | undefined {
    if (!isIdentStart(this.src[this.pos])) return undefined;
    const start = this.pos;
    this.pos++;
    while (isIdentChar(this.src[this.pos])) this.pos++;
    return this.src.slice(start, this.pos);
  }

  /** Operator at the current position, longest match, or undefined. */
  operator(): string | undefined {
    const s = this.src;
    const c = s[this.pos];
    const d = s[this.pos + 1];
    if (d === '=' && (c === '=' || c === '!' || c === '<' || c === '>')) return c + d;
    if ((c === '&' && d === '&') || (c === '|' && d === '|')) return c + d;
    if (c === '<' && d === '<') return undefined; // heredoc
    if (c === '<' || c === '>' || c === '+' || c === '-' || c === '*' || c === '/' || c === '%') return c;
    return undefined;
  }

  withNl<T>(ignore: boolean, f: () => T): T {
    const saved = this.ignoreNl;
    this.ignoreNl = ignore;
    try {
      return f();
    } finally {
      this.ignoreNl = saved;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Bodies

  body(top: boolean): Body {
    const start = this.pos;
    const attributes: Attribute[] = [];
    const blocks: Block[] = [];
    const seen = new Map<string, Attribute>();
    this.enter();
    for (;;) {
      this.skip(true);
      const c = this.src[this.pos];
      if (c === undefined) {
        if (top) break;
        return { start, end: this.pos, attributes, blocks }; // caller reports the unclosed block
      }
      if (c === '}') {
        if (top) this.fail('Argument or block definition required', 'An argument or block definition is required here.');
        break;
      }
      const item = this.bodyItem();
      if ('expr' in item) {
        const prev = seen.get(item.name);
        if (prev) {
          this.fail(
            'Attribute redefined',
            `The argument "${item.name}" was already set at {related}. Each argument may be set only once.`,
            item.nameRange.start,
            item.nameRange.end,
            prev.nameRange,
          );
        }
        seen.set(item.name, item);
        attributes.push(item);
        if (!this.atLineEnd()) this.fail('Missing newline after argument', 'An argument definition must end with a newline.');
      } else {
        blocks.push(item);
        if (!this.atLineEnd()) this.fail('Missing newline after block definition', 'A block definition must end with a newline.');
      }
    }
    this.leave();
    return { start, end: this.pos, attributes, blocks };
  }

  bodyItem(): Attribute | Block {
    const start = this.pos;
    if (this.src[start] === '"') {
      this.fail('Invalid argument name', 'Argument names must not be quoted.');
    }
    const name = this.ident();
    if (name === undefined) this.fail('Argument or block definition required', 'An argument or block definition is required here.');
    const nameRange = { start, end: this.pos };
    this.skip(false);
    if (this.src[this.pos] === '=' && this.src[this.pos + 1] !== '=') {
      this.pos++;
      const expr = this.withNl(false, () => this.expression());
      return { name, nameRange, expr, start, end: expr.end };
    }
    const labels: string[] = [];
    for (;;) {
      this.skip(false);
      const c = this.src[this.pos];
      if (c === '{') break;
      if (c === '"') {
        labels.push(this.quotedLabel());
        continue;
      }
      const label = this.ident();
      if (label === undefined) {
        const here = this.pos;
        const end = this.src[here] === '\n' || here >= this.src.length ? here : here + 1;
        this.fail('Invalid block definition', 'Either a quoted string block label or an opening brace ("{") is expected here.', here, end);
      }
      labels.push(label);
    }
    const open = this.pos;
    this.pos++;
    this.skip(false);
    let body: Body;
    if (this.src[this.pos] === '\n' || this.pos >= this.src.length) {
      body = this.withNl(false, () => this.body(false));
      if (this.src[this.pos] !== '}') {
        this.fail(
          'Unclosed configuration block',
          'There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.',
          open,
          open + 1,
        );
      }
    } else {
      body = this.singleLineBody();
    }
    this.pos++; // closing brace
    return { type: name, labels, body, start, end: this.pos };
  }

  /** `name { a = 1 }` or `name {}` on one line. Leaves the position on the closing brace. */
  singleLineBody(): Body {
    const start = this.pos;
    const attributes: Attribute[] = [];
    if (this.src[this.pos] !== '}') {
      const aStart = this.pos;
      const name = this.ident();
      if (name === undefined) this.fail('Argument or block definition required', 'An argument or block definition is required here.');
      const nameRange = { start: aStart, end: this.pos };
      this.skip(false);
      if (this.src[this.pos] !== '=' || this.src[this.pos + 1] === '=') {
        this.fail('Invalid single-argument block definition', 'A single-line block definition can contain only a single argument. If you meant to define argument, use an equals sign to assign it a value. To define a nested block, place it on a line of its own within its parent block.', aStart, this.pos);
      }
      this.pos++;
      const expr = this.withNl(false, () => this.expression());
      attributes.push({ name, nameRange, expr, start: aStart, end: expr.end });
      this.skip(false);
      if (this.src[this.pos] !== '}') {
        this.fail('Invalid single-argument block definition', 'A single-line block definition must end with a closing brace immediately after its single argument definition.');
      }
    }
    return { start, end: this.pos, attributes, blocks: [] };
  }

  quotedLabel(): string {
    const start = this.pos;
    const t = this.quotedTemplate();
    if (t.kind !== 'template' || t.parts.some((p) => p.kind !== 'literal')) {
      this.fail('Invalid block label', 'Template sequences are not allowed in block labels.', start, this.pos);
    }
    return t.parts.map((p) => (p.kind === 'literal' ? p.value : '')).join('');
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  expression(): Expr {
    this.enter();
    const cond = this.binary(0);
    let out = cond;
    if (this.at('?')) {
      this.pos++;
      const t = this.expression();
      if (!this.at(':')) this.fail('Missing false expression in conditional', 'The conditional operator (...?...:...) requires a false expression, delimited by a colon.');
      this.pos++;
      const f = this.expression();
      out = { kind: 'conditional', cond, then: t, else: f, start: cond.start, end: f.end };
    }
    this.leave();
    return out;
  }

  /** Binary operators by precedence climbing (left-associative, hclsyntax's six levels). */
  binary(minLevel: number): Expr {
    let lhs = this.unary();
    for (;;) {
      this.skip();
      const op = this.operator();
      const level = op === undefined ? undefined : OPERATOR_LEVEL.get(op);
      if (op === undefined || level === undefined || level < minLevel) return lhs;
      this.pos += op.length;
      this.enter();
      const rhs = this.binary(level + 1);
      this.leave();
      lhs = { kind: 'other', start: lhs.start, end: rhs.end };
    }
  }

  unary(): Expr {
    this.skip();
    const c = this.src[this.pos];
    if ((c === '-' || c === '!') && this.src[this.pos + 1] !== '=') {
      const start = this.pos;
      this.pos++;
      this.enter();
      const operand = this.unary();
      this.leave();
      return { kind: 'unary', op: c, operand, start, end: operand.end };
    }
    return this.postfix(this.term());
  }

  /** Attribute access, indexes and splats after a term. */
  postfix(term: Expr): Expr {
    let e = term;
    // A traversal stays a traversal while its steps are names and literal indexes.
    let traversal = term.kind === 'traversal';
    for (;;) {
      this.skip();
      const c = this.src[this.pos];
      if (c === '.') {
        if (this.src[this.pos + 1] === '.') return e; // `...` expansion
        this.pos++;
        this.skip();
        if (this.src[this.pos] === '*') {
          this.pos++;
          traversal = false;
        } else if (isDigit(this.src[this.pos])) {
          while (isDigit(this.src[this.pos])) this.pos++;
        } else if (this.ident() === undefined) {
          this.fail('Invalid attribute name', 'An attribute name is required after a dot.', this.pos, this.pos);
        }
        e = { kind: traversal ? 'traversal' : 'other', start: e.start, end: this.pos };
      } else if (c === '[') {
        this.pos++;
        this.withNl(true, () => {
          this.skip();
          if (this.src[this.pos] === '*') {
            this.pos++;
            traversal = false;
          } else {
            const key = this.expression();
            if (key.kind !== 'number' && !(key.kind === 'template' && key.parts.every((p) => p.kind === 'literal'))) traversal = false;
          }
          this.skip();
          if (this.src[this.pos] !== ']') this.fail('Missing close bracket on index', 'The index operator must end with a closing bracket ("]").');
          this.pos++;
        });
        e = { kind: traversal ? 'traversal' : 'other', start: e.start, end: this.pos };
      } else return e;
    }
  }

  term(): Expr {
    this.skip();
    const s = this.src;
    const start = this.pos;
    const c = s[start];
    if (c === undefined) this.fail('Missing expression', 'Expected the start of an expression, but found the end of the file.', start, start);
    if (isDigit(c)) return this.number();
    if (c === '"') return this.quotedTemplate();
    if (c === '<' && s[start + 1] === '<') return this.heredoc();
    if (c === '(') {
      this.pos++;
      this.enter();
      this.withNl(true, () => {
        this.expression();
        this.skip();
        if (s[this.pos] !== ')') this.fail('Unbalanced parentheses', 'Expected a closing parenthesis to terminate the expression.');
        this.pos++;
      });
      this.leave();
      return { kind: 'other', start, end: this.pos };
    }
    if (c === '[') return this.tuple();
    if (c === '{') return this.object();
    const name = this.ident();
    if (name !== undefined) {
      // Function call, possibly namespaced (provider::aws::arn_parse).
      let j = this.pos;
      while (s[j] === ':' && s[j + 1] === ':') {
        this.pos = j + 2;
        if (this.ident() === undefined) this.fail('Missing function name', 'Expected a function name after "::".');
        j = this.pos;
      }
      const save = this.pos;
      this.skip();
      if (s[this.pos] === '(') return this.call(start);
      this.pos = save;
      if (j !== save || s.startsWith('::', save)) this.fail('Missing function call', 'A namespaced function name must be followed by its arguments.');
      if (name === 'true' || name === 'false') return { kind: 'bool', value: name === 'true', start, end: this.pos };
      if (name === 'null') return { kind: 'null', start, end: this.pos };
      return { kind: 'traversal', start, end: this.pos };
    }
    if (c === '\n') this.fail('Invalid expression', 'Expected the start of an expression, but found an invalid expression token.', start, start + 1);
    this.fail('Invalid expression', 'Expected the start of an expression, but found an invalid expression token.');
  }

  number(): Expr {
    const s = this.src;
    const start = this.pos;
    while (isDigit(s[this.pos])) this.pos++;
    if (s[this.pos] === '.' && isDigit(s[this.pos + 1])) {
      this.pos++;
      while (isDigit(s[this.pos])) this.pos++;
    }
    if ((s[this.pos] === 'e' || s[this.pos] === 'E') && (isDigit(s[this.pos + 1]) || ((s[this.pos + 1] === '+' || s[this.pos + 1] === '-') && isDigit(s[this.pos + 2])))) {
      this.pos += 2;
      while (isDigit(s[this.pos])) this.pos++;
    }
    if (isIdentStart(s[this.pos])) this.fail('Invalid expression', 'Expected the start of an expression, but found an invalid expression token.', start, this.pos);
    return { kind: 'number', text: s.slice(start, this.pos), start, end: this.pos };
  }

  call(start: number): Expr {
    this.pos++; // (
    this.enter();
    this.withNl(true, () => {
      for (;;) {
        this.skip();
        if (this.src[this.pos] === ')') break;
        this.expression();
        this.skip();
        if (this.src.startsWith('...', this.pos)) {
          this.pos += 3;
          this.skip();
          if (this.src[this.pos] !== ')') this.fail('Missing closing parenthesis', 'An expanded function argument (with ...) must be immediately followed by closing parentheses.');
          break;
        }
        const c = this.src[this.pos];
        if (c === ')') break;
        if (c !== ',') {
          if (c === undefined) this.fail('Unterminated function call', 'There is no closing parenthesis for this function call before the end of the file. This may be caused by incorrect parethesis nesting elsewhere in this file.', start, start);
          this.fail('Missing argument separator', 'A comma is required to separate each function argument from the next.');
        }
        this.pos++;
      }
      this.pos++;
    });
    this.leave();
    return { kind: 'other', start, end: this.pos };
  }

  isForKeyword(): boolean {
    this.skip();
    return this.src.startsWith('for', this.pos) && !isIdentChar(this.src[this.pos + 3]);
  }

  tuple(): Expr {
    const start = this.pos;
    this.pos++;
    this.enter();
    const out = this.withNl(true, (): Expr => {
      if (this.isForKeyword()) {
        this.forExpr(']');
        return { kind: 'other', start, end: this.pos };
      }
      const items: Expr[] = [];
      for (;;) {
        this.skip();
        if (this.src[this.pos] === ']') break;
        items.push(this.expression());
        this.skip();
        const c = this.src[this.pos];
        if (c === ']') break;
        if (c === undefined) this.fail('Unterminated tuple constructor expression', 'There is no corresponding closing bracket before the end of the file. This may be caused by incorrect bracket nesting elsewhere in this file.', start, start + 1);
        if (c !== ',') this.fail('Missing item separator', 'Expected a comma to mark the beginning of the next item.');
        this.pos++;
      }
      this.pos++;
      return { kind: 'tuple', items, start, end: this.pos };
    });
    this.leave();
    return out;
  }

  object(): Expr {
    const start = this.pos;
    this.pos++;
    this.enter();
    let out: Expr;
    if (this.withNl(true, () => this.isForKeyword())) {
      this.withNl(true, () => this.forExpr('}'));
      out = { kind: 'other', start, end: this.pos };
    } else {
      out = this.withNl(false, (): Expr => {
        const items: ObjectItem[] = [];
        for (;;) {
          this.skip(true);
          if (this.src[this.pos] === '}') break;
          if (this.pos >= this.src.length) this.fail('Unterminated object constructor expression', 'There is no corresponding closing brace before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.', start, start + 1);
          const key = this.expression();
          this.skip(false);
          const sep = this.src[this.pos];
          if ((sep !== '=' && sep !== ':') || this.src[this.pos + 1] === '=' ) {
            this.fail('Missing key/value separator', 'Expected an equals sign ("=") to mark the beginning of the attribute value.');
          }
          this.pos++;
          const value = this.expression();
          items.push({ key, value });
          this.skip(false);
          const c = this.src[this.pos];
          if (c === ',' || c === '\n') this.pos++;
          else if (c !== '}') this.fail('Missing attribute separator', 'Expected a newline or comma to mark the beginning of the next attribute.');
        }
        this.pos++;
        return { kind: 'object', items, start, end: this.pos };
      });
    }
    this.leave();
    return out;
  }

  /** `for k, v in coll : ...` up to and including the closing bracket. */
  forExpr(close: ']' | '}'): void {
    this.pos += 3;
    this.skip();
    if (this.ident() === undefined) this.fail('Invalid \'for\' expression', 'For expression requires variable name after \'for\'.');
    this.skip();
    if (this.src[this.pos] === ',') {
      this.pos++;
      this.skip();
      if (this.ident() === undefined) this.fail('Invalid \'for\' expression', 'For expression requires value variable name after comma.');
      this.skip();
    }
    if (!(this.src.startsWith('in', this.pos) && !isIdentChar(this.src[this.pos + 2]))) this.fail('Invalid \'for\' expression', 'For expression requires the \'in\' keyword after its name declarations.');
    this.pos += 2;
    this.expression();
    if (!this.at(':')) this.fail('Invalid \'for\' expression', 'For expression requires a colon after the collection expression.');
    this.pos++;
    this.expression();
    if (close === '}') {
      if (!this.at('=>')) this.fail('Invalid \'for\' expression', 'Key expression in \'for\' expression must be followed by a \'=>\' symbol.');
      this.pos += 2;
      this.expression();
      if (this.at('...')) this.pos += 3;
    }
    this.skip();
    if (this.src.startsWith('if', this.pos) && !isIdentChar(this.src[this.pos + 2])) {
      this.pos += 2;
      this.expression();
    }
    this.skip();
    if (this.src[this.pos] !== close) this.fail('Invalid \'for\' expression', `Extra characters after the end of the 'for' expression.`);
    this.pos++;
  }

  // -------------------------------------------------------------------------------------------
  // Templates

  quotedTemplate(): Expr {
    const start = this.pos;
    this.pos++;
    this.enter();
    const parts = this.templateParts('quoted');
    this.leave();
    return this.finishTemplate(parts, start, this.pos);
  }

  heredoc(): Expr {
    const s = this.src;
    const start = this.pos;
    this.pos += 2;
    const indent = s[this.pos] === '-';
    if (indent) this.pos++;
    const marker = this.ident();
    if (marker === undefined || s[this.pos] !== '\n') {
      this.fail('Invalid heredoc', 'A heredoc introducer must be followed by an identifier and then a newline.', start, this.pos);
    }
    this.pos++;
    this.enter();
    const parts = this.templateParts('heredoc', marker);
    this.leave();
    if (indent) flushHeredoc(parts);
    return this.finishTemplate(parts, start, this.pos);
  }

  finishTemplate(parts: TemplatePart[], start: number, end: number): Expr {
    const merged = mergeLiterals(parts);
    if (merged.length === 1 && merged[0].kind === 'interp') return { kind: 'wrap', inner: merged[0].expr, start, end };
    return { kind: 'template', parts: merged, start, end };
  }

  /**
   * Template parts up to the closing quote or heredoc marker, with `if`/`for` directives nested.
   * Heredoc literals are split at line ends, as hclsyntax does, for indentation stripping.
   */
  templateParts(mode: 'quoted' | 'heredoc', marker = ''): TemplatePart[] {
    const s = this.src;
    const n = s.length;
    // Stack of open directives: each collects parts.
    type Frame = { part: TemplatePart & { kind: 'if' | 'for' }; inElse: boolean; list: TemplatePart[] };
    const root: TemplatePart[] = [];
    const stack: Frame[] = [];
    const target = (): TemplatePart[] => (stack.length ? stack[stack.length - 1].list : root);
    let lit = '';
    let litStart = this.pos;
    let stripNext = false;
    const flush = (end: number): void => {
      if (lit !== '' || end > litStart) target().push({ kind: 'literal', value: lit, start: litStart, end });
      lit = '';
    };
    const stripPrevious = (): void => {
      const list = target();
      const last = list[list.length - 1];
      if (last && last.kind === 'literal') last.value = last.value.replace(/\s+$/u, '');
    };
    let lineStart = mode === 'heredoc';
    for (;;) {
      if (mode === 'heredoc' && lineStart) {
        // End marker: optional leading blanks, the marker, then a newline.
        let j = this.pos;
        while (s[j] === ' ' || s[j] === '\t') j++;
        if (s.startsWith(marker, j) && !isIdentChar(s[j + marker.length])) {
          const after = j + marker.length;
          if (s[after] === '\n' || (s[after] === '\r' && s[after + 1] === '\n')) {
            flush(this.pos);
            this.pos = after;
            break;
          }
        }
        lineStart = false;
      }
      const i = this.pos;
      const c = s[i];
      if (c === undefined) {
        flush(i);
        this.fail('Unterminated template string', 'No closing marker was found for the string.', i, i);
      }
      if (mode === 'quoted') {
        if (c === '"') {
          flush(i);
          this.pos++;
          break;
        }
        if (c === '\n') {
          this.fail('Invalid multi-line string', 'Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \\n escape to represent a newline character or use the "heredoc" multi-line template syntax.', i, i + 1);
        }
        if (c === '\\') {
          lit += this.escape();
          if (stripNext) lit = lit.replace(/^\s+/u, '');
          stripNext = false;
          continue;
        }
      }
      if ((c === '$' || c === '%') && s[i + 1] === c && s[i + 2] === '{') {
        lit += c + '{';
        this.pos += 3;
        stripNext = false;
        continue;
      }
      if ((c === '$' || c === '%') && s[i + 1] === '{') {
        flush(i);
        this.pos += 2;
        const stripLeft = s[this.pos] === '~';
        if (stripLeft) {
          this.pos++;
          stripPrevious();
        }
        if (c === '$') {
          const expr = this.withNl(true, () => this.expression());
          stripNext = this.closeSequence();
          target().push({ kind: 'interp', expr, start: i, end: this.pos });
        } else {
          stripNext = this.directive(i, stack, target);
        }
        litStart = this.pos;
        continue;
      }
      if (stripNext && isSpaceChar(c)) {
        this.pos++;
        if (c === '\n') lineStart = mode === 'heredoc';
        continue;
      }
      stripNext = false;
      lit += c;
      this.pos++;
      if (c === '\n' && mode === 'heredoc') {
        flush(this.pos);
        litStart = this.pos;
        lineStart = true;
      }
    }
    if (stack.length) {
      const open = stack[stack.length - 1].part;
      this.fail('Unexpected end of template', `The ${open.kind} directive is missing its corresponding end${open.kind} directive.`, open.start, open.end);
    }
    return root;
  }

  /** Optional `~` then `}` closing an interpolation or directive; returns whether `~` was given. */
  closeSequence(): boolean {
    this.skip(true);
    let strip = false;
    if (this.src[this.pos] === '~') {
      strip = true;
      this.pos++;
    }
    if (this.src[this.pos] !== '}') {
      this.fail('Extra characters after interpolation expression', 'Expected a closing brace to end the interpolation expression, but found extra characters.');
    }
    this.pos++;
    return strip;
  }

  directive(
    start: number,
    stack: { part: TemplatePart & { kind: 'if' | 'for' }; inElse: boolean; list: TemplatePart[] }[],
    target: () => TemplatePart[],
  ): boolean {
    return this.withNl(true, () => {
      this.skip();
      const word = this.ident();
      const top = stack[stack.length - 1];
      switch (word) {
        case 'if': {
          const cond = this.expression();
          const strip = this.closeSequence();
          const part = { kind: 'if' as const, cond, then: [], else: [], start, end: this.pos };
          target().push(part);
          stack.push({ part, inElse: false, list: part.then });
          return strip;
        }
        case 'else': {
          const strip = this.closeSequence();
          if (!top || top.part.kind !== 'if' || top.inElse) this.fail('Unexpected "else" directive', 'There is no "if" directive to match this "else".', start, this.pos);
          top.inElse = true;
          top.list = top.part.else;
          return strip;
        }
        case 'endif':
        case 'endfor': {
          const strip = this.closeSequence();
          const kind = word === 'endif' ? 'if' : 'for';
          if (!top || top.part.kind !== kind) this.fail(`Unexpected "${word}" directive`, `There is no "${kind}" directive to match this "${word}".`, start, this.pos);
          stack.pop();
          return strip;
        }
        case 'for': {
          this.skip();
          let valVar = this.ident();
          let keyVar = '';
          this.skip();
          if (this.src[this.pos] === ',') {
            this.pos++;
            this.skip();
            keyVar = valVar ?? '';
            valVar = this.ident();
          }
          if (valVar === undefined) this.fail('Invalid template directive', 'A for directive requires a variable name.', start, this.pos);
          this.skip();
          if (!(this.src.startsWith('in', this.pos) && !isIdentChar(this.src[this.pos + 2]))) this.fail('Invalid template directive', 'The for directive requires the "in" keyword.', start, this.pos);
          this.pos += 2;
          const coll = this.expression();
          const strip = this.closeSequence();
          const part = { kind: 'for' as const, keyVar, valVar, coll, body: [], start, end: this.pos };
          target().push(part);
          stack.push({ part, inElse: false, list: part.body });
          return strip;
        }
        default:
          this.fail('Invalid template directive', 'A template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence.', start, start + 2);
      }
    });
  }

  /** A backslash escape in a quoted template, decoded. */
  escape(): string {
    const s = this.src;
    const i = this.pos;
    const c = s[i + 1];
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
    if (c !== undefined && c in simple) {
      this.pos += 2;
      return simple[c];
    }
    if (c === 'u' || c === 'U') {
      const len = c === 'u' ? 4 : 8;
      const hex = s.slice(i + 2, i + 2 + len);
      if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) {
        this.fail('Invalid escape sequence', `The \\${c} escape sequence must be followed by ${len === 4 ? 'four' : 'eight'} hexadecimal digits.`, i, i + 2);
      }
      const code = parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail('Invalid escape sequence', `Cannot encode character U+${hex} in UTF-8.`, i, i + 2 + len);
      this.pos += 2 + len;
      return String.fromCodePoint(code);
    }
    this.fail('Invalid escape sequence', `The symbol "${c ?? ''}" is not a valid escape sequence selector.`, i, i + 2);
  }
}

function mergeLiterals(parts: TemplatePart[]): TemplatePart[] {
  const out: TemplatePart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p.kind === 'literal' && last?.kind === 'literal') out[out.length - 1] = { ...last, value: last.value + p.value, end: p.end };
    else if (p.kind === 'literal' && p.value === '') continue;
    else out.push(p);
  }
  return out;
}

/** `<<-` heredocs: remove the smallest indentation of any non-blank line (hclsyntax's rule). */
function flushHeredoc(parts: TemplatePart[]): void {
  let min = Infinity;
  let newline = true;
  const adjust: (TemplatePart & { kind: 'literal' })[] = [];
  for (const p of parts) {
    if (newline) {
      newline = false;
      let spaces: number;
      if (p.kind === 'literal') {
        const trimmed = p.value.replace(/^\s+/u, '');
        if (trimmed.length === 0 && p.value.endsWith('\n')) spaces = Infinity;
        else {
          spaces = [...p.value.slice(0, p.value.length - trimmed.length)].length;
          adjust.push(p);
        }
      } else spaces = 0;
      if (spaces < min) min = spaces;
    }
    if (p.kind === 'literal' && p.value.endsWith('\n')) newline = true;
  }
  if (!Number.isFinite(min)) return;
  for (const p of adjust) p.value = [...p.value].slice(min).join('');
}
