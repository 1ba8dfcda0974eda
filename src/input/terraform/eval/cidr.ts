// Terraform's cidrsubnet/cidrsubnets/cidrhost/cidrnetmask, on BigInt addresses (IPv4 and IPv6),
// following hashicorp/go-cidr so results match `terraform console`.
import { EvalError } from './values.js';

interface Prefix {
  /** Network address (host bits cleared, as Go's net.ParseCIDR returns it). */
  base: bigint;
  len: number;
  bits: 32 | 128;
}

export function parsePrefix(s: string): Prefix {
  const slash = s.indexOf('/');
  if (slash < 0) throw new EvalError(`invalid CIDR address "${s}"`);
  const ip = s.slice(0, slash);
  const lenText = s.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(lenText)) throw new EvalError(`invalid CIDR address "${s}"`);
  const len = Number(lenText);
  const v4 = parseIPv4(ip);
  const bits = v4 !== null ? 32 : 128;
  const addr = v4 ?? parseIPv6(ip);
  if (addr === null || len > bits) throw new EvalError(`invalid CIDR address "${s}"`);
  const mask = maskOf(len, bits);
  return { base: addr & mask, len, bits };
}

function maskOf(len: number, bits: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - len)) - 1n);
}

function parseIPv4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    // Go rejects leading zeros (octal ambiguity) since 1.17.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return null;
    n = (n << 8n) | BigInt(p);
  }
  return n;
}

function parseIPv6(s: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return null;
  let tail: bigint[] = [];
  let text = s;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = [v4 >> 16n, v4 & 0xffffn];
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const group = (h: string): bigint[] | null => {
    if (h === '') return [];
    const gs = h.split(':');
    if (gs.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
    return gs.map((g) => BigInt(`0x${g}`));
  };
  const head = group(halves[0]);
  const rest = halves.length === 2 ? group(halves[1]) : [];
  if (head === null || rest === null) return null;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  const groups = [...head, ...Array<bigint>(8 - known).fill(0n), ...rest, ...tail];
  return groups.reduce((n, g) => (n << 16n) | g, 0n);
}

export function formatIP(n: bigint, bits: number): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  // Go (RFC 5952): compress the longest run of two or more zero groups, the first one on ties.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

function checkWhole(n: number, what: string): bigint {
  if (!Number.isInteger(n)) throw new EvalError(`${what} must be a whole number`);
  return BigInt(n);
}

export function cidrsubnet(prefix: string, newbits: number, netnum: number): string {
  const p = parsePrefix(prefix);
  const len = p.len + newbits;
  if (newbits < 0) throw new EvalError('newbits must not be negative');
  if (len > p.bits) throw new EvalError(`insufficient address space to extend prefix of ${p.len} by ${newbits}`);
  const num = checkWhole(netnum, 'netnum');
  if (num < 0n || num >= 1n << BigInt(newbits)) {
    throw new EvalError(`prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}`);
  }
  const addr = p.base | (num << BigInt(p.bits - len));
  return `${formatIP(addr, p.bits)}/${len}`;
}

export function cidrhost(prefix: string, hostnum: number): string {
  const p = parsePrefix(prefix);
  const size = 1n << BigInt(p.bits - p.len);
  let num = checkWhole(hostnum, 'hostnum');
  if (num < 0n) num += size;
  if (num < 0n || num >= size) throw new EvalError(`prefix of ${p.len} does not accommodate a host numbered ${hostnum}`);
  return formatIP(p.base | num, p.bits);
}

export function cidrnetmask(prefix: string): string {
  const p = parsePrefix(prefix);
  if (p.bits !== 32) throw new EvalError('only IPv4 networks have a netmask');
  return formatIP(maskOf(p.len, 32), 32);
}

export function cidrsubnets(prefix: string, newbits: number[]): string[] {
  const p = parsePrefix(prefix);
  if (newbits.length === 0) return [];
  const last = (base: bigint, len: number): bigint => base | ((1n << BigInt(p.bits - len)) - 1n);
  const networkLast = last(p.base, p.len);
  // go-cidr: start from the subnet just before the network at the first length, then take
  // the next subnet of each requested length in turn.
  let curLen = p.len + newbits[0];
  if (newbits[0] < 0 || curLen > p.bits) throw new EvalError(`would extend prefix to ${curLen} bits, too long for this address family`);
  let curBase = (p.base - 1n) & maskOf(curLen, p.bits);
  if (p.base === 0n) curBase = maskOf(curLen, p.bits) & ((1n << BigInt(p.bits)) - 1n);
  const out: string[] = [];
  for (const nb of newbits) {
    const len = p.len + nb;
    if (nb < 1) throw new EvalError('each newbits must be at least 1');
    if (len > p.bits) throw new EvalError(`would extend prefix to ${len} bits, too long for this address family`);
    const mask = maskOf(len, p.bits);
    const inCur = last(curBase, curLen) & mask;
    const nextFirst = last(inCur, len) + 1n;
    const next = nextFirst & mask;
    if (nextFirst >> BigInt(p.bits) !== 0n || next < p.base || last(next, len) > networkLast) {
      throw new EvalError(`not enough remaining address space for a subnet with a prefix of ${len} bits after ${out[out.length - 1] ?? prefix}`);
    }
    out.push(`${formatIP(next, p.bits)}/${len}`);
    curBase = next;
    curLen = len;
  }
  return out;
}
