import { parseDocument } from 'yaml';
import { Unknown, isObject, type Value } from '../../../model/value.js';
import type { Node } from './ast.js';
import { ParseError, parseRenderedTemplate } from './parser.js';
import { EvalError, MAX_STRING, fromJson, toStr, type Obj } from './values.js';

// file(), templatefile() and yamldecode(): the functions that read what sits beside the code; and
// templatestring(), which renders a template held in a string the way templatefile() renders a file.
// Reading is the front end's job (it knows the scanned folder and the size limit); the evaluator
// only asks. Without a reader (a lone expression, a test), file reads stay unknown.

/** Reads a file named in the code: its text, or an Unknown saying why it was not read. */
export interface FileReader {
  read(path: string): string | Unknown;
}

/** What these functions need of the evaluator. */
export interface FileEvaluator {
  readonly files?: FileReader;
  /** Evaluate a parsed template with only `vars` in scope (templatefile's rule). */
  templateFile(ast: Node, vars: Obj): Value;
}

/** Nesting of templatefile() inside templates: Terraform forbids recursion, a bound is enough here. */
const MAX_TEMPLATE_DEPTH = 8;

export const FILE_FUNCTIONS: Record<string, (args: Value[], ev: FileEvaluator, depth: number) => Value> = {
  file: (a, ev) => {
    arity('file', a, 1);
    return read(ev, toStr(a[0], 'path'));
  },
  templatefile: (a, ev, depth) => {
    arity('templatefile', a, 2);
    const path = toStr(a[0], 'path');
    if (!isObject(a[1])) throw new EvalError('the template variables must be an object');
    if (depth >= MAX_TEMPLATE_DEPTH) throw new EvalError(`templates nested more than ${MAX_TEMPLATE_DEPTH} deep`);
    const text = read(ev, path);
    if (text instanceof Unknown) return text;
    return render(ev, text, a[1], `template ${path}`);
  },
  templatestring: (a, ev, depth) => {
    arity('templatestring', a, 2);
    const text = toStr(a[0], 'template');
    if (!isObject(a[1])) throw new EvalError('the template variables must be an object');
    if (depth >= MAX_TEMPLATE_DEPTH) throw new EvalError(`templates nested more than ${MAX_TEMPLATE_DEPTH} deep`);
    return render(ev, text, a[1], 'the template');
  },
  yamldecode: (a) => {
    arity('yamldecode', a, 1);
    return yamlDecode(toStr(a[0], 'argument'));
  },
};

function render(ev: FileEvaluator, text: string, vars: Obj, what: string): Value {
  let ast: Node;
  try {
    ast = parseRenderedTemplate(text);
  } catch (e) {
    throw new EvalError(`cannot parse ${what}: ${e instanceof ParseError || e instanceof Error ? e.message : String(e)}`);
  }
  return ev.templateFile(ast, vars);
}

function read(ev: FileEvaluator, path: string): string | Unknown {
  if (!ev.files) return new Unknown(`file ${JSON.stringify(path)} is not read here`);
  const text = ev.files.read(path);
  if (typeof text === 'string' && text.length > MAX_STRING) throw new EvalError(`file ${JSON.stringify(path)} is longer than ${MAX_STRING} characters`);
  return text;
}

/** The project's YAML library, with merge keys (as Terraform's decoder) and a bound on alias expansion. */
export function yamlDecode(text: string): Value {
  const doc = parseDocument(text, { merge: true, prettyErrors: false });
  if (doc.errors.length > 0) throw new EvalError(`invalid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new EvalError(`invalid YAML: ${e instanceof Error ? e.message : String(e)}`);
  }
  return fromJson(data ?? null);
}

function arity(name: string, args: Value[], n: number): void {
  if (args.length !== n) throw new EvalError(`${name}() takes ${n} argument(s), got ${args.length}`);
}
