import { at, type SourceLocation } from '../model/location.js';
import type { Model } from '../model/model.js';
import { buildNetwork } from './build.js';
import type { Network, Placed } from './model.js';

// Small helpers shared by the network checks (SGS020-SGS039).

/**
 * The network of a model, built once per Model object. Pure memoization: a model is not changed
 * after the scan builds it, and every network check (and the reach estate) asks for the same
 * network, so building it per rule was a tenth of a corpus scan. The WeakMap holds no model alive.
 */
const networks = new WeakMap<Model, Network>();

export function networkOf(model: Model): Network {
  let n = networks.get(model);
  if (!n) {
    n = buildNetwork(model);
    networks.set(model, n);
  }
  return n;
}

/** The attribute's line when written, else the whole block. */
export function lineOr(location: SourceLocation, line: number | undefined): SourceLocation {
  return line === undefined ? location : at(location.file, line);
}

/** Assumptions that make a finding on a conditional piece only "possible". */
export function conditionAssumptions(p: Placed): string[] {
  return p.condition ? p.condition.reasons.map((r) => `${p.id} exists only if ${r}`) : [];
}

export function certainty(assumptions: string[]): { certainty: 'definite' | 'possible'; assumptions?: string[] } {
  return assumptions.length > 0 ? { certainty: 'possible', assumptions: [...new Set(assumptions)] } : { certainty: 'definite' };
}

/** Location of a NACL entry's attribute when the entry is a resource of its own, else the entry. */
export function entryLine(entry: { location: SourceLocation; attributeLines: Record<string, number> }, ...names: string[]): SourceLocation {
  const line = names.map((n) => entry.attributeLines[n]).find((l) => l !== undefined);
  return lineOr(entry.location, line);
}

export const CIDR_ATTRIBUTES = ['cidr_block', 'ipv6_cidr_block', 'CidrBlock', 'Ipv6CidrBlock'];
export const NUMBER_ATTRIBUTES = ['rule_number', 'RuleNumber'];
