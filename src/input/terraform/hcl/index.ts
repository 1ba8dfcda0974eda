// Native HCL parsing for Terraform files: the same JSON as @cdktf/hcl2json's `parse`, without WASM.
import { LineIndex } from '../../../model/line-index.js';
import { type Converted, convertFile, HclConvertError, type JsonValue } from './convert.js';
import { type Body, HclSyntaxError, parseConfig } from './syntax.js';

export type { Body, Block, Attribute, Expr, Range } from './syntax.js';
export { HclSyntaxError } from './syntax.js';

/**
 * Parse one `.tf` file into hcl2json's shape. Throws an Error whose message has hcl2json's form,
 * `parse config: [FILE:LINE,COL-COL: Summary; Detail]`, so existing error handling reads its line.
 */
export function parseHcl(filename: string, text: string): Record<string, JsonValue> {
  return parseHclFile(filename, text).value;
}

/**
 * parseHcl's value, its expression strings with the evaluator's nodes (see convert.ts), and the syntax
 * tree and line index it was read from (for positions).
 */
export function parseHclFile(filename: string, text: string): Converted & { syntax: Body; lines: LineIndex } {
  const lines = new LineIndex(text);
  let body: Body;
  try {
    body = parseConfig(text);
  } catch (e) {
    if (e instanceof HclSyntaxError) {
      const detail = e.related ? e.detail.replace('{related}', `${filename}:${lines.range(e.related.start, e.related.end)}`) : e.detail;
      throw new Error(`parse config: [${filename}:${lines.range(e.start, e.end)}: ${e.summary}; ${detail}]`);
    }
    if (e instanceof RangeError) throw new Error(`parse config: [${filename}:1,1-1: Nesting too deep; The file is nested too deeply to parse.]`);
    throw e;
  }
  try {
    return { ...convertFile(body, text), syntax: body, lines };
  } catch (e) {
    if (e instanceof HclConvertError) {
      const at = e.where ? `${filename}:${lines.range(e.where.start, e.where.end)}: ` : '';
      throw new Error(`convert to HCL: convert file: convert body: ${at}${e.message}`);
    }
    throw e;
  }
}

export { LineIndex };
