import { parseCidr } from '../model/peer.js';
import type { Domain } from '../model/value.js';
import { type Flavour, admittedPrefixes, compilePattern, mayBeWorldCidr } from '../sets/pattern.js';

// Constraints a declaration puts on a value it does not give (CloudFormation parameters, Terraform
// variable validations), combined into the Domain an Unknown carries.

export interface Constraint {
  admits(text: string): boolean;
  mayBeWorld: boolean;
  description?: string;
  /** The words say more than a type does (values, a pattern's range): preferred in messages. */
  specific?: boolean;
}

/** "a /16 to /28 range", "a /24 or /28 range", "a /8 to /12 or /16 to /24 range". */
export function describePrefixes(prefixes: readonly number[]): string {
  const runs: [number, number][] = [];
  for (const p of prefixes) {
    const last = runs[runs.length - 1];
    if (last && p === last[1] + 1) last[1] = p;
    else runs.push([p, p]);
  }
  const words = runs.map(([a, b]) => (a === b ? `/${a}` : `/${a} to /${b}`));
  return `a ${words.length <= 2 ? words.join(' or ') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`} range`;
}

/** Constraints of patterns, once per text: templates copy the same CIDR pattern over and over. */
const CONSTRAINTS = new Map<string, Constraint | null>();

/** The constraint of a pattern (undefined when it cannot be read safely: then it admits anything). */
export function patternConstraint(source: string, flavour: Flavour, whole: boolean): Constraint | undefined {
  const key = `${flavour}\u0000${whole ? 1 : 0}\u0000${source}`;
  let c = CONSTRAINTS.get(key);
  if (c === undefined) {
    c = readPattern(source, flavour, whole);
    CONSTRAINTS.set(key, c);
  }
  return c ?? undefined;
}

function readPattern(source: string, flavour: Flavour, whole: boolean): Constraint | null {
  const r = compilePattern(source, { flavour, whole });
  if ('refused' in r) return null;
  const prefixes = admittedPrefixes(r);
  const world = mayBeWorldCidr(r);
  const description = prefixes.length > 0 && !world ? describePrefixes(prefixes) : undefined;
  return { admits: (t) => r.matches(t), mayBeWorld: world, description, specific: description !== undefined };
}

/** AllowedValues as a constraint. */
export function valuesConstraint(values: readonly string[]): Constraint {
  const set = new Set(values);
  const world = values.some((v) => {
    const p = parseCidr(v);
    return p.kind === 'cidr' && p.prefix === 0;
  });
  const description = values.length <= 4 ? `one of ${values.join(', ')}` : `one of ${values.length} allowed values`;
  return { admits: (t) => set.has(t), mayBeWorld: world, description, specific: true };
}

/** Values or a pattern's range before a type: the most specific words. */
function words(parts: Constraint[]): string | undefined {
  return (parts.find((p) => p.specific && p.description) ?? parts.find((p) => p.description))?.description;
}

/** The domain of `subject` ("parameter P", "var.x") under all the constraints. */
export function domainOf(subject: string, parts: Constraint[], list: boolean): Domain {
  const description = words(parts);
  return {
    subject,
    ...(description ? { description } : {}),
    list,
    admits: (t) => parts.every((p) => p.admits(t)),
    mayBeWorld: parts.every((p) => p.mayBeWorld),
  };
}
