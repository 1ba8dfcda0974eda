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

const OTHER = 0;
const SEQUENCE = 1;
const MAPPING = 2;

/**
 * The composed nodes as the reader saw them, one index each (0 is the document's parent), in typed
 * arrays rather than one object per node: a large template has millions, all alive until the tree
 * is built, and objects made the garbage collector a third of the parse. Children are a list
 * linked backwards from the last one, so a rolled-back sibling is dropped by moving `lastChild`.
 */
class Events {
  size = 0;
  open: Int32Array;
  close: Int32Array;
  kind: Uint8Array;
  result: unknown[] = [];
  lastChild: Int32Array;
  prevSibling: Int32Array;
  childCount: Int32Array;
  /** The span, 0 until `extent` computed it. */
  line: Int32Array;
  endLine: Int32Array;
  /** A descendant has no position: the span ends at the caller's fallback. */
  fallback: Uint8Array;

  constructor(capacity: number) {
    this.open = new Int32Array(capacity);
    this.close = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.lastChild = new Int32Array(capacity);
    this.prevSibling = new Int32Array(capacity);
    this.childCount = new Int32Array(capacity);
    this.line = new Int32Array(capacity);
    this.endLine = new Int32Array(capacity);
    this.fallback = new Uint8Array(capacity);
  }

  add(openPos: number): number {
    if (this.size === this.open.length) this.grow();
    const id = this.size++;
    this.open[id] = openPos;
    this.close[id] = -1;
    this.result.push(undefined);
    return id;
  }

  private grow(): void {
    const n = this.open.length * 2;
    const more = <T extends Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.open = more(this.open);
    this.close = more(this.close);
    this.kind = more(this.kind);
    this.lastChild = more(this.lastChild);
    this.prevSibling = more(this.prevSibling);
    this.childCount = more(this.childCount);
    this.line = more(this.line);
    this.endLine = more(this.endLine);
    this.fallback = more(this.fallback);
  }

  /** The children of a node, in order. */
  children(id: number): number[] {
    const n = this.childCount[id];
    const out: number[] = new Array(n);
    let c = this.lastChild[id];
    for (let i = n - 1; i >= 0; i--) {
      out[i] = c;
      c = this.prevSibling[c];
    }
    return out;
  }

}

/** Expanded-size budget: aliases can make a small file expand exponentially ("billion laughs"). */
export function nodeBudget(text: string): number {
  return 100_000 + 4 * text.length;
}

export function parseYaml(text: string, warnings: ParseWarning[] = []): PNode {
  const evs = new Events(64 + (text.length >> 3));
  const root = evs.add(0);
  evs.close[root] = text.length;
  const stack: number[] = [root];
  let value: unknown;
  try {
    value = jsYaml.load(text, {
      schema: SCHEMA,
      // Duplicate keys: the last one wins (as CloudFormation's parser does), reported as a warning below.
      json: true,
      listener(event, state) {
        if (event === 'open') {
          stack.push(evs.add(state.position));
          return;
        }
        const ev = stack.pop();
        const parent = stack[stack.length - 1];
        if (ev === undefined || parent === undefined) return;
        evs.close[ev] = state.position;
        evs.kind[ev] = state.kind === 'mapping' ? MAPPING : state.kind === 'sequence' ? SEQUENCE : OTHER;
        evs.result[ev] = state.result;
        onClose(evs, parent, ev);
      },
    });
  } catch (e) {
    const err = e as { reason?: string; message?: string; mark?: { line?: number } };
    const line = typeof err.mark?.line === 'number' ? err.mark.line + 1 : undefined;
    throw new ParseFailure(`invalid YAML: ${err.reason ?? err.message ?? String(e)}`, line);
  }
  const top = evs.childCount[root] > 0 ? evs.lastChild[root] : -1;
  const builder = new Builder(text, evs, nodeBudget(text), warnings);
  return builder.convert(value, top, 1, 1);
}

function onClose(evs: Events, parent: number, ev: number): void {
  const { close, lastChild, prevSibling, childCount, result } = evs;
  // A sibling that ends after this node starts was read speculatively and then rolled back.
  while (childCount[parent] > 0 && close[lastChild[parent]] > evs.open[ev]) {
    lastChild[parent] = prevSibling[lastChild[parent]];
    childCount[parent]--;
  }
  // js-yaml sometimes composes a node through an inner call whose result it keeps as is.
  const r = result[ev];
  if (typeof r === 'object' && r !== null) {
    while (childCount[ev] === 1 && result[lastChild[ev]] === r) {
      const only = lastChild[ev];
      childCount[ev] = childCount[only];
      lastChild[ev] = lastChild[only];
    }
  }
  prevSibling[ev] = childCount[parent] > 0 ? lastChild[parent] : -1;
  lastChild[parent] = ev;
  childCount[parent]++;
}

/** `/\s/` for one character, without a regular expression for the usual ones. */
function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  return c >= 128 && /\s/.test(String.fromCharCode(c));
}

const NO_CHILDREN: number[] = [];

