import * as iv from '../sets/interval.js';
import { ResourceRef } from '../model/value.js';
import type { Route, RouteTable } from '../network/model.js';
import type { CidrRange } from '../sets/cidr.js';
import { type Addresses, addressesOf, ALL_ADDRESSES, NO_ADDRESSES, subtractAddresses, unionAddresses } from '../sets/setops.js';
import { fmt } from './layer.js';
import type { Witness } from './types.js';

// ---- Routes -----------------------------------------------------------------------------------------

/**
 * Addresses whose longest-prefix route in `table` satisfies `wanted`, exactly; routes with unknown
 * destinations make the addresses they might capture possible only.
 */
export function longestPrefix(table: RouteTable, wanted: (r: Route) => boolean, toRange: (text: string) => CidrRange | null): { definite: Addresses; possible: Addresses; assumptions: string[] } {
  const known = table.routes
    .map((r) => ({ r, range: typeof r.destination === 'string' ? toRange(r.destination) : null }))
    .filter((x): x is { r: Route; range: CidrRange } => x.range !== null);
  const prefixLen = (x: (typeof known)[number]) => Number(BigInt(x.range.family === 'ipv4' ? 32 : 128) - BigInt((x.range.range.hi - x.range.range.lo + 1n).toString(2).length - 1));
  known.sort((a, b) => prefixLen(b) - prefixLen(a));
  let covered = NO_ADDRESSES;
  let definite = NO_ADDRESSES;
  for (const x of known) {
    const block: Addresses = x.range.family === 'ipv4' ? { ipv4: [x.range.range], ipv6: iv.EMPTY } : { ipv4: iv.EMPTY, ipv6: [x.range.range] };
    const fresh = subtractAddresses(block, covered);
    if (wanted(x.r)) definite = unionAddresses(definite, fresh);
    covered = unionAddresses(covered, block);
  }
  const unknown = table.routes.filter((r) => typeof r.destination !== 'string' && r.targetKind !== 'local');
  const unknownTargets = table.routes.filter((r) => r.targetKind === 'unknown' && typeof r.destination === 'string');
  let possible = NO_ADDRESSES;
  const assumptions: string[] = [];
  for (const r of unknown) {
    // A route whose destination is not known may be more specific than any other.
    if (wanted(r)) possible = ALL_ADDRESSES;
    else definite = NO_ADDRESSES;
    assumptions.push(`route at ${fmt(r.location)} in ${table.id} has an unknown destination (${r.destination})`);
  }
  for (const r of unknownTargets) {
    const a = addressesOf([r.destination as string], toRange);
    possible = unionAddresses(possible, a);
    definite = subtractAddresses(definite, a);
    assumptions.push(`route ${r.destination} at ${fmt(r.location)} in ${table.id} goes to a target that is not known (${String(r.target)})`);
  }
  if (unknown.length > 0 && unknown.some((r) => !wanted(r))) possible = unionAddresses(possible, ALL_ADDRESSES);
  return { definite, possible: subtractAddresses(possible, definite), assumptions };
}

export function routeFor(table: RouteTable, w: Witness, toRange: (text: string) => CidrRange | null): Route | undefined {
  let bestRoute: Route | undefined;
  let bestLen = -1;
  for (const r of table.routes) {
    if (typeof r.destination !== 'string') continue;
    const range = toRange(r.destination);
    if (!range || range.family !== w.family || w.address < range.range.lo || w.address > range.range.hi) continue;
    const len = (range.range.hi - range.range.lo + 1n).toString(2).length;
    if (bestLen === -1 || len < bestLen) {
      bestLen = len;
      bestRoute = r;
    }
  }
  return bestRoute;
}

export function describeDest(r: Route): string {
  return typeof r.destination === 'string' ? r.destination : `unknown (${r.destination})`;
}

export function targetName(r: Route): string {
  return r.target instanceof ResourceRef ? r.target.address : String(r.target);
}
