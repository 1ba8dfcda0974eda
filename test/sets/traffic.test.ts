import fc from 'fast-check';
import { describe as group, expect, it } from 'vitest';
import { ResourceRef, Unknown } from '../../src/model/value.js';
import { parseCidr } from '../../src/model/peer.js';
import {
  ALL_TRAFFIC,
  NO_TRAFFIC,
  allowedByNacl,
  box,
  cidrToRange,
  complement,
  contains,
  describe,
  equals,
  fromRule,
  intersect,
  isEmpty,
  rangeToCidrs,
  ruleTraffic,
  size,
  subtract,
  trafficOf,
  union,
  unionAll,
  type NaclEntry,
  type TrafficSet,
} from '../../src/sets/index.js';
import { range } from '../../src/sets/interval.js';
import { rule } from './helpers.js';

const t = (protocol: unknown, from: unknown, to: unknown, cidr: string): TrafficSet => {
  const s = fromRule(rule(protocol, from, to, cidr));
  if (s === null) throw new Error('not an address set');
  return s;
};

group('CIDR conversion', () => {
  it('maps CIDRs to address ranges, ignoring host bits', () => {
    expect(cidrToRange('10.0.0.5/16')).toEqual({ family: 'ipv4', range: { lo: 0x0a000000n, hi: 0x0a00ffffn } });
    expect(cidrToRange('0.0.0.0/0')).toEqual({ family: 'ipv4', range: { lo: 0n, hi: 2n ** 32n - 1n } });
    expect(cidrToRange('2001:db8::/32')).toEqual({
      family: 'ipv6',
      range: { lo: 0x20010db8n << 96n, hi: (0x20010db8n << 96n) + 2n ** 96n - 1n },
    });
    expect(cidrToRange('10.0.0.1')).toBeNull();
    expect(cidrToRange('bogus/8')).toBeNull();
  });

  it('prints a range as the fewest CIDR blocks', () => {
    expect(rangeToCidrs('ipv4', { lo: 0n, hi: 2n ** 32n - 1n })).toEqual(['0.0.0.0/0']);
    // 10.0.0.1 - 10.0.0.6 = .1/32 .2/31 .4/31 .6/32
    expect(rangeToCidrs('ipv4', { lo: 0x0a000001n, hi: 0x0a000006n })).toEqual(['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32']);
    expect(rangeToCidrs('ipv4', { lo: 0n, hi: 0x09ffffffn })).toEqual(['0.0.0.0/5', '8.0.0.0/7']);
    expect(rangeToCidrs('ipv6', { lo: 0n, hi: 2n ** 128n - 1n })).toEqual(['::/0']);
    expect(rangeToCidrs('ipv6', { lo: 1n, hi: 1n })).toEqual(['::1/128']);
  });

  it('CIDR lists cover exactly the range with aligned, adjacent blocks', () => {
    const addr = fc.bigInt({ min: 0n, max: 2n ** 32n - 1n });
    fc.assert(
      fc.property(addr, addr, (x, y) => {
        const r = { lo: x < y ? x : y, hi: x < y ? y : x };
        let next = r.lo;
        for (const c of rangeToCidrs('ipv4', r)) {
          const back = cidrToRange(c)!.range;
          // Aligned (the text round-trips to the same start), contiguous, and within the range.
          if (back.lo !== next || back.hi > r.hi) return false;
          next = back.hi + 1n;
        }
        return next === r.hi + 1n;
      }),
      { numRuns: 300 },
    );
  });
});

