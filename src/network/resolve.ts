import type { Model, NetworkResource } from '../model/model.js';
import type { Placed } from './model.js';
import { ResourceRef, Unknown, type Value, describeValue, isObject } from '../model/value.js';
import { addTo } from '../model/arrays.js';
import { baseAddress } from '../model/address.js';

// Reading front-end resources: attribute lookup across the two formats' names, and references
// between resources resolved to the ids of other resources in the scan.

export interface Attr {
  value: Value | undefined;
  /** Line of the attribute when written. */
  line?: number;
  /** The name it was found under. */
  name?: string;
}

/** The first of `names` the resource has (Terraform and CloudFormation names never collide). */
export function attr(r: NetworkResource, ...names: string[]): Attr {
  for (const name of names) {
    const value = r.attributes[name];
    if (value !== undefined) return { value, line: r.attributeLines[name], name };
  }
  return { value: undefined };
}

/** A field of a nested object (Terraform block item or CloudFormation property map). */
export function field(v: Value | undefined, ...names: string[]): Value | undefined {
  if (!isObject(v)) return undefined;
  for (const n of names) if (v[n] !== undefined) return v[n];
  return undefined;
}

/** Terraform nested blocks and CloudFormation lists both come as arrays; a single map counts as one. */
export function items(v: Value | undefined): Value[] {
  if (Array.isArray(v)) return v;
  if (v === undefined || v === null) return [];
  return [v];
}

/** A list attribute: its items, or Unknown when the whole list is not known. */
export function list(v: Value | undefined): Value[] | Unknown {
  if (v instanceof Unknown) return v;
  if (v instanceof ResourceRef) return [v];
  if (typeof v === 'string') return v.includes(',') ? v.split(',').map((s) => s.trim()) : [v];
  return items(v);
}

export function toBool(v: Value | undefined, what: string): boolean | Unknown | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Unknown) return v;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  if (v instanceof ResourceRef) return new Unknown(`${what} is ${v.toString()}, known only after deployment`);
  return new Unknown(`${what} is not a boolean (${describeValue(v)})`);
}

export function toText(v: Value | undefined, what: string): string | Unknown | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Unknown) return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof ResourceRef) return new Unknown(`${what} is ${v.toString()}, known only after deployment`);
  return new Unknown(`${what} is not a single value (${describeValue(v)})`);
}

export function toInt(v: Value | undefined, what: string): number | Unknown | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (v instanceof Unknown) return v;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
  return Number.isInteger(n) ? n : new Unknown(`${what} is not an integer (${describeValue(v)})`);
}

/** Resources by address, with Terraform instance addresses (`x[0]`) found from their base address. */
export class ResourceIndex {
  private readonly byAddress = new Map<string, NetworkResource>();
  private readonly byBase = new Map<string, NetworkResource[]>();
  readonly groupAddresses: ReadonlySet<string>;

  constructor(model: Model) {
    for (const r of model.resources) {
      if (!this.byAddress.has(r.address)) this.byAddress.set(r.address, r);
      const base = baseAddress(r.address);
      if (base !== r.address) addTo(this.byBase, base, r);
    }
    this.groupAddresses = new Set(model.groups.map((g) => g.address));
  }

  get(address: string): NetworkResource | undefined {
    return this.byAddress.get(address) ?? this.byBase.get(address)?.[0];
  }

  private named?: Map<string, NetworkResource>;

  /**
   * The resource of one of `types` whose name attribute is `name`, in the same file as `from` (a
   * CloudFormation template names a subnet group it declares by its literal name, not by !Ref).
   */
  byName(name: string, from: NetworkResource, types: ReadonlySet<string>, attributes: readonly string[]): NetworkResource | undefined {
    if (!this.named) {
      this.named = new Map();
      for (const r of this.byAddress.values()) {
        if (!types.has(r.resourceType)) continue;
        for (const a of attributes) {
          const v = r.attributes[a];
          if (typeof v === 'string') this.named.set(`${r.location.file}\u0000${v.toLowerCase()}`, r);
        }
      }
    }
    return this.named.get(`${from.location.file}\u0000${name.toLowerCase()}`);
  }

  /**
   * The id of the resource `v` refers to when it is one of `types`; a literal id (e.g. "vpc-0a1b")
   * stays as written; anything else is Unknown with the reason.
   */
  link(v: Value | undefined, types: ReadonlySet<string>, what: string): string | Unknown | undefined {
    if (v === undefined || v === null) return undefined;
    if (v instanceof Unknown) return v;
    if (typeof v === 'string') return v;
    if (v instanceof ResourceRef) {
      const r = this.get(v.address);
      if (r && types.has(r.resourceType)) return r.address;
      if (r) return new Unknown(`${v.toString()} is a ${r.resourceType}, not a ${what}`);
      return new Unknown(`${v.toString()} is not a ${what} in the scanned code`);
    }
    if (Array.isArray(v) && v.length === 1) return this.link(v[0], types, what);
    return new Unknown(`${what} is ${describeValue(v)}`);
  }
}

export function typeSet(...types: string[]): ReadonlySet<string> {
  return new Set(types);
}

export const VPC_TYPES = typeSet('aws_vpc', 'AWS::EC2::VPC');
export const SUBNET_TYPES = typeSet('aws_subnet', 'AWS::EC2::Subnet');

/** The common part of every network piece built from a resource. */
export function placed(r: NetworkResource): Placed {
  const p: Placed = { id: r.address, format: r.format, resourceType: r.resourceType, location: r.location, via: r.via };
  if (r.condition) p.condition = r.condition;
  return p;
}
