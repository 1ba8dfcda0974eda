// Source positions for Terraform files.
//
// Why this exists: @cdktf/hcl2json returns the values of a file but no positions at all. Every group,
// rule and attribute must carry its exact line, so this module scans the text structurally: a
// tokenizer that understands quoted templates (with `${ ... }` holding braces and nested quotes),
// heredocs and comments, and a small parser that records where each block and attribute starts and
// ends. It does not evaluate anything; it is exact for block and attribute starts because those are
// decided at token level. The position tree is matched to hcl2json's output by order: the nth
// `ingress` block of a body is hcl2json's `ingress[n]` (hcl2json groups blocks by type, keeping source
// order). `.tf.json` files get the same tree from a small JSON position scan (line of each key).

import { LineIndex } from '../../model/line-index.js';
import { append } from '../../model/arrays.js';

/** 1-based inclusive line span. */
export interface Span {
  line: number;
  endLine: number;
}

export interface AttrPos extends Span {
  /** Object literals of the value: each `{...}` element of a list value, or the value itself if an object. */
  elements: BodyPos[];
}

export interface BodyPos extends Span {
  attrs: Map<string, AttrPos>;
  /** Nested blocks in source order, `dynamic "x"` blocks included (type "dynamic", labels ["x"]). */
  blocks: BlockPos[];
}

export interface BlockPos extends BodyPos {
  type: string;
  labels: string[];
}

export function blocksOf(body: BodyPos | undefined, type: string, labels?: string[]): BlockPos[] {
  const out: BlockPos[] = [];
  // Asked for every attribute of every body evaluated: a loop, not a filter with a closure per call.
  if (!body) return out;
  for (const b of body.blocks) if (b.type === type && (!labels || labels.every((l, i) => b.labels[i] === l))) out.push(b);
  return out;
}

// ---------------------------------------------------------------------------------------------
// HCL tokenizer

type TokKind = 'ident' | 'string' | 'heredoc' | 'number' | 'punct' | 'newline' | 'other';

interface Token {
  kind: TokKind;
  text: string;
  /** 0-based offsets into the text. */
  start: number;
  end: number;
}

/** Tokenize HCL. Never throws: anything unexpected becomes an `other` token. */
export function tokenize(text: string): Token[] {
  const toks: Token[] = [];
  const n = text.length;
  let i = 0;
  const push = (kind: TokKind, start: number, end: number) => toks.push({ kind, text: text.slice(start, end), start, end });

  // Skip over a quoted template starting at `i` (on the opening quote); returns the offset after it.
  const skipString = (i0: number): number => {
    let j = i0 + 1;
    while (j < n) {
      const c = text[j];
      if (c === '\\') {
        j += 2;
        continue;
      }
      if (c === '"') return j + 1;
      if (c === '\n') return j; // unterminated: stop at end of line
      if ((c === '$' || c === '%') && text[j + 1] === '{') {
        j = skipInterpolation(j + 2);
        continue;
      }
      if ((c === '$' || c === '%') && text[j + 1] === c && text[j + 2] === '{') {
        j += 3; // escaped `$${` is literal text
        continue;
      }
      j++;
    }
    return j;
  };
  // Skip an expression inside `${`, up to and including its closing brace.
  const skipInterpolation = (i0: number): number => {
    let depth = 0;
    let j = i0;
    while (j < n) {
      const c = text[j];
      if (c === '"') {
        j = skipString(j);
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') {
        if (depth === 0) return j + 1;
        depth--;
      }
      j++;
    }
    return j;
  };

  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      push('newline', i, i + 1);
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\ufeff') {
      i++;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      // A block comment spanning lines still ends a statement line-wise only if it held a newline.
      if (text.slice(i, end).includes('\n')) push('newline', end - 1, end);
      i = end;
    } else if (c === '"') {
      const end = skipString(i);
      push('string', i, end);
      i = end;
    } else if (c === '<' && text[i + 1] === '<' && /[-A-Za-z_]/.test(text[i + 2] ?? '')) {
      const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(text.slice(i, i + 200));
      if (!m) {
        push('punct', i, i + 2);
        i += 2;
        continue;
      }
      const marker = m[2];
      let j = i + m[0].length;
      let end = n;
      while (j < n) {
        const eol = text.indexOf('\n', j);
        const lineEnd = eol < 0 ? n : eol;
        if (text.slice(j, lineEnd).trim() === marker) {
          end = lineEnd;
          break;
        }
        j = lineEnd + 1;
      }
      push('heredoc', i, end);
      i = end;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_-]/.test(text[j])) j++;
      push('ident', i, j);
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9.eE]/.test(text[j])) j++;
      push('number', i, j);
      i = j;
    } else {
      const two = text.slice(i, i + 2);
      if (['==', '!=', '<=', '>=', '=>', '&&', '||', '::'].includes(two)) {
        push('punct', i, i + 2);
        i += 2;
      } else {
        push('punct', i, i + 1);
        i++;
      }
    }
  }
  return toks;
}

