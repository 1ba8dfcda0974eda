import ipaddr from 'ipaddr.js';
import { ResourceRef, Unknown, type Value, describeValue, nameOfUnknown } from '../../model/value.js';
import { oneOf } from '../../model/domain.js';
import { type PNode, child, scalarString, singleKey } from './node.js';
import { allowedValueList, parameterDomain } from './parameters.js';
import { type Template, resourceType } from './template.js';

// Evaluation of CloudFormation intrinsic functions and conditions into the shared Value type.
// Whatever depends on deployment (pseudo parameters, attributes, imports) is an Unknown with its reason.

/** `Ref: AWS::NoValue`: the property is removed. */
export const NO_VALUE = Symbol('AWS::NoValue');
export type Evaluated = Value | typeof NO_VALUE;

export interface EvalContext {
  template: Template;
  /** Parameter values for this evaluation (fixed, assumed for a branch, or Unknown). */
  parameters: Map<string, Value>;
  /** Conditions fixed for this branch of the evaluation. */
  conditionChoices: Map<string, boolean>;
  /** Memo of evaluated conditions, per context. */
  conditionCache: Map<string, boolean | Unknown>;
  /** VPCs whose CidrBlock is being evaluated (guards self-reference). */
  visiting: Set<string>;
  /**
   * Prefix of the addresses of this template's resources: empty at the top, `Network.` inside the
   * nested stack `Network`, so a child's `!Ref SG` never collides with the parent's `SG`.
   */
  prefix: string;
  /** Output of a nested stack of this template (`!GetAtt Network.Outputs.WebSG`), when it was scanned. */
  stackOutput?: (stack: string, output: string) => Value | undefined;
  /** Parameters whose value here is their Default (none given, none assumed): see `defaultOrigin`. */
  defaulted?: ReadonlySet<string>;
}

const PSEUDO = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

const SSM_TYPE = /^AWS::SSM::Parameter::Value</;

/** Does the parameter take its Default (nothing given, nothing assumed for a branch, not read from SSM)? */
export function takesDefault(def: PNode, override: Value | undefined, assumed: string | undefined): boolean {
  if (override !== undefined || assumed !== undefined) return false;
  if (SSM_TYPE.test(scalarString(child(def, 'Type')) ?? '')) return false;
  const dflt = child(def, 'Default');
  return dflt !== undefined && (dflt.kind === 'seq' || (dflt.kind === 'scalar' && dflt.value !== null));
}

/**
 * Where a property's value comes from when parameters left at their Default make it: "the default
 * of parameter SSHLocation" for `!Ref SSHLocation` (or `!Select` of it), "set by the defaults of
 * parameters A and B" when they only take part. Undefined when no default is involved. Read from
 * the expression (decided Fn::If followed), so the evaluated value stays a plain value.
 */
