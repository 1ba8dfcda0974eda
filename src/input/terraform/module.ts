import { type SourceLocation, at } from '../../model/location.js';
import type { CoverageNotice } from '../../model/model.js';
import { ResourceRef, Unknown, type Value, isObject } from '../../model/value.js';
import { type EvalContext, type FileReader, isSetValue } from './eval/index.js';
import { type BodyPos, blocksOf } from './locate.js';
import { type RawBody, isRecord } from './load.js';
import type { Decl, LoadedModule, ModuleCall } from './tree.js';
import { convertToType, parseTypeConstraint } from './types.js';
import { evalRaw, sourceText } from './values.js';
import { variableDomain } from './validation.js';
import { append } from '../../model/arrays.js';

// One instance of a module at evaluation time: it answers the evaluator's name lookups (variables,
// locals, resources, data sources, module outputs), lazily and with cycle detection, because
// Terraform's declarations may refer to each other in any order.

type Bindings = Record<string, Record<string, Value>>;

/** Instances one `count` or `for_each` may make; more is evaluated as an unknown number of them. */
export const MAX_INSTANCES = 10_000;
/** Module instances one root configuration may make (modules calling modules, each several times). */
export const MAX_MODULE_INSTANCES = 1_000;
/** Named values (locals, variables, outputs, resources) computed inside one another, at most. */
export const MAX_REFERENCE_DEPTH = 200;

/**
 * What all module instances of one root share: the bounds that keep a hostile configuration from
 * hanging or overflowing the stack, and the notices saying where a bound was hit.
 */
export interface Budget {
  moduleInstances: number;
  /** Named values being computed right now, across modules. */
  depth: number;
  notices: CoverageNotice[];
}

export function newBudget(): Budget {
  return { moduleInstances: 0, depth: 0, notices: [] };
}

/** Computes a named value once; a name that needs itself becomes an Unknown instead of looping. */
class Lazy {
  private done = new Map<string, Value>();
  private busy = new Set<string>();
  constructor(private readonly budget: Budget) {}
  get(key: string, compute: () => Value, onCycle: () => Value): Value {
    const hit = this.done.get(key);
    if (hit !== undefined || this.done.has(key)) return hit as Value;
    if (this.busy.has(key)) return onCycle();
    // A chain of 5,000 locals each naming the next would overflow the stack; not cached, so a
    // shallower path to the same name still computes it.
    if (this.budget.depth >= MAX_REFERENCE_DEPTH) return new Unknown(`${key} is at the end of a chain of references more than ${MAX_REFERENCE_DEPTH} deep; evaluated as unknown`);
    this.busy.add(key);
    this.budget.depth++;
    try {
      const v = compute();
      this.done.set(key, v);
      return v;
    } finally {
      this.busy.delete(key);
      this.budget.depth--;
    }
  }
}

/** One expanded instance of a resource, data source or module call. */
export interface Instance {
  /** "" (single), "[0]" (count) or `["key"]` (for_each). */
  key: string;
  bindings: Bindings;
  condition?: Unknown;
}

const META = new Set(['count', 'for_each', 'provider', 'providers', 'depends_on', 'lifecycle', 'provisioner', 'connection', 'source', 'version']);

interface DeclIndex {
  /** "kind\0label\0label" of variables (one label), outputs (one) and resources (two). */
  named: Map<string, Decl>;
  /** The first locals block that sets each name. */
  locals: Map<string, Decl>;
  /** Data sources by type, in order. */
  data: Map<string, Decl[]>;
}

