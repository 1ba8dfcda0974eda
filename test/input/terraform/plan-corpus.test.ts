import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedPath } from '../../helpers/shared.js';
import { describe, expect, it } from 'vitest';
import { scanTerraformPlan } from '../../../src/input/terraform/index.js';

// Real plan files from the shared corpus: they must scan without errors, with groups and rules.
const CORPUS = sharedPath('corpus', 'terraform');
const files = execFileSync('find', [CORPUS, '-name', '*plan*.json'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();

describe('corpus plan JSON', () => {
  it('finds the corpus plan files', () => {
    expect(files.length).toBeGreaterThanOrEqual(21);
  });
  for (const abs of files) {
    it(path.relative(CORPUS, abs), async () => {
      const rel = path.relative(process.cwd(), abs).split(path.sep).join('/');
      const m = await scanTerraformPlan({ abs, path: rel }, readFileSync(abs, 'utf8'));
      expect(m.errors).toEqual([]);
      // Every planned group instance is in the model; plans without groups still give network resources.
      const text = readFileSync(abs, 'utf8');
      expect(m.groups.length).toBe(plannedGroups(JSON.parse(text).planned_values?.root_module));
      if (m.groups.length === 0) expect(m.resources.length).toBeGreaterThan(0);
      else expect(m.rules.length).toBeGreaterThan(0);
      for (const x of [...m.groups, ...m.rules]) expect(x.location.line).toBeGreaterThan(0);
    });
  }
});

function plannedGroups(mod: { resources?: Array<{ type: string; mode: string }>; child_modules?: unknown[] } | undefined): number {
  if (!mod) return 0;
  const own = (mod.resources ?? []).filter((r) => r.mode === 'managed' && (r.type === 'aws_security_group' || r.type === 'aws_default_security_group')).length;
  return own + (mod.child_modules ?? []).reduce((n: number, c) => n + plannedGroups(c as typeof mod), 0);
}
