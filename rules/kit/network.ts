import { onlyIf } from '../../src/model/value.js';
import { at, type SourceLocation } from '../../src/model/location.js';
import type { Placed } from '../../src/network/model.js';

// Small helpers shared by the network checks (SGS020-SGS039).
export { networkOf } from '../../src/network/build.js';

/** The attribute's line when written, else the whole block. */
export function lineOr(location: SourceLocation, line: number | undefined): SourceLocation {
  return line === undefined ? location : at(location.file, line);
}

/** Assumptions that make a finding on a conditional piece only "possible". */
export function conditionAssumptions(p: Placed): string[] {
  return p.condition ? p.condition.reasons.map((r) => `${p.id} exists only if ${onlyIf(r)}`) : [];
}

export function certainty(assumptions: string[]): { certainty: 'definite' | 'possible'; assumptions?: string[] } {
  return assumptions.length > 0 ? { certainty: 'possible', assumptions: [...new Set(assumptions)] } : { certainty: 'definite' };
}

/** Location of a NACL entry's attribute when the entry is a resource of its own, else the entry. */
export function entryLine(entry: { location: SourceLocation; attributeLines: Record<string, number> }, ...names: string[]): SourceLocation {
  const line = names.map((n) => entry.attributeLines[n]).find((l) => l !== undefined);
  return lineOr(entry.location, line);
}

/** One NACL entry, whichever of its lines a check points at: the subject overlapping NACL checks share. */
export function entrySubject(entry: { location: SourceLocation; resource: string; egress?: boolean; ruleNumber?: unknown }): string {
  return `nacl-entry\u0000${entry.location.file}\u0000${entry.location.line}\u0000${entry.resource}\u0000${String(entry.ruleNumber)}`;
}

export const CIDR_ATTRIBUTES = ['cidr_block', 'ipv6_cidr_block', 'CidrBlock', 'Ipv6CidrBlock'];
export const NUMBER_ATTRIBUTES = ['rule_number', 'RuleNumber'];

/**
 * An endpoint that names no security group: the subject SGS020 (it lands in the default group) and
 * SGS061 (so a load balancer cannot reach it) share, as both are fixed by naming a group there.
 */
export function defaultGroupSubject(p: Placed): string {
  return `default-group\u0000${p.location.file}\u0000${p.id}`;
}
