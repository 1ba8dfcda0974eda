import { createRequire } from 'node:module';
import { LineIndex, ParseFailure, type PEntry, type PNode, type Span } from './node.js';

// YAML through js-yaml with yaml-cfn's schema (the CloudFormation short-form tags). js-yaml keeps no
// node positions, so its `listener` hook (an `open`/`close` event around every composed node, with
// the reader's offset) is used to build a tree of offsets beside the values; both are then walked
// together. js-yaml reads some nodes speculatively and re-reads them after a rollback; the event
// tree drops those stale siblings (see `onClose`).

interface JsYamlState {
  position: number;
  kind: string | null;
  result: unknown;
}
interface JsYaml {
  load(text: string, options: { schema: unknown; json?: boolean; listener?: (event: 'open' | 'close', state: JsYamlState) => void }): unknown;
  Type: new (tag: string, options: { kind: string; multi?: boolean; construct?: (data: unknown, tag?: string) => unknown }) => unknown;
}
interface JsYamlSchema {
  extend(types: unknown[]): unknown;
}

const require = createRequire(import.meta.url);
const yamlCfn = require('yaml-cfn') as { schema: unknown };
// The same js-yaml instance yaml-cfn built its schema with (it is yaml-cfn's dependency).
const jsYaml = createRequire(require.resolve('yaml-cfn'))('js-yaml') as JsYaml;

// Any other tag (`!Rain::Embed`, a macro's own tags) becomes `{ "!Tag": data }` instead of a syntax
// error; the evaluator reports it as not evaluated.
const SCHEMA = (yamlCfn.schema as JsYamlSchema).extend(
  ['scalar', 'sequence', 'mapping'].map((kind) => new jsYaml.Type('!', { kind, multi: true, construct: (data, tag) => ({ [tag ?? '!']: data }) })),
);

export interface ParseWarning {
  line: number;
  message: string;
}

interface Ev {
  openPos: number;
  closePos: number;
  kind: string | null;
  result: unknown;
  children: Ev[];
}

/** Expanded-size budget: aliases can make a small file expand exponentially ("billion laughs"). */
export function nodeBudget(text: string): number {
  return 100_000 + 4 * text.length;
}

export function parseYaml(text: string, warnings: ParseWarning[] = []): PNode {
  const lines = new LineIndex(text);
  const root: Ev = { openPos: 0, closePos: text.length, kind: null, result: undefined, children: [] };
  const stack: Ev[] = [root];
  let value: unknown;
  try {
    value = jsYaml.load(text, {
      schema: SCHEMA,
      // Duplicate keys: the last one wins (as CloudFormation's parser does), reported as a warning below.
      json: true,
      listener(event, state) {
        if (event === 'open') {
          stack.push({ openPos: state.position, closePos: -1, kind: null, result: undefined, children: [] });
          return;
        }
        const ev = stack.pop();
        const parent = stack[stack.length - 1];
        if (!ev || !parent) return;
        ev.closePos = state.position;
        ev.kind = state.kind;
        ev.result = state.result;
        onClose(parent, ev);
      },
    });
  } catch (e) {
    const err = e as { reason?: string; message?: string; mark?: { line?: number } };
    const line = typeof err.mark?.line === 'number' ? err.mark.line + 1 : undefined;
    throw new ParseFailure(`invalid YAML: ${err.reason ?? err.message ?? String(e)}`, line);
  }
  const top = root.children[root.children.length - 1];
  const builder = new Builder(text, lines, nodeBudget(text), warnings);
  return builder.convert(value, top, { line: 1, endLine: 1 });
}

function onClose(parent: Ev, ev: Ev): void {
  // A sibling that ends after this node starts was read speculatively and then rolled back.
  const sibs = parent.children;
  while (sibs.length > 0 && sibs[sibs.length - 1].closePos > ev.openPos) sibs.pop();
  // js-yaml sometimes composes a node through an inner call whose result it keeps as is.
  while (ev.children.length === 1 && typeof ev.result === 'object' && ev.result !== null && ev.children[0].result === ev.result) {
    ev.children = ev.children[0].children;
  }
  sibs.push(ev);
}

