import fc from 'fast-check';
import { describe as group, expect, it } from 'vitest';
import { firstMatchPieces } from '../../src/sets/nacl.js';
import { parseProtocol } from '../../src/model/protocol.js';
import type { PortSpec } from '../../src/model/ports.js';
import {
  allowedByNacl,
  describe,
  equals,
  familyAlgebra,
  intersect,
  isEmpty,
  key,
  parseAddress,
  subtract,
  trafficOf,
  union,
  unionAll,
  type Family,
  type NaclEntry,
  type TrafficSet,
} from '../../src/sets/index.js';

// Brute force on a small grid of the real (AWS-sized) universes. Generated entries only constrain
// protocols {1, 6, 17, 50} or all (-1), ports/codes 0..15 (or all), and addresses inside
// 10.0.0.0/26 or 2001:db8::/126 (or the whole family). So every point outside the grid behaves like
// one of the grid's representatives: protocol 0 (unnamed, portless), port 100 (ICMP type 0 beyond
// the codes used), port 65535, address 11.0.0.0 / ::1. Agreement on the grid is agreement everywhere.

const PROTOCOLS = [0, 1, 6, 17, 50];
const PORTS = [...Array.from({ length: 16 }, (_, k) => k), 100, 65535];
const V4 = [...Array.from({ length: 64 }, (_, k) => `10.0.0.${k}`), '11.0.0.0'];
const V6 = ['2001:db8::', '2001:db8::1', '2001:db8::2', '2001:db8::3', '::1'];
const GRID: { family: Family; protocol: number; port: number; address: string; point: bigint[] }[] = [];
for (const [family, addresses] of [['ipv4', V4], ['ipv6', V6]] as const) {
  for (const address of addresses) {
    for (const protocol of PROTOCOLS) {
      for (const port of PORTS) GRID.push({ family, protocol, port, address, point: [BigInt(protocol), BigInt(port), parseAddress(address)!.value] });
    }
  }
}

interface Spec {
  protocol: number; // -1 = all
  ports: PortSpec;
  cidr: string;
}

const v4Cidr = fc.tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 26, max: 32 })).map(([a, p]) => `10.0.0.${a}/${p}`);
const v6Cidr = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 126, max: 128 })).map(([a, p]) => `2001:db8::${a}/${p}`);
const cidr = fc.oneof({ arbitrary: v4Cidr, weight: 6 }, { arbitrary: v6Cidr, weight: 2 }, { arbitrary: fc.constantFrom('0.0.0.0/0', '::/0'), weight: 1 });
const portRange = fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 })).map(([a, b]): PortSpec => ({ kind: 'range', from: Math.min(a, b), to: Math.max(a, b) }));
const icmpSpec = fc.tuple(fc.constantFrom(-1, 0), fc.integer({ min: -1, max: 15 })).map(([type, code]): PortSpec => ({ kind: 'icmp', type, code }));
const spec: fc.Arbitrary<Spec> = fc.oneof(
  fc.record({ protocol: fc.constantFrom(6, 17), ports: fc.oneof(portRange, fc.constant<PortSpec>({ kind: 'all' })), cidr }),
  fc.record({ protocol: fc.constant(1), ports: icmpSpec, cidr }),
  fc.record({ protocol: fc.constantFrom(50, -1), ports: fc.oneof(portRange, fc.constant<PortSpec>({ kind: 'all' })), cidr }),
);

function toSet(s: Spec): TrafficSet {
  const t = trafficOf(parseProtocol(s.protocol), s.ports, s.cidr);
  if ('notAddressSet' in t) throw new Error(t.notAddressSet);
  return t;
}

const blocks = new Map<string, { family: Family; net: bigint; host: bigint }>();
function block(cidr: string) {
  let b = blocks.get(cidr);
  if (b === undefined) {
    const [net, prefix] = cidr.split('/');
    const a = parseAddress(net)!;
    const host = BigInt((a.family === 'ipv4' ? 32 : 128) - Number(prefix));
    b = { family: a.family, net: a.value >> host, host };
    blocks.set(cidr, b);
  }
  return b;
}

