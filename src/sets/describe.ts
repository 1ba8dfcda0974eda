import { ICMP, ICMPV6, protocolName } from '../model/protocol.js';
import { ADDRESS_UNIVERSE, countCidrs, formatAddress, setToCidrs, type Family } from './cidr.js';
import * as iv from './interval.js';
import type { IntervalSet } from './interval.js';
import { FAMILIES, PORT_UNIVERSE, PROTOCOL_UNIVERSE, type TrafficSet } from './traffic.js';
import { append } from '../model/arrays.js';

// Compact text for a traffic set: "tcp/22 from 0.0.0.0/0",
// "tcp/0-65535 from 0.0.0.0/0 except 10.0.0.0/8", "all traffic from ::/0".
// Sets of internet clients (option `internet`: the addresses the internet stands for) read relative
// to it: "tcp/22 from anywhere on the internet" (both families), "... on the IPv4 internet", "tcp/22
// from the IPv4 internet except 198.51.100.0/24" (an exception that is really there), or the CIDRs.
// Clauses are grouped by address set and separated by "; ". ICMP reads type[:code]: "icmp/8" is
// type 8 any code, "icmp/3:4" type 3 code 4, "icmp/0-8" types 0-8, "icmp/all" every type.
// It is a pure function of the canonical form, so equal sets always print identically.

export interface DescribeOptions {
  /** Word before the addresses: "from" (ingress sources, default) or "to" (egress destinations). */
  preposition?: string;
  /**
   * The addresses of the internet for this question (public space, less the destination's own
   * VPC): addresses are described relative to it, never as 0.0.0.0/0 with private ranges excepted.
   */
  internet?: { ipv4: IntervalSet; ipv6: IntervalSet };
  /** The name of that space when it is not the internet ("CloudFront": a managed prefix list's hosts). */
  internetName?: string;
}

interface Item {
  protocols: IntervalSet;
  ports: IntervalSet;
}

interface Clause {
  family: Family;
  items: string;
  addresses: string;
  /** The whole internet of the family (option `internet`). */
  whole: boolean;
}

export function describe(set: TrafficSet, options: DescribeOptions = {}): string {
  const prep = options.preposition ?? 'from';
  const clauses = FAMILIES.flatMap((family) => describeFamily(set, family, options.internet, options.internetName));
  const out: string[] = [];
  for (const c of clauses) {
    if (c.whole) {
      const twin = clauses.find((o) => o !== c && o.whole && o.items === c.items);
      if (twin && c.family === 'ipv6') continue;
      if (options.internetName) out.push(`${c.items} ${prep} ${options.internetName}`);
      else out.push(`${c.items} ${prep} anywhere on the ${twin ? '' : `${c.family === 'ipv4' ? 'IPv4' : 'IPv6'} `}internet`);
    } else out.push(`${c.items} ${prep} ${c.addresses}`);
  }
  return out.length > 0 ? out.join('; ') : 'no traffic';
}

function describeFamily(set: TrafficSet, family: Family, internet: DescribeOptions['internet'], name?: string): Clause[] {
  // Group (protocol range, port set) items by their address set, in canonical order.
  const groups = new Map<string, { addresses: IntervalSet; items: Item[] }>();
  for (const p of set[family]) {
    const byAddresses = new Map<string, { addresses: IntervalSet; ports: iv.Range[] }>();
    for (const q of p.sub) {
      const k = iv.key(q.sub);
      const entry = byAddresses.get(k) ?? { addresses: q.sub, ports: [] };
      entry.ports.push({ lo: q.lo, hi: q.hi });
      byAddresses.set(k, entry);
    }
    for (const [k, { addresses, ports }] of byAddresses) {
      const group = groups.get(k) ?? { addresses, items: [] };
      group.items.push({ protocols: [{ lo: p.lo, hi: p.hi }], ports: iv.fromRanges(ports) });
      groups.set(k, group);
    }
  }
  return [...groups.values()].map((g) => {
    const items = describeItems(g.items);
    const within = internet?.[family];
    if (within && within.length > 0 && iv.equals(iv.intersect(g.addresses, within), g.addresses)) {
      if (iv.equals(g.addresses, within)) return { family, items, addresses: '', whole: true };
      const missing = iv.subtract(within, g.addresses);
      if (countCidrs(family, missing) < countCidrs(family, g.addresses)) {
        const space = name ?? `the ${family === 'ipv4' ? 'IPv4' : 'IPv6'} internet`;
        return { family, items, addresses: `${space} except ${setToCidrs(family, missing).join(', ')}`, whole: false };
      }
      return { family, items, addresses: setToCidrs(family, g.addresses).join(', '), whole: false };
    }
    return { family, items, addresses: describeAddresses(family, g.addresses), whole: false };
  });
}