function indexDecls(decls: readonly Decl[]): DeclIndex {
  const out: DeclIndex = { named: new Map(), locals: new Map(), data: new Map() };
  const first = (k: string, d: Decl) => {
    if (!out.named.has(k)) out.named.set(k, d);
  };
  for (const d of decls) {
    if (d.kind === 'variable' || d.kind === 'output') {
      if (d.labels[0] !== undefined) first(`${d.kind}\u0000${d.labels[0]}`, d);
    } else if (d.kind === 'resource') {
      if (d.labels[0] !== undefined && d.labels[1] !== undefined) first(`resource\u0000${d.labels[0]}\u0000${d.labels[1]}`, d);
    } else if (d.kind === 'locals') {
      for (const name of Object.keys(d.body)) if (!out.locals.has(name)) out.locals.set(name, d);
    } else if (d.kind === 'data' && d.labels[0] !== undefined) {
      const list = out.data.get(d.labels[0]);
      if (list) list.push(d);
      else out.data.set(d.labels[0], [d]);
    }
  }
  return out;
}

export class ModuleRuntime {
  private lazy: Lazy;
  private children = new Map<string, ModuleRuntime[]>();
  /** Module calls not expanded because the configuration reached MAX_MODULE_INSTANCES. */
  private capped = new Set<string>();

  constructor(
    readonly loaded: LoadedModule,
    /** Address prefix: "" at the root, "module.web[0]." inside a module. */
    readonly prefix: string,
    /** Module blocks that led here, outermost first. */
    readonly via: SourceLocation[],
    /** Value of an input variable (already following Terraform's precedence), or undefined. */
    private readonly input: (name: string) => Value | undefined,
    readonly rootDir: string,
    /** file() / templatefile() reads, shared by every module of the scan. */
    readonly files?: FileReader,
    readonly budget: Budget = newBudget(),
  ) {
    this.lazy = new Lazy(budget);
  }

  scope(file: string, bindings: Bindings = {}): Scope {
    return new Scope(this, file, bindings);
  }

  /**
   * The module's declarations by kind and name, the first of each as a scan of `decls` finds it:
   * every reference looked its declaration up in the whole list (quadratic in a module's size).
   */
  private get index(): DeclIndex {
    return (this.declIndex ??= indexDecls(this.loaded.decls));
  }
  private declIndex?: DeclIndex;

  private decl(kind: string, ...labels: string[]): Decl | undefined {
    return this.index.named.get(`${kind}\u0000${labels.join('\u0000')}`);
  }

  variable(name: string): Value | undefined {
    const decl = this.decl('variable', name);
    if (!decl) return undefined;
    return this.lazy.get(
      `var.${name}`,
      () => {
        const type = parseTypeConstraint(decl.file.path, decl.body.type);
        const given = this.input(name);
        if (given !== undefined) return convertToType(given, type);
        if ('default' in decl.body) return convertToType(evalRaw(decl.body.default, decl.file.exprs, this.scope(decl.file.path)), type);
        // The validation blocks still say what it can be.
        return new Unknown(`var.${name} has no value`, variableDomain(name, decl.body));
      },
      () => new Unknown(`var.${name} depends on itself`),
    );
  }

  /** Does var.NAME take its default here (declared with one, given no value by the caller or the root's inputs)? */
  takesDefault(name: string): boolean {
    const decl = this.decl('variable', name);
    return decl !== undefined && 'default' in decl.body && this.input(name) === undefined;
  }

  local(name: string): Value | undefined {
    const d = this.index.locals.get(name);
    if (d) {
      return this.lazy.get(
        `local.${name}`,
        () => evalRaw(d.body[name], d.file.exprs, this.scope(d.file.path)),
        () => new Unknown(`local.${name} depends on itself`),
      );
    }
    return undefined;
  }

  output(name: string): Value | undefined {
    const d = this.decl('output', name);
    if (!d) return undefined;
    return this.lazy.get(
      `output.${name}`,
      () => evalRaw(d.body.value, d.file.exprs, this.scope(d.file.path)),
      () => new Unknown(`output ${name} depends on itself`),
    );
  }

