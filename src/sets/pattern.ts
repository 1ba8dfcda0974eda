import { append } from '../model/arrays.js';
// Regular languages of strings, for the constraints a declaration puts on a value it does not give:
// CloudFormation's AllowedPattern (a Java regex applied to the whole value) and Terraform's
// `can(regex(...))` validations (RE2, a search). A pattern is parsed into a Thompson NFA, so that
// matching never backtracks (no catastrophic patterns: time is linear in the text) and two patterns
// can be intersected: "can a value this pattern admits end in /0?".
//
// Only the common subset is read: literals and escapes, classes (ranges, negation, \d \w \s), `.`,
// groups (capturing, non-capturing, named), alternation, * + ? {n} {n,} {n,m} (lazy or greedy: the
// same language), ^ $ \A \z. Anything else (lookaround, backreferences, possessive quantifiers,
// flags, Unicode classes, class intersections, word boundaries, an NFA too large) is refused: the
// caller then treats the value as admitting anything, which is always safe.

export type Flavour = 'java' | 're2';

export interface PatternOptions {
  flavour: Flavour;
  /** true: the pattern must match the whole value (Java `matches()`); false: anywhere (RE2 `regex()`). */
  whole: boolean;
}

/** A compiled pattern: a language of strings. */
export interface Pattern {
  readonly source: string;
  /** Is the text in the language? Linear in the text. */
  matches(text: string): boolean;
  /** @internal the automaton, for intersections */
  readonly nfa: Nfa;
}

/** Sorted, disjoint, inclusive ranges of UTF-16 code units. */
type CharSet = Array<[number, number]>;

type Node =
  | { t: 'set'; set: CharSet }
  | { t: 'cat'; parts: Node[] }
  | { t: 'alt'; parts: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number }
  | { t: 'bol' }
  | { t: 'eol' };

const MAX_CHAR = 0xffff;
const MAX_STATES = 20000;
const MAX_COUNT = 1000;
const ANY: CharSet = [[0, MAX_CHAR]];
const DIGIT: CharSet = [[0x30, 0x39]];
const WORD: CharSet = normalize([[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]);
const SPACE_JAVA: CharSet = normalize([[0x09, 0x0d], [0x20, 0x20]]);
const SPACE_RE2: CharSet = normalize([[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]]);
const LINE_TERMINATORS_JAVA: CharSet = normalize([[0x0a, 0x0a], [0x0d, 0x0d], [0x85, 0x85], [0x2028, 0x2029]]);

function normalize(set: CharSet): CharSet {
  const sorted = set.map(([a, b]): [number, number] => [a, b]).sort((x, y) => x[0] - y[0]);
  const out: CharSet = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function complement(set: CharSet): CharSet {
  const out: CharSet = [];
  let next = 0;
  for (const [a, b] of normalize(set)) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CHAR) out.push([next, MAX_CHAR]);
  return out;
}

function setsMeet(x: CharSet, y: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i][1] < y[j][0]) i++;
    else if (y[j][1] < x[i][0]) j++;
    else return true;
  }
  return false;
}

function setHas(set: CharSet, c: number): boolean {
  let lo = 0;
  let hi = set.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c < set[mid][0]) hi = mid - 1;
    else if (c > set[mid][1]) lo = mid + 1;
    else return true;
  }
  return false;
}

class Refused extends Error {}

