import { parseCidr } from '../model/peer.js';
import { ICMP, ICMPV6, TCP, UDP, parseProtocol } from '../model/protocol.js';
import { isQuestion, parseQuestion, type Question, type QuestionFields } from '../reach/question.js';
import type { Intent } from './types.js';

// Intents (`intents:` in .sgscan.yml): statements about who may reach what, checked by SGS042
// (rules/reachability-intent.ts). Here only their syntax: selectors and the service they restrict to.
// Kept free of the reachability engine so the loader can validate without building anything (the
// question's syntax is src/reach/question.ts, which builds no estate).

/** What a `from`/`to` entry selects. */
export type Selector =
  | { kind: 'internet'; text: string }
  | { kind: 'cidr'; cidr: string; text: string }
  /** Endpoints whose resource has tag `key` with a value matching the glob `value`. */
  | { kind: 'tag'; key: string; value: string; text: string }
  /** Endpoints that are members of a security group whose address matches the glob. */
  | { kind: 'group'; glob: string; text: string }
  /**
   * Endpoints whose address or logical ID matches the glob, and members of security groups it
   * matches. `where` is set for FILE:ID (a file or folder picking one of several namespaces).
   */
  | { kind: 'resource'; glob: string; where?: string; text: string };

/** The service an intent speaks about; all traffic when neither port nor protocol is given. */
export interface IntentService {
  protocol: number | 'all';
  /** tcp/udp ports, or the ICMP type for icmp/icmpv6; absent: every port. */
  ports?: { from: number; to: number };
  /** "tcp/5432", "tcp/1024-65535", "udp", "icmp type 8", "all traffic": messages and finding keys. */
  label: string;
}

