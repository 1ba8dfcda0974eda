import { LineIndex, ParseFailure, type PEntry, type PNode } from './node.js';

// A small JSON parser that records the line of every key and array item (JSON.parse gives none).

const MAX_DEPTH = 500;

export function parseJson(text: string): PNode {
  const lines = new LineIndex(text);
  let pos = 0;

  const fail = (message: string, at = pos): never => {
    throw new ParseFailure(`invalid JSON: ${message}`, lines.line(Math.min(at, text.length)));
  };
  const skipWs = (): void => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
      else break;
    }
  };

  const parseString = (): string => {
    const start = pos;
    pos++; // opening quote
    let out = '';
    while (true) {
      if (pos >= text.length) fail('unterminated string', start);
      const c = text[pos];
      if (c === '"') {
        pos++;
        return out;
      }
      if (c === '\\') {
        const e = text[pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) {
          out += simple[e];
          pos += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
          out += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
          pos += 6;
        } else fail('bad escape in string');
      } else if (c === '\n') {
        fail('line break inside a string');
      } else {
        out += c;
        pos++;
      }
    }
  };

  const parseValue = (depth: number): PNode => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skipWs();
    const line = lines.line(pos);
    const c = text[pos];
    if (c === '{') {
      pos++;
      const entries: PEntry[] = [];
      skipWs();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'map', entries, line, endLine: lines.line(pos - 1) };
      }
      while (true) {
        skipWs();
        if (text[pos] !== '"') fail('expected a "key"');
        const keyLine = lines.line(pos);
        const key = parseString();
        skipWs();
        if (text[pos] !== ':') fail('expected ":" after a key');
        pos++;
        const value = parseValue(depth + 1);
        // Later duplicates win, as with JSON.parse.
        const dup = entries.findIndex((e) => e.key === key);
        if (dup >= 0) entries.splice(dup, 1);
        entries.push({ key, keyLine, value });
        skipWs();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return { kind: 'map', entries, line, endLine: lines.line(pos - 1) };
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      pos++;
      const items: PNode[] = [];
      skipWs();
      if (text[pos] === ']') {
        pos++;
        return { kind: 'seq', items, line, endLine: lines.line(pos - 1) };
      }
      while (true) {
        items.push(parseValue(depth + 1));
        skipWs();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return { kind: 'seq', items, line, endLine: lines.line(pos - 1) };
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') {
      const value = parseString();
      return { kind: 'scalar', value, line, endLine: line };
    }
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(pos, pos + 400));
    if (!m) return fail(pos >= text.length ? 'unexpected end of input' : `unexpected character "${c}"`);
    pos += m[0].length;
    const word = m[0];
    const value = word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : Number(word);
    return { kind: 'scalar', value, line, endLine: line };
  };

  const root = parseValue(0);
  skipWs();
  if (pos < text.length) fail('unexpected content after the end of the document');
  return root;
}
