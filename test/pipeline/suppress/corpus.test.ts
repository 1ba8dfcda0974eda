import { sharedPath } from '../../helpers/shared.js';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { ALL_CHECKS } from '../../../rules/index.js';
import { scanAndSuppress } from './helpers.js';

// Real-world inputs: suppressions must never throw, and a catch-all suppression must reach every finding.
const CORPUS = sharedPath('corpus');

describe(`corpus (${CORPUS})`, () => {
  it('applies inline and central suppressions over corpus files without throwing', async () => {
    const { config } = loadConfig('c.yml', { checks: ALL_CHECKS, text: 'suppressions:\n  - rule: "*"\n    path: "**"\n    reason: all\n' });
    const { findings, warnings, result } = await scanAndSuppress(
      // A few repositories keep the run short; scanning dominates, suppressing takes little.
      [
        `${CORPUS}/terraform/hashicorp__terraform-provider-aws`,
        `${CORPUS}/terraform/terraform-aws-modules__terraform-aws-alb`,
        `${CORPUS}/cloudformation/aws-quickstart__quickstart-linux-bastion`,
        `${CORPUS}/cloudformation/aws-samples__aws-refarch-wordpress`,
        `${CORPUS}/cloudformation/aws-samples__ecs-refarch-cloudformation`,
      ],
      config,
      { checks: ALL_CHECKS },
    );
    expect(findings.length).toBe(result.findings.length);
    expect(findings.length).toBeGreaterThan(10);
    expect(new Set(findings.map((f) => f.file.endsWith('.tf')))).toEqual(new Set([true, false]));
    // Real code has no sgscan directives, so every finding is suppressed by the catch-all entry.
    expect(findings.filter((f) => f.suppression?.kind !== 'config')).toEqual([]);
    for (const w of warnings) expect(w.line).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
