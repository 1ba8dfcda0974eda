import { ICMP, ICMPV6, parseProtocol, TCP, UDP } from '../model/protocol.js';
import * as iv from '../sets/interval.js';
import type { IntervalSet } from '../sets/interval.js';
import { type Addresses, ALL_ADDRESSES, serviceFrom } from '../sets/setops.js';
import { ALL_TRAFFIC, icmpTypeCode, PORT_UNIVERSE, type TrafficSet } from '../sets/traffic.js';
import type { Engine } from './engine.js';
import { best } from './layer.js';
import type { Reach, ReachOptions, Source } from './types.js';

// One question as `sgscan reach` and intents put it: the service (protocol, port, ICMP type and
// code), the IP version, the client's source ports, and which paths count (through a named load
// balancer, or direct only; the port the destination receives on behind a listener).

/** The question as written (CLI flags or intent keys), before it is checked. */
export interface QuestionFields {
  protocol?: unknown;
  /** tcp/udp port or range ("from-to"), or ICMP type. */
  port?: unknown;
  destPort?: unknown;
  sourcePort?: unknown;
  icmpType?: unknown;
  icmpCode?: unknown;
  ipVersion?: unknown;
  via?: unknown;
  direct?: unknown;
}

export interface Question {
  protocol: number | 'all';
  /** tcp/udp ports, or ICMP types. */
  ports?: { from: number; to: number };
  /** ICMP code (with one type). */
  icmpCode?: number;
  ipVersion?: 4 | 6;
  /** Client ports: replies go back to these through stateless NACLs (default 1024-65535). */
  sourcePorts?: { from: number; to: number };
  /** The port the destination receives on: behind a load balancer, the target group's port. */
  destPort?: number;
  /** Only paths through this load balancer. */
  via?: string;
  /** Only direct paths (no load balancer). */
  direct?: boolean;
}

type Field = keyof QuestionFields;

/** A port or "from-to" range within 0..max; undefined when absent. */
function range(v: unknown, max: number): { from: number; to: number } | undefined | string {
  if (v === undefined || v === null) return undefined;
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(String(v));
  const from = m ? Number(m[1]) : NaN;
  const to = m ? Number(m[2] ?? m[1]) : NaN;
  if (!m || from > max || to > max || from > to) return `expected 0-${max} or a range "from-to" (got ${JSON.stringify(v)})`;
  return { from, to };
}

function single(v: unknown, max: number): number | undefined | string {
  const r = range(v, max);
  if (typeof r !== 'object') return r;
  return r.from === r.to ? r.from : `expected one number 0-${max} (got ${JSON.stringify(v)})`;
}

/** The question, or the field that is wrong and why. */
export function parseQuestion(f: QuestionFields): Question | { field: Field; error: string } {
  const bad = (field: Field, error: string) => ({ field, error });
  const ports = range(f.port, 65535);
  if (typeof ports === 'string') return bad('port', `invalid port: ${ports}`);
  const destPort = single(f.destPort, 65535);
  if (typeof destPort === 'string') return bad('destPort', `invalid destination port: ${destPort}`);
  const sourcePorts = range(f.sourcePort, 65535);
  if (typeof sourcePorts === 'string') return bad('sourcePort', `invalid source port: ${sourcePorts}`);
  const icmpType = single(f.icmpType, 255);
  if (typeof icmpType === 'string') return bad('icmpType', `invalid ICMP type: ${icmpType}`);
  const icmpCode = single(f.icmpCode, 255);
  if (typeof icmpCode === 'string') return bad('icmpCode', `invalid ICMP code: ${icmpCode}`);
  if (icmpCode !== undefined && icmpType === undefined) return bad('icmpCode', 'an ICMP code needs an ICMP type');
  if (icmpType !== undefined && ports !== undefined) return bad('icmpType', 'give the ICMP type once (the ICMP type, or the port as the type)');
  let ipVersion: 4 | 6 | undefined;
  if (f.ipVersion !== undefined && f.ipVersion !== null) {
    const n = Number(f.ipVersion);
    if (n !== 4 && n !== 6) return bad('ipVersion', `invalid IP version ${JSON.stringify(f.ipVersion)} (expected 4 or 6)`);
    ipVersion = n;
  }
  if (f.direct !== undefined && typeof f.direct !== 'boolean') return bad('direct', 'direct is true or false');
  if (f.via !== undefined && (typeof f.via !== 'string' || f.via.trim() === '')) return bad('via', 'via names a load balancer');
  if (f.direct === true && f.via !== undefined) return bad('via', 'a path through a load balancer is not direct: give one of via and direct');
  let protocol: number | 'all';
  if (f.protocol === undefined || f.protocol === null) {
    protocol = icmpType !== undefined ? (ipVersion === 6 ? ICMPV6 : ICMP) : ports !== undefined || destPort !== undefined ? TCP : 'all';
  } else {
    const p = parseProtocol(f.protocol);
    if (p.kind !== 'number' && p.kind !== 'all') return bad('protocol', `unknown protocol ${JSON.stringify(f.protocol)} (expected tcp, udp, icmp, icmpv6, all, -1 or 0-255)`);
    protocol = p.kind === 'all' ? 'all' : p.number;
  }
  const icmp = protocol === ICMP || protocol === ICMPV6;
  if (icmpType !== undefined && !icmp) return bad('icmpType', 'an ICMP type needs protocol icmp or icmpv6');
  if (ports && protocol !== TCP && protocol !== UDP && !icmp) return bad('port', 'a port needs protocol tcp, udp, icmp or icmpv6');
  if (ports && icmp && ports.to > 255) return bad('port', `invalid ICMP type ${JSON.stringify(f.port)} (expected 0-255)`);
  if (destPort !== undefined && protocol !== TCP && protocol !== UDP) return bad('destPort', 'a destination port needs protocol tcp or udp');
  const q: Question = { protocol };
  const typeRange = icmpType !== undefined ? { from: icmpType, to: icmpType } : ports;
  if (typeRange) q.ports = typeRange;
  if (icmpCode !== undefined) q.icmpCode = icmpCode;
  if (ipVersion) q.ipVersion = ipVersion;
  if (sourcePorts) q.sourcePorts = sourcePorts;
  if (destPort !== undefined) q.destPort = destPort;
  if (typeof f.via === 'string') q.via = f.via.trim();
  if (f.direct === true) q.direct = true;
  return q;
}

