import { isWorld, parseCidr } from './peer.js';
import type { Domain } from './value.js';

// Domains of values that are one of a few known texts, chosen at deploy time: the row of a
// CloudFormation Fn::FindInMap keyed by AWS::Region, a Terraform map indexed by a data source.

/** "one of these values", when there are any and each is a plain string or number; else undefined. */
export function oneOf(subject: string, values: readonly unknown[]): Domain | undefined {
  if (values.length === 0 || !values.every((v) => typeof v === 'string' || typeof v === 'number')) return undefined;
  const texts = [...new Set(values.map(String))];
  return {
    subject,
    list: false,
    admits: (t) => texts.includes(t),
    // Without a "/" a text is no CIDR (parsing it would throw, slowly, for every AMI id of a region map).
    mayBeWorld: texts.some((t) => t.includes('/') && isWorld(parseCidr(t))),
    values: texts,
  };
}
