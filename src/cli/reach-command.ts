import type { Model } from '../model/model.js';
import { parseCidr } from '../model/peer.js';
import { parseProtocol, ICMP, ICMPV6 } from '../model/protocol.js';
import type { Endpoint } from '../network/model.js';
import { describe } from '../sets/describe.js';
import { best, type Engine, type Reach } from '../reach/engine.js';
import type { EstatePart } from '../reach/estate.js';
import { reachContext, type ReachContext } from '../reach/exposure.js';
import * as iv from '../sets/interval.js';
import { ALL_ADDRESSES, addressesOf, serviceFrom } from '../sets/setops.js';
import { ALL_TRAFFIC, icmpTypeCode, PORT_UNIVERSE, type TrafficSet } from '../sets/traffic.js';

// `sgscan reach --from internet|ADDRESS|CIDR --to ADDRESS|internet [--protocol P] [--port N]`:
// one reachability question, answered as JSON and as text. Pure over the model.

export interface ReachArgs {
  from: string;
  to: string;
  /** tcp, udp, icmp, icmpv6, -1 or a number 0-255; all when absent. */
  protocol?: string;
  /** tcp/udp port, or ICMP type. */
  port?: number | string;
  /** Client ports for NACL return legs; default 1024-65535. */
  ephemeralPorts?: { from: number; to: number };
}

export interface ReachJson {
  verdict: Reach['verdict'];
  from: string;
  to: string;
  allowed: string[];
  path: { file: string; line: number; endLine?: number; message: string }[];
  blockers: { message: string; file?: string; line?: number }[];
  assumptions: string[];
}

export type ReachOutput = { ok: true; json: ReachJson; text: string } | { ok: false; error: string };

export function runReach(input: Model | ReachContext, args: ReachArgs): ReachOutput {
  const ctx = 'parts' in input ? input : reachContext(input, args.ephemeralPorts ? { ephemeralPorts: args.ephemeralPorts } : {});
  const probe = probeOf(args);
  if (typeof probe === 'string') return { ok: false, error: probe };
  const from = args.from.trim();
  const to = args.to.trim();
  const toInternet = to.toLowerCase() === 'internet';
  const fromOutside = from.toLowerCase() === 'internet' || isCidr(from);
  if (fromOutside && (toInternet || isCidr(to))) return { ok: false, error: 'one side of the question must be a resource (--from or --to ADDRESS)' };
  // The resource side decides the namespace (Terraform root or template); the other end must be in it.
  const anchor = resolve(ctx.parts, toInternet || isCidr(to) ? from : to);
  if (typeof anchor === 'string') return { ok: false, error: anchor };
  const engine = anchor.engine;
  let answer: Reach;
  let outbound = false;
  if (toInternet || isCidr(to)) {
    answer = engine.reachOutbound(anchor.endpoint.id, toInternet ? engine.internetFor(anchor.endpoint.id) : addressesOf([parseCidrText(to)]), probe);
    outbound = true;
  } else {
    const dest = anchor.endpoint;
    if (from.toLowerCase() === 'internet') {
      answer = best([engine.reach({ kind: 'internet' }, dest.id, probe), ...engine.reachThroughLoadBalancers({ kind: 'internet' }, dest.id, probe)]);
    } else if (isCidr(from)) {
      const cidr = parseCidrText(from);
      answer = best([engine.reach({ kind: 'cidr', cidr }, dest.id, probe), ...engine.reachThroughLoadBalancers({ kind: 'cidr', cidr }, dest.id, probe)]);
    } else {
      const src = resolve([anchor.part], from);
      if (typeof src === 'string') {
        const elsewhere = resolve(ctx.parts, from);
        return { ok: false, error: typeof elsewhere === 'string' ? src : `${from} (${elsewhere.part.root}) and ${to} (${anchor.part.root}) are in different Terraform roots or templates: nothing connects them in the scan` };
      }
      answer = engine.reach({ kind: 'endpoint', id: src.endpoint.id }, dest.id, probe);
    }
  }
  const shown = answer.verdict === 'reachable' ? answer.allowed : answer.possible;
  const internet = toInternet || from.toLowerCase() === 'internet' ? { internet: engine.internetFor(anchor.endpoint.id) } : {};
  const text = describe(shown, { preposition: outbound ? 'to' : 'from', ...internet });
  const json: ReachJson = {
    verdict: answer.verdict,
    from,
    to,
    allowed: text === 'no traffic' ? [] : text.split('; '),
    path: answer.path,
    blockers: answer.blockers,
    assumptions: answer.assumptions,
  };
  return { ok: true, json, text: renderText(json) };
}

