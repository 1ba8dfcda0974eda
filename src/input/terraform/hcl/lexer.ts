import type { Node } from '../eval/ast.js';
import { type Expr, HclSyntaxError, type Range, type TemplatePart } from './ast.js';

// The character level of the HCL parser: blanks and comments, identifiers, operators, and templates
// (quoted strings and heredocs with their interpolations and directives). The expression grammar
// on top of it is in syntax.ts; templates call back into it for `${ ... }`.

export const MAX_DEPTH = 400;

export const BINARY_LEVELS: string[][] = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];
export const OPERATOR_LEVEL = new Map(BINARY_LEVELS.flatMap((ops, level) => ops.map((op) => [op, level] as const)));

export const isSpaceChar = (c: string): boolean => /\s/u.test(c);

export function isIdentStart(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95) return true;
  return code > 127 && /[\p{ID_Start}]/u.test(c);
}

export function isIdentChar(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 45) return true;
  return code > 127 && /[\p{ID_Continue}]/u.test(c);
}

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/** Not a character the template scanner stops at: `"`, `\\`, `$`, `%` or a newline. */
function isPlainTemplateCode(code: number): boolean {
  return code !== 34 && code !== 92 && code !== 36 && code !== 37 && code !== 10;
}

/** Whether s[start, end) holds a `~` (without slicing: most strings have none). */
function hasTilde(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (s.charCodeAt(i) === 126) return true;
  return false;
}

export const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';


export abstract class Lexer {
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
      if (c === ' ' || c === '\t' || c === '\ufeff' || (c === '\r' && s[this.pos + 1] === '\n')) this.pos++;
      // A carriage return is part of a CRLF line end only; alone it is an error, as in Terraform.
      else if (c === '\r') this.fail('Invalid character', 'This character is not used within the language.');
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

  /** An expression, for interpolations and directives: the grammar is the parser's. */
  abstract expression(): Expr;

  // -------------------------------------------------------------------------------------------
  // Templates

  quotedTemplate(): Expr {
    const start = this.pos;
    this.pos++;
    this.enter();
    const parts = this.templateParts('quoted');
    const t = this.finishTemplate(parts, start, this.pos);
    // Strip markers (`${~`, `~}`) trim differently in the evaluator's parser: it reads those itself.
    t.lazy = this.depth <= EVAL_DEPTH && !(hasTilde(this.src, start, this.pos) && /\{~|~\}/.test(this.src.slice(start, this.pos)));
    this.leave();
    return t;
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
    // Terraform normalises string literals to Unicode NFC: "cafe\u0301" written out is "café".
    const merged = mergeLiterals(parts);
    for (const p of merged) if (p.kind === 'literal' && !isAscii(p.value)) p.value = p.value.normalize('NFC');
    if (merged.length === 1 && merged[0].kind === 'interp') return { kind: 'wrap', inner: merged[0].expr, start, end };
    return { kind: 'template', parts: merged, start, end };
  }

  /**
   * Template parts up to the closing quote or heredoc marker, with `if`/`for` directives nested.
   * Heredoc literals are split at line ends, as hclsyntax does, for indentation stripping.
   */
  templateParts(mode: 'quoted' | 'heredoc', marker = ''): TemplatePart[] {
    const s = this.src;
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
      if (c !== '\n') {
        // A run of plain characters at once: one slice, not a new string per character.
        let j = i + 1;
        while (j < s.length && isPlainTemplateCode(s.charCodeAt(j))) j++;
        lit += s.slice(i, j);
        this.pos = j;
        continue;
      }
      lit += c;
      this.pos++;
      if (mode === 'heredoc') {
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


/** Nesting (counted the HCL parser's way, which counts more) up to which the evaluator's parser, limited to 150, reads an expression. */
export const EVAL_DEPTH = 140;

/**
 * The evaluator's node for an expression (see Expr.node). Quoted templates, tuples and objects
 * build theirs here, when an enclosing expression needs it: most are attribute values that the
 * converter takes apart, and most strings are never part of an expression.
 */
export function evalNode(e: Expr): Node | undefined {
  if (!e.lazy) return e.node;
  switch (e.kind) {
    case 'wrap': {
      const inner = evalNode(e.inner);
      return inner && { k: 'wrap', e: inner };
    }
    case 'template':
      return templateNode(e.parts);
    case 'tuple': {
      const items = nodesOf(e.items);
      return items && { k: 'tuple', items };
    }
    case 'object': {
      const items: [Node, Node][] = [];
      for (const item of e.items) {
        const k = evalNode(item.key);
        const v = evalNode(item.value);
        if (k === undefined || v === undefined) return undefined;
        // A bare name as key is that name, as in HCL; `(a)` is a's value.
        items.push([k.k === 'name' && !item.parenthesised ? { k: 'lit', v: k.name } : k, v]);
      }
      return { k: 'object', items };
    }
    default:
      return e.node;
  }
}

/** A quoted template's node: literals and interpolations only. */
function templateNode(parts: TemplatePart[]): Node | undefined {
  const out: Node[] = [];
  for (const p of parts) {
    if (p.kind === 'literal') {
      // Terraform's NFC normalisation is the HCL parser's only.
      if (!isAscii(p.value)) return undefined;
      out.push({ k: 'lit', v: p.value });
    } else if (p.kind === 'interp') {
      const e = evalNode(p.expr);
      if (e === undefined) return undefined;
      out.push({ k: 'wrap', e });
    } else return undefined;
  }
  return { k: 'tmpl', parts: out };
}

/** The nodes of all expressions, or undefined when one has none. */
export function nodesOf(exprs: Expr[]): Node[] | undefined {
  const out: Node[] = [];
  for (const e of exprs) {
    const node = evalNode(e);
    if (node === undefined) return undefined;
    out.push(node);
  }
  return out;
}

/** Adjacent literals as one (a heredoc's are one per line); empty literals dropped. */
function mergeLiterals(parts: TemplatePart[]): TemplatePart[] {
  const out: TemplatePart[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.kind !== 'literal') {
      out.push(p);
      continue;
    }
    // A run of literals, from its first non-empty one.
    let first = i;
    while (first < parts.length - 1 && parts[first].kind === 'literal' && (parts[first] as { value: string }).value === '' && parts[first + 1].kind === 'literal') first++;
    let last = first;
    while (last + 1 < parts.length && parts[last + 1].kind === 'literal') last++;
    const head = parts[first] as TemplatePart & { kind: 'literal' };
    if (last === first) {
      if (head.value !== '') out.push(head);
    } else {
      let value = head.value;
      for (let j = first + 1; j <= last; j++) value += (parts[j] as { value: string }).value;
      out.push({ kind: 'literal', value, start: head.start, end: parts[last].end });
    }
    i = last;
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
