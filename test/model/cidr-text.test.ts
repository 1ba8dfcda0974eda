import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { parseCidr, parseCidrText, plainIpv4Cidr } from '../../src/model/peer.js';

// The plain IPv4 reader must read every CIDR it accepts as ipaddr does, and leave every other text
// (octal and hex octets, short forms, out-of-range parts) to ipaddr.

function ipaddrReading(text: string): { octets: number[]; prefix: number } | 'throws' {
  try {
    const [addr, prefix] = ipaddr.IPv4.parseCIDR(text);
    return { octets: addr.octets, prefix };
  } catch {
    return 'throws';
  }
}

/** Deterministic pseudo-random texts near the plain form (a fixed seed: the same cases every run). */
function* texts(n: number): Generator<string> {
  let seed = 12345;
  const next = (k: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % k;
  };
  const parts = ['0', '00', '01', '010', '8', '10', '99', '100', '172', '192', '255', '256', '999', '0x1f', '1000', ''];
  for (let i = 0; i < n; i++) {
    const count = next(4) === 0 ? 3 + next(3) * 2 - 1 : 4;
    const octets = Array.from({ length: count }, () => parts[next(parts.length)]);
    const prefix = ['0', '8', '16', '24', '32', '33', '08', '', '320', '7'][next(10)];
    const sep = ['/', '/', '/', '//', ' /', ''][next(6)];
    yield `${octets.join('.')}${sep}${prefix}${next(10) === 0 ? ' ' : ''}`;
  }
}

describe('plainIpv4Cidr', () => {
  it('reads what it accepts as ipaddr does, and accepts every plain CIDR', () => {
    let accepted = 0;
    for (const text of texts(20000)) {
      const plain = plainIpv4Cidr(text);
      const m = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\/(0|[1-9]\d?)$/.exec(text);
      const isPlain = m !== null && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
      expect(plain !== undefined, text).toBe(isPlain);
      if (!plain) continue;
      accepted++;
      expect(ipaddrReading(text), text).toEqual(plain);
    }
    expect(accepted).toBeGreaterThan(200);
    for (const text of ['0.0.0.0/0', '10.0.0.0/8', '172.16.0.0/12', '192.168.1.7/32', '255.255.255.255/32', '100.64.0.0/10']) {
      expect(plainIpv4Cidr(text), text).toEqual(ipaddrReading(text));
    }
  });

  it('leaves other forms to ipaddr', () => {
    for (const text of ['010.0.0.0/8', '10.0.0.0/08', '10.0.0/8', '10.0.0.0.0/8', '0x0a.0.0.0/8', '10.0.0.0/33', '256.0.0.0/8', '10.0.0.0', ' 10.0.0.0/8', '10.0.0.0/8 ', '::/0', '10.0.0.0/', '1000.0.0.0/8']) {
      expect(plainIpv4Cidr(text), text).toBeUndefined();
    }
  });
});

describe('parseCidr on plain IPv4', () => {
  it('gives the peer the general reader gives', () => {
    // "010" is octal 8 to ipaddr: text that is not plain goes the general way.
    expect(parseCidr('10.1.2.3/16')).toEqual({ kind: 'cidr', family: 'ipv4', cidr: '10.1.0.0/16', prefix: 16, raw: '10.1.2.3/16', hostBitsSet: true });
    expect(parseCidr(' 10.1.0.0/16 ')).toEqual({ kind: 'cidr', family: 'ipv4', cidr: '10.1.0.0/16', prefix: 16, raw: ' 10.1.0.0/16 ', hostBitsSet: false });
    expect(parseCidr('192.168.7.129/25')).toEqual({ kind: 'cidr', family: 'ipv4', cidr: '192.168.7.128/25', prefix: 25, raw: '192.168.7.129/25', hostBitsSet: true });
    expect(parseCidr('0.0.0.0/0')).toEqual({ kind: 'cidr', family: 'ipv4', cidr: '0.0.0.0/0', prefix: 0, raw: '0.0.0.0/0', hostBitsSet: false });
    expect(parseCidr('10.0.0.0/8', 'ipv6')).toEqual({ kind: 'invalid', raw: '10.0.0.0/8', reason: 'expected an IPv6 CIDR' });
    expect(parseCidr('10.0.0.0/33')).toMatchObject({ kind: 'invalid' });
    expect(parseCidr('010.0.0.0/8')).toMatchObject({ kind: 'cidr', cidr: '8.0.0.0/8' });
    const [addr, prefix] = parseCidrText('10.2.3.4/24');
    expect([addr.kind(), addr.toString(), prefix]).toEqual(['ipv4', '10.2.3.4', 24]);
  });

  it('masks every prefix length as ipaddr does', () => {
    for (let prefix = 0; prefix <= 32; prefix++) {
      const text = `203.177.94.255/${prefix}`;
      const net = ipaddr.IPv4.networkAddressFromCIDR(text).toString();
      expect(parseCidr(text), text).toMatchObject({ cidr: `${net}/${prefix}`, hostBitsSet: `${net}/${prefix}` !== text });
    }
  });
});