// ---- Parser -----------------------------------------------------------------------------------

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly flavour: Flavour,
  ) {}

  parse(): Node {
    const n = this.alt();
    if (this.i < this.src.length) throw new Refused(`unexpected "${this.src[this.i]}" at ${this.i}`);
    return n;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alt(): Node {
    const parts = [this.cat()];
    while (this.peek() === '|') {
      this.i++;
      parts.push(this.cat());
    }
    return parts.length === 1 ? parts[0] : { t: 'alt', parts };
  }

  private cat(): Node {
    const parts: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) parts.push(this.quantified());
    return { t: 'cat', parts };
  }

  private quantified(): Node {
    const atom = this.atom();
    const q = this.quantifier();
    if (!q) return atom;
    if (atom.t === 'bol' || atom.t === 'eol') throw new Refused('a repeated anchor');
    const next = this.peek();
    if (next === '?') this.i++; // lazy: the same language
    else if (next === '+') throw new Refused('possessive quantifiers are not read');
    if (this.quantifierAhead()) throw new Refused('a repeated quantifier');
    return { t: 'rep', node: atom, min: q.min, max: q.max };
  }

  private quantifierAhead(): boolean {
    const c = this.peek();
    return c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i)));
  }

  private quantifier(): { min: number; max: number } | undefined {
    const c = this.peek();
    if (c === '*') return (this.i++, { min: 0, max: Infinity });
    if (c === '+') return (this.i++, { min: 1, max: Infinity });
    if (c === '?') return (this.i++, { min: 0, max: 1 });
    if (c !== '{') return undefined;
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
    if (!m) throw new Refused('"{" that is not a repetition'); // Java: "Illegal repetition"
    this.i += m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > MAX_COUNT || (max !== Infinity && max > MAX_COUNT) || max < min) throw new Refused('a repetition count out of range');
    return { min, max };
  }

  private atom(): Node {
    const c = this.src[this.i++];
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return { t: 'set', set: this.charClass() };
      case '.':
        return { t: 'set', set: this.flavour === 'java' ? complement(LINE_TERMINATORS_JAVA) : complement([[0x0a, 0x0a]]) };
      case '^':
        return { t: 'bol' };
      case '$':
        return { t: 'eol' };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
      case '{':
      case ')':
      case '}':
      case ']':
        if (c === '}' || c === ']') return { t: 'set', set: [[c.charCodeAt(0), c.charCodeAt(0)]] };
        throw new Refused(`nothing to repeat at "${c}"`);
      default:
        return { t: 'set', set: [[c.charCodeAt(0), c.charCodeAt(0)]] };
    }
  }

  private group(): Node {
    if (this.peek() === '?') {
      const rest = this.src.slice(this.i);
      const named = /^\?P?<([A-Za-z][A-Za-z0-9_]*)>/.exec(rest);
      if (rest.startsWith('?:')) this.i += 2;
      else if (named) this.i += named[0].length;
      else throw new Refused('lookaround and inline flags are not read');
    }
    const inner = this.alt();
    if (this.src[this.i++] !== ')') throw new Refused('an unclosed group');
    return inner;
  }

  private escape(): Node {
    const c = this.src[this.i++];
    if (c === undefined) throw new Refused('a trailing backslash');
    if (c === 'A') return { t: 'bol' };
    if (c === 'z') return { t: 'eol' };
    const set = this.escapeSet(c);
    return { t: 'set', set };
  }

  /** An escape as a set of characters (inside or outside a class). */
  private escapeSet(c: string): CharSet {
    const one = (code: number): CharSet => [[code, code]];
    switch (c) {
      case 'd':
        return DIGIT;
      case 'D':
        return complement(DIGIT);
      case 'w':
        return WORD;
      case 'W':
        return complement(WORD);
      case 's':
        return this.flavour === 'java' ? SPACE_JAVA : SPACE_RE2;
      case 'S':
        return complement(this.flavour === 'java' ? SPACE_JAVA : SPACE_RE2);
      case 't':
        return one(0x09);
      case 'n':
        return one(0x0a);
      case 'r':
        return one(0x0d);
      case 'f':
        return one(0x0c);
      case 'a':
        return one(0x07);
      case 'e':
        if (this.flavour === 'java') return one(0x1b);
        break;
      case 'x': {
        const m = /^([0-9a-fA-F]{2})/.exec(this.src.slice(this.i));
        if (!m) break;
        this.i += 2;
        return one(parseInt(m[1], 16));
      }
      case 'u': {
        if (this.flavour !== 'java') break;
        const m = /^([0-9a-fA-F]{4})/.exec(this.src.slice(this.i));
        if (!m) break;
        this.i += 4;
        return one(parseInt(m[1], 16));
      }
      default:
        // Escaped punctuation is itself; an escaped letter or digit we do not know means something else.
        if (!/[A-Za-z0-9]/.test(c)) return one(c.charCodeAt(0));
    }
    throw new Refused(`the escape \\${c} is not read`);
  }

  private charClass(): CharSet {
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.i++;
    }
    const parts: CharSet = [];
    let first = true;
    for (;;) {
      const c = this.src[this.i++];
      if (c === undefined) throw new Refused('an unclosed class');
      if (c === ']' && !first) break;
      if (c === ']' || c === '[') throw new Refused('nested or empty classes are not read');
      if (c === '&' && this.peek() === '&') throw new Refused('class intersections are not read');
      first = false;
      let lo: CharSet;
      if (c === '\\') {
        const e = this.src[this.i++];
        if (e === undefined) throw new Refused('a trailing backslash');
        lo = this.escapeSet(e);
      } else lo = [[c.charCodeAt(0), c.charCodeAt(0)]];
      // A range a-z (a '-' before ']' is literal).
      if (this.peek() === '-' && this.src[this.i + 1] !== undefined && this.src[this.i + 1] !== ']') {
        if (lo.length !== 1 || lo[0][0] !== lo[0][1]) throw new Refused('a range from a class');
        this.i++;
        let h = this.src[this.i++];
        let hiSet: CharSet;
        if (h === '\\') {
          h = this.src[this.i++];
          if (h === undefined) throw new Refused('a trailing backslash');
          hiSet = this.escapeSet(h);
        } else if (h === '[') throw new Refused('nested classes are not read');
        else hiSet = [[h.charCodeAt(0), h.charCodeAt(0)]];
        if (hiSet.length !== 1 || hiSet[0][0] !== hiSet[0][1] || hiSet[0][0] < lo[0][0]) throw new Refused('a bad range');
        parts.push([lo[0][0], hiSet[0][0]]);
        continue;
      }
      append(parts, lo);
    }
    const set = normalize(parts);
    return negate ? complement(set) : set;
  }
}

