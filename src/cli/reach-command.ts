import type { Model } from '../model/model.js';
import { parseCidr } from '../model/peer.js';
import type { Endpoint } from '../network/model.js';
import { describe } from '../sets/describe.js';
import type { Engine, Reach, Source } from '../reach/engine.js';
import type { EstatePart } from '../reach/estate.js';
import { reachContext, type ReachContext } from '../reach/exposure.js';
import { ask, isQuestion, parseQuestion, probeOf, type Question, questionLabel } from '../reach/question.js';
import { addressesOf } from '../sets/setops.js';
import { baseAddress } from '../model/address.js';

// `sgscan reach --from internet|ADDRESS|CIDR --to ADDRESS|internet [--protocol P] [--port N] ...`:
// one reachability question, answered as JSON and as text. Pure over the model.

export interface ReachArgs {
  from: string;
  to: string;
  /** tcp, udp, icmp, icmpv6, -1 or a number 0-255; all when absent. */
  protocol?: string;
  /** tcp/udp port (or "from-to"), or ICMP type: the port the client connects to. */
  port?: number | string;
  /** The port the destination receives on (behind a load balancer: the target group's port). */
  destPort?: number | string;
  /** The client's source port or ports ("N" or "A-B"): replies go back to them. */
  sourcePort?: number | string;
  icmpType?: number | string;
  icmpCode?: number | string;
  ipVersion?: number | string;
  /** Only paths through this load balancer (address or logical ID). */
  via?: string;
  /** Only paths without load balancers. */
  direct?: boolean;
  /** Client ports for NACL return legs; default 1024-65535 (`sourcePort` wins). */
  ephemeralPorts?: { from: number; to: number };
}

export interface ReachJson {
  verdict: Reach['verdict'];
  from: string;
  to: string;
  /** The question as understood: "tcp/443 to port 8080 via aws_lb.web", and its parts. */
  question: { label: string } & Question;
  allowed: string[];
  path: { file: string; line: number; endLine?: number; message: string }[];
  blockers: { message: string; file?: string; line?: number }[];
  assumptions: string[];
}

export type ReachOutput = { ok: true; json: ReachJson; text: string } | { ok: false; error: string };

const FLAGS: Record<string, string> = { port: '--port', destPort: '--dest-port', sourcePort: '--source-port', icmpType: '--icmp-type', icmpCode: '--icmp-code', ipVersion: '--ip-version', via: '--via', direct: '--direct', protocol: '--protocol' };

export function runReach(input: Model | ReachContext, args: ReachArgs): ReachOutput {
  const parsed = parseQuestion({ protocol: args.protocol, port: args.port, destPort: args.destPort, sourcePort: args.sourcePort, icmpType: args.icmpType, icmpCode: args.icmpCode, ipVersion: args.ipVersion, via: args.via, direct: args.direct || undefined });
  if (!isQuestion(parsed)) return { ok: false, error: `${FLAGS[parsed.field] ?? parsed.field}: ${parsed.error}` };
  const q = parsed;
  const ephemeralPorts = q.sourcePorts ?? args.ephemeralPorts;
  const model = 'parts' in input ? input.model : input;
  const ctx = 'parts' in input && !q.sourcePorts ? input : reachContext(model, ephemeralPorts ? { ephemeralPorts } : {});
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
    if (q.via || q.direct || q.destPort !== undefined) return { ok: false, error: '--via, --direct and --dest-port apply when the destination is a resource' };
    const dest = toInternet ? engine.internetFor(anchor.endpoint.id) : addressesOf([parseCidrText(to)]);
    answer = engine.reachOutbound(anchor.endpoint.id, dest, probeOf(q, dest));
    outbound = true;
  } else {
    const dest = anchor.endpoint;
    if (q.via) {
      const lb = resolve([anchor.part], q.via);
      if (typeof lb === 'string') return { ok: false, error: `--via: ${lb}` };
      if (lb.endpoint.kind !== 'lb') return { ok: false, error: `--via: ${lb.endpoint.id} is not a load balancer` };
      q.via = lb.endpoint.id;
    }
    let source: Source;
    if (from.toLowerCase() === 'internet') source = { kind: 'internet' };
    else if (isCidr(from)) source = { kind: 'cidr', cidr: parseCidrText(from) };
    else {
      const src = resolve([anchor.part], from);
      if (typeof src === 'string') {
        const elsewhere = resolve(ctx.parts, from);
        return { ok: false, error: typeof elsewhere === 'string' ? src : `${from} (${elsewhere.part.root}) and ${to} (${anchor.part.root}) are in different Terraform roots or templates: nothing connects them in the scan` };
      }
      source = { kind: 'endpoint', id: src.endpoint.id };
    }
    answer = ask(engine, source, dest.id, q);
  }
  const shown = answer.verdict === 'reachable' ? answer.allowed : answer.possible;
  const internet = toInternet || from.toLowerCase() === 'internet' ? { internet: engine.internetFor(anchor.endpoint.id) } : {};
  const text = describe(shown, { preposition: outbound ? 'to' : 'from', ...internet });
  const json: ReachJson = {
    verdict: answer.verdict,
    from,
    to,
    question: { label: questionLabel(q), ...q },
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
  if (matches.length === 0) matches = all.filter((x) => baseAddress(x.endpoint.id) === address);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) return `"${address}" names several resources (${matches.map((x) => `${x.endpoint.location.file}:${x.endpoint.id}`).join(', ')}); write FILE:ID`;
  const known = all.map((x) => x.endpoint.id).slice(0, 20);
  return `no resource with network interfaces is called "${address}"${known.length ? ` (known: ${known.join(', ')}${all.length > 20 ? ', ...' : ''})` : ''}`;
}

export function renderText(j: ReachJson): string {
  const lines = [`${j.from} → ${j.to}${j.question.label === 'all traffic' ? '' : ` (${j.question.label})`}: ${j.verdict}`];
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
