// AST of Terraform (HCL native syntax) expressions, as produced by ./parser.ts.
import type { Value } from '../../../model/value.js';

export type Node =
  | { k: 'lit'; v: Value }
  /** A template with literal parts and interpolations; always yields a string. */
  | { k: 'tmpl'; parts: Node[] }
  /** A template that is a single interpolation ("${x}"): yields x unconverted. */
  | { k: 'wrap'; e: Node }
  /** Root name of a traversal (var, local, each, a for variable, a resource type). */
  | { k: 'name'; name: string }
  | { k: 'attr'; o: Node; name: string }
  | { k: 'index'; o: Node; key: Node }
  /** `o[*].each` / `o.*.each`; `each` refers to the element through an `anon` node. */
  | { k: 'splat'; o: Node; each: Node }
  | { k: 'anon' }
  | { k: 'call'; name: string; args: Node[]; expand: boolean }
  | { k: 'tuple'; items: Node[] }
  | { k: 'object'; items: [Node, Node][] }
  | {
      k: 'for';
      obj: boolean;
      keyVar: string | null;
      valVar: string;
      coll: Node;
      keyE: Node | null;
      valE: Node;
      cond: Node | null;
      group: boolean;
    }
  | { k: 'cond'; c: Node; t: Node; f: Node }
  | { k: 'bin'; op: BinaryOp; l: Node; r: Node }
  | { k: 'un'; op: '-' | '!'; e: Node }
  /** Template directives %{if}...%{else}...%{endif} and %{for}...%{endfor}. */
  | { k: 'tif'; c: Node; t: Node; f: Node | null }
  | { k: 'tfor'; keyVar: string | null; valVar: string; coll: Node; body: Node }
  /** Text that could not be parsed; evaluates to an Unknown carrying the message. */
  | { k: 'err'; msg: string };

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';
