// Terraform expression evaluator: the contract between the Terraform front end and the evaluator.
//
// hcl2json gives each attribute as JSON in which expressions appear as template strings
// ("${var.x}", "web-${local.env}"). The front end hands those strings to `parseExpression` (async,
// because @cdktf/hcl2json's getExpressionAst is), keeps the AST, and later evaluates it with
// `evaluate` (synchronous), supplying names through an EvalContext. Unknown values propagate.
import { Unknown, type Value } from '../../model/value.js';

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
   */
  lookup(root: string, name: string): Value | undefined;
  /** File the expression came from, for messages. */
  file: string;
}

/** True when a string from hcl2json holds an expression or template rather than a plain literal. */
export function isExpressionString(s: string): boolean {
  return s.includes('${') || s.includes('%{');
}

/** Parse one expression/template string as hcl2json rendered it ("${var.x}" or "a-${b}"). */
export async function parseExpression(file: string, source: string): Promise<Expression> {
  void file;
  return { source, ast: null };
}

/** Evaluate a parsed expression. Never throws: anything it cannot compute becomes an Unknown. */
export function evaluate(expr: Expression, ctx: EvalContext): Value {
  void ctx;
  return new Unknown(`expression ${expr.source} is not evaluated`);
}
