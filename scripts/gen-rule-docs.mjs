#!/usr/bin/env node
// Writes docs/rules/ from the check metadata (run `npm run build` first): one page per check and
// README.md, the catalog; docs/peers.md from data/peer-checks.json; and the check counts the top-level README.md states (scripts/readme-counts.mjs).
// test/cli/rule-docs.test.ts fails when the committed pages or counts are stale.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stampCheckCount } from './readme-counts.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { ALL_CHECKS } = await import(path.join(root, 'out/rules/index.js'));
const { inPreset } = await import(path.join(root, 'out/src/config/presets.js'));
const { renderRuleCatalog, renderRuleDoc, ruleDocFileName } = await import(path.join(root, 'out/src/cli/rule-docs.js'));
const { catalogProblems, renderPeersDoc } = await import(path.join(root, 'out/src/cli/peers-doc.js'));
const dir = path.join(root, 'docs', 'rules');
mkdirSync(dir, { recursive: true });
for (const f of readdirSync(dir)) if (f.endsWith('.md')) rmSync(path.join(dir, f));
for (const c of ALL_CHECKS) writeFileSync(path.join(dir, ruleDocFileName(c)), renderRuleDoc(c, ALL_CHECKS));
writeFileSync(path.join(dir, 'README.md'), renderRuleCatalog(ALL_CHECKS));
process.stdout.write(`wrote ${ALL_CHECKS.length + 1} pages to docs/rules/\n`);
// docs/peers.md: the peer checks of data/peer-checks.json against the checks' equivalents.
const peers = JSON.parse(readFileSync(path.join(root, 'data/peer-checks.json'), 'utf8'));
const problems = catalogProblems(ALL_CHECKS, peers);
if (problems.length) {
  process.stderr.write(`data/peer-checks.json and the checks' equivalents disagree:\n${problems.map((p) => `  ${p}\n`).join('')}`);
  process.exitCode = 1;
}
writeFileSync(path.join(root, 'docs', 'peers.md'), renderPeersDoc(ALL_CHECKS, peers));
const planned = Object.values(peers.notCovered).filter((r) => r.startsWith('PENDING strict18:')).length;
process.stdout.write(`wrote docs/peers.md: ${peers.checks.length} peer checks (${planned} planned on strict18)\n`);
const readme = path.join(root, 'README.md');
const recommended = ALL_CHECKS.filter((c) => inPreset(c.meta, 'recommended')).length;
writeFileSync(readme, stampCheckCount(readFileSync(readme, 'utf8'), ALL_CHECKS.length, recommended));
process.stdout.write(`README.md states ${ALL_CHECKS.length} checks (${recommended} in a default scan)\n`);
