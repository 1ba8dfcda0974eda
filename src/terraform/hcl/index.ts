// Native HCL parsing for Terraform files: the same JSON as @cdktf/hcl2json's `parse`, without WASM.
import { convertFile, HclConvertError, type JsonValue } from './convert.js';
import { type Body, HclSyntaxError, parseConfig } from './syntax.js';

export type { Body, Block, Attribute, Expr, Range } from './syntax.js';
export { HclSyntaxError } from './syntax.js';

/**
 * Parse one `.tf` file into hcl2json's shape. Throws an Error whose message has hcl2json's form,
 * `parse config: [FILE:LINE,COL-COL: Summary; Detail]`, so existing error handling reads its line.
 */
export function parseHcl(filename: string, text: string): Record<string, JsonValue> {
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
    return convertFile(body, text);
  } catch (e) {
    if (e instanceof HclConvertError) {
      const at = e.where ? `${filename}:${lines.range(e.where.start, e.where.end)}: ` : '';
      throw new Error(`convert to HCL: convert file: convert body: ${at}${e.message}`);
    }
    throw e;
  }
}

/** Parse into the syntax tree (blocks, attributes, expression ranges) without converting. */
export function parseHclBody(text: string): Body {
  return parseConfig(text);
}

/** Offsets to 1-based line and column (columns count code points, as hcl's count characters). */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  column(offset: number): number {
    const start = this.starts[this.line(offset) - 1];
    return [...this.text.slice(start, offset)].length + 1;
  }

  /** hcl's range notation: `L,C-C` on one line, `L,C-L2,C2` across lines. */
  range(start: number, end: number): string {
    const l1 = this.line(start);
    const l2 = this.line(end);
    return l1 === l2 ? `${l1},${this.column(start)}-${this.column(end)}` : `${l1},${this.column(start)}-${l2},${this.column(end)}`;
  }
}