  /** Expand count / for_each of a declaration (evaluated in this module, without instance bindings). */
  instances(decl: Decl, address: string): Instance[] {
    const scope = this.scope(decl.file.path);
    if ('count' in decl.body) {
      const v = evalRaw(decl.body.count, decl.file.exprs, scope);
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
      if (n !== undefined && Number.isInteger(n) && n >= 0 && n <= MAX_INSTANCES) {
        return Array.from({ length: n }, (_, i) => ({ key: `[${i}]`, bindings: { count: { index: i } } }));
      }
      if (n !== undefined && Number.isInteger(n) && n > MAX_INSTANCES) {
        const said = `count = ${sourceText(String(decl.body.count))}${String(n) === sourceText(String(decl.body.count)) ? '' : ` (${n})`}`;
        return [{ key: '[0]', bindings: { count: { index: 0 } }, condition: this.overLimit(decl, 'count', address, said) }];
      }
      // The one instance stands for "however many there are"; index 0 matches the common
      // `count = var.create ? 1 : 0` and references like `x[0].id`.
      const why = v instanceof Unknown ? v : new Unknown(`count of ${address} is not a number (${sourceText(String(decl.body.count))})`);
      return [{ key: '[0]', bindings: { count: { index: 0 } }, condition: new Unknown(`count of ${address} is not known statically: ${why}`) }];
    }
    if ('for_each' in decl.body) {
      const v = evalRaw(decl.body.for_each, decl.file.exprs, scope);
      const pairs = forEachPairs(v);
      if (pairs && pairs.length > MAX_INSTANCES) {
        const why = this.overLimit(decl, 'for_each', address, `for_each over ${pairs.length} elements`);
        return [{ key: '[*]', bindings: { each: { key: why, value: why } }, condition: why }];
      }
      if (pairs) return pairs.map(([k, val]) => ({ key: `[${JSON.stringify(k)}]`, bindings: { each: { key: k, value: val } } }));
      const why = new Unknown(`for_each of ${address} is not known statically: ${v instanceof Unknown ? v : describeShape(v)}`);
      return [{ key: '[*]', bindings: { each: { key: why, value: why } }, condition: why }];
    }
    return [{ key: '', bindings: {} }];
  }

  /** A count or for_each over the limit: a notice at its line, and the Unknown that stands for it. */
  private overLimit(decl: Decl, attr: string, address: string, said: string): Unknown {
    const message = `${said} exceeds the limit of ${MAX_INSTANCES} instances; evaluated as unknown`;
    this.budget.notices.push({ file: decl.file.path, line: decl.pos?.attrs.get(attr)?.line ?? decl.pos?.line, message: `${address}: ${message}` });
    return new Unknown(`the number of instances of ${address} is not known: ${message}`);
  }

  /** A resource as the evaluator sees it: an object, a list (count) or a map (for_each). */
  resource(type: string, name: string): Value | undefined {
    const decl = this.decl('resource', type, name);
    if (!decl) return undefined;
    const address = `${this.prefix}${type}.${name}`;
    return this.lazy.get(
      `resource.${type}.${name}`,
      () => {
        const insts = this.instances(decl, address);
        const objs = insts.map((inst) => this.resourceObject(decl, `${address}${inst.key}`, inst.bindings));
        return combine(decl, insts, objs, address);
      },
      () => new Unknown(`${address} depends on itself`),
    );
  }

  // Configured attributes (not nested blocks, not inline rules) plus identities as ResourceRefs.
  private resourceObject(decl: Decl, address: string, bindings: Bindings): Value {
    const scope = this.scope(decl.file.path, bindings);
    const obj: { [k: string]: Value } = {};
    for (const [k, raw] of Object.entries(decl.body)) {
      if (META.has(k) || k === 'dynamic' || k === 'ingress' || k === 'egress') continue;
      if (blocksOf(decl.pos, k).length > 0) continue;
      obj[k] = evalRaw(raw, decl.file.exprs, scope);
    }
    for (const attr of ['id', 'arn', 'name', ...(IDENTITY_ATTRIBUTES[decl.labels[0]] ?? [])]) obj[attr] = new ResourceRef(address, attr);
    return withComputedAttributes(obj, address);
  }

