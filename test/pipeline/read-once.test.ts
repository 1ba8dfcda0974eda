import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planUnits, scanUnit } from '../../src/pipeline/units.js';

// Planning reads every .tf file for its module sources; the module's scan takes those bytes instead
// of reading the file again, with its own size limit, and gives the same model as a fresh read.

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sgscan-read-once-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
  writeFileSync(path.join(tmp, rel), text);
};
write('root/main.tf', 'module "m" {\n  source = "../mod"\n}\nresource "aws_security_group" "a" {\n  name = "a"\n}\n');
write('mod/main.tf', `resource "aws_security_group" "b" {\n  name        = "b"\n  description = "${'x'.repeat(2000)}"\n}\n`);

describe('files read once', () => {
  it('planning keeps the .tf bytes it read; the scan takes them, and its model is a fresh read\'s', async () => {
    const plan = await planUnits({ paths: [tmp], cwd: tmp });
    expect([...plan.reads.keys()].map((k) => path.relative(tmp, k)).sort()).toEqual(['mod/main.tf', 'root/main.tf']);
    const [task] = plan.tasks;
    const taken = await scanUnit(task, plan.settings, undefined, plan.reads);
    expect(plan.reads.size).toBe(0);
    const fresh = await scanUnit(task, plan.settings);
    expect(JSON.stringify(taken)).toBe(JSON.stringify(fresh));
    expect(taken.groups.map((g) => g.location.file).sort()).toEqual(['mod/main.tf', 'root/main.tf']);
  });

  it('the scan\'s size limit applies to bytes planning kept', async () => {
    const plan = await planUnits({ paths: [tmp], cwd: tmp, maxFileBytes: 1000 });
    const taken = await scanUnit(plan.tasks[0], plan.settings, undefined, plan.reads);
    const fresh = await scanUnit(plan.tasks[0], plan.settings);
    expect(taken.errors.map((e) => e.file)).toEqual(['mod/main.tf']);
    expect(JSON.stringify(taken)).toBe(JSON.stringify(fresh));
  });
});
