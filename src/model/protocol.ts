import { Unknown } from './value.js';

// Protocols as AWS understands them: `-1` (or "all") is every protocol and every port; any IANA
// number 0-255 is legal; only a few names are accepted by the APIs and by Terraform/CloudFormation.

export type Protocol =
  | { kind: 'all' }
  | { kind: 'number'; number: number }
  /** Written but not something AWS accepts (e.g. "tcpp", 300); kept so hygiene checks can say so. */
  | { kind: 'invalid'; raw: string }
  | { kind: 'unknown'; unknown: Unknown };

export const TCP = 6;
export const UDP = 17;
export const ICMP = 1;
export const ICMPV6 = 58;

const NAMES: Record<string, number> = { tcp: TCP, udp: UDP, icmp: ICMP, icmpv6: ICMPV6 };
const NUMBER_NAMES: Record<number, string> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6' };

/** Normalize a protocol as written ("tcp", "6", 6, "-1", "all", -1, "ICMPv6") to one form. */
export function parseProtocol(raw: unknown): Protocol {
  if (raw instanceof Unknown) return { kind: 'unknown', unknown: raw };
  if (raw === null || raw === undefined) return { kind: 'invalid', raw: String(raw) };
  const s = String(raw).trim().toLowerCase();
  if (s === '-1' || s === 'all') return { kind: 'all' };
  if (s in NAMES) return { kind: 'number', number: NAMES[s] };
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n >= 0 && n <= 255 ? { kind: 'number', number: n } : { kind: 'invalid', raw: String(raw) };
  }
  return { kind: 'invalid', raw: String(raw) };
}

/** Display form: "tcp", "udp", "icmp", "icmpv6", "all", "proto-50", "unknown". */
export function protocolName(p: Protocol): string {
  switch (p.kind) {
    case 'all':
      return 'all';
    case 'number':
      return NUMBER_NAMES[p.number] ?? `proto-${p.number}`;
    case 'invalid':
      return `invalid(${p.raw})`;
    case 'unknown':
      return 'unknown';
  }
}

/** True for protocols whose from/to fields are port numbers. */
export function hasPorts(p: Protocol): boolean {
  return p.kind === 'number' && (p.number === TCP || p.number === UDP);
}

/** True for protocols whose from/to fields are ICMP type and code. */
export function isIcmp(p: Protocol): boolean {
  return p.kind === 'number' && (p.number === ICMP || p.number === ICMPV6);
}
