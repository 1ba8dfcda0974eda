import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderSarif } from '../report/sarif.js';
import { renderText } from '../report/text.js';
import type { ScanResult } from '../report/types.js';
import { lineReader } from '../load/lines.js';

import type { Format } from './formats.js';
export { FORMATS, type Format } from './formats.js';

export function renderReport(result: ScanResult, format: Format, opts: { color: boolean; cwd: string; includeSuppressed?: boolean; category?: string }): string {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'sarif':
      return renderSarif(result, { includeSuppressed: opts.includeSuppressed, category: opts.category });
    case 'markdown':
      return renderMarkdown(result, {});
    case 'text':
      return renderText(result, { color: opts.color, readLines: lineReader(opts.cwd) });
  }
}
