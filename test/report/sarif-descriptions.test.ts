import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { buildSarif, fitDescription, MAX_DESCRIPTION } from '../../src/report/sarif.js';
import { scanResult } from './fixture.js';

// GitHub code scanning keeps at most 1,024 characters of a rule's short and full description.

describe("SARIF rule descriptions within GitHub's 1,024 characters", () => {
  it('holds for every registered check', () => {
    const rules = buildSarif(scanResult({ checks: ALL_CHECKS, findings: [] })).runs[0].tool.driver.rules!;
    expect(rules).toHaveLength(ALL_CHECKS.length);
    for (const r of rules) {
      expect(r.shortDescription!.text.length, r.id).toBeLessThanOrEqual(MAX_DESCRIPTION);
      expect(r.fullDescription!.text.length, r.id).toBeLessThanOrEqual(MAX_DESCRIPTION);
      // Nothing is lost: the help, shown in full, starts with the whole description.
      const meta = ALL_CHECKS.find((c) => c.meta.id === r.id)!.meta;
      expect(r.help!.markdown!.startsWith(meta.fullDescription.trim()), r.id).toBe(true);
    }
  });

  it('cuts after the last whole sentence that fits, or with an ellipsis', () => {
    expect(fitDescription('Short.', 10)).toBe('Short.');
    expect(fitDescription('One two. Three four five.', 20)).toBe('One two.');
    expect(fitDescription('a'.repeat(30), 10)).toBe(`${'a'.repeat(9)}…`);
  });
});