// ---------------------------------------------------------------------------------------------
// HCL structure

const OPEN: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

/** Position tree of an HCL file (`.tf`, `.tfvars`). Never throws; malformed input gives a partial tree. */
export function locateHcl(text: string): BodyPos {
  const toks = tokenize(text);
  const lines = new LineIndex(text);
  let p = 0;
  const lineOf = (t: Token) => lines.line(t.start);
  const endLineOf = (t: Token) => lines.line(Math.max(t.start, t.end - 1));
  const lastLine = lines.line(text.length);

  const skipNewlines = () => {
    while (p < toks.length && toks[p].kind === 'newline') p++;
  };

  // Parse an expression up to a newline/comma at depth 0 or an unmatched closer. Returns the last
  // token consumed and the object literals found directly in it.
  const parseExpr = (stopAtComma: boolean): { last: Token | undefined; elements: BodyPos[] } => {
    let last: Token | undefined;
    const elements: BodyPos[] = [];
    const first = toks[p];
    // `[ {..}, {..} ]` and `{ .. }` values: record object literals (the attribute-list form of blocks).
    if (first && first.kind === 'punct' && first.text === '[') {
      last = first;
      p++;
      for (;;) {
        skipNewlines();
        const t = toks[p];
        if (!t) return { last, elements };
        if (t.kind === 'punct' && t.text === ']') {
          p++;
          last = t;
          break;
        }
        if (t.kind === 'punct' && t.text === ',') {
          p++;
          last = t;
          continue;
        }
        if (t.kind === 'ident' && t.text === 'for') {
          last = skipBalancedRest('[', ']') ?? last;
          break;
        }
        const r = parseExpr(true);
        if (r.elements.length && r.last && toks[p - 1] === r.last) append(elements, r.elements.slice(0, 1));
        if (!r.last) {
          p++; // unexpected token; make progress
          continue;
        }
        last = r.last;
      }
    } else if (first && first.kind === 'punct' && first.text === '{' && !(toks[p + 1]?.text === 'for')) {
      const obj = parseObject();
      elements.push(obj.body);
      last = obj.last;
    }
    // Anything else (or what follows a literal, e.g. `[..] ++ x`, conditionals): skip to the end.
    let depth = 0;
    while (p < toks.length) {
      const t = toks[p];
      if (t.kind === 'newline' && depth === 0) break;
      if (t.kind === 'punct') {
        if (t.text in OPEN) depth++;
        else if (t.text === '}' || t.text === ']' || t.text === ')') {
          if (depth === 0) break;
          depth--;
        } else if (t.text === ',' && depth === 0 && stopAtComma) break;
      }
      if (t.kind !== 'newline') last = t;
      p++;
    }
    return { last, elements };
  };

  // Skip to the closer matching an already-consumed opener.
  const skipBalancedRest = (open: string, close: string): Token | undefined => {
    let depth = 0;
    while (p < toks.length) {
      const t = toks[p++];
      if (t.kind === 'punct' && t.text in OPEN) depth++;
      else if (t.kind === 'punct' && (t.text === '}' || t.text === ']' || t.text === ')')) {
        if (depth === 0) return t;
        depth--;
      }
    }
    void open; void close;
    return undefined;
  };

  // Object literal `{ key = value, key: value }` starting at `{`.
  const parseObject = (): { body: BodyPos; last: Token | undefined } => {
    const open = toks[p++];
    const body: BodyPos = { line: lineOf(open), endLine: lineOf(open), attrs: new Map(), blocks: [] };
    for (;;) {
      skipNewlines();
      const t = toks[p];
      if (!t) {
        body.endLine = lastLine;
        return { body, last: undefined };
      }
      if (t.kind === 'punct' && t.text === '}') {
        p++;
        body.endLine = lineOf(t);
        return { body, last: t };
      }
      if (t.kind === 'punct' && t.text === ',') {
        p++;
        continue;
      }
      // Key: ident, string or parenthesized expression, then `=` or `:`.
      const keyTok = t;
      let key: string | undefined;
      if (t.kind === 'ident' || t.kind === 'number') {
        key = t.text;
        p++;
      } else if (t.kind === 'string') {
        key = unquote(t.text);
        p++;
      } else if (t.kind === 'punct' && t.text === '(') {
        p++;
        skipBalancedRest('(', ')');
      } else {
        p++;
        continue;
      }
      const sep = toks[p];
      if (!sep || sep.kind !== 'punct' || (sep.text !== '=' && sep.text !== ':')) continue;
      p++;
      const r = parseExpr(true);
      if (key !== undefined && !body.attrs.has(key)) {
        body.attrs.set(key, { line: lineOf(keyTok), endLine: r.last ? endLineOf(r.last) : lineOf(keyTok), elements: r.elements });
      }
    }
  };

  // Body of a block or the file: attributes and blocks until `}` or end.
  const parseBody = (startLine: number, topLevel: boolean): { body: BodyPos; closed: boolean } => {
    const body: BodyPos = { line: startLine, endLine: startLine, attrs: new Map(), blocks: [] };
    for (;;) {
      skipNewlines();
      const t = toks[p];
      if (!t) {
        body.endLine = lastLine;
        return { body, closed: false };
      }
      if (t.kind === 'punct' && t.text === '}') {
        if (topLevel) {
          p++; // stray closer at top level: ignore
          continue;
        }
        p++;
        body.endLine = lineOf(t);
        return { body, closed: true };
      }
      if (t.kind !== 'ident') {
        // Not a statement start: skip the rest of the line.
        while (p < toks.length && toks[p].kind !== 'newline' && !(toks[p].text === '}' && !topLevel)) p++;
        continue;
      }
      p++;
      const next = toks[p];
      if (next && next.kind === 'punct' && next.text === '=') {
        p++;
        const r = parseExpr(false);
        if (!body.attrs.has(t.text)) {
          body.attrs.set(t.text, { line: lineOf(t), endLine: r.last ? endLineOf(r.last) : lineOf(t), elements: r.elements });
        }
        continue;
      }
      const labels: string[] = [];
      while (p < toks.length && (toks[p].kind === 'string' || toks[p].kind === 'ident')) {
        labels.push(toks[p].kind === 'string' ? unquote(toks[p].text) : toks[p].text);
        p++;
      }
      const brace = toks[p];
      if (!brace || brace.kind !== 'punct' || brace.text !== '{') continue;
      p++;
      const inner = parseBody(lineOf(t), false);
      body.blocks.push({ ...inner.body, type: t.text, labels });
    }
  };

  return parseBody(1, true).body;
}

