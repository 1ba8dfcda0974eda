import ipaddr from 'ipaddr.js';
import { parseCidr } from '../model/peer.js';
import * as iv from './interval.js';
import type { IntervalSet, Range } from './interval.js';

// Addresses as integers: IPv4 0..2^32-1, IPv6 0..2^128-1 (bigint), and CIDR blocks as ranges.

export type Family = 'ipv4' | 'ipv6';

export const BITS: Record<Family, number> = { ipv4: 32, ipv6: 128 };
export const ADDRESS_UNIVERSE: Record<Family, IntervalSet> = {
  ipv4: iv.range(0n, 2n ** 32n - 1n),
  ipv6: iv.range(0n, 2n ** 128n - 1n),
};

function bytesToBigint(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function bigintToBytes(v: bigint, length: number): number[] {
  const out = new Array<number>(length);
  for (let k = length - 1; k >= 0; k--) {
    out[k] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** A single address ("10.0.0.1", "2001:db8::1") as an integer, or null when not an address. */
export function parseAddress(text: string): { family: Family; value: bigint } | null {
  try {
    const addr = ipaddr.parse(text.trim());
    return { family: addr.kind(), value: bytesToBigint(addr.toByteArray()) };
  } catch {
    return null;
  }
}

export function formatAddress(family: Family, value: bigint): string {
  if (family === 'ipv4') return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  const addr = ipaddr.fromByteArray(bigintToBytes(value, BITS[family] / 8));
  return (addr as ipaddr.IPv6).toRFC5952String();
}

/**
 * The addresses a CIDR covers. Host bits below the prefix are ignored, as AWS does ("10.0.0.5/16"
 * is 10.0.0.0/16). Null when the text is not a CIDR. parseCidr already gives the network address in
 * canonical form, so only that is read back (IPv4 without ipaddr: it tries IPv6 first and throws).
 */
export function cidrToRange(text: string): CidrRange | null {
  const peer = parseCidr(text);
  if (peer.kind !== 'cidr') return null;
  const address = peer.cidr.slice(0, peer.cidr.lastIndexOf('/'));
  const lo = peer.family === 'ipv4' ? address.split('.').reduce((v, b) => (v << 8n) | BigInt(b), 0n) : bytesToBigint(ipaddr.IPv6.parse(address).toByteArray());
  const hostBits = BigInt(BITS[peer.family] - peer.prefix);
  return { family: peer.family, range: { lo, hi: lo + (1n << hostBits) - 1n } };
}

export interface CidrRange {
  family: Family;
  range: Range;
}

/**
 * cidrToRange with a cache by text, for one engine: route tables and rules repeat the same few
 * CIDRs across thousands of questions. Owned by its caller (no module-level state).
 */
export function cidrRanges(): (text: string) => CidrRange | null {
  const memo = new Map<string, CidrRange | null>();
  return (text) => {
    let r = memo.get(text);
    if (r === undefined) {
      r = cidrToRange(text);
      memo.set(text, r);
    }
    return r;
  };
}

/** Index of the highest set bit (v > 0). */
function log2(v: bigint): number {
  return v.toString(2).length - 1;
}

/** The fewest CIDR blocks covering exactly the range, as [start, host bits], in address order. */
function rangeToBlocks(family: Family, r: Range): [bigint, number][] {
  const bits = BITS[family];
  const out: [bigint, number][] = [];
  let lo = r.lo;
  while (lo <= r.hi) {
    // Largest block aligned at `lo` (trailing zero bits) that does not pass `hi` (log2 of what is left).
    const align = lo === 0n ? bits : log2(lo & -lo);
    const host = Math.min(align, log2(r.hi - lo + 1n));
    out.push([lo, host]);
    lo += 1n << BigInt(host);
  }
  return out;
}

/** The fewest CIDR blocks whose union is exactly the range, in address order. */
export function rangeToCidrs(family: Family, r: Range): string[] {
  return rangeToBlocks(family, r).map(([lo, host]) => `${formatAddress(family, lo)}/${BITS[family] - host}`);
}

export function setToCidrs(family: Family, set: IntervalSet): string[] {
  return set.flatMap((r) => rangeToCidrs(family, r));
}

/** How many CIDR blocks `setToCidrs` would print, without formatting them. */
export function countCidrs(family: Family, set: IntervalSet): number {
  let n = 0;
  for (const r of set) n += rangeToBlocks(family, r).length;
  return n;
}