export function defaultOrigin(node: PNode | undefined, ctx: EvalContext): string | undefined {
  if (!ctx.defaulted?.size) return undefined;
  const names = new Set<string>();
  const walk = (n: PNode | undefined, depth: number): void => {
    const chosen = select(n, ctx);
    if (chosen === undefined || chosen === NO_VALUE || depth > 100 || chosen.kind === 'scalar') return;
    if (chosen.kind === 'seq') return chosen.items.forEach((x) => walk(x, depth + 1));
    const fn = singleKey(chosen);
    if (fn?.key === 'Ref') {
      const name = scalarString(fn.value);
      if (name !== undefined && ctx.defaulted?.has(name)) names.add(name);
      return;
    }
    if (fn?.key === 'Fn::Sub') {
      const items = fn.value.kind === 'seq' ? fn.value.items : [fn.value];
      const vars = items[1]?.kind === 'map' ? items[1] : undefined;
      for (const m of (scalarString(items[0]) ?? '').matchAll(/\$\{([^}!.]+)\}/g)) {
        const name = m[1].trim();
        if (!child(vars, name) && ctx.defaulted?.has(name)) names.add(name);
      }
      return walk(vars, depth + 1);
    }
    for (const e of chosen.entries) walk(e.value, depth + 1);
  };
  walk(node, 0);
  if (names.size === 0) return undefined;
  const direct = directRef(node, ctx);
  if (direct !== undefined && names.size === 1 && names.has(direct)) return `the default of parameter ${direct}`;
  const list = [...names];
  return list.length === 1 ? `set by the default of parameter ${list[0]}` : `set by the defaults of parameters ${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

/** The parameter a property is exactly (`!Ref P`, `!Select [i, !Ref P]`, a one-name `!Sub "${P}"`). */
function directRef(node: PNode | undefined, ctx: EvalContext): string | undefined {
  const n = select(node, ctx);
  if (n === undefined || n === NO_VALUE) return undefined;
  const fn = singleKey(n);
  if (fn?.key === 'Ref') return scalarString(fn.value);
  if (fn?.key === 'Fn::Select' && fn.value.kind === 'seq' && fn.value.items.length === 2) return directRef(fn.value.items[1], ctx);
  if (fn?.key === 'Fn::Sub') return /^\$\{([^}!.]+)\}$/.exec(scalarString(fn.value) ?? '')?.[1].trim();
  return undefined;
}

/** The value of a parameter before any branching: override, else Default, else Unknown. */
export function parameterValue(name: string, def: PNode, override: Value | undefined, assumed?: string): Value {
  const type = scalarString(child(def, 'Type')) ?? 'String';
  const dflt = child(def, 'Default');
  let raw: Value;
  if (override !== undefined) raw = override;
  else if (assumed !== undefined) raw = assumed;
  else if (dflt !== undefined && dflt.kind === 'scalar' && dflt.value !== null) raw = dflt.kind === 'scalar' ? dflt.value : null;
  else if (dflt !== undefined && dflt.kind === 'seq') raw = dflt.items.map((i) => (i.kind === 'scalar' ? i.value : null)).join(',');
  else {
    // A single allowed value is the value; otherwise the declaration still says what it can be.
    const allowed = allowedValueList(def);
    if (allowed?.length === 1 && type === 'String') return allowed[0];
    // The reason stays as it was (it is part of finding keys); messages that report it say the domain.
    return new Unknown(`parameter ${name} has no value`, parameterDomain(name, def));
  }
  if (SSM_TYPE.test(type)) return new Unknown(`parameter ${name} is read from SSM parameter ${String(raw)} at deploy time`, parameterDomain(name, def));
  // A value a parent stack passes may be a reference or unknown; it is taken as it is.
  if (override !== undefined && typeof override !== 'string') return override;
  if ((type === 'CommaDelimitedList' || type.startsWith('List<')) && typeof raw === 'string') {
    return raw === '' ? [] : raw.split(',').map((s) => s.trim());
  }
  return raw;
}

function unknownParts(values: Value[]): Unknown | undefined {
  const parts: Unknown[] = [];
  for (const v of values) {
    if (v instanceof Unknown) parts.push(v);
    else if (v instanceof ResourceRef) parts.push(new Unknown(`${v.toString()} is known only after deployment`));
    else if (Array.isArray(v)) {
      const u = unknownParts(v);
      if (u) parts.push(u);
    }
  }
  return parts.length ? Unknown.merge(...parts) : undefined;
}

/** Every unknown part anywhere inside a value (lists and maps included). */
function deepUnknown(v: Value): Unknown | undefined {
  const parts: Unknown[] = [];
  const walk = (x: Value): void => {
    if (x instanceof Unknown) parts.push(x);
    else if (x instanceof ResourceRef) parts.push(new Unknown(`${x.toString()} is known only after deployment`));
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x !== null && typeof x === 'object') Object.values(x).forEach(walk);
  };
  walk(v);
  return parts.length ? Unknown.merge(...parts) : undefined;
}

function isScalar(v: Value): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

export function sameValue(a: Evaluated, b: Evaluated): boolean {
  if (a === NO_VALUE || b === NO_VALUE) return a === b;
  return describeValue(a) === describeValue(b) && (a instanceof Unknown) === (b instanceof Unknown);
}

/** Resolve `Fn::If` / `AWS::NoValue` at a structural position, keeping the chosen node (and its lines). */
export function select(node: PNode | undefined, ctx: EvalContext): PNode | typeof NO_VALUE | undefined {
  let n = node;
  for (let guard = 0; n && guard < 50; guard++) {
    const fn = singleKey(n);
    if (fn?.key === 'Ref' && scalarString(fn.value) === 'AWS::NoValue') return NO_VALUE;
    if (fn?.key !== 'Fn::If' || fn.value.kind !== 'seq' || fn.value.items.length !== 3) return n;
    const name = scalarString(fn.value.items[0]);
    const c = name === undefined ? new Unknown('Fn::If without a condition name') : evalCondition(name, ctx);
    if (c instanceof Unknown) return n;
    n = fn.value.items[c ? 1 : 2];
  }
  return n;
}

export function evaluate(node: PNode, ctx: EvalContext, depth = 0): Evaluated {
  if (depth > 100) return new Unknown('expression nested too deeply');
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') {
    const out: Value[] = [];
    for (const item of node.items) {
      const v = evaluate(item, ctx, depth + 1);
      if (v !== NO_VALUE) out.push(v);
    }
    return out;
  }
  const fn = singleKey(node);
  if (fn && (fn.key === 'Ref' || fn.key.startsWith('Fn::'))) return intrinsic(fn.key, fn.value, ctx, depth + 1);
  if (fn && fn.key.startsWith('!')) return new Unknown(`YAML tag ${fn.key} is not evaluated by sgscan`);
  const out: { [k: string]: Value } = {};
  for (const e of node.entries) {
    const v = evaluate(e.value, ctx, depth + 1);
    if (v !== NO_VALUE) out[e.key] = v;
  }
  return out;
}

function value(node: PNode, ctx: EvalContext, depth: number): Value {
  const v = evaluate(node, ctx, depth);
  return v === NO_VALUE ? null : v;
}

function args(arg: PNode, n: number, fn: string): PNode[] | Unknown {
  if (arg.kind !== 'seq' || arg.items.length < n) return new Unknown(`${fn} needs ${n} arguments`);
  return arg.items;
}

function intrinsic(fn: string, arg: PNode, ctx: EvalContext, depth: number): Evaluated {
  switch (fn) {
    case 'Ref': {
      const name = scalarString(arg);
      return name === undefined ? new Unknown('Ref without a name') : ref(name, ctx);
    }
    case 'Fn::GetAtt': {
      let parts: Value[];
      if (arg.kind === 'scalar') parts = String(arg.value).split('.');
      else if (arg.kind === 'seq') parts = arg.items.map((i) => value(i, ctx, depth));
      else return new Unknown('Fn::GetAtt with a map argument');
      const [res, ...attr] = parts;
      if (typeof res !== 'string' || attr.some((a) => typeof a !== 'string')) {
        return new Unknown(`Fn::GetAtt ${describeValue(parts)} is not static`);
      }
      return getAtt(res, attr.join('.'), ctx, depth);
    }
    case 'Fn::Sub':
      return sub(arg, ctx, depth);
    case 'Fn::Join': {
      const a = args(arg, 2, fn);
      if (a instanceof Unknown) return a;
      const delim = value(a[0], ctx, depth);
      const list = value(a[1], ctx, depth);
      const u = unknownParts([delim, list]);
      if (u) return u;
      if (typeof delim !== 'string' || !Array.isArray(list) || !list.every((x) => isScalar(x))) {
        return new Unknown('Fn::Join arguments are not a delimiter and a list of strings');
      }
      return list.map(String).join(delim);
    }
    case 'Fn::Select': {
      const a = args(arg, 2, fn);
      if (a instanceof Unknown) return a;
      const index = value(a[0], ctx, depth);
      const list = value(a[1], ctx, depth);
      if (index instanceof Unknown) return index;
      if (list instanceof Unknown) return list;
      const i = Number(index);
      if (!Array.isArray(list) || !Number.isInteger(i)) return new Unknown('Fn::Select needs an index and a list');
      if (i < 0 || i >= list.length) return new Unknown(`Fn::Select index ${i} is out of range`);
      return list[i];
    }
    case 'Fn::Split': {
      const a = args(arg, 2, fn);
      if (a instanceof Unknown) return a;
      const delim = value(a[0], ctx, depth);
      const str = value(a[1], ctx, depth);
      // `!Split [",", !GetAtt Sg.GroupId]` is a common way to make a list of one id; a resource id
      // never contains a delimiter, so the reference survives as the only element.
      if (typeof delim === 'string' && delim !== '' && str instanceof ResourceRef) return [str];
      const u = unknownParts([delim, str]);
      if (u) return u;
      if (typeof delim !== 'string' || !isScalar(str)) return new Unknown('Fn::Split needs a delimiter and a string');
      return String(str).split(delim);
    }
    case 'Fn::If': {
      const a = args(arg, 3, fn);
      if (a instanceof Unknown) return a;
      const name = scalarString(a[0]) ?? '';
      const c = evalCondition(name, ctx);
      if (!(c instanceof Unknown)) return evaluate(a[c ? 1 : 2], ctx, depth);
      const yes = evaluate(a[1], ctx, depth);
      const no = evaluate(a[2], ctx, depth);
      if (sameValue(yes, no)) return yes;
      return new Unknown([`depends on condition ${name}`, ...c.reasons]);
    }
    case 'Fn::FindInMap':
      return findInMap(arg, ctx, depth);
    case 'Fn::Cidr': {
      const a = args(arg, 3, fn);
      if (a instanceof Unknown) return a;
      const vals = a.slice(0, 3).map((x) => value(x, ctx, depth));
      const u = unknownParts(vals);
      if (u) return u;
      return cidr(String(vals[0]), Number(vals[1]), Number(vals[2]));
    }
    case 'Fn::GetAZs':
      return new Unknown('Fn::GetAZs: availability zones are known only at deploy time');
    case 'Fn::Base64': {
      const v = value(arg, ctx, depth);
      if (v instanceof Unknown) return v;
      return isScalar(v) ? Buffer.from(String(v), 'utf8').toString('base64') : (unknownParts([v]) ?? new Unknown('Fn::Base64 of a non-string'));
    }
    case 'Fn::Length': {
      // AWS::LanguageExtensions: the number of elements of a list.
      const v = value(arg, ctx, depth);
      if (Array.isArray(v)) return v.length;
      return unknownParts([v]) ?? new Unknown(`Fn::Length of a non-list (${describeValue(v)})`);
    }
    case 'Fn::ToJsonString': {
      // AWS::LanguageExtensions: an object or list as compact JSON text.
      const v = value(arg, ctx, depth);
      const u = deepUnknown(v);
      if (u) return u;
      if (typeof v !== 'object' || v === null) return new Unknown(`Fn::ToJsonString of a non-object (${describeValue(v)})`);
      return JSON.stringify(v);
    }
    case 'Fn::ImportValue': {
      const v = value(arg, ctx, depth);
      return new Unknown(`imported from another stack: ${describeValue(v)}`);
    }
    case 'Fn::Equals':
    case 'Fn::And':
    case 'Fn::Or':
    case 'Fn::Not':
      return conditionExpr({ kind: 'map', entries: [{ key: fn, keyLine: arg.line, value: arg }], line: arg.line, endLine: arg.endLine }, ctx, new Set(), depth);
    default:
      return new Unknown(`${fn} is not evaluated by sgscan`);
  }
}

function ref(name: string, ctx: EvalContext): Evaluated {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (PSEUDO.has(name)) return new Unknown(`${name} is known only at deploy time`);
  if (ctx.parameters.has(name)) return ctx.parameters.get(name) ?? null;
  if (ctx.template.resources.has(name)) return new ResourceRef(ctx.prefix + name);
  return new Unknown(`Ref to ${name}, which is not declared in this template`);
}

/** A resource's own property, evaluated (a resource naming itself is not followed). */
function property(res: string, resource: PNode, name: string, ctx: EvalContext, depth: number): Value | undefined {
  const seen = ctx.visiting;
  const node = child(child(resource, 'Properties'), name);
  if (!node || seen.has(res)) return undefined;
  seen.add(res);
  try {
    return value(node, ctx, depth);
  } finally {
    seen.delete(res);
  }
}

function getAtt(res: string, attr: string, ctx: EvalContext, depth: number): Value {
  const resource = ctx.template.resources.get(res);
  if (!resource) return new Unknown(`Fn::GetAtt ${res}.${attr}: ${res} is not declared in this template`);
  const type = resourceType(resource);
  if (type === 'AWS::EC2::VPC' && attr === 'CidrBlock') return property(res, resource.value, 'CidrBlock', ctx, depth) ?? new Unknown(`${res}.CidrBlock is not given`);
  // A database's or cache's endpoint port is its Port property when the template sets one
  // (ConfigurationEndpoint.Port, RedisEndpoint.Port, Endpoint.Port, ReadEndpoint.Port).
  if (/^\w*End[pP]oint\.Port$/.test(attr)) {
    const port = property(res, resource.value, 'Port', ctx, depth);
    if (port !== undefined) return port;
  }
  if (type === 'AWS::CloudFormation::Stack' && attr.startsWith('Outputs.')) {
    const out = ctx.stackOutput?.(res, attr.slice('Outputs.'.length));
    if (out !== undefined) return out;
  }
  // Ids of resources in the scan link things together (a rule naming a group, a subnet's VPC).
  if (/Id$/.test(attr) && !attr.includes('.')) return new ResourceRef(ctx.prefix + res, attr);
  return new Unknown(`${res}.${attr} is known only after deployment`);
}

function sub(arg: PNode, ctx: EvalContext, depth: number): Value {
  let template: Value;
  const vars = new Map<string, Value>();
  if (arg.kind === 'seq') {
    template = value(arg.items[0] ?? { kind: 'scalar', value: '', line: arg.line, endLine: arg.line }, ctx, depth);
    const varNode = arg.items[1];
    if (varNode?.kind === 'map') for (const e of varNode.entries) vars.set(e.key, value(e.value, ctx, depth));
  } else {
    template = value(arg, ctx, depth);
  }
  if (template instanceof Unknown) return template;
  if (typeof template !== 'string') return new Unknown('Fn::Sub of a non-string');
  const unknowns: Unknown[] = [];
  const out = template.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name.startsWith('!')) return '${' + name.slice(1) + '}';
    const trimmed = name.trim();
    let v: Evaluated;
    if (vars.has(trimmed)) v = vars.get(trimmed) ?? null;
    else if (trimmed.includes('.') && !trimmed.startsWith('AWS::')) {
      const [res, ...attr] = trimmed.split('.');
      v = getAtt(res, attr.join('.'), ctx, depth);
    } else v = ref(trimmed, ctx);
    if (v === NO_VALUE) return '';
    const u = unknownParts([v]);
    if (u) {
      unknowns.push(u);
      return whole;
    }
    if (Array.isArray(v)) return v.map(String).join(',');
    return String(v);
  });
  return unknowns.length ? Unknown.merge(...unknowns) : out;
}

function findInMap(arg: PNode, ctx: EvalContext, depth: number): Value {
  const a = args(arg, 3, 'Fn::FindInMap');
  if (a instanceof Unknown) return a;
  const [mapName, top, second] = a.slice(0, 3).map((x) => value(x, ctx, depth));
  const map = typeof mapName === 'string' ? child(ctx.template.mappings, mapName) : undefined;
  if (!map || map.kind !== 'map') return unknownParts([mapName]) ?? new Unknown(`mapping ${describeValue(mapName)} is not declared`);
  if (second instanceof Unknown || typeof second === 'object') return unknownParts([second]) ?? new Unknown('Fn::FindInMap key is not static');
  if (top instanceof Unknown || (typeof top === 'object' && top !== null)) {
    // Every row agreeing makes the unknown key irrelevant.
    const values = map.entries.map((e) => child(e.value, String(second))).map((n) => (n ? value(n, ctx, depth) : null));
    if (values.length > 0 && values.every((v) => sameValue(v, values[0])) && values[0] !== null) return values[0];
    const key = unknownParts([top]) ?? new Unknown('key not static');
    const reasons = Unknown.merge(key, new Unknown(`Fn::FindInMap ${mapName} row depends on it`)).reasons;
    // Each row a CloudFront list id, or CIDRs none of which is /0: what it can be still tells.
    const keyName = /^(\S+) is known only at deploy time$/.exec(key.reasons[0] ?? '')?.[1] ?? nameOfUnknown(key);
    return new Unknown(reasons, oneOf(`the ${String(mapName)} mapping row for ${keyName}`, values));
  }
  const cell = child(child(map, String(top)), String(second));
  if (!cell) return new Unknown(`Fn::FindInMap ${mapName}.${String(top)}.${String(second)} is not in the mapping`);
  return value(cell, ctx, depth);
}

/** Fn::Cidr: `count` consecutive subnets of `cidrBits` host bits, from the start of the block. */
export function cidr(block: string, count: number, cidrBits: number): Value {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  let prefix: number;
  try {
    [addr, prefix] = ipaddr.parseCIDR(block);
  } catch {
    return new Unknown(`Fn::Cidr: "${block}" is not a CIDR`);
  }
  const width = addr.kind() === 'ipv4' ? 32 : 128;
  const newPrefix = width - cidrBits;
  if (!Number.isInteger(count) || count < 1 || count > 256 || !Number.isInteger(cidrBits) || newPrefix < prefix || newPrefix > width) {
    return new Unknown(`Fn::Cidr ${block} count ${count} bits ${cidrBits} is not valid`);
  }
  const bytes = addr.toByteArray();
  let base = 0n;
  for (const b of bytes) base = (base << 8n) | BigInt(b);
  const hostMask = (1n << BigInt(width - prefix)) - 1n;
  base &= ~hostMask;
  const step = 1n << BigInt(cidrBits);
  if (BigInt(count) * step > hostMask + 1n) return new Unknown(`Fn::Cidr ${block} has room for fewer than ${count} subnets`);
  const out: string[] = [];
  for (let i = 0n; i < BigInt(count); i++) {
    let n = base + i * step;
    const arr: number[] = [];
    for (let k = 0; k < width / 8; k++) {
      arr.unshift(Number(n & 0xffn));
      n >>= 8n;
    }
    const a = ipaddr.fromByteArray(arr);
    out.push(`${a.kind() === 'ipv6' ? (a as ipaddr.IPv6).toRFC5952String() : a.toString()}/${newPrefix}`);
  }
  return out;
}

/** A named condition, decided (true/false) or Unknown with the reason. */
export function evalCondition(name: string, ctx: EvalContext): boolean | Unknown {
  return conditionByName(name, ctx, new Set());
}

function conditionByName(name: string, ctx: EvalContext, stack: Set<string>): boolean | Unknown {
  const chosen = ctx.conditionChoices.get(name);
  if (chosen !== undefined) return chosen;
  const cached = ctx.conditionCache.get(name);
  if (cached !== undefined) return cached;
  const def = ctx.template.conditions.get(name);
  if (!def) return new Unknown(`condition ${name} is not declared`);
  if (stack.has(name)) return new Unknown(`condition ${name} refers to itself`);
  stack.add(name);
  const r = conditionExpr(def.value, ctx, stack, 0);
  stack.delete(name);
  const result = typeof r === 'boolean' ? r : r instanceof Unknown ? new Unknown([`condition ${name} is undecided`, ...r.reasons]) : new Unknown(`condition ${name} is not a boolean`);
  ctx.conditionCache.set(name, result);
  return result;
}

function conditionExpr(node: PNode, ctx: EvalContext, stack: Set<string>, depth: number): boolean | Unknown {
  if (depth > 50) return new Unknown('condition nested too deeply');
  if (node.kind === 'scalar') {
    if (node.value === true || node.value === 'true') return true;
    if (node.value === false || node.value === 'false') return false;
    return new Unknown(`"${String(node.value)}" is not a condition`);
  }
  const fn = singleKey(node);
  if (!fn) return new Unknown('not a condition expression');
  const items = fn.value.kind === 'seq' ? fn.value.items : [fn.value];
  switch (fn.key) {
    case 'Condition': {
      const name = scalarString(fn.value);
      return name === undefined ? new Unknown('Condition without a name') : conditionByName(name, ctx, stack);
    }
    case 'Fn::Equals': {
      if (items.length !== 2) return new Unknown('Fn::Equals needs two values');
      const [a, b] = items.map((i) => value(i, ctx, depth + 1));
      const u = unknownParts([a, b]);
      if (u) return u;
      return describeValue(a) === describeValue(b);
    }
    case 'Fn::Not': {
      const r = conditionExpr(items[0] ?? node, ctx, stack, depth + 1);
      return typeof r === 'boolean' ? !r : r;
    }
    case 'Fn::And':
    case 'Fn::Or': {
      const isAnd = fn.key === 'Fn::And';
      const unknowns: Unknown[] = [];
      for (const item of items) {
        const r = conditionExpr(item, ctx, stack, depth + 1);
        if (r instanceof Unknown) unknowns.push(r);
        else if (r !== isAnd) return r; // false decides And, true decides Or
      }
      return unknowns.length ? Unknown.merge(...unknowns) : isAnd;
    }
    default: {
      const v = evaluate(node, ctx, depth + 1);
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      return v instanceof Unknown ? v : new Unknown(`${fn.key} is not a condition`);
    }
  }
}
