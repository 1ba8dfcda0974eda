import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { renderRuleCatalog, renderRuleDoc, ruleDocFileName } from '../../src/cli/rule-docs.js';

const DIR = path.resolve(__dirname, '../../docs/rules');
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
