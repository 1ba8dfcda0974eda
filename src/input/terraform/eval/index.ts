// Terraform expression evaluator: the contract between the Terraform front end and the evaluator.
//
// hcl2json gives each attribute as JSON in which expressions appear as template strings
// ("${var.x}", "web-${local.env}"). The front end hands those strings to `parseExpression` (async
// in the contract; parsing itself is synchronous here), keeps the AST, and later evaluates it with
// `evaluate` (synchronous), supplying names through an EvalContext. Unknown values propagate.
import { Unknown, type Value } from '../../../model/value.js';
import type { Node } from './ast.js';
import { Evaluator } from './evaluator.js';
import type { FileReader } from './files.js';
import { ParseError, parseBareExpression, parseRenderedTemplate } from './parser.js';
import { EvalError, LimitError, UnknownSignal } from './values.js';

export { FUNCTION_NAMES } from './functions.js';
export type { FileReader } from './files.js';
export { MAX_ELEMENTS, isSetValue } from './values.js';
export { toSet } from './functions.js';

/** Parsed expression; opaque to the front end. */
export interface Expression {
  /** The text as given (for messages: "var.admin_cidr"). */
  source: string;
  /** Implementation detail of the evaluator. */
  ast: unknown;
}

export interface EvalContext {
  /**
   * Value of a reference root and its first attribute: ("var","admin_cidr"), ("local","ports"),
   * ("each","value"), ("count","index"), ("path","module"), ("module","web_sg") (an object of its
   * outputs), ("data", "aws_vpc") (usually unknown), ("aws_security_group","web") (the resource:
   * an object, a list for count, a map for for_each), and iterator names of `dynamic` blocks
   * ("ingress","value"). Return undefined for a name that does not exist (the evaluator then
   * yields an Unknown saying so). The evaluator applies any further attributes and indexes itself.
   * A root used without an attribute (`each` alone) is asked for with name "".
   */
  lookup(root: string, name: string): Value | undefined;
  /** File the expression came from, for messages. */
  file: string;
  /** Reads the files file() and templatefile() name; absent: their results are unknown. */
  readonly files?: FileReader;
}

/** True when a string from hcl2json holds an expression or template rather than a plain literal. */
export function isExpressionString(s: string): boolean {
  return s.includes('${') || s.includes('%{');
}

/** Parse a string as hcl2json rendered it, synchronously. Never throws: bad text becomes an error node. */
export function parseExpressionSync(file: string, source: string): Expression {
  return { source, ast: parseToNode(file, source, parseRenderedTemplate) };
}

/** An expression whose tree the HCL parser already built (hcl/syntax.ts): `source` is not parsed again. */
export function parsedExpression(source: string, ast: Node): Expression {
  return { source, ast };
}

/** Parse plain HCL expression syntax ("var.x + 1", not a template). Never throws. */
export function parseBareExpressionSync(file: string, source: string): Expression {
  return { source, ast: parseToNode(file, source, parseBareExpression) };
}

function parseToNode(file: string, source: string, parse: (s: string) => Node): Node {
  try {
    return parse(source);
  } catch (e) {
    const msg = e instanceof ParseError ? e.message : e instanceof Error ? e.message : String(e);
    return { k: 'err', msg: `${file}: cannot parse expression ${JSON.stringify(clip(source))}: ${msg}` };
  }
}

function clip(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** Parse one expression/template string as hcl2json rendered it ("${var.x}" or "a-${b}"). */
export async function parseExpression(file: string, source: string): Promise<Expression> {
  return parseExpressionSync(file, source);
}

/** A parser that remembers ASTs by source text, for front ends that see the same strings often. */
export interface ExpressionParser {
  parse(file: string, source: string): Expression;
}

export function createExpressionParser(maxEntries = 10_000): ExpressionParser {
  const cache = new Map<string, Node>();
  return {
    parse(file, source) {
      let ast = cache.get(source);
      if (ast === undefined) {
        ast = parseToNode(file, source, parseRenderedTemplate);
        // Parse errors name the file, so they are not shared between files.
        if (ast.k !== 'err' && cache.size < maxEntries) cache.set(source, ast);
      }
      return { source, ast };
    },
  };
}

function isNode(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && typeof (x as { k?: unknown }).k === 'string';
}

/** Evaluate a parsed expression. Never throws: anything it cannot compute becomes an Unknown. */
export function evaluate(expr: Expression, ctx: EvalContext): Value {
  if (!isNode(expr.ast)) return new Unknown(`expression ${expr.source} was not parsed`);
  const safeCtx = {
    files: ctx.files,
    lookup(root: string, name: string): Value | undefined {
      try {
        return ctx.lookup(root, name);
      } catch (e) {
        return new Unknown(`lookup of ${root}.${name} failed: ${failure(e)}`);
      }
    },
  };
  try {
    return new Evaluator(safeCtx).eval(expr.ast);
  } catch (e) {
    if (e instanceof UnknownSignal) return e.unknown;
    if (e instanceof EvalError || e instanceof LimitError) return new Unknown(`${ctx.file}: ${e.message} in ${clip(expr.source)}`);
    // Anything else (e.g. a stack overflow on pathological input) is still an Unknown, not a crash.
    return new Unknown(`${ctx.file}: cannot evaluate ${clip(expr.source)}: ${failure(e)}`);
  }
}

/** Why an evaluation failed, in a reader's words: never the engine's "Maximum call stack size exceeded". */
function failure(e: unknown): string {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'nested too deeply to evaluate';
  return e instanceof Error ? e.message : String(e);
}