function isCidr(s: string): boolean {
  return parseCidr(s).kind === 'cidr' || parseCidr(`${s}/${s.includes(':') ? 128 : 32}`).kind === 'cidr';
}

/** A bare address is a /32 (/128). */
function parseCidrText(s: string): string {
  const p = parseCidr(s);
  if (p.kind === 'cidr') return p.cidr;
  const q = parseCidr(`${s}/${s.includes(':') ? 128 : 32}`);
  return q.kind === 'cidr' ? q.cidr : s;
}

function probeOf(args: ReachArgs): TrafficSet | string {
  if (args.protocol === undefined && args.port === undefined) return ALL_TRAFFIC;
  const protocol = parseProtocol(args.protocol ?? (args.port !== undefined ? 'tcp' : '-1'));
  if (protocol.kind === 'invalid' || protocol.kind === 'unknown') return `unknown protocol "${args.protocol}" (expected tcp, udp, icmp, icmpv6, -1 or 0-255)`;
  let port: number | undefined;
  if (args.port !== undefined) {
    port = Number(args.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) return `invalid port "${args.port}" (expected 0-65535)`;
  }
  if (protocol.kind === 'all') return port === undefined ? ALL_TRAFFIC : `--port needs --protocol tcp, udp or icmp`;
  const n = protocol.number;
  const icmp = n === ICMP || n === ICMPV6;
  if (port !== undefined && icmp && port > 255) return `invalid ICMP type "${port}" (expected 0-255)`;
  const ports = port === undefined ? PORT_UNIVERSE : icmp ? icmpTypeCode(port, -1) : iv.range(port);
  return serviceFrom(n, ports, ALL_ADDRESSES);
}

/**
 * An endpoint by Terraform address or CloudFormation logical ID; `file:LogicalId` (or `folder:address`)
 * picks one of several with the same id; an address without its index finds `x[0]` when it is the only one.
 */
export function resolve(parts: readonly EstatePart[], address: string): { part: EstatePart; engine: Engine; endpoint: Endpoint } | string {
  const all = parts.flatMap((part) => part.engine.network.endpoints.map((endpoint) => ({ part, engine: part.engine, endpoint })));
  const colon = address.lastIndexOf(':');
  let matches = all.filter((x) => x.endpoint.id === address);
  if (matches.length === 0 && colon > 0) {
    const where = address.slice(0, colon);
    const id = address.slice(colon + 1);
    const at = (f: string) => f === where || f.endsWith(`/${where}`);
    matches = all.filter((x) => x.endpoint.id === id && (at(x.endpoint.location.file) || at(x.part.root)));
  }
  if (matches.length === 0) matches = all.filter((x) => x.endpoint.id.replace(/\[[^\]]*\]$/, '') === address);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) return `"${address}" names several resources (${matches.map((x) => `${x.endpoint.location.file}:${x.endpoint.id}`).join(', ')}); write FILE:ID`;
  const known = all.map((x) => x.endpoint.id).slice(0, 20);
  return `no resource with network interfaces is called "${address}"${known.length ? ` (known: ${known.join(', ')}${all.length > 20 ? ', ...' : ''})` : ''}`;
}

export function renderText(j: ReachJson): string {
  const lines = [`${j.from} → ${j.to}: ${j.verdict}`];
  if (j.allowed.length) {
    lines.push(j.verdict === 'reachable' ? 'allowed:' : 'allowed if the assumptions hold:');
    for (const a of j.allowed) lines.push(`  ${a}`);
  }
  if (j.path.length) {
    lines.push('path:');
    j.path.forEach((h, i) => lines.push(`  ${i + 1}. ${h.file}:${h.line}  ${h.message}`));
  }
  if (j.assumptions.length) {
    lines.push('assumptions:');
    for (const a of j.assumptions) lines.push(`  - ${a}`);
  }
  if (j.blockers.length) {
    lines.push('blocked by:');
    for (const b of j.blockers) lines.push(`  - ${b.file ? `${b.file}:${b.line}  ` : ''}${b.message}`);
  }
  return `${lines.join('\n')}\n`;
}
