import type { FindingsDiff } from '../pipeline/diff/diff.js';
import type { ScanResult } from '../model/scan-result.js';
import type { MarkdownOptions } from './options.js';
import { renderDiffMarkdown, renderDiffSarif, renderDiffText, type DiffWording } from './diff.js';
import type { Format } from './format-names.js';
import { renderGitlab } from './gitlab.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export { FORMATS, type Format } from './format-names.js';

// The one table of report formats: the CLI and the Action both render through it, so a new format is
// one entry here (and its module), never another switch statement.

export interface RenderOptions {
  color: boolean;
  /** Source lines for code frames (text reports). */
  readLines: (file: string) => string[] | undefined;
  includeSuppressed?: boolean;
  /** SARIF `automationDetails.id` category (shards, monorepo splits). */
  category?: string;
  /** Pull-request mode: findings marked new / unchanged against a base. */
  diff?: FindingsDiff;
  /** Pull-request mode: who introduces the change ("This PR"). */
  wording?: DiffWording;
  /** Markdown links and size limit (job summaries and PR comments). */
  markdown?: MarkdownOptions;
  /** Path from the repository root to the working folder, for formats whose paths are repository-relative. */
  pathPrefix?: string;
  /** Text: no code frames. */
  compact?: boolean;
  /** Text: the terminal's width, to wrap to (none: no wrapping). */
  width?: number;
}

export interface ReportFormat {
  /** File extension for reports written beside each other (the Action's report files). */
  extension: string;
  render(result: ScanResult, o: RenderOptions): string;
}

export const REPORT_FORMATS: Record<Format, ReportFormat> = {
  text: {
    extension: 'txt',
    render: (r, o) => {
      const text = { color: o.color, readLines: o.compact ? undefined : o.readLines, width: o.width };
      return o.diff ? renderDiffText(r, o.diff, text, o.wording) : renderText(r, text);
    },
  },
  json: { extension: 'json', render: (r, o) => renderJson(r, o.diff) },
  sarif: {
    extension: 'sarif',
    render: (r, o) => (o.diff ? renderDiffSarif(r, o.diff, { category: o.category, pathPrefix: o.pathPrefix }) : renderSarif(r, { includeSuppressed: o.includeSuppressed, category: o.category, pathPrefix: o.pathPrefix })),
  },
  // Test tabs (GitLab, Jenkins, Azure DevOps) and GitLab's code-quality widget. In pull-request mode
  // both show the whole result: GitLab compares code-quality reports with the target branch itself.
  junit: { extension: 'junit.xml', render: (r) => renderJunit(r) },
  gitlab: { extension: 'gitlab.json', render: (r, o) => renderGitlab(r, { pathPrefix: o.pathPrefix }) },
  markdown: { extension: 'md', render: (r, o) => (o.diff ? renderDiffMarkdown(r, o.diff, o.markdown, o.wording) : renderMarkdown(r, o.markdown)) },
};

export function renderReport(result: ScanResult, format: Format, o: RenderOptions): string {
  return REPORT_FORMATS[format].render(result, o);
}
