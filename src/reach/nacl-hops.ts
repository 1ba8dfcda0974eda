import type { Nacl, NaclEntry, Subnet } from '../network/model.js';
import { named as kindNamed } from '../model/naming.js';
import type { TrafficSet } from '../sets/traffic.js';
import { blockerAt, hopAt } from './layer.js';
import type { Blocker, Hop, Witness } from './types.js';
import { containsWitness } from './witness.js';

// ---- NACL helpers -------------------------------------------------------------------------------------

export function naclBlocker(n: Nacl, dir: 'ingress' | 'egress', what: string, s: Subnet): Blocker {
  const entries = n[dir];
  if (entries.length === 0) return blockerAt(n.location, `network ACL ${n.id} of ${kindNamed('subnet', s.id)} has no ${dir} entries, so it denies ${what}`);
  const deny = [...entries].filter((e) => e.action === 'deny').sort((a, b) => Number(a.ruleNumber) - Number(b.ruleNumber))[0];
  if (deny) return blockerAt(deny.location, `network ACL ${n.id} of ${kindNamed('subnet', s.id)} denies ${what} (${dir} rule ${String(deny.ruleNumber)} deny ${String(deny.cidr)})`);
  return blockerAt(n.location, `network ACL ${n.id} of ${kindNamed('subnet', s.id)} allows none of the ${what} (implicit deny)`);
}

export function naclHops(traffic: (e: NaclEntry) => TrafficSet | null, n: Nacl, dir: 'ingress' | 'egress', w: Witness, port: number, what: string): Hop[] {
  const e = firstMatchEntry(traffic, n[dir], { ...w, port });
  if (!e) return [];
  if (!e.declared) return [hopAt(n.location, `default NACL ${n.id} allows ${what} (${dir} rule ${String(e.ruleNumber)})`)];
  return [hopAt(e.location, `NACL ${n.id} ${dir} rule ${String(e.ruleNumber)} (allow ${String(e.cidr)}) allows ${what}`)];
}

export function firstMatchEntry(traffic: (e: NaclEntry) => TrafficSet | null, entries: readonly NaclEntry[], w: Witness): NaclEntry | undefined {
  const sorted = [...entries].filter((e) => typeof e.ruleNumber === 'number').sort((a, b) => (a.ruleNumber as number) - (b.ruleNumber as number));
  for (const e of sorted) {
    const t = traffic(e);
    if (t && containsWitness(t, w)) return e.action === 'allow' ? e : undefined;
  }
  return undefined;
}
