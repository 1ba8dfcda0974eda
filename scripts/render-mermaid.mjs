#!/usr/bin/env node
// Renders the first ```mermaid block of a Markdown file to a PNG, the way GitHub would draw it, so a
// person can LOOK at the exposure diagram before it goes into the docs. Not run by tests or CI.
//
// How docs/img/demo-exposures.png was made:
//   apt-get update && apt-get install -y chromium        # Debian's headless browser
//   (cd /tmp && npm pack mermaid && tar xzf mermaid-*.tgz) # mermaid.min.js; NOT a project dependency
//   npm run build && node bin/sgscan.js scan fixtures/demo/terraform --format markdown > /tmp/demo.md
//   node scripts/render-mermaid.mjs /tmp/demo.md docs/img/demo-exposures.png /tmp/package/dist/mermaid.min.js
//
// Usage: node scripts/render-mermaid.mjs <report.md> <out.png> <mermaid.min.js> [width] [height]
// The page loads nothing from the network: mermaid is inlined, and chromium runs with its background
// networking off. Chromium's --screenshot captures the window, so pick a size that fits the diagram.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [input, output, mermaidJs, width = '1400', height = '900'] = process.argv.slice(2);
if (!input || !output || !mermaidJs) {
  console.error('usage: node scripts/render-mermaid.mjs <report.md> <out.png> <mermaid.min.js> [width] [height]');
  process.exit(2);
}

const markdown = readFileSync(input, 'utf8');
const block = /```mermaid\n([\s\S]*?)\n```/.exec(markdown);
if (!block) {
  console.error(`${input}: no \`\`\`mermaid block`);
  process.exit(1);
}

// The diagram source goes into a <pre class="mermaid"> as text, HTML-escaped, exactly as GitHub hands
// it to Mermaid; securityLevel "strict" is GitHub's setting too.
const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const page = `<!doctype html>
<html><head><meta charset="utf-8"><style>
  body { margin: 16px; background: #ffffff; font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
  #status { font: 12px monospace; color: #57606a; }
</style></head><body>
<pre class="mermaid">${escapeHtml(block[1])}</pre>
<div id="status">rendering…</div>
<script>${readFileSync(mermaidJs, 'utf8')}</script>
<script>
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });
  mermaid.run({ querySelector: '.mermaid' })
    .then(() => { document.getElementById('status').textContent = ''; })
    .catch((e) => { document.getElementById('status').textContent = 'MERMAID ERROR: ' + e.message; });
</script>
</body></html>`;

const dir = mkdtempSync(path.join(tmpdir(), 'render-mermaid-'));
try {
  const html = path.join(dir, 'page.html');
  writeFileSync(html, page);
  execFileSync('chromium', [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', `--user-data-dir=${path.join(dir, 'profile')}`, '--hide-scrollbars',
    '--virtual-time-budget=5000', `--screenshot=${path.resolve(output)}`, `--window-size=${width},${height}`,
    `file://${html}`,
  ], { stdio: 'inherit' });
  console.log(`wrote ${output}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