function describeItems(items: Item[]): string {
  // Protocols with every port collapse into one protocol set; the rest print with their ports.
  const whole = items.filter((i) => iv.equals(i.ports, PORT_UNIVERSE)).reduce<IntervalSet>((acc, i) => iv.union(acc, i.protocols), iv.EMPTY);
  const partial = items.filter((i) => !iv.equals(i.ports, PORT_UNIVERSE));
  const parts: { at: bigint; text: string }[] = partial.map((i) => ({ at: i.protocols[0].lo, text: protocolWithPorts(i.protocols[0].lo, i.ports) }));
  if (iv.equals(whole, PROTOCOL_UNIVERSE)) {
    parts.push({ at: -1n, text: 'all traffic' });
  } else if (iv.size(whole) > 128n) {
    const except = iv.complement(whole, PROTOCOL_UNIVERSE).map((r) => protocolRange(r, false));
    parts.push({ at: -1n, text: `all protocols except ${except.join(', ')}` });
  } else {
    for (const r of whole) parts.push({ at: r.lo, text: protocolRange(r, true) });
  }
  parts.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return parts.map((p) => p.text).join(', ');
}

function name(n: bigint): string {
  return protocolName({ kind: 'number', number: Number(n) });
}

function protocolRange(r: iv.Range, withAllPorts: boolean): string {
  if (r.lo !== r.hi) return `protocols ${r.lo}-${r.hi}`;
  return withAllPorts ? protocolWithPorts(r.lo, PORT_UNIVERSE) : name(r.lo);
}

function protocolWithPorts(protocol: bigint, ports: IntervalSet): string {
  const p = Number(protocol);
  if (p === ICMP || p === ICMPV6) return `${name(protocol)}/${iv.equals(ports, PORT_UNIVERSE) ? 'all' : icmpText(ports)}`;
  if (p === 6 || p === 17) return `${name(protocol)}/${ports.map((r) => (r.lo === r.hi ? `${r.lo}` : `${r.lo}-${r.hi}`)).join(',')}`;
  return name(protocol);
}

function icmpText(set: IntervalSet): string {
  const out: string[] = [];
  const code = (t: bigint, lo: bigint, hi: bigint) => (lo === 0n && hi === 255n ? `${t}` : lo === hi ? `${t}:${lo}` : `${t}:${lo}-${hi}`);
  for (const r of set) {
    let tLo = r.lo >> 8n;
    let tHi = r.hi >> 8n;
    const cLo = r.lo & 255n;
    const cHi = r.hi & 255n;
    if (tLo === tHi) {
      out.push(code(tLo, cLo, cHi));
      continue;
    }
    const tail: string[] = [];
    if (cLo !== 0n) out.push(code(tLo++, cLo, 255n));
    if (cHi !== 255n) tail.push(code(tHi--, 0n, cHi));
    if (tLo <= tHi) out.push(tLo === tHi ? `${tLo}` : `${tLo}-${tHi}`);
    append(out, tail);
  }
  return out.join(',');
}

function describeAddresses(family: Family, addresses: IntervalSet): string {
  const universe = `${formatAddress(family, 0n)}/0`;
  if (iv.equals(addresses, ADDRESS_UNIVERSE[family])) return universe;
  const missing = iv.complement(addresses, ADDRESS_UNIVERSE[family]);
  return countCidrs(family, missing) < countCidrs(family, addresses)
    ? `${universe} except ${setToCidrs(family, missing).join(', ')}`
    : setToCidrs(family, addresses).join(', ');
}