group('fromRule', () => {
  it('turns a CIDR rule into its exact traffic', () => {
    const ssh = t('tcp', 22, 22, '0.0.0.0/0');
    expect(describe(ssh)).toBe('tcp/22 from 0.0.0.0/0');
    expect(contains(ssh, { protocol: 6, address: '203.0.113.9', port: 22 })).toBe(true);
    expect(contains(ssh, { protocol: 6, address: '203.0.113.9', port: 23 })).toBe(false);
    expect(contains(ssh, { protocol: 17, address: '203.0.113.9', port: 22 })).toBe(false);
    expect(contains(ssh, { protocol: 6, address: '::1', port: 22 })).toBe(false);
    expect(ssh.ipv6).toEqual([]);
  });

  it('reads protocol -1 as every protocol and port, from the rule family only', () => {
    const all6 = t('-1', 0, 0, '::/0');
    expect(describe(all6)).toBe('all traffic from ::/0');
    expect(contains(all6, { protocol: 50, address: '2001:db8::1' })).toBe(true);
    expect(contains(all6, { protocol: 6, address: '10.0.0.1', port: 80 })).toBe(false);
    expect(size(all6)).toBe(256n * 65536n * 2n ** 128n);
  });

  it('ignores ports for protocols without ports', () => {
    // AWS ignores from/to for e.g. ESP (50): the rule matches every packet of that protocol.
    expect(equals(t(50, 22, 22, '10.0.0.0/8'), t(50, 0, 0, '10.0.0.0/8'))).toBe(true);
    expect(describe(t(50, 22, 22, '10.0.0.0/8'))).toBe('proto-50 from 10.0.0.0/8');
  });

  it('box() gives protocols without ports every port, whatever it is asked', () => {
    const esp = box('ipv4', range(50), range(22), range(0x0a000000n, 0x0affffffn));
    expect(equals(esp, t(50, 0, 0, '10.0.0.0/8'))).toBe(true);
    expect(contains(esp, { protocol: 50, address: '10.0.0.1', port: 9999 })).toBe(true);
    // tcp and the rest in one call: tcp keeps its ports.
    const mixed = box('ipv4', range(6, 50), range(22), range(0n, 2n ** 32n - 1n));
    expect(contains(mixed, { protocol: 6, address: '1.1.1.1', port: 23 })).toBe(false);
    expect(contains(mixed, { protocol: 7, address: '1.1.1.1', port: 23 })).toBe(true);
    expect(describe(mixed)).toBe('tcp/22, protocols 7-16, udp/22, protocols 18-50 from 0.0.0.0/0');
  });

  it('reads ICMP from/to as type/code', () => {
    const echo = t('icmp', 8, -1, '0.0.0.0/0');
    expect(describe(echo)).toBe('icmp/8 from 0.0.0.0/0');
    expect(contains(echo, { protocol: 1, address: '1.2.3.4', icmpType: 8, icmpCode: 0 })).toBe(true);
    expect(contains(echo, { protocol: 1, address: '1.2.3.4', icmpType: 0, icmpCode: 0 })).toBe(false);
    expect(describe(t('icmp', 3, 4, '0.0.0.0/0'))).toBe('icmp/3:4 from 0.0.0.0/0');
    expect(describe(t('icmp', -1, -1, '0.0.0.0/0'))).toBe('icmp/all from 0.0.0.0/0');
    expect(describe(t('icmpv6', -1, -1, '::/0'))).toBe('icmpv6/all from ::/0');
    // All of ICMP except type 3 code 4: prints every remaining piece of the type/code space.
    expect(describe(subtract(t('icmp', -1, -1, '0.0.0.0/0'), t('icmp', 3, 4, '0.0.0.0/0')))).toBe(
      'icmp/0-2,3:0-3,3:5-255,4-255 from 0.0.0.0/0',
    );
  });

  it('says why a rule is not an address set, without throwing', () => {
    const bySg = rule('tcp', 22, 22, '0.0.0.0/0');
    bySg.peer = { kind: 'securityGroup', ref: new ResourceRef('aws_security_group.b', 'id'), self: false };
    expect(fromRule(bySg)).toBeNull();
    expect(ruleTraffic(bySg)).toEqual({ notAddressSet: 'peer is a security group' });
    expect(ruleTraffic(rule('tcp', 22, 22, 'nope/8'))).toEqual({ notAddressSet: 'peer is invalid (not a valid CIDR)' });
    const unknownCidr = rule('tcp', 22, 22, '0.0.0.0/0');
    unknownCidr.peer = parseCidr(new Unknown('var.admin_cidr has no value'));
    expect(ruleTraffic(unknownCidr)).toEqual({ notAddressSet: 'peer is unknown (var.admin_cidr has no value)' });
    expect(ruleTraffic(rule('tcp', new Unknown('var.port has no value'), 22, '0.0.0.0/0'))).toEqual({
      notAddressSet: 'unknown ports (var.port has no value)',
    });
    expect(ruleTraffic(rule('tcpp', 22, 22, '0.0.0.0/0'))).toEqual({ notAddressSet: 'invalid protocol "tcpp"' });
    expect(trafficOf({ kind: 'number', number: 6 }, { kind: 'range', from: 1.5, to: 2 }, '0.0.0.0/0')).toEqual({ notAddressSet: 'invalid ports (not integers)' });
    expect(trafficOf({ kind: 'number', number: 300 }, { kind: 'all' }, '0.0.0.0/0')).toEqual({ notAddressSet: 'invalid protocol 300' });
    expect(contains(ALL_TRAFFIC, { protocol: 6.5, address: '10.0.0.1', port: 22 })).toBe(false);
    expect(contains(ALL_TRAFFIC, { protocol: 6, address: 'not-an-ip', port: 22 })).toBe(false);
    expect(ruleTraffic(rule('tcp', 30, 20, '0.0.0.0/0'))).toEqual({ notAddressSet: 'invalid ports (from port greater than to port)' });
  });
});

