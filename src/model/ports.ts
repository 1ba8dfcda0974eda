import { type Protocol, hasPorts, isIcmp } from './protocol.js';
import { Unknown } from './value.js';

/** Inclusive range of TCP/UDP ports. */
export interface PortRange {
  from: number;
  to: number;
}

/**
 * What a rule matches beyond the protocol:
 * - `all`: every port (protocol -1, or tcp/udp 0-65535, or a protocol without ports);
 * - `range`: a tcp/udp port range;
 * - `icmp`: ICMP type and code (-1 means any);
 * - `invalid`: ports AWS would reject (from > to, out of 0-65535);
 * - `unknown`: not statically known.
 */
export type PortSpec =
  | { kind: 'all' }
  | ({ kind: 'range' } & PortRange)
  | { kind: 'icmp'; type: number; code: number }
  | { kind: 'invalid'; from: number | null; to: number | null; reason: string }
  | { kind: 'unknown'; unknown: Unknown };

function toInt(v: unknown): number | null | Unknown {
  if (v instanceof Unknown) return v;
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  return Number.isInteger(n) ? n : null;
}

/**
 * Interpret from/to as AWS does for the given protocol. For protocols without ports the fields are
 * ignored by AWS (all ports match); for ICMP they are type and code.
 */
export function parsePorts(protocol: Protocol, fromRaw: unknown, toRaw: unknown): PortSpec {
  const from = toInt(fromRaw);
  const to = toInt(toRaw);
  if (from instanceof Unknown || to instanceof Unknown) {
    const parts = [from, to].filter((x): x is Unknown => x instanceof Unknown);
    if (protocol.kind === 'all' || (protocol.kind === 'number' && !hasPorts(protocol) && !isIcmp(protocol))) {
      return { kind: 'all' };
    }
    return { kind: 'unknown', unknown: Unknown.merge(...parts) };
  }
  if (protocol.kind === 'all') return { kind: 'all' };
  if (protocol.kind === 'unknown') {
    // Ports are meaningful only once the protocol is known; keep the range as written.
    if (from !== null && to !== null && from >= 0 && to <= 65535 && from <= to) return { kind: 'range', from, to };
    return { kind: 'unknown', unknown: protocol.unknown };
  }
  if (protocol.kind === 'invalid') return { kind: 'invalid', from, to, reason: 'invalid protocol' };
  if (isIcmp(protocol)) {
    const type = from ?? -1;
    const code = to ?? -1;
    if (type < -1 || type > 255 || code < -1 || code > 255) {
      return { kind: 'invalid', from, to, reason: 'ICMP type/code out of range -1..255' };
    }
    return { kind: 'icmp', type, code };
  }
  if (!hasPorts(protocol)) return { kind: 'all' };
  if (from === null || to === null) return { kind: 'invalid', from, to, reason: 'missing port' };
  // -1/-1 on tcp/udp is accepted by the EC2 API as "all ports".
  if (from === -1 && to === -1) return { kind: 'all' };
  if (from < 0 || to > 65535 || from > 65535 || to < 0) {
    return { kind: 'invalid', from, to, reason: 'port outside 0-65535' };
  }
  if (from > to) return { kind: 'invalid', from, to, reason: 'from port greater than to port' };
  if (from === 0 && to === 65535) return { kind: 'all' };
  return { kind: 'range', from, to };
}

/** Does the rule's port spec contain this tcp/udp port? Unknown is reported separately as "possibly". */
export function portsContain(spec: PortSpec, port: number): boolean | Unknown {
  switch (spec.kind) {
    case 'all':
      return true;
    case 'range':
      return spec.from <= port && port <= spec.to;
    case 'unknown':
      return spec.unknown;
    default:
      return false;
  }
}

export function describePorts(spec: PortSpec): string {
  switch (spec.kind) {
    case 'all':
      return 'all ports';
    case 'range':
      return spec.from === spec.to ? `port ${spec.from}` : `ports ${spec.from}-${spec.to}`;
    case 'icmp':
      return `type ${spec.type === -1 ? 'any' : spec.type} code ${spec.code === -1 ? 'any' : spec.code}`;
    case 'invalid':
      return `invalid ports ${spec.from ?? '?'}-${spec.to ?? '?'} (${spec.reason})`;
    case 'unknown':
      return `unknown ports (${spec.unknown})`;
  }
}