  /** `data.TYPE` as the evaluator sees it: each data source of that type is read at apply time. */
  data(type: string): Value | undefined {
    const decls = this.index.data.get(type);
    if (!decls) return undefined;
    return Object.fromEntries(
      decls.map((d) => {
        const n = d.labels[1];
        // An AWS-managed prefix list looked up by name is a known list (the network model reads the
        // data source, see walk in index.ts): its id stays a reference to the data source.
        if (MANAGED_PREFIX_LIST_DATA.has(type) && !('count' in d.body) && !('for_each' in d.body)) {
          const address = `${this.prefix}data.${type}.${n}`;
          return [n, withComputedAttributes({ id: new ResourceRef(address, 'id'), arn: new ResourceRef(address, 'arn') }, address)];
        }
        return [n, new Unknown(`data source data.${type}.${n} is read at apply time`)];
      }),
    );
  }

  /** `module.NAME`: an object of its outputs (a list or map of them with count / for_each). */
  module(name: string): Value | undefined {
    const call = this.loaded.calls.get(name);
    if (!call) return undefined;
    const address = `${this.prefix}module.${name}`;
    if (!call.child) return new Unknown(`${address} is not scanned (${call.notFollowed ?? 'no source'})`);
    return this.lazy.get(
      `module.${name}`,
      () => {
        const kids = this.childInstances(call);
        if (this.capped.has(name)) return new Unknown(`${address} is not scanned (more than ${MAX_MODULE_INSTANCES} module instances)`);
        const insts = kids.map((k) => k.instance);
        const objs = kids.map(({ runtime }) => {
          const outs = runtime.loaded.decls.filter((d) => d.kind === 'output').map((d) => d.labels[0]);
          return Object.fromEntries(outs.map((o) => [o, runtime.output(o) ?? null])) as Value;
        });
        return combine(call.decl, insts, objs, address);
      },
      () => new Unknown(`${address} depends on itself`),
    );
  }

  /** Runtimes of a local module call, one per instance (memoized so lookups and the walk agree). */
  childInstances(call: ModuleCall): Array<{ runtime: ModuleRuntime; instance: Instance }> {
    if (!call.child) return [];
    const address = `${this.prefix}module.${call.name}`;
    const insts = this.instances(call.decl, address);
    let runtimes = this.children.get(call.name);
    if (!runtimes && this.budget.moduleInstances + insts.length > MAX_MODULE_INSTANCES) {
      // Each module calling the next twice, 16 levels deep, would be 65,536 copies.
      this.capped.add(call.name);
      this.children.set(call.name, (runtimes = []));
      this.budget.notices.push({
        file: call.decl.file.path,
        line: call.decl.pos?.line,
        message: `module "${call.name}" is not scanned: the configuration would have more than ${MAX_MODULE_INSTANCES} module instances (modules calling modules many times); its resources are missing and its outputs are unknown`,
      });
    }
    if (!runtimes) {
      this.budget.moduleInstances += insts.length;
      const child = call.child;
      const loc = at(call.decl.file.path, call.decl.pos?.line ?? 1, call.decl.pos?.endLine ?? 1);
      runtimes = insts.map((inst) => {
        const scope = this.scope(call.decl.file.path, inst.bindings);
        const input = (v: string): Value | undefined =>
          v in call.decl.body && !META.has(v) ? evalRaw(call.decl.body[v], call.decl.file.exprs, scope) : undefined;
        return new ModuleRuntime(child, `${address}${inst.key}.`, [...this.via, loc], input, this.rootDir, this.files, this.budget);
      });
      this.children.set(call.name, runtimes);
    }
    return runtimes.map((runtime, i) => ({ runtime, instance: insts[i] }));
  }
}