class Builder {
  private count = 0;
  /** Arrays and objects being converted right now: `&a [*a]` makes a value that contains itself. */
  private active = new Set<object>();
  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly budget: number,
    private readonly warnings: ParseWarning[],
  ) {}

  private contentStart(pos: number): number {
    const t = this.text;
    while (pos < t.length) {
      const c = t[pos];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') pos++;
      else if (c === '#') while (pos < t.length && t[pos] !== '\n') pos++;
      else break;
    }
    return pos;
  }

  private lastContentLine(closePos: number): number {
    let p = Math.min(closePos, this.text.length) - 1;
    while (p > 0 && /\s/.test(this.text[p])) p--;
    return this.lines.line(Math.max(p, 0));
  }

  private isFlow(start: number): boolean {
    // Skip tags and anchors written before the node itself.
    const rest = this.text.slice(start, start + 200);
    const m = /^(?:[!&][^\s]*\s+)*/.exec(rest);
    const c = rest[m ? m[0].length : 0];
    return c === '[' || c === '{';
  }

  private span(ev: Ev | undefined, fallback: Span): Span {
    if (!ev || ev.closePos < 0) return fallback;
    const e = this.extent(ev);
    return { line: e.line, endLine: e.fallback ? Math.max(e.endLine, fallback.endLine) : e.endLine };
  }

  /**
   * A node's first line and the last line of it and its descendants, once per node: every node's
   * span walked its whole subtree, so a template was walked once per level of nesting. A
   * descendant without a position ends at the caller's fallback (`fallback`: it has one).
   */
  private extent(ev: Ev): { line: number; endLine: number; fallback: boolean } {
    const hit = this.extents.get(ev);
    if (hit) return hit;
    const start = this.contentStart(ev.openPos);
    const line = this.lines.line(start);
    let endLine = line;
    let fallback = false;
    if (ev.kind === 'mapping' || ev.kind === 'sequence') {
      if (this.isFlow(start)) endLine = this.lastContentLine(ev.closePos);
      for (const c of ev.children) {
        if (c.closePos < 0) fallback = true;
        else {
          const x = this.extent(c);
          endLine = Math.max(endLine, x.endLine);
          fallback ||= x.fallback;
        }
      }
    } else {
      endLine = this.lastContentLine(ev.closePos);
    }
    const out = { line, endLine: Math.max(line, endLine), fallback };
    this.extents.set(ev, out);
    return out;
  }
  private readonly extents = new Map<Ev, { line: number; endLine: number; fallback: boolean }>();

  convert(value: unknown, ev: Ev | undefined, fallback: Span): PNode {
    if (++this.count > this.budget) {
      throw new ParseFailure(`YAML aliases expand to more than ${this.budget} nodes (alias bomb?); not scanned`);
    }
    const span = this.span(ev, fallback);
    if (typeof value === 'object' && value !== null) {
      if (this.active.has(value)) throw new ParseFailure('a YAML alias refers to a node that contains it (a cycle); not scanned', span.line);
      this.active.add(value);
      try {
        return this.convertCollection(value, ev, span);
      } finally {
        this.active.delete(value);
      }
    }
    const scalar = value === undefined ? null : (value as string | number | boolean | null);
    return { kind: 'scalar', value: scalar, ...span };
  }

  private convertCollection(value: object, ev: Ev | undefined, span: Span): PNode {
    if (Array.isArray(value)) {
      const paired = ev && ev.kind === 'sequence' && ev.children.length === value.length;
      const items = value.map((v, i) => this.convert(v, paired ? ev.children[i] : undefined, span));
      return { kind: 'seq', items, ...span };
    }
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    const pairs = new Map<string, { key: Ev; value: Ev | undefined }>();
    if (ev && ev.kind === 'mapping') {
      for (let i = 0; i + 1 < ev.children.length; i += 2) {
        const key = String(ev.children[i].result);
        if (pairs.has(key) && key !== '<<') {
          this.warnings.push({ line: this.span(ev.children[i], span).line, message: `duplicate key "${key}"; the last one is used` });
        }
        pairs.set(key, { key: ev.children[i], value: ev.children[i + 1] });
      }
    }
    // A short-form tag (`!Ref X`, `!If [...]`) builds `{ Ref: X }` from a scalar or sequence node.
    if (keys.length === 1 && !pairs.has(keys[0])) {
      const inner = this.convert(obj[keys[0]], ev, span);
      return { kind: 'map', entries: [{ key: keys[0], keyLine: span.line, value: inner }], ...span };
    }
    const entries: PEntry[] = keys.map((key) => {
      const pair = pairs.get(key);
      const keyLine = pair ? this.span(pair.key, span).line : span.line;
      const v = obj[key];
      const valueFallback = { line: keyLine, endLine: keyLine };
      const node = v === null || v === undefined ? { kind: 'scalar' as const, value: null, ...valueFallback } : this.convert(v, pair?.value, valueFallback);
      return { key, keyLine, value: node };
    });
    return { kind: 'map', entries, ...span };
  }
}
