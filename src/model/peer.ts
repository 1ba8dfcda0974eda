import ipaddr from 'ipaddr.js';
import { ResourceRef, Unknown, nameOfUnknown } from './value.js';

// The other end of a rule: the source of an ingress rule or the destination of an egress rule.
// CIDRs are parsed by value with ipaddr.js, so `::/0` and `0:0:0:0:0:0:0:0/0` are the same peer.

export type Peer =
  | {
      kind: 'cidr';
      family: 'ipv4' | 'ipv6';
      /** Canonical network form, e.g. "0.0.0.0/0", "::/0", "10.0.0.0/8". */
      cidr: string;
      prefix: number;
      /** As written, for messages and for host-bits checks ("10.0.0.5/16"). */
      raw: string;
      /** True when the written address had bits set below the prefix. */
      hostBitsSet: boolean;
      /**
       * Where the value comes from when it is not written at the rule but a deploy-time input left
       * at its default: "the default of parameter SSHLocation", "the default of var.ssh_cidr". The
       * fix is then that default, so messages name it; the value still counts as the one deployed.
       */
      origin?: string;
    }
  /**
   * Members of a security group; `ref` is a ResourceRef to a group in the scan, a literal id/name,
   * or Unknown when the attribute names a group whose id is not known (a variable, a parameter, a
   * data source): still a group, never an address range.
   */
  | { kind: 'securityGroup'; ref: ResourceRef | string | Unknown; self: boolean }
  /** The entries of a prefix list; `ref` as for groups. */
  | { kind: 'prefixList'; ref: ResourceRef | string | Unknown }
  | { kind: 'invalid'; raw: string; reason: string }
  | { kind: 'unknown'; unknown: Unknown };

/**
 * ipaddr.parseCIDR, faster: it tries IPv6 first and throws (slowly) for every IPv4 CIDR, which made
 * it the top hot spot of reachability. Plain IPv4 is read by hand (plainIpv4Cidr); other text without
 * ":" cannot be IPv6, so IPv4 goes first there; anything else falls back to ipaddr.parseCIDR, so the
 * results are the same.
 */
export function parseCidrText(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const plain = plainIpv4Cidr(text);
  if (plain) return [new ipaddr.IPv4(plain.octets), plain.prefix];
  if (!text.includes(':')) {
    try {
      return ipaddr.IPv4.parseCIDR(text);
    } catch {
      // fall through: let ipaddr report it the usual way
    }
  }
  return ipaddr.parseCIDR(text);
}

/**
 * The octets and prefix of `a.b.c.d/n` written plainly (decimal, no leading zeros), else undefined.
 * Nearly every CIDR is written so, and ipaddr's general parser (octal, hex and short forms, by
 * regular expressions) was a tenth of a 10,000-group CloudFormation scan's reachability; what this
 * accepts, ipaddr.IPv4.parseCIDR reads the same way (test/model/cidr-text.test.ts).
 */
export function plainIpv4Cidr(text: string): { octets: number[]; prefix: number } | undefined {
  const octets: number[] = [];
  let i = 0;
  for (let part = 0; part < 5; part++) {
    const start = i;
    let n = 0;
    while (i < text.length && i - start < 3) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
      i++;
    }
    const digits = i - start;
    if (digits === 0 || (digits > 1 && text.charCodeAt(start) === 48)) return undefined;
    if (part < 4) {
      if (n > 255 || text.charCodeAt(i) !== (part < 3 ? 46 : 47)) return undefined;
      octets.push(n);
      i++;
    } else {
      if (n > 32 || i !== text.length) return undefined;
      return { octets, prefix: n };
    }
  }
  return undefined;
}

/** Parse a CIDR as written in a rule. An address without a prefix is invalid for AWS. */
export function parseCidr(raw: unknown, expected?: 'ipv4' | 'ipv6'): Peer {
  if (raw instanceof Unknown) return { kind: 'unknown', unknown: raw };
  if (typeof raw !== 'string') return { kind: 'invalid', raw: String(raw), reason: 'not a string' };
  const text = raw.trim();
  // Plain IPv4 (nearly every CIDR) without building ipaddr objects; the same reading either way.
  let family: 'ipv4' | 'ipv6';
  let bytes: number[];
  let prefix: number;
  const plain = plainIpv4Cidr(text);
  if (plain) {
    family = 'ipv4';
    bytes = plain.octets;
    prefix = plain.prefix;
  } else {
    try {
      const [addr, p] = parseCidrText(text);
      // An IPv4-mapped IPv6 address is still an IPv6 rule for AWS.
      family = addr.kind();
      bytes = addr.toByteArray();
      prefix = p;
    } catch {
      return { kind: 'invalid', raw, reason: text.includes('/') ? 'not a valid CIDR' : 'missing /prefix' };
    }
  }
  if (expected && family !== expected) {
    return { kind: 'invalid', raw, reason: `expected an ${expected === 'ipv4' ? 'IPv4' : 'IPv6'} CIDR` };
  }
  const network = bytes.map((b, i) => {
    const bitsBefore = i * 8;
    if (bitsBefore >= prefix) return 0;
    if (bitsBefore + 8 <= prefix) return b;
    const keep = prefix - bitsBefore;
    return b & (0xff << (8 - keep)) & 0xff;
  });
  const hostBitsSet = network.some((b, i) => b !== bytes[i]);
  // ipaddr writes IPv4 as its octets joined by dots.
  const cidr = `${family === 'ipv6' ? (ipaddr.fromByteArray(network) as ipaddr.IPv6).toRFC5952String() : network.join('.')}/${prefix}`;
  return { kind: 'cidr', family, cidr, prefix, raw, hostBitsSet };
}

