import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/reports.md shows the demo's real output; scripts/gen-reports-doc.mjs (part of `npm run docs`) writes it.
const ROOT = path.resolve(__dirname, '../..');

describe('docs/reports.md', () => {
  it('shows the current text and Markdown reports of the demo', async () => {
    const { demoOutput, renderPage } = await import(path.join(ROOT, 'scripts/gen-reports-doc.mjs'));
    const page = readFileSync(path.join(ROOT, 'docs/reports.md'), 'utf8');
    expect(renderPage(page, demoOutput('text'), demoOutput('markdown')), 'run `npm run docs` and commit docs/reports.md').toBe(page);
  }, 60_000);
});
