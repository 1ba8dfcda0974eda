import type { LineIndex } from '../../model/line-index.js';
import type { Body, Expr } from './hcl/index.js';
import { type AttrPos, type BlockPos, type BodyPos, unquote } from './locate.js';

// The position tree of a `.tf` file read off the syntax tree the parser already built, instead of
// tokenizing and parsing the file a second time (locateHcl did, for every file: a tenth of a
// Terraform scan). Same tree as locateHcl's for every file the parser accepts: a block or attribute
// spans its first to its last token; an attribute's elements are the object literals of its value
// (each `{...}` item of a list, or the value itself).

export function positionsOf(body: Body, text: string, lines: LineIndex): BodyPos {
  const endOf = (x: { start: number; end: number }) => lines.line(Math.max(x.start, x.end - 1));

  const attrsOf = (b: Body): Map<string, AttrPos> => {
    const attrs = new Map<string, AttrPos>();
    for (const a of b.attributes) {
      if (attrs.has(a.name)) continue;
      const line = lines.line(a.start);
      const elements = elementsOf(a.expr);
      attrs.set(a.name, { line, endLine: endOf(a.expr), elements });
    }
    return attrs;
  };
  const blocksOf = (b: Body): BlockPos[] =>
    b.blocks.map((k) => {
      // In text order, so that line lookups mostly find the line next to the last one.
      const line = lines.line(k.start);
      const attrs = attrsOf(k.body);
      const blocks = blocksOf(k.body);
      return { line, endLine: endOf(k), attrs, blocks, type: k.type, labels: k.labels };
    });

  const objectPos = (o: Extract<Expr, { kind: 'object' }>): BodyPos => {
    const attrs = new Map<string, AttrPos>();
    for (const { key, value } of o.items) {
      const name = keyName(key, text);
      if (name !== undefined && !attrs.has(name)) attrs.set(name, { line: lines.line(key.start), endLine: endOf(value), elements: elementsOf(value) });
    }
    return { line: lines.line(o.start), endLine: endOf(o), attrs, blocks: [] };
  };

  // A list's items count by their first object literal; a nested list gives its first one.
  const elementsOf = (e: Expr): BodyPos[] => {
    if (e.kind === 'object') return [objectPos(e)];
    if (e.kind !== 'tuple') return [];
    const out: BodyPos[] = [];
    for (const item of e.items) {
      const inner = elementsOf(item);
      if (inner.length > 0) out.push(inner[0]);
    }
    return out;
  };

  return { line: 1, endLine: lines.line(text.length), attrs: attrsOf(body), blocks: blocksOf(body) };
}

/** An object key as locateHcl names it: a bare word or number as written, a quoted string unquoted. */
function keyName(key: Expr, text: string): string | undefined {
  const src = text.slice(key.start, key.end);
  if (key.kind === 'template' || key.kind === 'wrap') return src.startsWith('"') ? unquote(src) : undefined;
  if (key.kind === 'number' || key.kind === 'bool' || key.kind === 'null') return src;
  if (key.kind === 'traversal' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(src)) return src;
  return undefined;
}
