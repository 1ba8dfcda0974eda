import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderSarif } from '../report/sarif.js';
import { renderText } from '../report/text.js';
import type { ScanResult } from '../report/types.js';
import { lineReader } from '../load/lines.js';

export const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export function renderReport(result: ScanResult, format: Format, opts: { color: boolean; cwd: string; includeSuppressed?: boolean }): string {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'sarif':
      return renderSarif(result, { includeSuppressed: opts.includeSuppressed });
    case 'markdown':
      return renderMarkdown(result, {});
    case 'text':
      return renderText(result, { color: opts.color, readLines: lineReader(opts.cwd) });
  }
}
