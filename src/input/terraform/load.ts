import type { SourceFile } from '../../model/source-file.js';
import { type ReadOnce, readSource } from '../read.js';
import type { ScanError } from '../../model/model.js';
import { mayHoldDirective } from '../../model/directive.js';
import type { Node } from './eval/ast.js';
import { type Expression, isExpressionString, parseExpressionSync, parsedExpression } from './eval/index.js';
import { parseHclFile } from './hcl/index.js';
import { type BodyPos, JsonPositionError, locateJson, scanJsonPositions } from './locate.js';
import { positionsOf } from './positions.js';

// Reading and parsing one Terraform file: one parse for the values, the lines (positions.ts) and the
// expressions (a `.tf` file's parse builds their trees; a `.tf.json` file's strings are parsed here).

/** Raw hcl2json-shaped content: blocks as `{ type: { label: [body, ...] } }`, expressions as "${...}". */
export type RawBody = Record<string, unknown>;

export interface ParsedFile {
  /** Path as shown to users. */
  path: string;
  abs: string;
  json: boolean;
  body: RawBody;
  pos: BodyPos;
  /** Parsed expressions by their source string. */
  exprs: Map<string, Expression>;
  /** The text says "sgscan" (it may hold an inline suppression). */
  marked: boolean;
}

export type LoadResult = { ok: true; file: ParsedFile } | { ok: false; error: ScanError };

export function isJsonFile(path: string): boolean {
  return path.toLowerCase().endsWith('.json');
}

/** Read and parse one `.tf`, `.tf.json`, `.tfvars` or `.tfvars.json` file. Never throws. */
export async function loadFile(file: SourceFile, maxBytes?: number, once?: ReadOnce): Promise<LoadResult> {
  const read = await readSource(file, maxBytes, once);
  if (!read.ok) return { ok: false, error: read.error };
  return parseText(file, read.text);
}

export async function parseText(file: SourceFile, rawText: string): Promise<LoadResult> {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  try {
    let body: RawBody;
    let pos: BodyPos;
    let exprs: Map<string, Expression>;
    const json = isJsonFile(file.path);
    if (json) {
      try {
        pos = locateJson(scanJsonPositions(text));
      } catch (e) {
        const line = e instanceof JsonPositionError ? e.line : undefined;
        return { ok: false, error: { file: file.path, line, message: `invalid JSON: ${(e as Error).message}` } };
      }
      const value: unknown = JSON.parse(text);
      if (!isRecord(value)) return { ok: false, error: { file: file.path, line: 1, message: 'expected a JSON object at the top level' } };
      body = file.path.toLowerCase().endsWith('.tfvars.json') ? value : normalizeJsonConfig(value);
      exprs = parseExpressions(file.path, body);
    } else {
      // CRLF is normalized so offsets and lines agree; the positions come from the same parse.
      const normalized = text.replace(/\r\n/g, '\n');
      const parsed = parseHclFile(file.path, normalized);
      body = parsed.value as RawBody;
      pos = positionsOf(parsed.syntax, normalized, parsed.lines);
      exprs = expressionsOf(file.path, parsed.expressions);
    }
    return { ok: true, file: { path: file.path, abs: file.abs, json, body, pos, exprs, marked: mayHoldDirective(text) } };
  } catch (e) {
    return { ok: false, error: hclError(file.path, e) };
  }
}

/** Turn hcl2json's `parse config: [file:L,C-C: Summary; Detail. file:...]` into a ScanError. */
export function hclError(path: string, e: unknown): ScanError {
  const text = e instanceof Error ? e.message : String(e);
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const diag = new RegExp(`${escaped}:(\\d+),[\\d,-]+: `, 'g');
  const found = [...text.matchAll(diag)];
  if (found.length === 0) return { file: path, message: `cannot parse: ${text.replace(/^parse config: /, '')}` };
  const first = found[0];
  const start = first.index! + first[0].length;
  const end = found.length > 1 ? found[1].index! : text.lastIndexOf(']') > start ? text.lastIndexOf(']') : text.length;
  const body = text.slice(start, end).trim();
  const [summary, ...rest] = body.split('; ');
  const detail = rest.join('; ').trim();
  return { file: path, line: Number(first[1]), message: `HCL syntax error: ${summary}${detail ? ` (${detail.replace(/\.$/, '')})` : ''}` };
}

/** Parse every expression string (values and object keys) of a raw tree (JSON syntax: strings are all there is). */
export function parseExpressions(file: string, root: unknown): Map<string, Expression> {
  const out = new Map<string, Expression>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (isExpressionString(v) && !out.has(v)) out.set(v, parseExpressionSync(file, v));
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (isRecord(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (isExpressionString(k) && !out.has(k)) out.set(k, parseExpressionSync(file, k));
        walk(x);
      }
    }
  };
  walk(root);
  return out;
}

/** A `.tf` file's expression strings: the trees its parse built, the rest parsed from the string. */
export function expressionsOf(file: string, found: ReadonlyMap<string, Node | undefined>): Map<string, Expression> {
  const out = new Map<string, Expression>();
  for (const [s, node] of found) out.set(s, node ? parsedExpression(s, node) : parseExpressionSync(file, s));
  return out;
}

const JSON_LABELS: Record<string, number> = { resource: 2, data: 2, module: 1, variable: 1, output: 1, provider: 1, locals: 0, terraform: 0 };

/** Bring Terraform's JSON syntax into hcl2json's shape (every block body wrapped in an array). */
function normalizeJsonConfig(value: Record<string, unknown>): RawBody {
  const out: RawBody = {};
  for (const [key, v] of Object.entries(value)) {
    const depth = JSON_LABELS[key];
    if (depth === undefined) continue;
    out[key] = wrap(v, depth);
  }
  return out;
}

function wrap(v: unknown, depth: number): unknown {
  if (depth === 0) return Array.isArray(v) ? v : [v];
  if (!isRecord(v)) return {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wrap(x, depth - 1)]));
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
