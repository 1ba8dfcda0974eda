import { LineIndex, ParseFailure, type PEntry, type PNode } from './node.js';

// A small JSON parser that records the line of every key and array item (JSON.parse gives none).

const MAX_DEPTH = 500;

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const LITERAL = /(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/y;
const LITERAL_AT_START = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/;
/** The literal is read from at most this many characters (longer numbers are cut there). */
const LITERAL_WINDOW = 400;

export function parseJson(text: string): PNode {
  let lines: LineIndex | undefined;
  let pos = 0;
  // The line of `pos`: only whitespace between tokens holds line breaks (a string may not).
  let line = 1;

  const fail = (message: string, at = pos): never => {
    lines ??= new LineIndex(text);
    throw new ParseFailure(`invalid JSON: ${message}`, lines.line(Math.min(at, text.length)));
  };
  const skipWs = (): void => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 13) pos++;
      else if (c === 10) {
        pos++;
        line++;
      } else break;
    }
  };

  const parseString = (): string => {
    const start = pos;
    pos++; // opening quote
    let out = '';
    let run = pos;
    while (true) {
      if (pos >= text.length) fail('unterminated string', start);
      const c = text.charCodeAt(pos);
      if (c === 34 /* " */) {
        out += text.slice(run, pos);
        pos++;
        return out;
      }
      if (c === 92 /* \ */) {
        out += text.slice(run, pos);
        const e = text[pos + 1];
        if (e in SIMPLE_ESCAPES) {
          out += SIMPLE_ESCAPES[e];
          pos += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
          out += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
          pos += 6;
        } else fail('bad escape in string');
        run = pos;
      } else if (c === 10) {
        fail('line break inside a string');
      } else {
        pos++;
      }
    }
  };

  const literal = (): string | undefined => {
    LITERAL.lastIndex = pos;
    const m = LITERAL.exec(text);
    if (m && m[0].length <= LITERAL_WINDOW) return m[0];
    if (!m) return undefined;
    return LITERAL_AT_START.exec(text.slice(pos, pos + LITERAL_WINDOW))?.[0];
  };

  const parseValue = (depth: number): PNode => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skipWs();
    const startLine = line;
    const c = text.charCodeAt(pos);
    if (c === 123 /* { */) {
      pos++;
      const entries: PEntry[] = [];
      skipWs();
      if (text.charCodeAt(pos) === 125 /* } */) {
        pos++;
        return { kind: 'map', entries, line: startLine, endLine: line };
      }
      // Keys seen so far, when there are enough of them that a linear search would cost.
      let index: Map<string, number> | undefined;
      while (true) {
        skipWs();
        if (text.charCodeAt(pos) !== 34) fail('expected a "key"');
        const keyLine = line;
        const key = parseString();
        skipWs();
        if (text.charCodeAt(pos) !== 58 /* : */) fail('expected ":" after a key');
        pos++;
        const value = parseValue(depth + 1);
        // Later duplicates win, as with JSON.parse.
        if (entries.length >= 16 && index === undefined) {
          index = new Map();
          for (let i = 0; i < entries.length; i++) index.set(entries[i].key, i);
        }
        const dup = index ? (index.get(key) ?? -1) : entries.findIndex((e) => e.key === key);
        if (dup >= 0) {
          entries.splice(dup, 1);
          if (index) {
            index = new Map();
            for (let i = 0; i < entries.length; i++) index.set(entries[i].key, i);
          }
        }
        index?.set(key, entries.length);
        entries.push({ key, keyLine, value });
        skipWs();
        const next = text.charCodeAt(pos);
        if (next === 44 /* , */) {
          pos++;
          continue;
        }
        if (next === 125) {
          pos++;
          return { kind: 'map', entries, line: startLine, endLine: line };
        }
        fail('expected "," or "}"');
      }
    }
    if (c === 91 /* [ */) {
      pos++;
      const items: PNode[] = [];
      skipWs();
      if (text.charCodeAt(pos) === 93 /* ] */) {
        pos++;
        return { kind: 'seq', items, line: startLine, endLine: line };
      }
      while (true) {
        items.push(parseValue(depth + 1));
        skipWs();
        const next = text.charCodeAt(pos);
        if (next === 44) {
          pos++;
          continue;
        }
        if (next === 93) {
          pos++;
          return { kind: 'seq', items, line: startLine, endLine: line };
        }
        fail('expected "," or "]"');
      }
    }
    if (c === 34) {
      const value = parseString();
      return { kind: 'scalar', value, line: startLine, endLine: startLine };
    }
    const word = literal();
    if (word === undefined) return fail(pos >= text.length ? 'unexpected end of input' : `unexpected character "${text[pos]}"`);
    pos += word.length;
    const value = word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : Number(word);
    return { kind: 'scalar', value, line: startLine, endLine: startLine };
  };

  const root = parseValue(0);
  skipWs();
  if (pos < text.length) fail('unexpected content after the end of the document');
  return root;
}
