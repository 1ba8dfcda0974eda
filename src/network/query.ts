import type { Model, SecurityGroup } from '../model/model.js';
import { ResourceRef, Unknown } from '../model/value.js';
import type { Network, Subnet } from './model.js';

// Questions checks and the reachability engine ask of the network model.

/** Does the subnet route to an internet gateway (a "public subnet")? Unknown when a route or the table is. */
export function isPublicSubnet(network: Network, subnet: Subnet): boolean | Unknown {
  if (subnet.routeTable instanceof Unknown) return subnet.routeTable;
  const table = network.routeTables.find((t) => t.id === subnet.routeTable);
  if (!table) return new Unknown(`route table ${subnet.routeTable} is not in the scan`);
  if (table.routes.some((r) => r.targetKind === 'igw')) return true;
  const unknown = table.routes.filter((r) => r.targetKind === 'unknown');
  if (unknown.length > 0) return new Unknown(unknown.map((r) => (r.target instanceof Unknown ? r.target.toString() : `route target ${String(r.target)} is not known to be an internet gateway`)));
  return false;
}

/** Terraform instance addresses (`x[0]`, `x["a"]`) refer to the same resource as their base address. */
export function baseAddress(address: string): string {
  // Most addresses have no index: no regular expression for them (it was a tenth of a 10k-group check).
  return address.endsWith(']') ? address.replace(/\[[^\]]*\]$/, '') : address;
}

/** Does a reference to `refAddress` name `address` (exactly, or one instance of a counted resource)? */
export function refersTo(refAddress: string, address: string): boolean {
  return refAddress === address || baseAddress(refAddress) === baseAddress(address);
}

/** The group a reference names, when it is a group in the scan. */
export function groupOf(model: Model, ref: ResourceRef): SecurityGroup | undefined {
  return model.groups.find((g) => g.address === ref.address) ?? model.groups.find((g) => refersTo(ref.address, g.address));
}

/**
 * `groupOf` for many references: the groups indexed once by address and by base address, each
 * keeping the first group in model order, as `groupOf`'s two scans find it.
 */
export function groupLookup(model: Model): (ref: ResourceRef) => SecurityGroup | undefined {
  const exact = new Map<string, SecurityGroup>();
  const byBase = new Map<string, SecurityGroup>();
  for (const g of model.groups) {
    if (!exact.has(g.address)) exact.set(g.address, g);
    const base = baseAddress(g.address);
    if (!byBase.has(base)) byBase.set(base, g);
  }
  return (ref) => exact.get(ref.address) ?? byBase.get(baseAddress(ref.address));
}

/** Every ResourceRef inside a value, depth first. */
export function refsIn(v: unknown, out: ResourceRef[] = []): ResourceRef[] {
  if (v instanceof ResourceRef) out.push(v);
  else if (Array.isArray(v)) for (const x of v) refsIn(x, out);
  else if (typeof v === 'object' && v !== null && !(v instanceof Unknown)) for (const x of Object.values(v)) refsIn(x, out);
  return out;
}

/** Terraform module instance (directory and call chain) or CloudFormation file: where "attached nearby" is judged. */
export function scopeOf(x: { format: string; location: { file: string }; via: { file: string; line: number }[] }): string {
  if (x.format === 'cloudformation') return x.location.file;
  const dir = x.location.file.includes('/') ? x.location.file.slice(0, x.location.file.lastIndexOf('/')) : '.';
  return `${dir}|${x.via.map((v) => `${v.file}:${v.line}`).join('>')}`;
}

/**
 * Addresses are unique only within one CloudFormation template or one Terraform root module, so
 * links are resolved within that scope: the template's file, or the directory of the root module
 * (where the outermost module call, or the resource itself, is written).
 */
export function rootScopeOf(x: { scope?: string; format?: string; location: { file: string }; via: { file: string }[] }): string {
  // The pipeline stamps every item with its scope; the guess below serves models built by hand.
  if (x.scope) return x.scope;
  // Rules carry no format; Terraform files end in .tf or .tf.json.
  const format = x.format ?? (/\.tf(\.json)?$/.test(x.location.file) ? 'terraform' : 'cloudformation');
  if (format === 'cloudformation') return `cfn:${x.location.file}`;
  const file = x.via.length > 0 ? x.via[0].file : x.location.file;
  return `tf:${file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.'}`;
}

/** The model split by root scope, in order of first appearance (groups, rules and resources each kept in order). */
export function partitionModel(model: Model): Model[] {
  const parts = new Map<string, Model>();
  const part = (key: string): Model => {
    let m = parts.get(key);
    if (!m) {
      m = { groups: [], rules: [], resources: [], errors: [], notices: [], files: [] };
      parts.set(key, m);
    }
    return m;
  };
  for (const g of model.groups) part(rootScopeOf(g)).groups.push(g);
  for (const r of model.rules) part(rootScopeOf(r)).rules.push(r);
  for (const r of model.resources) part(rootScopeOf(r)).resources.push(r);
  return [...parts.values()];
}
