// A hand-written parser for HCL native syntax (.tf files), shaped after HashiCorp's hclsyntax.
//
// Why: @cdktf/hcl2json (Go in WASM) costs 100-500 ms per file. This parser builds just enough of
// hclsyntax's tree to reproduce hcl2json's JSON exactly (see convert.ts): literals, templates,
// tuples, objects and unary operators are kept structurally; every other expression only needs its
// exact source range, because hcl2json renders it as "${<source as written>}". Ranges follow
// hclsyntax's rules: first token to last token, comments and newlines inside included.
import type { BinaryOp, Node } from '../eval/ast.js';
import type { Attribute, Block, Body, Expr, ObjectItem } from './ast.js';
import { EVAL_DEPTH, evalNode, isDigit, nodesOf, isIdentChar, isIdentStart, Lexer, OPERATOR_LEVEL } from './lexer.js';

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
  //
  // Each expression also gets the evaluator's node for its source (Expr.node), built the way
  // eval/parser.ts reads the same text, so the evaluator does not lex it again. Where that parser
  // reads a text differently (non-ASCII names, very long tokens, comments inside a splat, nesting
  // near its depth limit, heredocs, template strip markers and directives) the node is left out and
  // the evaluator parses the string itself: its result, errors included, stays the reference.

  /** `node` unless nested so deep that the evaluator's parser might refuse it. */
  node(node: Node | undefined): Node | undefined {
    return this.depth > EVAL_DEPTH ? undefined : node;
  }

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
      const c = evalNode(cond);
      const tn = evalNode(t);
      const fn = evalNode(f);
      const node = c && tn && fn ? this.node({ k: 'cond', c, t: tn, f: fn }) : undefined;
      out = { kind: 'conditional', cond, then: t, else: f, start: cond.start, end: f.end, node };
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
      const l = evalNode(lhs);
      const r = evalNode(rhs);
      const node = l && r ? this.node({ k: 'bin', op: op as BinaryOp, l, r }) : undefined;
      lhs = { kind: 'other', start: lhs.start, end: rhs.end, node };
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
      const e = evalNode(operand);
      // The evaluator's parser folds a negated number into the literal.
      const node = e === undefined ? undefined : this.node(c === '-' && e.k === 'lit' && typeof e.v === 'number' ? { k: 'lit', v: -e.v } : { k: 'un', op: c, e });
      this.leave();
      return { kind: 'unary', op: c, operand, start, end: operand.end, node };
    }
    return this.postfix(this.term());
  }

  /**
   * Attribute access, indexes and splats after a term. The node nests steps after a splat into its
   * `each` (`.*` takes attribute steps, `[*]` indexes too), as the evaluator's parser does.
   */
  postfix(term: Expr): Expr {
    // Most terms have no steps: return before setting up the splat bookkeeping.
    this.skip();
    const next = this.src[this.pos];
    if (next !== '.' && next !== '[') return term;
    let e = term;
    // A traversal stays a traversal while its steps are names and literal indexes.
    let traversal = term.kind === 'traversal';
    let node = evalNode(term);
    /** The open splat: the node it applies to, its element steps so far, and which steps it takes. */
    let splat: { o: Node; each: Node; attrOnly: boolean } | undefined;
    const close = (): void => {
      if (splat && node !== undefined) node = { k: 'splat', o: splat.o, each: splat.each };
      splat = undefined;
    };
    const step = (f: (on: Node) => Node): void => {
      if (node === undefined) return;
      if (splat) splat.each = f(splat.each);
      else node = f(node);
    };
    const open = (attrOnly: boolean): void => {
      close();
      if (node !== undefined) splat = { o: node, each: { k: 'anon' }, attrOnly };
    };
    for (;;) {
      this.skip();
      const c = this.src[this.pos];
      if (c === '.') {
        if (this.src[this.pos + 1] === '.') break; // `...` expansion
        const dot = this.pos;
        this.pos++;
        this.skip();
        if (this.src[this.pos] === '*') {
          if (this.pos !== dot + 1) node = undefined; // `. *`: the evaluator reads only `.*`
          this.pos++;
          traversal = false;
          open(true);
        } else if (isDigit(this.src[this.pos])) {
          const from = this.pos;
          while (isDigit(this.src[this.pos])) this.pos++;
          const digits = this.src.slice(from, this.pos);
          if (digits.length > 30) node = undefined;
          step((o) => ({ k: 'index', o, key: { k: 'lit', v: Number(digits) } }));
        } else {
          const name = this.ident();
          if (name === undefined) this.fail('Invalid attribute name', 'An attribute name is required after a dot.', this.pos, this.pos);
          if (!isEvalName(name)) node = undefined;
          step((o) => ({ k: 'attr', o, name }));
        }
        e = { kind: traversal ? 'traversal' : 'other', start: e.start, end: this.pos };
      } else if (c === '[') {
        const bracket = this.pos;
        this.pos++;
        this.withNl(true, () => {
          this.skip();
          if (this.src[this.pos] === '*') {
            this.pos++;
            traversal = false;
            open(false);
            this.skip();
            // The evaluator knows `[*]` by a pattern over its next 20 characters, blanks only inside.
            if (this.pos + 1 - bracket > 20 || !SPLAT.test(this.src.slice(bracket, this.pos + 1))) node = undefined;
          } else {
            const key = this.expression();
            if (key.kind !== 'number' && !(key.kind === 'template' && key.parts.every((p) => p.kind === 'literal'))) traversal = false;
            const k = evalNode(key);
            if (k === undefined) node = undefined;
            else {
              if (splat?.attrOnly) close();
              step((o) => ({ k: 'index', o, key: k }));
            }
          }
          this.skip();
          if (this.src[this.pos] !== ']') this.fail('Missing close bracket on index', 'The index operator must end with a closing bracket ("]").');
          this.pos++;
        });
        e = { kind: traversal ? 'traversal' : 'other', start: e.start, end: this.pos };
      } else break;
    }
    close();
    if (e === term) return term;
    return { ...e, node: this.node(node) };
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
      const inner = this.withNl(true, () => {
        const x = this.expression();
        this.skip();
        if (s[this.pos] !== ')') this.fail('Unbalanced parentheses', 'Expected a closing parenthesis to terminate the expression.');
        this.pos++;
        return x;
      });
      this.leave();
      // The evaluator keeps no node for parentheses.
      return { kind: 'other', start, end: this.pos, node: evalNode(inner) };
    }
    if (c === '[') return this.tuple();
    if (c === '{') return this.object();
    const name = this.ident();
    if (name !== undefined) {
      // Function call, possibly namespaced (provider::aws::arn_parse).
      let j = this.pos;
      let callName: string | undefined = isEvalName(name) ? name : undefined;
      while (s[j] === ':' && s[j + 1] === ':') {
        this.pos = j + 2;
        const part = this.ident();
        if (part === undefined) this.fail('Missing function name', 'Expected a function name after "::".');
        callName = callName !== undefined && isEvalName(part) ? `${callName}::${part}` : undefined;
        j = this.pos;
      }
      const save = this.pos;
      this.skip();
      if (s[this.pos] === '(') return this.call(start, callName);
      this.pos = save;
      if (j !== save || s.startsWith('::', save)) this.fail('Missing function call', 'A namespaced function name must be followed by its arguments.');
      if (name === 'true' || name === 'false') return { kind: 'bool', value: name === 'true', start, end: this.pos, node: { k: 'lit', v: name === 'true' } };
      if (name === 'null') return { kind: 'null', start, end: this.pos, node: { k: 'lit', v: null } };
      return { kind: 'traversal', start, end: this.pos, node: callName === undefined ? undefined : { k: 'name', name } };
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
    const text = s.slice(start, this.pos);
    return { kind: 'number', text, start, end: this.pos, node: text.length > 300 ? undefined : { k: 'lit', v: Number(text) } };
  }

  /** A call's arguments; `name` is the evaluator's name for the function (undefined: no node). */
  call(start: number, name: string | undefined): Expr {
    this.pos++; // (
    this.enter();
    const args: Expr[] = [];
    let expand = false;
    this.withNl(true, () => {
      for (;;) {
        this.skip();
        if (this.src[this.pos] === ')') break;
        args.push(this.expression());
        this.skip();
        if (this.src.startsWith('...', this.pos)) {
          this.pos += 3;
          expand = true;
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
    const argNodes = nodesOf(args);
    const node = name !== undefined && argNodes ? this.node({ k: 'call', name, args: argNodes, expand }) : undefined;
    this.leave();
    return { kind: 'other', start, end: this.pos, node };
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
        const node = this.forExpr(']');
        return { kind: 'other', start, end: this.pos, node };
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
      return { kind: 'tuple', items, start, end: this.pos, lazy: this.depth <= EVAL_DEPTH };
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
      const node = this.withNl(true, () => this.forExpr('}'));
      out = { kind: 'other', start, end: this.pos, node };
    } else {
      out = this.withNl(false, (): Expr => {
        const items: ObjectItem[] = [];
        for (;;) {
          this.skip(true);
          if (this.src[this.pos] === '}') break;
          if (this.pos >= this.src.length) this.fail('Unterminated object constructor expression', 'There is no corresponding closing brace before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.', start, start + 1);
          const key = this.expression();
          const parenthesised = this.src[key.start] === '(';
          this.skip(false);
          const sep = this.src[this.pos];
          if ((sep !== '=' && sep !== ':') || this.src[this.pos + 1] === '=' ) {
            this.fail('Missing key/value separator', 'Expected an equals sign ("=") to mark the beginning of the attribute value.');
          }
          this.pos++;
          const value = this.expression();
          items.push(parenthesised ? { key, value, parenthesised } : { key, value });
          this.skip(false);
          const c = this.src[this.pos];
          if (c === ',' || c === '\n') this.pos++;
          else if (c !== '}') this.fail('Missing attribute separator', 'Expected a newline or comma to mark the beginning of the next attribute.');
        }
        this.pos++;
        return { kind: 'object', items, start, end: this.pos, lazy: this.depth <= EVAL_DEPTH };
      });
    }
    this.leave();
    return out;
  }

  /** `for k, v in coll : ...` up to and including the closing bracket; returns the evaluator's node. */
  forExpr(close: ']' | '}'): Node | undefined {
    this.pos += 3;
    this.skip();
    const first = this.ident();
    if (first === undefined) this.fail('Invalid \'for\' expression', 'For expression requires variable name after \'for\'.');
    let keyVar: string | null = null;
    let valVar = first;
    this.skip();
    if (this.src[this.pos] === ',') {
      this.pos++;
      this.skip();
      const second = this.ident();
      if (second === undefined) this.fail('Invalid \'for\' expression', 'For expression requires value variable name after comma.');
      keyVar = first;
      valVar = second;
      this.skip();
    }
    if (!(this.src.startsWith('in', this.pos) && !isIdentChar(this.src[this.pos + 2]))) this.fail('Invalid \'for\' expression', 'For expression requires the \'in\' keyword after its name declarations.');
    this.pos += 2;
    const coll = this.expression();
    if (!this.at(':')) this.fail('Invalid \'for\' expression', 'For expression requires a colon after the collection expression.');
    this.pos++;
    let valE = this.expression();
    let keyE: Expr | undefined;
    let group = false;
    if (close === '}') {
      if (!this.at('=>')) this.fail('Invalid \'for\' expression', 'Key expression in \'for\' expression must be followed by a \'=>\' symbol.');
      this.pos += 2;
      keyE = valE;
      valE = this.expression();
      if (this.at('...')) {
        this.pos += 3;
        group = true;
      }
    }
    this.skip();
    let cond: Expr | undefined;
    if (this.src.startsWith('if', this.pos) && !isIdentChar(this.src[this.pos + 2])) {
      this.pos += 2;
      cond = this.expression();
    }
    this.skip();
    if (this.src[this.pos] !== close) this.fail('Invalid \'for\' expression', `Extra characters after the end of the 'for' expression.`);
    this.pos++;
    const collN = evalNode(coll);
    const valN = evalNode(valE);
    const keyN = keyE && evalNode(keyE);
    const condN = cond && evalNode(cond);
    if (!isEvalName(first) || !isEvalName(valVar) || collN === undefined || valN === undefined) return undefined;
    if ((keyE && keyN === undefined) || (cond && condN === undefined)) return undefined;
    return this.node({ k: 'for', obj: close === '}', keyVar, valVar, coll: collN, keyE: keyN ?? null, valE: valN, cond: condN ?? null, group });
  }
}

/** `[*]` as the evaluator's parser recognises it. */
const SPLAT = /^\[\s*\*\s*\]$/;

/** Does the evaluator's parser read this identifier the same (ASCII, within its 256-character window)? */
function isEvalName(name: string): boolean {
  if (name.length > 256) return false;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) > 127) return false;
  return true;
}
