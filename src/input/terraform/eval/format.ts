// Terraform's format() verbs (a subset of Go's fmt as documented for Terraform).
import { ResourceRef, Unknown, type Value } from '../../../model/value.js';
import { EvalError, UnknownSignal, formatNumber, jsonEncode, refUnknown, toBool, toNum, toStr } from './values.js';

const VERB_RE = /%(\[\d+\])?([-+# 0]*)(\d+|\*)?(?:\.(\d+))?([a-zA-Z%])/g;

export function formatValue(fmt: string, args: Value[]): string {
  let next = 0;
  const out = fmt.replace(VERB_RE, (_m, argIndex: string | undefined, flags: string, width?: string, prec?: string, verb?: string) => {
    if (verb === '%') return '%';
    if (argIndex) next = Number(argIndex.slice(1, -1)) - 1;
    if (next >= args.length || next < 0) throw new EvalError(`not enough arguments for format string "${fmt}"`);
    const v = args[next++];
    if (v instanceof Unknown) throw new UnknownSignal(v);
    if (v instanceof ResourceRef) throw new UnknownSignal(refUnknown(v));
    const body = verbBody(verb!, v, prec === undefined ? undefined : Number(prec), flags);
    const w = width && width !== '*' ? Math.min(Number(width), 10_000) : 0;
    if (body.length >= w) return body;
    if (flags.includes('-')) return body.padEnd(w);
    if (flags.includes('0') && /[dfeEgGxXob]/.test(verb!)) {
      const sign = /^[-+]/.test(body) ? body[0] : '';
      return sign + body.slice(sign.length).padStart(w - sign.length, '0');
    }
    return body.padStart(w);
  });
  return out;
}

function verbBody(verb: string, v: Value, prec: number | undefined, flags: string): string {
  const plus = (n: number, s: string): string => (flags.includes('+') && n >= 0 ? `+${s}` : s);
  switch (verb) {
    case 's': {
      const s = toStr(v, 'format argument');
      return prec === undefined ? s : Array.from(s).slice(0, prec).join('');
    }
    case 'q':
      return JSON.stringify(toStr(v, 'format argument'));
    case 'v':
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return toStr(v);
      return jsonEncode(v);
    case 't':
      return String(toBool(v, 'format argument'));
    case 'd': {
      const n = toNum(v, 'format argument');
      if (!Number.isInteger(n)) throw new EvalError(`%d requires a whole number, got ${formatNumber(n)}`);
      return plus(n, formatNumber(n));
    }
    case 'f':
    case 'F': {
      const n = toNum(v, 'format argument');
      return plus(n, n.toFixed(Math.min(prec ?? 6, 100)));
    }
    case 'e':
    case 'E': {
      const n = toNum(v, 'format argument');
      const s = n.toExponential(Math.min(prec ?? 6, 100)).replace(/e([+-])(\d)$/, 'e$10$2');
      return plus(n, verb === 'E' ? s.toUpperCase() : s);
    }
    case 'g':
    case 'G': {
      const n = toNum(v, 'format argument');
      return plus(n, prec === undefined ? formatNumber(n) : String(Number(n.toPrecision(Math.max(1, Math.min(prec, 100))))));
    }
    case 'x':
    case 'X':
    case 'o':
    case 'b': {
      if (typeof v === 'string' && (verb === 'x' || verb === 'X')) {
        const hex = Buffer.from(v, 'utf8').toString('hex');
        return verb === 'X' ? hex.toUpperCase() : hex;
      }
      const n = toNum(v, 'format argument');
      if (!Number.isInteger(n)) throw new EvalError(`%${verb} requires a whole number`);
      const radix = verb === 'o' ? 8 : verb === 'b' ? 2 : 16;
      const s = n.toString(radix);
      return plus(n, verb === 'X' ? s.toUpperCase() : s);
    }
    default:
      throw new EvalError(`unsupported format verb %${verb}`);
  }
}