// ---- Automaton ----------------------------------------------------------------------------------

interface State {
  /** Epsilon moves; `at` restricts one to the start or the end of the text. */
  eps: { to: number; at?: 'bol' | 'eol' }[];
  /** Moves on one character of `set`. */
  edges: { set: CharSet; to: number }[];
}

/** @internal */
export interface Nfa {
  states: State[];
  start: number;
  accept: number;
}

class Builder {
  readonly states: State[] = [];
  add(): number {
    if (this.states.length >= MAX_STATES) throw new Refused('the pattern is too large');
    this.states.push({ eps: [], edges: [] });
    return this.states.length - 1;
  }
  /** A fragment for `n` between fresh states: returns [in, out]. */
  build(n: Node): [number, number] {
    const a = this.add();
    const b = this.add();
    switch (n.t) {
      case 'set':
        this.states[a].edges.push({ set: n.set, to: b });
        break;
      case 'bol':
      case 'eol':
        this.states[a].eps.push({ to: b, at: n.t });
        break;
      case 'cat': {
        let cur = a;
        for (const p of n.parts) {
          const [i, o] = this.build(p);
          this.states[cur].eps.push({ to: i });
          cur = o;
        }
        this.states[cur].eps.push({ to: b });
        break;
      }
      case 'alt':
        for (const p of n.parts) {
          const [i, o] = this.build(p);
          this.states[a].eps.push({ to: i });
          this.states[o].eps.push({ to: b });
        }
        break;
      case 'rep': {
        let cur = a;
        for (let k = 0; k < n.min; k++) {
          const [i, o] = this.build(n.node);
          this.states[cur].eps.push({ to: i });
          cur = o;
        }
        if (n.max === Infinity) {
          const [i, o] = this.build(n.node);
          this.states[cur].eps.push({ to: i }, { to: b });
          this.states[o].eps.push({ to: i }, { to: b });
        } else {
          for (let k = n.min; k < n.max; k++) {
            const [i, o] = this.build(n.node);
            this.states[cur].eps.push({ to: i }, { to: b });
            cur = o;
          }
          this.states[cur].eps.push({ to: b });
        }
        break;
      }
    }
    return [a, b];
  }
}

function toNfa(node: Node): Nfa {
  const b = new Builder();
  const [start, accept] = b.build(node);
  return { states: b.states, start, accept };
}