/**
 * A resource object that also answers attributes the configuration does not set: without the
 * provider schema any of them may be computed (`aws_vpc.main.ipv6_cidr_block`, `aws_eip.x.public_ip`,
 * `aws_instance.x.private_ip`), so each is "known only after apply" instead of "no attribute".
 * Only the evaluator's own-property test and read see them; the object's keys stay the configured ones.
 */
function withComputedAttributes(obj: { [k: string]: Value }, address: string): Value {
  const computed = (key: string | symbol): key is string => typeof key === 'string' && !Object.hasOwn(obj, key) && ATTRIBUTE_NAME.test(key) && !(key in Object.prototype) && key !== 'then';
  return new Proxy(obj, {
    get: (target, key, receiver) => (computed(key) ? new Unknown(`${address}.${key} is known only after apply`) : Reflect.get(target, key, receiver)),
    getOwnPropertyDescriptor: (target, key) =>
      computed(key) ? { value: new Unknown(`${address}.${key} is known only after apply`), writable: false, enumerable: false, configurable: true } : Reflect.getOwnPropertyDescriptor(target, key),
  });
}

/** Data sources that look up a prefix list (an AWS-managed one, by name): kept as network resources. */
export const MANAGED_PREFIX_LIST_DATA: ReadonlySet<string> = new Set(['aws_ec2_managed_prefix_list', 'aws_prefix_list']);

/**
 * Computed attributes that name another piece of the network by the resource that owns it: the
 * VPC's main route table and default NACL, a gateway endpoint's prefix list, an Elastic IP's
 * allocation, an instance's private address. Kept as references (like `id`) so the network model can follow them.
 */
const IDENTITY_ATTRIBUTES: Record<string, string[]> = {
  aws_vpc: ['main_route_table_id', 'default_route_table_id', 'default_network_acl_id'],
  aws_vpc_endpoint: ['prefix_list_id'],
  aws_eip: ['allocation_id'],
  // An IP-type target group registers an instance by its private address.
  aws_instance: ['private_ip'],
};

/** Provider attribute names: lower snake case. */
const ATTRIBUTE_NAME = /^[a-z][a-z0-9_]*$/;

function combine(decl: Decl, insts: Instance[], objs: Value[], address: string): Value {
  if ('count' in decl.body) return objs;
  if ('for_each' in decl.body) {
    if (insts.length === 1 && insts[0].key === '[*]') return new Unknown(`instances of ${address} are not known statically`);
    return Object.fromEntries(insts.map((inst, i) => [String(inst.bindings.each.key), objs[i]]));
  }
  return objs[0];
}

/** for_each over a map (key/value) or a set of strings (key = value); undefined when not known. */
function forEachPairs(v: Value): Array<[string, Value]> | undefined {
  if (Array.isArray(v)) {
    if (v.some((x) => typeof x !== 'string' && typeof x !== 'number')) return undefined;
    return [...new Set(v.map(String))].sort().map((s) => [s, s]);
  }
  if (isObject(v)) return Object.keys(v).sort().map((k) => [k, v[k]]);
  return undefined;
}

function describeShape(v: Value): string {
  return Array.isArray(v) ? 'a list with values not known statically' : `unsupported value ${JSON.stringify(v)}`;
}

/** The evaluator's view of names in one place of one module instance. */
export class Scope implements EvalContext {
  constructor(
    readonly runtime: ModuleRuntime,
    readonly file: string,
    readonly bindings: Bindings,
  ) {}

  get files(): FileReader | undefined {
    return this.runtime.files;
  }

  with(extra: Bindings): Scope {
    return new Scope(this.runtime, this.file, { ...this.bindings, ...extra });
  }

