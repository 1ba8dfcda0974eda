// Tree-walking evaluator for the AST of ./parser.ts. Unknowns are ordinary values that propagate;
// errors and limits are thrown internally (values.ts) and turned into Unknowns by evaluateNode.
import { ResourceRef, Unknown, isObject, nameOfUnknown, type Value } from '../../../model/value.js';
import { oneOf } from '../../../model/domain.js';
import type { Node } from './ast.js';
import { callFunction } from './functions.js';
import type { FileReader } from './files.js';
import {
  EvalError,
  LimitError,
  MAX_STRING,
  UnknownSignal,
  checkSize,
  equalValues,
  hasKey,
  newObj,
  refUnknown,
  setKey,
  sortedKeys,
  toBool,
  toNum,
  toStr,
  typeName,
  unknownsIn,
  type Obj,
} from './values.js';

export interface Lookup {
  lookup(root: string, name: string): Value | undefined;
  /** Reads files for file() and templatefile(); absent: they stay unknown. */
  readonly files?: FileReader;
}

const MAX_EVAL_DEPTH = 200;
/**
 * Nodes one evaluation may visit. Each list is capped by MAX_ELEMENTS, but nested `for` loops
 * multiply: `[for i in range(1000) : [for j in range(1000) : j]]` would build a million values.
 * Real security-group code stays far below this.
 */
export const MAX_EVAL_STEPS = 500_000;

export class Evaluator {
  private depth = 0;
  private steps = 0;
  private scopes: Map<string, Value>[] = [];
  private anon: Value[] = [];

  constructor(
    private readonly ctx: Lookup,
    readonly templateDepth = 0,
  ) {}

  get files(): FileReader | undefined {
    return this.ctx.files;
  }

  /** templatefile(): the template sees its variables and nothing else (not var., not local.). */
  templateFile(ast: Node, vars: Obj): Value {
    const lookup = (root: string, name: string): Value | undefined => {
      if (!hasKey(vars, root)) return undefined;
      const v = vars[root];
      return name === '' ? v : attrValue(v, name);
    };
    return new Evaluator({ lookup, files: this.ctx.files }, this.templateDepth + 1).eval(ast);
  }

  eval(n: Node): Value {
    if (++this.steps > MAX_EVAL_STEPS) throw new LimitError(`expression needs more than ${MAX_EVAL_STEPS} evaluation steps`);
    if (++this.depth > MAX_EVAL_DEPTH) {
      this.depth--;
      throw new LimitError('expression nested too deeply to evaluate');
    }
    try {
      return this.node(n);
    } finally {
      this.depth--;
    }
  }

  /** Evaluate, turning an UnknownSignal from an operation into its Unknown value. */
  private guarded(_n: Node, f: () => Value): Value {
    try {
      return f();
    } catch (e) {
      if (e instanceof UnknownSignal) return e.unknown;
      throw e;
    }
  }

  private node(n: Node): Value {
    switch (n.k) {
      case 'lit':
        return n.v;
      case 'err':
        return new Unknown(n.msg);
      case 'wrap':
        return this.eval(n.e);
      case 'tmpl':
        return this.template(n.parts);
      case 'tif':
        return this.guarded(n, () => {
          const c = this.eval(n.c);
          if (c instanceof Unknown) return c;
          if (toBool(c, 'template condition')) return this.eval(n.t);
          return n.f ? this.eval(n.f) : '';
        });
      case 'tfor':
        return this.guarded(n, () => {
          const pieces: Value[] = [];
          this.iterate(this.eval(n.coll), n.keyVar, n.valVar, () => {
            pieces.push(this.eval(n.body));
          });
          return joinTemplate(pieces);
        });
      case 'name':
        return this.name(n.name);
      case 'anon':
        return this.anon.length ? this.anon[this.anon.length - 1] : new Unknown('splat element outside a splat');
      case 'attr':
        return this.attr(n);
      case 'index':
        return this.guarded(n, () => {
          const o = this.eval(n.o);
          const key = this.eval(n.key);
          const v = indexValue(o, key);
          // A known map or list at a key known only at apply time: still one of its elements.
          if (!(key instanceof Unknown) || !(v instanceof Unknown) || !(Array.isArray(o) || isObject(o))) return v;
          return new Unknown(v.reasons, oneOf(`${describeNode(n.o)}[${nameOfUnknown(key)}]`, Array.isArray(o) ? o : Object.values(o)));
        });
      case 'splat':
        return this.splat(n.o, n.each);
      case 'call':
        return callFunction(n.name, n.args, n.expand, this);
      case 'tuple': {
        checkSize(n.items.length, 'tuple');
        return n.items.map((i) => this.eval(i));
      }
      case 'object': {
        const o = newObj();
        const unknownKeys: Unknown[] = [];
        for (const [ke, ve] of n.items) {
          const k = this.eval(ke);
          const v = this.eval(ve);
          if (k instanceof Unknown || k instanceof ResourceRef) {
            unknownKeys.push(k instanceof Unknown ? k : refUnknown(k));
            continue;
          }
          setKey(o, toStr(k, 'object key'), v);
        }
        return unknownKeys.length ? Unknown.merge(...unknownKeys) : o;
      }
      case 'for':
        return this.forExpr(n);
      case 'cond':
        return this.conditional(n.c, n.t, n.f);
      case 'un':
        return this.guarded(n, () => {
          const v = this.eval(n.e);
          return n.op === '!' ? !toBool(v, 'operand of !') : -toNum(v, 'operand of -');
        });
      case 'bin':
        return this.binary(n);
    }
  }