/** A selector as written, or why it is not one. */
export function parseSelector(raw: string): Selector | string {
  const text = raw.trim();
  if (text === '') return 'a selector must not be blank';
  if (/\s/.test(text)) return `"${text}" is not a selector (no spaces allowed)`;
  if (text.toLowerCase() === 'internet') return { kind: 'internet', text };
  if (/^[0-9.]+(\/\d+)?$/.test(text) || (text.includes(':') && /^[0-9a-fA-F:.]+(\/\d+)?$/.test(text))) {
    const p = parseCidr(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`);
    return p.kind === 'cidr' ? { kind: 'cidr', cidr: p.cidr, text } : `"${text}" is not a valid CIDR`;
  }
  const prefix = /^([A-Za-z][A-Za-z0-9_-]*):(.*)$/.exec(text);
  if (prefix && prefix[1] === 'tag') {
    const eq = prefix[2].indexOf('=');
    if (eq <= 0) return `"${text}": a tag selector is written tag:Key=Value`;
    return { kind: 'tag', key: prefix[2].slice(0, eq), value: prefix[2].slice(eq + 1), text };
  }
  if (prefix && prefix[1] === 'group') {
    if (prefix[2] === '') return `"${text}": a group selector is written group:ADDRESS`;
    return { kind: 'group', glob: prefix[2], text };
  }
  // FILE:ID names the file or folder before the colon ("network/template.yaml:Db"); any other
  // word before a colon is a misspelt selector form ("tags:Tier=db", "sg:x").
  if (prefix) return `"${text}": unknown selector form "${prefix[1]}:" (expected internet, a CIDR, a resource address or logical ID, FILE:ID, tag:Key=Value or group:ADDRESS)`;
  const colon = text.lastIndexOf(':');
  if (colon > 0 && !text.includes('[')) {
    const where = text.slice(0, colon);
    const glob = text.slice(colon + 1);
    if (glob === '') return `"${text}": nothing after the colon`;
    return { kind: 'resource', glob, where, text };
  }
  return { kind: 'resource', glob: text, text };
}

/** True for selectors outside the scanned network (the internet, CIDRs). */
export function isOutside(s: Selector): boolean {
  return s.kind === 'internet' || s.kind === 'cidr';
}

/**
 * The service of an intent from its `port` (a number or "from-to") and `protocol` (tcp, udp, icmp,
 * icmpv6, all/-1 or a number; tcp when only a port is given), or why it is not one.
 */
export function parseService(port: unknown, protocol: unknown): IntentService | string {
  let ports: { from: number; to: number } | undefined;
  if (port !== undefined) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(String(port));
    const from = m ? Number(m[1]) : NaN;
    const to = m ? Number(m[2] ?? m[1]) : NaN;
    if (!m || from > 65535 || to > 65535 || from > to) return `invalid port ${JSON.stringify(port)} (expected 0-65535 or a range "from-to")`;
    ports = { from, to };
  }
  if (protocol === undefined) {
    if (!ports) return { protocol: 'all', label: 'all traffic' };
    return { protocol: TCP, ports, label: label(TCP, ports) };
  }
  const p = parseProtocol(protocol);
  if (p.kind !== 'number' && p.kind !== 'all') return `unknown protocol ${JSON.stringify(protocol)} (expected tcp, udp, icmp, icmpv6, all, -1 or 0-255)`;
  if (p.kind === 'all') {
    if (ports) return 'a port needs protocol tcp, udp, icmp or icmpv6';
    return { protocol: 'all', label: 'all traffic' };
  }
  const n = p.number;
  if (ports && n !== TCP && n !== UDP && n !== ICMP && n !== ICMPV6) return 'a port needs protocol tcp, udp, icmp or icmpv6';
  if (ports && (n === ICMP || n === ICMPV6) && ports.to > 255) return `invalid ICMP type ${JSON.stringify(port)} (expected 0-255)`;
  return { protocol: n, ...(ports ? { ports } : {}), label: label(n, ports) };
}

function label(n: number, ports?: { from: number; to: number }): string {
  const name = n === TCP ? 'tcp' : n === UDP ? 'udp' : n === ICMP ? 'icmp' : n === ICMPV6 ? 'icmpv6' : `protocol ${n}`;
  if (!ports) return name;
  const span = ports.from === ports.to ? `${ports.from}` : `${ports.from}-${ports.to}`;
  return n === ICMP || n === ICMPV6 ? `${name} type ${span}` : `${name}/${span}`;
}

/** The intent keys of the question fields, as written in .sgscan.yml. */
export const QUESTION_KEYS: Record<keyof QuestionFields, string> = {
  protocol: 'protocol',
  port: 'port',
  destPort: 'dest_port',
  sourcePort: 'source_port',
  icmpType: 'icmp_type',
  icmpCode: 'icmp_code',
  ipVersion: 'ip_version',
  via: 'via',
  direct: 'direct',
};

/** The question an intent asks (its service, IP version, source ports and paths), or why it is not one. */
export function intentQuestion(x: { port?: unknown; protocol?: unknown; destPort?: unknown; sourcePort?: unknown; icmpType?: unknown; icmpCode?: unknown; ipVersion?: unknown; via?: unknown; direct?: unknown }): Question | { key: string; error: string } {
  const q = parseQuestion({ protocol: x.protocol, port: x.port, destPort: x.destPort, sourcePort: x.sourcePort, icmpType: x.icmpType, icmpCode: x.icmpCode, ipVersion: x.ipVersion, via: x.via, direct: x.direct });
  return isQuestion(q) ? q : { key: QUESTION_KEYS[q.field], error: q.error };
}

/**
 * Intents handed to SGS042 through its options (`options.intents`): the loader's Intent objects.
 * Anything else (a hand-written option that does not parse) is left out rather than guessed at.
 */
export function intentsFromOptions(value: unknown): Intent[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (x): x is Intent =>
      typeof x === 'object' &&
      x !== null &&
      typeof x.name === 'string' &&
      (x.kind === 'deny' || x.kind === 'only') &&
      Array.isArray(x.from) &&
      Array.isArray(x.to) &&
      [...x.from, ...x.to].every((s: unknown) => typeof s === 'string' && typeof parseSelector(s) !== 'string') &&
      typeof parseService(x.port, x.protocol) !== 'string' &&
      !('error' in intentQuestion(x)),
  );
}