  lookup(root: string, name: string): Value | undefined {
    const bound = this.bindings[root];
    if (bound) return name === '' ? bound : name in bound ? bound[name] : undefined;
    const rt = this.runtime;
    switch (root) {
      case 'var':
        return rt.variable(name);
      case 'local':
        return rt.local(name);
      case 'module':
        return rt.module(name);
      case 'data':
        return rt.data(name);
      case 'path':
        return name === 'module' ? rt.loaded.displayDir : name === 'root' ? rt.rootDir : name === 'cwd' ? '.' : undefined;
      case 'terraform':
        return name === 'workspace' ? 'default' : undefined;
      case 'each':
      case 'count':
      case 'self':
        return undefined;
      default:
        return rt.resource(root, name);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Block bodies

/** An evaluated block body: attributes, their lines, and nested blocks (dynamic ones expanded). */
export interface EvalBody {
  attrs: Record<string, Value>;
  attrLines: Record<string, number>;
  /** Object-literal positions of list attributes (`ingress = [{...}]`), by attribute. */
  attrElements: Record<string, BodyPos[]>;
  blocks: Record<string, EvalBlock[]>;
  /** Attributes whose value variables left at their default make (see defaultOrigin). */
  attrOrigins?: Record<string, AttrOrigin>;
}

/** Where an attribute's value comes from, as a whole and, for a tuple written out, per element. */
export interface AttrOrigin {
  /** "the default of var.ssh_cidr", "set by the default of var.base"; absent when no default takes part. */
  text?: string;
  /** The expression is exactly the variable (`var.x`, `var.x[0]`): every element of it comes from it. */
  direct: boolean;
  /** `[var.a, "10.0.0.0/8"]`: each element's own origin, in order. */
  elements?: Array<AttrOrigin | undefined>;
}

/** The origin of element `i` of an attribute's list value, with `count` elements; undefined when it is not a default's. */
export function elementOrigin(o: AttrOrigin | undefined, i: number, count: number): string | undefined {
  if (!o) return undefined;
  if (o.elements) return o.elements.length === count ? o.elements[i]?.text : undefined;
  // A whole expression tells every element only when it is the variable, or there is one element.
  return o.direct || count === 1 ? o.text : undefined;
}

export interface EvalBlock extends EvalBody {
  line: number;
  endLine: number;
  /** Set for blocks generated by a `dynamic` whose for_each is not known. */
  condition?: Unknown;
}

/**
 * Evaluate a block body. HCL files tell blocks from attributes by the position tree; in JSON files
 * every key is taken as an attribute (no schema), except `dynamic`.
 */
export function evalBody(raw: RawBody, pos: BodyPos | undefined, scope: Scope, exprs: EvalExprs, skip: ReadonlySet<string> = META): EvalBody {
  const out: EvalBody = { attrs: {}, attrLines: {}, attrElements: {}, blocks: {} };
  for (const [key, value] of Object.entries(raw)) {
    if (skip.has(key)) continue;
    if (key === 'dynamic' && isRecord(value)) {
      for (const [label, list] of Object.entries(value)) {
        const bodies = Array.isArray(list) ? list : [list];
        const positions = blocksOf(pos, 'dynamic', [label]);
        bodies.forEach((b, i) => {
          if (!isRecord(b)) return;
          const blocks = expandDynamic(label, b, positions[i], scope, exprs);
          append((out.blocks[label] ??= []), blocks);
          if (positions[i] && !(label in out.attrLines)) out.attrLines[label] = positions[i].line;
        });
      }
      continue;
    }
    const blockPos = blocksOf(pos, key);
    const attrPos = pos?.attrs.get(key);
    if (blockPos.length > 0 && !attrPos && Array.isArray(value)) {
      const list = out.blocks[key] ?? (out.blocks[key] = []);
      value.forEach((b, i) => {
        if (!isRecord(b)) return;
        const bp = blockPos[i];
        list.push({ ...evalBody(b, bp, scope, exprs, skip), line: bp?.line ?? pos?.line ?? 1, endLine: bp?.endLine ?? bp?.line ?? pos?.line ?? 1 });
      });
      out.attrLines[key] ??= blockPos[0].line;
      continue;
    }
    out.attrs[key] = evalRaw(value, exprs.exprs, scope);
    const origin = Array.isArray(value) ? tupleOrigin(value, scope) : defaultOrigin(value, scope);
    if (origin) (out.attrOrigins ??= {})[key] = origin;
    if (attrPos) {
      out.attrLines[key] = attrPos.line;
      out.attrElements[key] = attrPos.elements;
    }
  }
  for (const list of Object.values(out.blocks)) list.sort((a, b) => a.line - b.line);
  return out;
}

/**
 * Where an attribute's value comes from when it is a variable left at its default: "the default of
 * var.ssh_cidr" for `var.x`, `[var.x]`, `var.x[0]`, `"${var.x}"`. Only the variable itself: inside
 * other expressions a default may be a fallback that is not taken (`lookup(m, "cidr", var.x)`).
 * Read from the expression text (hcl2json keeps it), so evaluated values stay plain values.
 */
export function defaultOrigin(raw: unknown, scope: Scope): AttrOrigin | undefined {
  if (typeof raw !== 'string') return undefined;
  const name = /^\$\{\s*var\.([A-Za-z_][\w-]*)(?:\[\d+\])?\s*\}$/.exec(raw)?.[1];
  return name !== undefined && scope.runtime.takesDefault(name) ? { text: `the default of var.${name}`, direct: true } : undefined;
}

/** A tuple written out (`[var.a, "10.0.0.0/8"]`): each element's origin. */
function tupleOrigin(raw: unknown[], scope: Scope): AttrOrigin | undefined {
  const elements = raw.map((e) => defaultOrigin(e, scope));
  return elements.some((e) => e) ? { direct: false, elements } : undefined;
}

/** What evalBody needs from the file: its parsed expressions. */
export interface EvalExprs {
  exprs: Map<string, import('./eval/index.js').Expression>;
}

function expandDynamic(label: string, raw: RawBody, pos: BodyPos | undefined, scope: Scope, exprs: EvalExprs): EvalBlock[] {
  const iterRaw = raw.iterator;
  const iterator = typeof iterRaw === 'string' ? sourceText(iterRaw) : label;
  const contents = Array.isArray(raw.content) ? raw.content : raw.content ? [raw.content] : [];
  const content = isRecord(contents[0]) ? contents[0] : {};
  const contentPos = blocksOf(pos, 'content')[0];
  const line = pos?.line ?? scope.runtime.loaded.files[0]?.pos.line ?? 1;
  const endLine = pos?.endLine ?? line;
  const forEach = evalRaw(raw.for_each, exprs.exprs, scope);
  const make = (key: Value, value: Value, condition?: Unknown): EvalBlock => ({
    ...evalBody(content, contentPos, scope.with({ [iterator]: { key, value } }), exprs),
    line,
    endLine,
    condition,
  });
  const size = Array.isArray(forEach) ? forEach.length : isObject(forEach) ? Object.keys(forEach).length : 0;
  if (size > MAX_INSTANCES) {
    const message = `dynamic "${label}" for_each over ${size} elements exceeds the limit of ${MAX_INSTANCES} blocks; evaluated as unknown`;
    scope.runtime.budget.notices.push({ file: scope.file, line, message });
    const why = new Unknown(message);
    return [make(why, why, why)];
  }
  // Over a set, `key` is the element itself (Terraform: "for sets, the key is the same as the value").
  if (Array.isArray(forEach)) return forEach.map((v, i) => make(isSetValue(forEach) ? v : i, v));
  if (isObject(forEach)) return Object.keys(forEach).sort().map((k) => make(k, forEach[k]));
  const why = new Unknown(`for_each of dynamic "${label}" is not known statically: ${forEach instanceof Unknown ? forEach : JSON.stringify(forEach)}`);
  return [make(why, why, why)];
}
