import { createRequire } from 'node:module';
import { ParseFailure, type PEntry, type PNode } from './node.js';

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

/** One composed node as the reader saw it: offsets, and its line span once it is asked for. */
class Ev {
  closePos = -1;
  kind: string | null = null;
  result: unknown = undefined;
  /** Null until a child closes: most nodes are scalars. */
  children: Ev[] | null = null;
  /** 0 until `extent` computed it. */
  line = 0;
  endLine = 0;
  /** A descendant has no position: the span ends at the caller's fallback. */
  fallback = false;
  constructor(readonly openPos: number) {}
}

const NO_CHILDREN: Ev[] = [];

/** Expanded-size budget: aliases can make a small file expand exponentially ("billion laughs"). */
export function nodeBudget(text: string): number {
  return 100_000 + 4 * text.length;
}

export function parseYaml(text: string, warnings: ParseWarning[] = []): PNode {
  const root = new Ev(0);
  root.closePos = text.length;
  const stack: Ev[] = [root];
  let value: unknown;
  try {
    value = jsYaml.load(text, {
      schema: SCHEMA,
      // Duplicate keys: the last one wins (as CloudFormation's parser does), reported as a warning below.
      json: true,
      listener(event, state) {
        if (event === 'open') {
          stack.push(new Ev(state.position));
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
  const top = root.children?.[root.children.length - 1];
  const builder = new Builder(text, nodeBudget(text), warnings);
  return builder.convert(value, top, 1, 1);
}

function onClose(parent: Ev, ev: Ev): void {
  // A sibling that ends after this node starts was read speculatively and then rolled back.
  const sibs = (parent.children ??= []);
  while (sibs.length > 0 && sibs[sibs.length - 1].closePos > ev.openPos) sibs.pop();
  // js-yaml sometimes composes a node through an inner call whose result it keeps as is.
  while (ev.children !== null && ev.children.length === 1 && typeof ev.result === 'object' && ev.result !== null && ev.children[0].result === ev.result) {
    ev.children = ev.children[0].children;
  }
  sibs.push(ev);
}

/** `/\s/` for one character, without a regular expression for the usual ones. */
function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  return c >= 128 && /\s/.test(String.fromCharCode(c));
}

class Builder {
  private count = 0;
  /** Arrays and objects being converted right now: `&a [*a]` makes a value that contains itself. */
  private active = new Set<object>();
  /** Offsets where lines start, and the line last found: nodes are mostly asked for in order. */
  private readonly starts: number[] = [0];
  private cursor = 0;
  constructor(
    private readonly text: string,
    private readonly budget: number,
    private readonly warnings: ParseWarning[],
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** The 1-based line of an offset (as LineIndex.line). */
  private lineOf(offset: number): number {
    const starts = this.starts;
    const last = starts.length - 1;
    let i = this.cursor;
    if (starts[i] <= offset && (i === last || offset < starts[i + 1])) return i + 1;
    if (i < last && starts[i + 1] <= offset && (i + 1 === last || offset < starts[i + 2])) {
      this.cursor = i + 1;
      return i + 2;
    }
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.cursor = lo;
    return lo + 1;
  }

  private contentStart(pos: number): number {
    const t = this.text;
    const n = t.length;
    while (pos < n) {
      const c = t.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 13 || c === 10) pos++;
      else if (c === 35 /* # */) while (pos < n && t.charCodeAt(pos) !== 10) pos++;
      else break;
    }
    return pos;
  }

  private lastContentLine(closePos: number): number {
    let p = Math.min(closePos, this.text.length) - 1;
    while (p > 0 && isSpace(this.text.charCodeAt(p))) p--;
    return this.lineOf(Math.max(p, 0));
  }

  private isFlow(start: number): boolean {
    const first = this.text.charCodeAt(start);
    if (first === 91 /* [ */ || first === 123 /* { */) return true;
    if (first !== 33 /* ! */ && first !== 38 /* & */) return false;
    // Skip tags and anchors written before the node itself.
    const rest = this.text.slice(start, start + 200);
    const m = /^(?:[!&][^\s]*\s+)*/.exec(rest);
    const c = rest[m ? m[0].length : 0];
    return c === '[' || c === '{';
  }

  /**
   * A node's first line and the last line of it and its descendants, once per node (kept on the
   * node): every node's span walked its whole subtree, so a template was walked once per level of
   * nesting. A descendant without a position ends at the caller's fallback (`fallback`: it has one).
   */
  private extent(ev: Ev): void {
    if (ev.line !== 0) return;
    const start = this.contentStart(ev.openPos);
    const line = this.lineOf(start);
    let endLine = line;
    let fallback = false;
    if (ev.kind === 'mapping' || ev.kind === 'sequence') {
      if (this.isFlow(start)) endLine = this.lastContentLine(ev.closePos);
      const children = ev.children ?? NO_CHILDREN;
      for (let i = 0; i < children.length; i++) {
        const c = children[i];
        if (c.closePos < 0) fallback = true;
        else {
          this.extent(c);
          if (c.endLine > endLine) endLine = c.endLine;
          if (c.fallback) fallback = true;
        }
      }
    } else {
      endLine = this.lastContentLine(ev.closePos);
    }
    ev.line = line;
    ev.endLine = Math.max(line, endLine);
    ev.fallback = fallback;
  }

  /** The first line of a node, or `fallback` when it has no position. */
  private lineOfEv(ev: Ev | undefined, fallback: number): number {
    if (!ev || ev.closePos < 0) return fallback;
    this.extent(ev);
    return ev.line;
  }

  /** `fallbackLine`/`fallbackEnd`: the span of a node without a position (a value built by a tag, an alias's parts). */
  convert(value: unknown, ev: Ev | undefined, fallbackLine: number, fallbackEnd: number): PNode {
    if (++this.count > this.budget) {
      throw new ParseFailure(`YAML aliases expand to more than ${this.budget} nodes (alias bomb?); not scanned`);
    }
    let line = fallbackLine;
    let endLine = fallbackEnd;
    if (ev && ev.closePos >= 0) {
      this.extent(ev);
      line = ev.line;
      endLine = ev.fallback ? Math.max(ev.endLine, fallbackEnd) : ev.endLine;
    }
    if (typeof value === 'object' && value !== null) {
      if (this.active.has(value)) throw new ParseFailure('a YAML alias refers to a node that contains it (a cycle); not scanned', line);
      this.active.add(value);
      try {
        return this.convertCollection(value, ev, line, endLine);
      } finally {
        this.active.delete(value);
      }
    }
    const scalar = value === undefined ? null : (value as string | number | boolean | null);
    return { kind: 'scalar', value: scalar, line, endLine };
  }

  private convertCollection(value: object, ev: Ev | undefined, line: number, endLine: number): PNode {
    const children = ev?.children ?? NO_CHILDREN;
    if (Array.isArray(value)) {
      const paired = ev !== undefined && ev.kind === 'sequence' && children.length === value.length;
      const items: PNode[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) items[i] = this.convert(value[i], paired ? children[i] : undefined, line, endLine);
      return { kind: 'seq', items, line, endLine };
    }
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    const isMapping = ev !== undefined && ev.kind === 'mapping';
    // Usually the written keys are the value's keys, in order (no duplicates, no merges): pair by position.
    let inOrder = isMapping && children.length === 2 * keys.length;
    for (let i = 0; inOrder && i < keys.length; i++) if (String(children[2 * i].result) !== keys[i]) inOrder = false;
    const entries: PEntry[] = new Array(keys.length);
    if (inOrder) {
      for (let i = 0; i < keys.length; i++) entries[i] = this.entry(keys[i], obj[keys[i]], children[2 * i], children[2 * i + 1], line);
      return { kind: 'map', entries, line, endLine };
    }
    const pairs = new Map<string, { key: Ev; value: Ev | undefined }>();
    if (isMapping) {
      for (let i = 0; i + 1 < children.length; i += 2) {
        const key = String(children[i].result);
        if (pairs.has(key) && key !== '<<') {
          this.warnings.push({ line: this.lineOfEv(children[i], line), message: `duplicate key "${key}"; the last one is used` });
        }
        pairs.set(key, { key: children[i], value: children[i + 1] });
      }
    }
    // A short-form tag (`!Ref X`, `!If [...]`) builds `{ Ref: X }` from a scalar or sequence node.
    if (keys.length === 1 && !pairs.has(keys[0])) {
      const inner = this.convert(obj[keys[0]], ev, line, endLine);
      return { kind: 'map', entries: [{ key: keys[0], keyLine: line, value: inner }], line, endLine };
    }
    for (let i = 0; i < keys.length; i++) {
      const pair = pairs.get(keys[i]);
      entries[i] = this.entry(keys[i], obj[keys[i]], pair?.key, pair?.value, line);
    }
    return { kind: 'map', entries, line, endLine };
  }

  private entry(key: string, v: unknown, keyEv: Ev | undefined, valueEv: Ev | undefined, line: number): PEntry {
    const keyLine = keyEv ? this.lineOfEv(keyEv, line) : line;
    const node: PNode = v === null || v === undefined ? { kind: 'scalar', value: null, line: keyLine, endLine: keyLine } : this.convert(v, valueEv, keyLine, keyLine);
    return { key, keyLine, value: node };
  }
}