/** Per-packet evaluation, as AWS documents it. */
function matches(s: Spec, g: (typeof GRID)[number]): boolean {
  if (s.protocol !== -1 && s.protocol !== g.protocol) return false;
  const b = block(s.cidr);
  if (b.family !== g.family || g.point[2] >> b.host !== b.net) return false;
  if (s.protocol === -1 || s.protocol === 50) return true;
  const p = s.ports;
  if (p.kind === 'all') return true;
  if (p.kind === 'range') return p.from <= g.port && g.port <= p.to;
  if (p.kind === 'icmp') return p.type === -1 || (g.port >> 8 === p.type && (p.code === -1 || (g.port & 255) === p.code));
  return false;
}

const has = (set: TrafficSet, g: (typeof GRID)[number]) => familyAlgebra(g.family).contains(set[g.family], g.point);

/** A random set as allowed-minus-denied specs, with its brute-force membership. */
const formula = fc.tuple(fc.array(spec, { maxLength: 4 }), fc.array(spec, { maxLength: 2 })).map(([plus, minus]) => ({
  plus,
  minus,
  set: subtract(unionAll(plus.map(toSet)), unionAll(minus.map(toSet))),
  has: (g: (typeof GRID)[number]) => plus.some((s) => matches(s, g)) && !minus.some((s) => matches(s, g)),
}));

group('TrafficSet against per-packet brute force', () => {
  it('union, intersection and subtraction are exact at every grid point', () => {
    fc.assert(
      fc.property(formula, formula, (a, b) => {
        const [u, n, d] = [union(a.set, b.set), intersect(a.set, b.set), subtract(a.set, b.set)];
        return GRID.every((g) => {
          const [x, y] = [a.has(g), b.has(g)];
          return has(a.set, g) === x && has(u, g) === (x || y) && has(n, g) === (x && y) && has(d, g) === (x && !y);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('equal sets print identically however they were built; different sets print differently', () => {
    fc.assert(
      fc.property(formula, formula, fc.integer(), (a, b, seed) => {
        // The same set: specs in another order, and split along b.
        const shuffled = [...a.plus].sort(() => (seed = (seed * 1103515245 + 12345) | 0) & 1 ? 1 : -1);
        const again = subtract(unionAll(shuffled.map(toSet).reverse()), unionAll(a.minus.map(toSet)));
        const split = union(intersect(a.set, b.set), subtract(a.set, b.set));
        expect(equals(again, a.set)).toBe(true);
        expect(describe(again)).toBe(describe(a.set));
        expect(describe(split)).toBe(describe(a.set));
        expect(key(split)).toBe(key(a.set));
        const same = GRID.every((g) => a.has(g) === b.has(g));
        expect(equals(a.set, b.set)).toBe(same);
        expect(describe(a.set) === describe(b.set)).toBe(same);
        expect(isEmpty(a.set)).toBe(!GRID.some((g) => a.has(g)));
      }),
      { numRuns: 60 },
    );
  });

  it('NACL first match equals per-packet evaluation, including the implicit deny', () => {
    const entries = fc.array(fc.record({ ruleNumber: fc.integer({ min: 1, max: 20 }), allow: fc.boolean(), spec }), { maxLength: 6 });
    fc.assert(
      fc.property(entries, (es) => {
        const nacl: NaclEntry[] = es.map((e) => ({ ruleNumber: e.ruleNumber, action: e.allow ? 'allow' : 'deny', protocol: e.spec.protocol, cidr: e.spec.cidr, ports: e.spec.ports }));
        const r = allowedByNacl(nacl);
        if (!r.ok) return false;
        const ordered = es.map((e, i) => ({ e, i })).sort((x, y) => x.e.ruleNumber - y.e.ruleNumber || x.i - y.i);
        return GRID.every((g) => {
          const first = ordered.find(({ e }) => matches(e.spec, g));
          return has(r.allowed, g) === (first !== undefined && first.e.allow);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('firstMatchPieces: each set less the earlier ones that count, per packet', () => {
    const entries = fc.array(fc.record({ counts: fc.boolean(), known: fc.boolean(), spec }), { maxLength: 9 });
    fc.assert(
      fc.property(entries, (es) => {
        const sets = es.map((e) => (e.known ? (trafficOf(parseProtocol(e.spec.protocol), e.spec.ports, e.spec.cidr) as TrafficSet) : null));
        const pieces = firstMatchPieces(sets, es.map((e) => e.counts));
        return es.every((e, i) => {
          if (!e.known) return pieces[i] === null;
          return GRID.every((g) => has(pieces[i]!, g) === (matches(e.spec, g) && !es.slice(0, i).some((x) => x.known && x.counts && matches(x.spec, g))));
        });
      }),
      { numRuns: 80 },
    );
  });
});
