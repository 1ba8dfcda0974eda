// The syntax tree of HCL native syntax, as src/input/terraform/hcl/syntax.ts builds it.
import type { Node } from '../eval/ast.js';

/** 0-based offsets into the text; `end` exclusive. */
export interface Range {
  start: number;
  end: number;
}

export type Expr = ExprShape & {
  /**
   * The evaluator's tree for the expression's source, as its parser would read it on its own;
   * absent where the two parsers might disagree (the evaluator then parses the string).
   */
  node?: Node;
  /** A quoted template, tuple or object whose node is built on demand (hcl/lexer.ts evalNode). */
  lazy?: boolean;
};

type ExprShape =
  | (Range & { kind: 'number'; text: string })
  | (Range & { kind: 'bool'; value: boolean })
  | (Range & { kind: 'null' })
  | (Range & { kind: 'template'; parts: TemplatePart[] })
  /** A template that is exactly one interpolation: "${x}". */
  | (Range & { kind: 'wrap'; inner: Expr })
  | (Range & { kind: 'tuple'; items: Expr[] })
  | (Range & { kind: 'object'; items: ObjectItem[] })
  | (Range & { kind: 'unary'; op: '-' | '!'; operand: Expr })
  /** `c ? t : f`: hcl2json renders it as an `%{if}` directive when it is part of a template. */
  | (Range & { kind: 'conditional'; cond: Expr; then: Expr; else: Expr })
  /** Scope traversal (`var.a`, `a[0]`, bare `true` as an object key): keys keep its source. */
  | (Range & { kind: 'traversal' })
  /** Anything else (calls, operators, conditionals, for, splat, parentheses...). */
  | (Range & { kind: 'other' });

export type TemplatePart =
  | (Range & { kind: 'literal'; value: string })
  | (Range & { kind: 'interp'; expr: Expr })
  | (Range & { kind: 'if'; cond: Expr; then: TemplatePart[]; else: TemplatePart[] })
  | (Range & { kind: 'for'; keyVar: string; valVar: string; coll: Expr; body: TemplatePart[] });

export interface ObjectItem {
  key: Expr;
  value: Expr;
  /** The key is written in parentheses: `(a) = 1` takes a's value, `a = 1` the name. */
  parenthesised?: boolean;
}

export interface Attribute extends Range {
  name: string;
  nameRange: Range;
  expr: Expr;
}

export interface Block extends Range {
  type: string;
  labels: string[];
  body: Body;
}

export interface Body extends Range {
  attributes: Attribute[];
  blocks: Block[];
}

/** A syntax error with its 0-based range; the caller renders it hcl2json's way. */
export class HclSyntaxError extends Error {
  constructor(
    readonly summary: string,
    readonly detail: string,
    readonly start: number,
    readonly end: number,
    /** Where an earlier definition is, for details that mention `{related}`. */
    readonly related?: Range,
  ) {
    super(`${summary}; ${detail}`);
  }
}

