import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { inPreset } from '../../src/config/presets.js';
import { renderRuleCatalog, renderRuleDoc, ruleDocFileName } from '../../src/cli/rule-docs.js';

const ROOT = path.resolve(__dirname, '../..');
const DIR = path.join(ROOT, 'docs/rules');
const HINT = 'run `npm run build && node scripts/gen-rule-docs.mjs` and commit docs/rules/';

describe('docs/rules is generated from the check metadata', () => {
  it('has one up-to-date page per check and nothing else', () => {
    const expected = new Set([...ALL_CHECKS.map(ruleDocFileName), 'README.md']);
    expect(new Set(readdirSync(DIR).filter((f) => f.endsWith('.md'))), HINT).toEqual(expected);
    for (const c of ALL_CHECKS) {
      const file = path.join(DIR, ruleDocFileName(c));
      expect(existsSync(file) && readFileSync(file, 'utf8') === renderRuleDoc(c, ALL_CHECKS), `${file} is stale: ${HINT}`).toBe(true);
    }
    expect(readFileSync(path.join(DIR, 'README.md'), 'utf8') === renderRuleCatalog(ALL_CHECKS), `catalog is stale: ${HINT}`).toBe(true);
  });

  it('every page has the remediation in both formats and at least one reference', () => {
    for (const c of ALL_CHECKS) {
      const page = renderRuleDoc(c, ALL_CHECKS);
      expect(page, c.meta.id).toContain('## How to fix it');
      expect(c.meta.references.length, `${c.meta.id} references`).toBeGreaterThan(0);
    }
  });
});

describe("README.md's check counts are generated (scripts/readme-counts.mjs, part of `npm run docs`)", () => {
  it('states the number of registered checks', async () => {
    const { stampCheckCount } = await import(path.join(ROOT, 'scripts/readme-counts.mjs'));
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`(${ALL_CHECKS.length} checks, each with`);
    // The demo's summary line counts the checks a default scan runs: the recommended preset.
    const recommended = ALL_CHECKS.filter((c) => inPreset(c.meta, 'recommended')).length;
    expect(recommended).toBeLessThan(ALL_CHECKS.length);
    expect(stampCheckCount(readme, ALL_CHECKS.length, recommended), 'run `npm run docs` and commit README.md').toBe(readme);
  });

  it('rewrites every stated count, and refuses a README that no longer states one', async () => {
    const { stampCheckCount } = await import(path.join(ROOT, 'scripts/readme-counts.mjs'));
    const text = 'NACL mistakes (33 checks, each with a fix);\n  5 files scanned · 13 rules · 33 checks\n';
    expect(stampCheckCount(text, 34)).toBe('NACL mistakes (34 checks, each with a fix);\n  5 files scanned · 13 rules · 34 checks\n');
    expect(stampCheckCount(text, 40, 34)).toBe('NACL mistakes (40 checks, each with a fix);\n  5 files scanned · 13 rules · 34 checks\n');
    expect(() => stampCheckCount('no count here\n', 34)).toThrow(/no longer states a check count/);
  });
});