group('set operations', () => {
  const world = t('tcp', 0, 65535, '0.0.0.0/0');
  const internal = t('tcp', 0, 65535, '10.0.0.0/8');

  it('subtracts addresses and prints the complement when shorter', () => {
    expect(describe(subtract(world, internal))).toBe('tcp/0-65535 from 0.0.0.0/0 except 10.0.0.0/8');
    expect(describe(subtract(world, t('tcp', 22, 22, '0.0.0.0/0')))).toBe('tcp/0-21,23-65535 from 0.0.0.0/0');
  });

  it('unions rules of several groups and merges what touches', () => {
    const s = unionAll([t('tcp', 80, 80, '0.0.0.0/0'), t('tcp', 443, 443, '0.0.0.0/0'), t('tcp', 81, 442, '0.0.0.0/0'), t('udp', 53, 53, '10.0.0.0/8')]);
    expect(describe(s)).toBe('tcp/80-443 from 0.0.0.0/0; udp/53 from 10.0.0.0/8');
    expect(equals(s, unionAll([t('udp', 53, 53, '10.0.0.0/8'), t('tcp', 80, 443, '0.0.0.0/0')]))).toBe(true);
    // Two /9s are one /8.
    expect(equals(union(t('udp', 53, 53, '10.0.0.0/9'), t('udp', 53, 53, '10.128.0.0/9')), t('udp', 53, 53, '10.0.0.0/8'))).toBe(true);
  });

  it('intersects per family and per dimension', () => {
    const a = union(t('tcp', 0, 1000, '10.0.0.0/8'), t('-1', 0, 0, '::/0'));
    const b = union(t('tcp', 500, 2000, '10.1.0.0/16'), t('udp', 53, 53, '2001:db8::/32'));
    expect(describe(intersect(a, b))).toBe('tcp/500-1000 from 10.1.0.0/16; udp/53 from 2001:db8::/32');
    expect(isEmpty(intersect(t('tcp', 22, 22, '10.0.0.0/8'), t('tcp', 22, 22, '11.0.0.0/8')))).toBe(true);
  });

  it('groups clauses by address set and collapses mostly-all protocol sets', () => {
    expect(describe(union(t('tcp', 22, 22, '10.0.0.0/8'), t('udp', 53, 53, '10.0.0.0/8')))).toBe('tcp/22, udp/53 from 10.0.0.0/8');
    const allButTcp = subtract(t('-1', 0, 0, '0.0.0.0/0'), t('tcp', 0, 65535, '0.0.0.0/0'));
    expect(describe(allButTcp)).toBe('all protocols except tcp from 0.0.0.0/0');
    expect(describe(subtract(t('-1', 0, 0, '0.0.0.0/0'), t('tcp', 22, 22, '0.0.0.0/0')))).toBe(
      'all protocols except tcp, tcp/0-21,23-65535 from 0.0.0.0/0',
    );
    expect(describe(union(t('tcp', 22, 22, '0.0.0.0/0'), t('tcp', 22, 22, '::/0')), { preposition: 'to' })).toBe('tcp/22 to 0.0.0.0/0; tcp/22 to ::/0');
  });

  it('has exact complements and an empty set that prints', () => {
    expect(describe(NO_TRAFFIC)).toBe('no traffic');
    expect(describe(ALL_TRAFFIC)).toBe('all traffic from 0.0.0.0/0; all traffic from ::/0');
    expect(equals(complement(complement(internal)), internal)).toBe(true);
    expect(equals(union(internal, complement(internal)), ALL_TRAFFIC)).toBe(true);
    expect(isEmpty(intersect(internal, complement(internal)))).toBe(true);
    expect(size(complement(internal)) + size(internal)).toBe(size(ALL_TRAFFIC));
  });
});