export function unquote(s: string): string {
  if (!s.startsWith('"')) return s;
  const inner = s.endsWith('"') && s.length > 1 ? s.slice(1, -1) : s.slice(1);
  return inner.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

// ---------------------------------------------------------------------------------------------
// JSON

export interface JsonNode extends Span {
  kind: 'object' | 'array' | 'scalar';
  /** Object members in order, with the line of the key. */
  members: Array<{ key: string; keyLine: number; value: JsonNode }>;
  items: JsonNode[];
}

export class JsonPositionError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Positions of a JSON document. Throws JsonPositionError (with a line) on invalid JSON. */
export function scanJsonPositions(text: string): JsonNode {
  const lines = new LineIndex(text);
  let i = 0;
  const n = text.length;
  const fail = (msg: string): never => {
    throw new JsonPositionError(msg, lines.line(Math.min(i, Math.max(0, n - 1))));
  };
  const ws = () => {
    while (i < n && /[\s\ufeff]/.test(text[i])) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < n && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text[i] === '\n') fail('unterminated string');
      i++;
    }
    if (i >= n) fail('unterminated string');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('invalid string');
    }
  };
  const value = (): JsonNode => {
    ws();
    const line = lines.line(i);
    const node: JsonNode = { kind: 'scalar', line, endLine: line, members: [], items: [] };
    const c = text[i];
    if (c === '{') {
      node.kind = 'object';
      i++;
      ws();
      if (text[i] === '}') i++;
      else
        for (;;) {
          ws();
          if (text[i] !== '"') fail('expected a property name');
          const keyLine = lines.line(i);
          const key = str();
          ws();
          if (text[i] !== ':') fail("expected ':'");
          i++;
          node.members.push({ key, keyLine, value: value() });
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === '}') {
            i++;
            break;
          }
          fail("expected ',' or '}'");
        }
    } else if (c === '[') {
      node.kind = 'array';
      i++;
      ws();
      if (text[i] === ']') i++;
      else
        for (;;) {
          node.items.push(value());
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === ']') {
            i++;
            break;
          }
          fail("expected ',' or ']'");
        }
    } else if (c === '"') {
      str();
    } else {
      const m = /^(true|false|null|-?\d+(\.\d+)?([eE][-+]?\d+)?)/.exec(text.slice(i, i + 64));
      if (!m) fail('unexpected character');
      i += m![0].length;
    }
    node.endLine = lines.line(Math.max(0, i - 1));
    return node;
  };
  const root = value();
  ws();
  if (i < n) fail('unexpected content after the document');
  return root;
}