/** States reachable by epsilon moves, given whether the position is the start and/or the end. */
function closure(nfa: Nfa, from: Iterable<number>, atStart: boolean, atEnd: boolean): Set<number> {
  const out = new Set<number>();
  const stack = [...from];
  for (const s of stack) out.add(s);
  while (stack.length) {
    const s = stack.pop()!;
    for (const e of nfa.states[s].eps) {
      if ((e.at === 'bol' && !atStart) || (e.at === 'eol' && !atEnd) || out.has(e.to)) continue;
      out.add(e.to);
      stack.push(e.to);
    }
  }
  return out;
}

function run(nfa: Nfa, text: string): boolean {
  let cur = closure(nfa, [nfa.start], true, text.length === 0);
  for (let i = 0; i < text.length && cur.size; i++) {
    const c = text.charCodeAt(i);
    const next: number[] = [];
    for (const s of cur) for (const e of nfa.states[s].edges) if (setHas(e.set, c)) next.push(e.to);
    cur = closure(nfa, next, false, i + 1 === text.length);
  }
  return cur.has(nfa.accept);
}

/** Compile a pattern, or say why it is not read (the caller then admits anything). */
export function compilePattern(source: string, options: PatternOptions): Pattern | { refused: string } {
  try {
    let node = new Parser(source, options.flavour).parse();
    if (!options.whole) {
      const anything: Node = { t: 'rep', node: { t: 'set', set: ANY }, min: 0, max: Infinity };
      node = { t: 'cat', parts: [anything, node, anything] };
    }
    const nfa = toNfa(node);
    return { source, nfa, matches: (text) => run(nfa, text) };
  } catch (e) {
    if (e instanceof Refused) return { refused: e.message };
    throw e;
  }
}

/**
 * Is there one text that every pattern admits? A breadth-first search over the product of the
 * automata; a position flag tells "no character read yet" (for ^) and "no character will be read"
 * (after $).
 */
export function intersects(...patterns: Pattern[]): boolean {
  const nfas = patterns.map((p) => p.nfa);
  if (nfas.length === 0) return true;
  type Item = { states: number[]; started: boolean; ended: boolean };
  const key = (x: Item) => `${x.states.join(',')}|${x.started ? 1 : 0}${x.ended ? 1 : 0}`;
  const seen = new Set<string>();
  const queue: Item[] = [{ states: nfas.map((n) => n.start), started: false, ended: false }];
  seen.add(key(queue[0]));
  for (let q = 0; q < queue.length; q++) {
    if (seen.size > 200000) return true; // too large to decide: say yes, which is always safe
    const item = queue[q];
    if (item.states.every((s, k) => s === nfas[k].accept)) return true;
    const push = (x: Item) => {
      const k = key(x);
      if (!seen.has(k)) {
        seen.add(k);
        queue.push(x);
      }
    };
    // Epsilon moves of one automaton at a time.
    item.states.forEach((s, k) => {
      for (const e of nfas[k].states[s].eps) {
        if (e.at === 'bol' && item.started) continue;
        const states = [...item.states];
        states[k] = e.to;
        push({ states, started: item.started, ended: item.ended || e.at === 'eol' });
      }
    });
    // One character read by all of them.
    if (item.ended) continue;
    const combine = (k: number, set: CharSet | null, to: number[]): void => {
      if (k === nfas.length) {
        push({ states: to, started: true, ended: false });
        return;
      }
      for (const e of nfas[k].states[item.states[k]].edges) {
        if (set !== null && !setsMeet(set, e.set)) continue;
        combine(k + 1, set === null ? e.set : intersectSets(set, e.set), [...to, e.to]);
      }
    };
    combine(0, null, []);
  }
  return false;
}

function intersectSets(x: CharSet, y: CharSet): CharSet {
  const out: CharSet = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const lo = Math.max(x[i][0], y[j][0]);
    const hi = Math.min(x[i][1], y[j][1]);
    if (lo <= hi) out.push([lo, hi]);
    if (x[i][1] < y[j][1]) i++;
    else j++;
  }
  return out;
}

// ---- CIDR questions -------------------------------------------------------------------------------

