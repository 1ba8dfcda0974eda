import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { scan } from '../../src/pipeline/scan.js';
import { planUnits, scanUnit, unitCache } from '../../src/pipeline/units.js';

// A local module that several root modules call (examples/a and examples/b calling ../../) is parsed
// once per scan, not once per caller; the roots' models are the same as with a parse each.

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sgscan-shared-modules-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, text: string) {
  const file = path.join(tmp, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

write('repo/main.tf', 'variable "cidr" {}\nresource "aws_security_group" "web" {\n  name = "web"\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [var.cidr]\n  }\n}\n');
write('repo/outputs.tf', 'output "id" {\n  value = aws_security_group.web.id\n}\n');
write('repo/examples/a/main.tf', 'module "sg" {\n  source = "../../"\n  cidr   = "0.0.0.0/0"\n}\n');
write('repo/examples/b/main.tf', '# module in a comment\nmodule "sg" {\n  source = "../.."\n  cidr   = "10.0.0.0/8"\n}\n');
write('other/main.tf', 'resource "aws_security_group" "x" {\n  name = "x"\n}\n');

describe('local modules shared by root modules', () => {
  it('are named in the plan: only the folders two or more evaluated roots reach', async () => {
    const plan = await planUnits({ paths: [tmp], cwd: tmp });
    expect(plan.tasks.filter((t) => t.kind === 'terraform').map((t) => (t.kind === 'terraform' ? t.scope : ''))).toEqual(['other', 'repo/examples/a', 'repo/examples/b']);
    expect(plan.settings.sharedModules).toEqual([path.join(tmp, 'repo')]);
  });

  it('are parsed once for all their callers, and the callers read the same values as from their own parse', async () => {
    const plan = await planUnits({ paths: [tmp], cwd: tmp });
    const shared = unitCache(plan.settings)!;
    const withCache = [];
    const alone = [];
    for (const task of plan.tasks) {
      withCache.push(await scanUnit(task, plan.settings, shared));
      alone.push(await scanUnit(task, plan.settings));
    }
    // The module's two files, each parsed once; the roots' own files are not kept.
    expect([...shared.parsed.keys()].map((k) => k.split('\0')[1]).sort()).toEqual(['repo/main.tf', 'repo/outputs.tf']);
    expect(JSON.stringify(withCache)).toBe(JSON.stringify(alone));
    // Both callers' rules, from the one parse, at the module's line.
    const rules = withCache.flatMap((m) => m.rules).map((r) => `${r.scope} ${r.location.file}:${r.location.line}`);
    expect(rules).toEqual(['repo/examples/a repo/main.tf:4', 'repo/examples/b repo/main.tf:4']);
  });

  it('leave the scan as it was: the world-open SSH rule reported once, for the caller that opens it', async () => {
    const { result } = await scan({ paths: [tmp], cwd: tmp, checks: ALL_CHECKS, version: 't' });
    const ssh = result.findings.filter((f) => f.ruleId === 'SGS001');
    expect(ssh.map((f) => `${f.file}:${f.line}`)).toEqual(['repo/main.tf:4']);
  });

  it('are none when no folder is called by two roots', async () => {
    const plan = await planUnits({ paths: [path.join(tmp, 'repo/examples/a'), path.join(tmp, 'other')], cwd: tmp });
    expect(plan.settings.sharedModules).toEqual([]);
    expect(unitCache(plan.settings)).toBeUndefined();
  });
});