  /** Run `body` with the given variables bound (for expressions, callers of functions like try()). */
  withScope<T>(vars: Map<string, Value>, body: () => T): T {
    this.scopes.push(vars);
    try {
      return body();
    } finally {
      this.scopes.pop();
    }
  }

  private name(name: string): Value {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = this.scopes[i];
      if (s.has(name)) return s.get(name)!;
    }
    // A root without an attribute (`each`, `aws_security_group`): ask for the whole thing.
    const v = this.ctx.lookup(name, '');
    return v === undefined ? new Unknown(`reference to undeclared ${name}`) : v;
  }

  private inScope(name: string): boolean {
    return this.scopes.some((s) => s.has(name));
  }

  private attr(n: Extract<Node, { k: 'attr' }>): Value {
    if (n.o.k === 'name' && !this.inScope(n.o.name)) {
      const v = this.ctx.lookup(n.o.name, n.name);
      return v === undefined ? new Unknown(`reference to undeclared ${n.o.name}.${n.name}`) : v;
    }
    return this.guarded(n, () => attrValue(this.eval(n.o), n.name));
  }

  private splat(o: Node, each: Node): Value {
    const src = this.eval(o);
    if (src instanceof Unknown) return src;
    if (src === null) return [];
    const items = Array.isArray(src) ? src : [src];
    return items.map((item) => {
      this.anon.push(item);
      try {
        return this.eval(each);
      } finally {
        this.anon.pop();
      }
    });
  }

  private conditional(c: Node, t: Node, f: Node): Value {
    const cv = this.eval(c);
    if (cv instanceof Unknown || cv instanceof ResourceRef) {
      const reason = cv instanceof Unknown ? cv : refUnknown(cv);
      const tv = this.eval(t);
      const fv = this.eval(f);
      // If both branches agree the condition does not matter.
      if (equalValues(tv, fv) === true) return tv;
      return Unknown.merge(reason, new Unknown(`condition ${describeNode(c)} is unknown`));
    }
    return this.guarded(c, () => (toBool(cv, 'condition') ? this.eval(t) : this.eval(f)));
  }

  private binary(n: Extract<Node, { k: 'bin' }>): Value {
    const l = this.eval(n.l);
    const r = this.eval(n.r);
    return this.guarded(n, () => {
      switch (n.op) {
        case '==':
        case '!=': {
          const eq = equalValues(l, r);
          if (eq instanceof Unknown) return eq;
          return n.op === '==' ? eq : !eq;
        }
        case '&&':
        case '||': {
          // A known deciding operand settles the result even if the other is unknown.
          const decisive = n.op === '||';
          const lb = l instanceof Unknown ? l : toBool(l, `left operand of ${n.op}`);
          const rb = r instanceof Unknown ? r : toBool(r, `right operand of ${n.op}`);
          if (lb === decisive || rb === decisive) return decisive;
          if (lb instanceof Unknown || rb instanceof Unknown) {
            return Unknown.merge(...[lb, rb].filter((x): x is Unknown => x instanceof Unknown));
          }
          return !decisive;
        }
      }
      const unknowns = [l, r].filter((x): x is Unknown => x instanceof Unknown);
      if (unknowns.length) return Unknown.merge(...unknowns);
      const a = toNum(l, `left operand of ${n.op}`);
      const b = toNum(r, `right operand of ${n.op}`);
      switch (n.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          if (b === 0) throw new EvalError('divide by zero');
          return a / b;
        case '%': {
          if (b === 0) throw new EvalError('modulo by zero');
          return a % b;
        }
        case '<':
          return a < b;
        case '<=':
          return a <= b;
        case '>':
          return a > b;
        case '>=':
          return a >= b;
      }
    });
  }

  private template(parts: Node[]): Value {
    const pieces = parts.map((p) => this.eval(p));
    return this.guarded(parts[0] ?? { k: 'lit', v: '' }, () => joinTemplate(pieces));
  }

  /** Bind key/value variables for each element of a collection in Terraform's order. */
  iterate(coll: Value, keyVar: string | null, valVar: string, body: () => void): void {
    if (coll instanceof Unknown) throw new UnknownSignal(coll);
    if (coll instanceof ResourceRef) throw new UnknownSignal(refUnknown(coll));
    const entries: [Value, Value][] = Array.isArray(coll)
      ? coll.map((v, i) => [i, v])
      : isObject(coll)
        ? sortedKeys(coll).map((k) => [k, coll[k]])
        : [];
    if (!Array.isArray(coll) && !isObject(coll)) {
      throw new EvalError(`cannot iterate over a ${typeName(coll)}`);
    }
    for (const [k, v] of entries) {
      const vars = new Map<string, Value>([[valVar, v]]);
      if (keyVar !== null) vars.set(keyVar, k);
      this.withScope(vars, body);
    }
  }

  private forExpr(n: Extract<Node, { k: 'for' }>): Value {
    return this.guarded(n, () => {
      const coll = this.eval(n.coll);
      const list: Value[] = [];
      const obj: Obj = newObj();
      const unknowns: Unknown[] = [];
      this.iterate(coll, n.keyVar, n.valVar, () => {
        if (n.cond) {
          const c = this.eval(n.cond);
          if (c instanceof Unknown) {
            unknowns.push(c);
            return;
          }
          if (!toBool(c, 'for condition')) return;
        }
        if (!n.obj) {
          list.push(this.eval(n.valE));
          return;
        }
        const k = this.eval(n.keyE!);
        if (k instanceof Unknown || k instanceof ResourceRef) {
          unknowns.push(k instanceof Unknown ? k : refUnknown(k));
          return;
        }
        const key = toStr(k, 'for key');
        const v = this.eval(n.valE);
        if (n.group) {
          const prev = hasKey(obj, key) ? (obj[key] as Value[]) : [];
          prev.push(v);
          setKey(obj, key, prev);
        } else {
          if (hasKey(obj, key)) throw new EvalError(`duplicate key "${key}" in for expression (use ... to group)`);
          setKey(obj, key, v);
        }
      });
      // An unknown filter or key makes the shape of the result unknown.
      if (unknowns.length) return Unknown.merge(...unknowns);
      return n.obj ? obj : list;
    });
  }
}

