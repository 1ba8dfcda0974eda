#!/usr/bin/env node
// Rewrites the demo's real output in docs/reports.md (the text report block and the rendered
// Markdown report) from a scan of fixtures/demo (run `npm run build` first). test/docs/reports-doc.test.ts
// fails when the committed page is stale. `--check` prints nothing and exits 1 when it would change.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, 'docs/reports.md');

export function demoOutput(format) {
  const env = { ...process.env, NO_COLOR: '1', CI: '1', COLUMNS: '100' };
  delete env.FORCE_COLOR;
  try {
    return execFileSync(process.execPath, [path.join(root, 'bin/sgscan.js'), 'scan', 'fixtures/demo', '--format', format], { cwd: root, env, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  } catch (e) {
    // Exit 1: the demo has findings on purpose.
    if (e.status === 1 && e.stdout) return e.stdout.toString();
    throw e;
  }
}

export function renderPage(page, text, markdown) {
  const textStart = page.indexOf('```text\n', page.indexOf('## Terminal report')) + '```text\n'.length;
  const textEnd = page.indexOf('```\n', textStart);
  page = `${page.slice(0, textStart)}${text.trimEnd()}\n${page.slice(textEnd)}`;
  const mdStart = page.indexOf('---\n\n', page.indexOf('## Markdown report')) + '---\n\n'.length;
  const mdEnd = page.lastIndexOf('\n---');
  return `${page.slice(0, mdStart)}${markdown.trimEnd()}\n${page.slice(mdEnd)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const page = readFileSync(file, 'utf8');
  const next = renderPage(page, demoOutput('text'), demoOutput('markdown'));
  if (process.argv.includes('--check')) process.exit(next === page ? 0 : 1);
  writeFileSync(file, next);
  process.stdout.write('wrote docs/reports.md\n');
}