export function isQuestion(q: Question | { field: Field; error: string }): q is Question {
  return !('error' in q);
}

/** The traffic asked about, from (or to) `addresses`: protocol × ports × addresses of the family asked. */
export function probeOf(q: Question, addresses: Addresses = ALL_ADDRESSES, ports = q.ports): TrafficSet {
  const a: Addresses = q.ipVersion === 4 ? { ipv4: addresses.ipv4, ipv6: iv.EMPTY } : q.ipVersion === 6 ? { ipv4: iv.EMPTY, ipv6: addresses.ipv6 } : addresses;
  if (q.protocol === 'all') return a === ALL_ADDRESSES ? ALL_TRAFFIC : serviceFrom('all', PORT_UNIVERSE, a);
  const n = q.protocol;
  let dim: IntervalSet = PORT_UNIVERSE;
  if (ports) {
    if (n === ICMP || n === ICMPV6) {
      dim = iv.EMPTY;
      for (let t = ports.from; t <= ports.to; t++) dim = iv.union(dim, icmpTypeCode(t, q.icmpCode ?? -1));
    } else dim = iv.range(ports.from, ports.to);
  }
  return serviceFrom(n, dim, a);
}

/**
 * The question asked of the estate: the direct path (its destination port is `destPort` when given)
 * and the paths through the load balancers in front of the destination (the client connects to the
 * listener's port; behind it the target group's port must be `destPort`), as the question allows.
 */
export function ask(engine: Engine, source: Source, destId: string, q: Question, addresses: Addresses = ALL_ADDRESSES, options: ReachOptions = {}): Reach {
  const probe = probeOf(q, addresses);
  const viaLb = q.direct ? [] : engine.reachThroughLoadBalancers(source, destId, probe, { via: q.via, destPort: q.destPort });
  if (q.via) return best(viaLb);
  const directProbe = q.destPort !== undefined ? probeOf(q, addresses, { from: q.destPort, to: q.destPort }) : probe;
  return best([engine.reach(source, destId, directProbe, options), ...viaLb]);
}

/** "tcp/443", "icmp type 8 code 0 over IPv6", "all traffic via aws_lb.web": for messages and keys. */
export function questionLabel(q: Question): string {
  const name = q.protocol === 'all' ? 'all traffic' : q.protocol === TCP ? 'tcp' : q.protocol === UDP ? 'udp' : q.protocol === ICMP ? 'icmp' : q.protocol === ICMPV6 ? 'icmpv6' : `protocol ${q.protocol}`;
  const icmp = q.protocol === ICMP || q.protocol === ICMPV6;
  const span = q.ports ? (q.ports.from === q.ports.to ? `${q.ports.from}` : `${q.ports.from}-${q.ports.to}`) : '';
  let out = q.ports ? (icmp ? `${name} type ${span}` : `${name}/${span}`) : name;
  if (q.icmpCode !== undefined) out += ` code ${q.icmpCode}`;
  if (q.destPort !== undefined) out += ` to port ${q.destPort}`;
  if (q.sourcePorts) out += q.sourcePorts.from === q.sourcePorts.to ? ` from source port ${q.sourcePorts.from}` : ` from source ports ${q.sourcePorts.from}-${q.sourcePorts.to}`;
  if (q.ipVersion) out += ` over IPv${q.ipVersion}`;
  if (q.via) out += ` via ${q.via}`;
  if (q.direct) out += ', direct only';
  return out;
}