/** Concatenate evaluated template parts; Unknowns (and references) make the string unknown. */
function joinTemplate(pieces: Value[]): Value {
  const unknowns: Unknown[] = [];
  let out = '';
  for (const p of pieces) {
    if (p instanceof Unknown) unknowns.push(p);
    else if (p instanceof ResourceRef) unknowns.push(refUnknown(p));
    else if (p === null) throw new EvalError('template interpolation value is null');
    else if (typeof p === 'object') throw new EvalError(`cannot include a ${typeName(p)} in a string template`);
    else if (unknowns.length === 0) {
      out += toStr(p);
      if (out.length > MAX_STRING) throw new LimitError(`string longer than ${MAX_STRING} characters`);
    }
  }
  return unknowns.length ? Unknown.merge(...unknowns) : out;
}

export function attrValue(o: Value, name: string): Value {
  if (o instanceof Unknown) return o;
  if (o instanceof ResourceRef) return refUnknown(o);
  if (isObject(o)) {
    if (!hasKey(o, name)) throw new EvalError(`object has no attribute "${name}"`);
    return o[name];
  }
  if (o === null) throw new EvalError(`attempt to get attribute "${name}" from a null value`);
  throw new EvalError(`cannot get attribute "${name}" of a ${typeName(o)}`);
}

export function indexValue(o: Value, key: Value): Value {
  if (o instanceof Unknown) return o;
  if (key instanceof Unknown) return key;
  if (Array.isArray(o)) {
    const i = toNum(key, 'index');
    if (!Number.isInteger(i) || i < 0 || i >= o.length) {
      throw new EvalError(`index ${toStr(key)} out of range for list of ${o.length} elements`);
    }
    return o[i];
  }
  if (isObject(o)) {
    const k = toStr(key, 'key');
    if (!hasKey(o, k)) throw new EvalError(`key "${k}" does not exist`);
    return o[k];
  }
  if (o === null) throw new EvalError('attempt to index a null value');
  if (o instanceof ResourceRef) return refUnknown(o);
  throw new EvalError(`cannot index a ${typeName(o)}`);
}

/** Short source-like rendering of a node for messages ("var.x"). */
export function describeNode(n: Node): string {
  switch (n.k) {
    case 'name':
      return n.name;
    case 'attr':
      return `${describeNode(n.o)}.${n.name}`;
    case 'index':
      return `${describeNode(n.o)}[${n.key.k === 'lit' ? JSON.stringify(n.key.v) : '...'}]`;
    case 'call':
      return `${n.name}(...)`;
    case 'lit':
      return JSON.stringify(n.v);
    case 'wrap':
      return describeNode(n.e);
    case 'un':
      return `${n.op}${describeNode(n.e)}`;
    case 'bin':
      return `${describeNode(n.l)} ${n.op} ${describeNode(n.r)}`;
    default:
      return 'expression';
  }
}

export { unknownsIn };