group('NACL first match', () => {
  const entry = (ruleNumber: number, action: 'allow' | 'deny', protocol: string | number, cidr: string, from?: number, to?: number): NaclEntry => ({
    ruleNumber,
    action,
    protocol,
    cidr,
    ports: from === undefined ? undefined : { kind: 'range', from, to: to ?? from },
  });
  const allowed = (entries: NaclEntry[]) => {
    const r = allowedByNacl(entries);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    return r.allowed;
  };

  it('a deny numbered before an allow wins', () => {
    const a = allowed([entry(200, 'allow', 'tcp', '0.0.0.0/0', 0, 65535), entry(100, 'deny', 'tcp', '10.0.0.0/8', 0, 65535)]);
    expect(describe(a)).toBe('tcp/0-65535 from 0.0.0.0/0 except 10.0.0.0/8');
    expect(contains(a, { protocol: 6, address: '10.1.2.3', port: 22 })).toBe(false);
    expect(contains(a, { protocol: 6, address: '11.1.2.3', port: 22 })).toBe(true);
  });

  it('an allow numbered before a deny wins', () => {
    const a = allowed([entry(100, 'allow', 'tcp', '10.0.0.0/8', 22), entry(200, 'deny', '-1', '0.0.0.0/0'), entry(300, 'allow', '-1', '0.0.0.0/0')]);
    expect(describe(a)).toBe('tcp/22 from 10.0.0.0/8');
  });

  it('overlapping ranges: only the part not matched earlier is decided by a later entry', () => {
    const a = allowed([
      entry(100, 'deny', 'tcp', '0.0.0.0/0', 20, 30),
      entry(110, 'allow', 'tcp', '0.0.0.0/0', 0, 1023),
      entry(120, 'deny', 'tcp', '0.0.0.0/0', 1000, 2000),
      entry(130, 'allow', 'tcp', '0.0.0.0/0', 1500, 3000),
    ]);
    expect(describe(a)).toBe('tcp/0-19,31-1023,2001-3000 from 0.0.0.0/0');
  });

  it('denies what no entry matches (implicit deny), and keeps IPv6 apart', () => {
    expect(isEmpty(allowed([]))).toBe(true);
    expect(isEmpty(allowed([entry(100, 'deny', '-1', '0.0.0.0/0')]))).toBe(true);
    const a = allowed([entry(100, 'allow', '-1', '0.0.0.0/0'), entry(101, 'deny', '-1', '::/0')]);
    expect(describe(a)).toBe('all traffic from 0.0.0.0/0');
    expect(contains(a, { protocol: 6, address: '2001:db8::1', port: 443 })).toBe(false);
  });

  it('reports entries it cannot evaluate instead of guessing', () => {
    const r = allowedByNacl([entry(100, 'allow', 'tcp', '0.0.0.0/0', 22), { ruleNumber: 90, action: 'deny', protocol: 'tcp', cidr: '10.0.0.0/33' }]);
    expect(r).toEqual({ ok: false, problems: [{ ruleNumber: 90, reason: 'not a CIDR: "10.0.0.0/33"' }] });
  });

  it('reads ICMP type/code entries', () => {
    const a = allowed([
      { ruleNumber: 100, action: 'deny', protocol: 'icmp', cidr: '0.0.0.0/0', ports: { kind: 'icmp', type: 8, code: -1 } },
      { ruleNumber: 200, action: 'allow', protocol: 'icmp', cidr: '0.0.0.0/0', ports: { kind: 'icmp', type: -1, code: -1 } },
    ]);
    expect(describe(a)).toBe('icmp/0-7,9-255 from 0.0.0.0/0');
  });
});