// A CIDR of prefix length p, in any spelling, ends (after the trim that parsing does) with "/", the
// digits of p (leading zeros allowed) and perhaps non-digits. So the prefixes a pattern may admit
// are the values v such that some text it admits has its last run of digits right after a "/",
// with value v. One search over the pattern's automaton times a small tracker of that last run
// finds them all (over-approximating is safe: a prefix in the list may not be a valid CIDR).

const BIG = 129; // any value above 128
const SLASH = 0x2f;
const DIGIT_CODES = Array.from({ length: 10 }, (_, d) => 0x30 + d);
const OTHER: CharSet = complement([[0x2f, 0x39]]);

// Tracker states as numbers: N (no qualifying run), P (just read "/"), R- (in a run not right after
// "/"), R(v) (in a run after "/", value v), A(v) (non-digits since such a run), AP(v) (A, then "/").
const N = 0;
const P = 1;
const R_ = 2;
const R0 = 3;
const A0 = R0 + BIG + 1;
const AP0 = A0 + BIG + 1;
const TRACKS = AP0 + BIG + 1;

/** The run's value in a qualifying state, else -1. */
function runValue(t: number): number {
  if (t >= AP0) return t - AP0;
  if (t >= A0) return t - A0;
  if (t >= R0) return t - R0;
  return -1;
}

function stepTrack(t: number, c: 'slash' | 'other' | number): number {
  const v = runValue(t);
  if (c === 'slash') return v >= 0 ? AP0 + v : P;
  if (c === 'other') return v >= 0 ? A0 + v : N;
  if (t === P || t >= AP0) return R0 + c;
  if (t >= R0 && t < A0) return R0 + Math.min(v * 10 + c, BIG);
  return R_;
}

const PREFIXES = new WeakMap<Pattern, number[]>();
const MAX_VISITED = 200000;

/** The prefix lengths (0-128) of the CIDRs the pattern may admit: [] when it admits nothing CIDR-like. */
export function admittedPrefixes(p: Pattern): number[] {
  const hit = PREFIXES.get(p);
  if (hit) return hit;
  const nfa = p.nfa;
  const found = new Set<number>();
  // One bit per (state, tracker, started, ended).
  const size = nfa.states.length * TRACKS * 4;
  const bits = size <= 1 << 22 ? new Uint8Array(size) : undefined;
  const set = bits ? undefined : new Set<number>();
  const queue: number[] = [];
  const push = (s: number, t: number, started: boolean, ended: boolean) => {
    const k = (s * TRACKS + t) * 4 + (started ? 2 : 0) + (ended ? 1 : 0);
    if (bits ? bits[k] : set!.has(k)) return;
    if (bits) bits[k] = 1;
    else set!.add(k);
    queue.push(k);
  };
  push(nfa.start, N, false, false);
  let capped = false;
  for (let q = 0; q < queue.length; q++) {
    if (queue.length > MAX_VISITED) {
      capped = true; // too large to decide: every prefix, which is always safe
      break;
    }
    const k = queue[q];
    const started = (k & 2) !== 0;
    const ended = (k & 1) !== 0;
    const st = Math.floor(k / 4);
    const s = Math.floor(st / TRACKS);
    const t = st % TRACKS;
    if (s === nfa.accept) {
      const v = runValue(t);
      if (v >= 0 && v <= 128) found.add(v);
    }
    for (const e of nfa.states[s].eps) {
      if (e.at === 'bol' && started) continue;
      push(e.to, t, started, ended || e.at === 'eol');
    }
    if (ended) continue;
    for (const e of nfa.states[s].edges) {
      if (setHas(e.set, SLASH)) push(e.to, stepTrack(t, 'slash'), true, false);
      if (setsMeet(e.set, OTHER)) push(e.to, stepTrack(t, 'other'), true, false);
      for (let d = 0; d < 10; d++) if (setHas(e.set, DIGIT_CODES[d])) push(e.to, stepTrack(t, d), true, false);
    }
  }
  const out = capped ? Array.from({ length: 129 }, (_, k) => k) : [...found].sort((a, b) => a - b);
  PREFIXES.set(p, out);
  return out;
}

/** Can a text the pattern admits be a CIDR of the whole address space (0.0.0.0/0, ::/0, any spelling)? */
export function mayBeWorldCidr(p: Pattern): boolean {
  return admittedPrefixes(p).includes(0);
}
