import { ResourceRef, Unknown, type Value } from '../../model/value.js';
import { type EvalContext, type Expression, evaluate, isExpressionString } from './eval/index.js';

// Turning hcl2json's raw values into model Values: plain literals as they are, expression strings
// through the evaluator (their ASTs were parsed when the file was loaded).

export function evalRaw(raw: unknown, exprs: Map<string, Expression>, ctx: EvalContext): Value {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') {
    if (!isExpressionString(raw)) return raw;
    const expr = exprs.get(raw);
    if (!expr) return new Unknown(`cannot parse expression ${sourceText(raw)}`);
    try {
      return evaluate(expr, ctx);
    } catch (e) {
      const why = e instanceof RangeError ? 'nested too deeply to evaluate' : ((e as Error)?.message ?? String(e));
      return new Unknown(`cannot evaluate ${sourceText(raw)}: ${why}`);
    }
  }
  if (typeof raw === 'number' || typeof raw === 'boolean') return raw;
  if (Array.isArray(raw)) return raw.map((x) => evalRaw(x, exprs, ctx));
  if (typeof raw === 'object') {
    const out: { [k: string]: Value } = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      let key = k;
      if (isExpressionString(k)) {
        const kv = evalRaw(k, exprs, ctx);
        if (typeof kv === 'string' || typeof kv === 'number' || typeof kv === 'boolean') key = String(kv);
      }
      out[key] = evalRaw(v, exprs, ctx);
    }
    return out;
  }
  return new Unknown(`unsupported value ${String(raw)}`);
}

/** "${var.x}" -> "var.x" (for messages and readable fallbacks); templates are kept as written. */
export function sourceText(raw: string): string {
  const m = /^\$\{([\s\S]*)\}$/.exec(raw.trim());
  return m && !m[1].includes('${') ? m[1].trim() : raw;
}

/** A context that knows no names (tfvars and -var values are constants). */
export function constantContext(file: string): EvalContext {
  return { file, lookup: () => undefined };
}

/** Readable address of what a value names: a ResourceRef's resource, a literal, or the expression. */
export function addressOf(v: Value, raw: unknown): string {
  if (v instanceof ResourceRef) return v.address;
  if (typeof v === 'string') return v;
  if (typeof raw === 'string') return sourceText(raw);
  return v instanceof Unknown ? `unknown (${v})` : JSON.stringify(v);
}
