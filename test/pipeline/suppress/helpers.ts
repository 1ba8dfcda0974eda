import { ALL_CHECKS } from '../../../rules/index.js';
import { lineReader } from '../../../src/input/lines.js';
import type { Finding } from '../../../src/model/check.js';
import type { SgscanConfig } from '../../../src/config/types.js';
import { scan } from '../../../src/pipeline/scan.js';
import { applySuppressions, type SuppressOptions } from '../../../src/pipeline/suppress.js';

export const CWD = process.cwd();

/** The checks these tests are about; other checks come and go without changing what is asserted. */
export const CHECKS = ALL_CHECKS.filter((c) => ['SGS001', 'SGS002', 'SGS003', 'SGS004', 'SGS005'].includes(c.meta.id));

/** Scan real fixture files and apply suppressions as the CLI would. */
export async function scanAndSuppress(paths: string[], config: SgscanConfig | undefined, opts: Partial<SuppressOptions> = {}) {
  const checks = opts.checks ?? CHECKS;
  // scan() applies suppressions itself; switch that off to get the raw findings under test.
  // Suppression is tested on each check's own findings, before folding (test/pipeline/fold.test.ts).
  const { model, result } = await scan({ paths, cwd: CWD, version: 'test', checks, inlineSuppressions: false, fold: false });
  const suppressed = applySuppressions(result.findings, model, config, {
    inline: true,
    readLines: lineReader(CWD),
    today: '2025-06-01',
    cwd: CWD,
    checks,
    catalog: ALL_CHECKS,
    ...opts,
  });
  return { model, result, ...suppressed };
}

/** "SGS001 main.tf:4 aws_security_group.web" plus how it is suppressed, for compact assertions. */
export function brief(f: Finding): string {
  const base = `${f.ruleId} ${f.file.split('/').slice(-2).join('/')}:${f.line} ${f.resource}`;
  return f.suppression ? `${base} [${f.suppression.kind}@${f.suppression.line}: ${f.suppression.reason}]` : base;
}