class Builder {
  private count = 0;
  /** Arrays and objects being converted right now: `&a [*a]` makes a value that contains itself. */
  private active = new Set<object>();
  /** Offsets where lines start, and the line last found: nodes are mostly asked for in order. */
  private readonly starts: number[] = [0];
  private cursor = 0;
  constructor(
    private readonly text: string,
    private readonly evs: Events,
    private readonly budget: number,
    private readonly warnings: ParseWarning[],
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** The 1-based line of an offset (as LineIndex.line). */
  private lineOf(offset: number): number {
    const starts = this.starts;
    const last = starts.length - 1;
    const i = this.cursor;
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
   * A node's first line and the last line of it and its descendants, once per node (kept with the
   * node): every node's span walked its whole subtree, so a template was walked once per level of
   * nesting. A descendant without a position ends at the caller's fallback (`fallback`: it has one).
   */
  private extent(ev: number): void {
    const evs = this.evs;
    if (evs.line[ev] !== 0) return;
    const start = this.contentStart(evs.open[ev]);
    const line = this.lineOf(start);
    let endLine = line;
    let fallback = 0;
    if (evs.kind[ev] !== OTHER) {
      if (this.isFlow(start)) endLine = this.lastContentLine(evs.close[ev]);
      let c = evs.lastChild[ev];
      for (let i = evs.childCount[ev]; i > 0; i--, c = evs.prevSibling[c]) {
        if (evs.close[c] < 0) fallback = 1;
        else {
          this.extent(c);
          if (evs.endLine[c] > endLine) endLine = evs.endLine[c];
          if (evs.fallback[c]) fallback = 1;
        }
      }
    } else {
      endLine = this.lastContentLine(evs.close[ev]);
    }
    evs.line[ev] = line;
    evs.endLine[ev] = Math.max(line, endLine);
    evs.fallback[ev] = fallback;
  }

  /** The first line of a node, or `fallback` when it has no position (-1: no node). */
  private lineOfEv(ev: number, fallback: number): number {
    if (ev < 0 || this.evs.close[ev] < 0) return fallback;
    this.extent(ev);
    return this.evs.line[ev];
  }

  /** `fallbackLine`/`fallbackEnd`: the span of a node without a position (a value built by a tag, an alias's parts); `ev` -1: none. */
  convert(value: unknown, ev: number, fallbackLine: number, fallbackEnd: number): PNode {
    if (++this.count > this.budget) {
      throw new ParseFailure(`YAML aliases expand to more than ${this.budget} nodes (alias bomb?); not scanned`);
    }
    let line = fallbackLine;
    let endLine = fallbackEnd;
    const evs = this.evs;
    if (ev >= 0 && evs.close[ev] >= 0) {
      this.extent(ev);
      line = evs.line[ev];
      endLine = evs.fallback[ev] ? Math.max(evs.endLine[ev], fallbackEnd) : evs.endLine[ev];
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

  private convertCollection(value: object, ev: number, line: number, endLine: number): PNode {
    const evs = this.evs;
    const kind = ev >= 0 ? evs.kind[ev] : OTHER;
    if (Array.isArray(value)) {
      const children = kind === SEQUENCE && evs.childCount[ev] === value.length ? evs.children(ev) : undefined;
      const items: PNode[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) items[i] = this.convert(value[i], children ? children[i] : -1, line, endLine);
      return { kind: 'seq', items, line, endLine };
    }
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    const children = kind === MAPPING ? evs.children(ev) : NO_CHILDREN;
    // Usually the written keys are the value's keys, in order (no duplicates, no merges): pair by position.
    let inOrder = kind === MAPPING && children.length === 2 * keys.length;
    for (let i = 0; inOrder && i < keys.length; i++) if (String(evs.result[children[2 * i]]) !== keys[i]) inOrder = false;
    const entries: PEntry[] = new Array(keys.length);
    if (inOrder) {
      for (let i = 0; i < keys.length; i++) entries[i] = this.entry(keys[i], obj[keys[i]], children[2 * i], children[2 * i + 1], line);
      return { kind: 'map', entries, line, endLine };
    }
    const pairs = new Map<string, { key: number; value: number }>();
    for (let i = 0; i + 1 < children.length; i += 2) {
      const key = String(evs.result[children[i]]);
      if (pairs.has(key) && key !== '<<') {
        this.warnings.push({ line: this.lineOfEv(children[i], line), message: `duplicate key "${key}"; the last one is used` });
      }
      pairs.set(key, { key: children[i], value: children[i + 1] });
    }
    // A short-form tag (`!Ref X`, `!If [...]`) builds `{ Ref: X }` from a scalar or sequence node.
    if (keys.length === 1 && !pairs.has(keys[0])) {
      const inner = this.convert(obj[keys[0]], ev, line, endLine);
      return { kind: 'map', entries: [{ key: keys[0], keyLine: line, value: inner }], line, endLine };
    }
    for (let i = 0; i < keys.length; i++) {
      const pair = pairs.get(keys[i]);
      entries[i] = this.entry(keys[i], obj[keys[i]], pair ? pair.key : -1, pair ? pair.value : -1, line);
    }
    return { kind: 'map', entries, line, endLine };
  }

  private entry(key: string, v: unknown, keyEv: number, valueEv: number, line: number): PEntry {
    const keyLine = keyEv >= 0 ? this.lineOfEv(keyEv, line) : line;
    const node: PNode = v === null || v === undefined ? { kind: 'scalar', value: null, line: keyLine, endLine: keyLine } : this.convert(v, valueEv, keyLine, keyLine);
    return { key, keyLine, value: node };
  }
}