/**
 * Can an unknown address be the whole address space? Yes, unless its domain says it cannot (a
 * parameter whose AllowedPattern admits only /16 to /28, a security group id, a number).
 */
export function mayBeWorld(u: Unknown): boolean {
  return u.domain?.mayBeWorld ?? true;
}

/** The whole address space of one family: 0.0.0.0/0 or ::/0 (by value). */
export function isWorld(peer: Peer): boolean {
  return peer.kind === 'cidr' && peer.prefix === 0;
}

const PRIVATE_RANGES = new Set(['private', 'loopback', 'linkLocal', 'uniqueLocal', 'carrierGradeNat', 'unspecified']);

/** True when the CIDR contains any address that is not private/reserved (so it reaches the internet). */
export function isPublicCidr(peer: Peer): boolean {
  if (peer.kind !== 'cidr') return false;
  if (peer.prefix === 0) return true;
  const [addr] = parseCidrText(peer.cidr);
  // An IPv4-mapped IPv6 block (::ffff:10.0.0.0/104) is as public as the IPv4 block inside it.
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && peer.prefix >= 96) {
    const v4 = (addr as ipaddr.IPv6).toIPv4Address();
    return isPublicCidr(parseCidr(`${v4.toString()}/${peer.prefix - 96}`));
  }
  const range = addr.range();
  // A network is entirely private only if its network address is private and the range lies within
  // one of those blocks; the private blocks are all at least as large as any prefix here that
  // starts inside them, except when the prefix is shorter than the block's.
  if (!PRIVATE_RANGES.has(range)) return true;
  const blockPrefix: Record<string, number> =
    addr.kind() === 'ipv4'
      ? // ipaddr.js's IPv4 "unspecified" is 0.0.0.0/8 ("this network"), never routed.
        { private: 8, loopback: 8, linkLocal: 16, carrierGradeNat: 10, unspecified: 8 }
      : { uniqueLocal: 7, linkLocal: 10, loopback: 128, unspecified: 128 };
  const minPrefix = range === 'private' && addr.kind() === 'ipv4' ? privateV4Prefix(addr as ipaddr.IPv4) : blockPrefix[range];
  return minPrefix === undefined ? true : peer.prefix < minPrefix;
}

function privateV4Prefix(addr: ipaddr.IPv4): number {
  const [a, b] = addr.octets;
  if (a === 10) return 8;
  if (a === 172 && b >= 16 && b <= 31) return 12;
  return 16; // 192.168.0.0/16
}

/** "0.0.0.0/0", or with its origin "0.0.0.0/0, the default of parameter SSHLocation" (for inside parentheses). */
export function cidrText(peer: Extract<Peer, { kind: 'cidr' }>): string {
  return peer.origin ? `${peer.cidr}, ${peer.origin}` : peer.cidr;
}

/** A CIDR peer's origin to add inside parentheses: "" or ", the default of parameter SSHLocation". */
export function originNote(peer: Peer): string {
  return peer.kind === 'cidr' && peer.origin ? `, ${peer.origin}` : '';
}

export function describePeer(peer: Peer): string {
  switch (peer.kind) {
    case 'cidr':
      return peer.origin ? `${peer.cidr} (${peer.origin})` : peer.cidr;
    case 'securityGroup':
      if (peer.ref instanceof Unknown) return `members of ${unknownGroupName(peer.ref)}`;
      return peer.self ? 'members of the same group (self)' : `members of ${refName(peer.ref)}`;
    case 'prefixList':
      if (peer.ref instanceof Unknown) return `a prefix list that is not known (${nameOfUnknown(peer.ref)})`;
      return `prefix list ${refName(peer.ref)}`;
    case 'invalid':
      return `invalid peer "${peer.raw}" (${peer.reason})`;
    case 'unknown': {
      // "the addresses in parameter AdminCidr": what holds them, not "unknown peer (... has no value)".
      const name = nameOfUnknown(peer.unknown);
      return name !== peer.unknown.toString() ? `the addresses in ${name}` : `a source that is not known (${peer.unknown})`;
    }
  }
}

/** "a security group that is not known (var.bastion_sg_id)". */
export function unknownGroupName(u: Unknown): string {
  return `a security group that is not known (${nameOfUnknown(u)})`;
}

/** A reference to a declared resource reads as its address ("aws_security_group.app", "AppSG"). */
function refName(ref: ResourceRef | string): string {
  return ref instanceof ResourceRef ? ref.address : ref;
}
