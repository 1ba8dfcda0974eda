// A hand-written parser for HCL native syntax (.tf files), shaped after HashiCorp's hclsyntax.
//
// Why: @cdktf/hcl2json (Go in WASM) costs 100-500 ms per file. This parser builds just enough of
// hclsyntax's tree to reproduce hcl2json's JSON exactly (see convert.ts): literals, templates,
// tuples, objects and unary operators are kept structurally; every other expression only needs its
// exact source range, because hcl2json renders it as "${<source as written>}". Ranges follow
// hclsyntax's rules: first token to last token, comments and newlines inside included.
import type { Attribute, Block, Body, Expr, ObjectItem } from './ast.js';
import { isDigit, isIdentChar, isIdentStart, Lexer, OPERATOR_LEVEL } from './lexer.js';

export { HclSyntaxError } from './ast.js';
export type { Attribute, Block, Body, Expr, ObjectItem, Range, TemplatePart } from './ast.js';

/** Parse a whole file's body. Throws HclSyntaxError. */
export function parseConfig(text: string): Body {
  const p = new Parser(text);
  const body = p.body(true);
  return body;
}

class Parser extends Lexer {
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
}