/** Number of labels each top-level block type takes in Terraform's JSON syntax. */
const JSON_LABELS: Record<string, number> = { resource: 2, data: 2, module: 1, variable: 1, output: 1, provider: 1, locals: 0, terraform: 0 };

/** Position tree of a `.tf.json` file in the same shape as locateHcl's. */
export function locateJson(root: JsonNode): BodyPos {
  const body: BodyPos = { line: root.line, endLine: root.endLine, attrs: new Map(), blocks: [] };
  for (const m of root.members) {
    const labels = JSON_LABELS[m.key];
    if (labels === undefined) continue;
    for (const [lbls, node, line] of unwrapLabels(m.value, labels, m.keyLine)) {
      body.blocks.push({ ...jsonBody(node), line, type: m.key, labels: lbls });
    }
  }
  return body;
}

function unwrapLabels(node: JsonNode, depth: number, line: number): Array<[string[], JsonNode, number]> {
  if (depth === 0) return (node.kind === 'array' ? node.items : [node]).map((n) => [[], n, node.kind === 'array' ? n.line : line]);
  if (node.kind !== 'object') return [];
  return node.members.flatMap((m) =>
    unwrapLabels(m.value, depth - 1, m.keyLine).map(([l, n, ln]): [string[], JsonNode, number] => [[m.key, ...l], n, ln]),
  );
}

function jsonBody(node: JsonNode): BodyPos {
  const body: BodyPos = { line: node.line, endLine: node.endLine, attrs: new Map(), blocks: [] };
  for (const m of node.members) {
    if (m.key === '//') continue;
    const objs = m.value.kind === 'object' ? [m.value] : m.value.items.filter((x) => x.kind === 'object');
    body.attrs.set(m.key, { line: m.keyLine, endLine: m.value.endLine, elements: objs.map(jsonBody) });
    if (m.key === 'dynamic' && m.value.kind === 'object') {
      for (const d of m.value.members) {
        for (const [, inner, line] of unwrapLabels(d.value, 0, d.keyLine)) {
          body.blocks.push({ ...jsonBody(inner), line, type: 'dynamic', labels: [d.key] });
        }
      }
    } else {
      // Without a schema a JSON object may be a block or an attribute; expose it as both.
      for (const o of objs) body.blocks.push({ ...jsonBody(o), line: m.value.kind === 'object' ? m.keyLine : o.line, type: m.key, labels: [] });
    }
  }
  return body;
}
