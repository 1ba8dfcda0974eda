import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline/scan.js';
import { moduleOwner, planDocumentShard, planTerraformShard, shardOf, type Shard } from '../../src/pipeline/shard.js';
import { renderJson } from '../../src/report/json.js';
import type { ScanResult } from '../../src/model/scan-result.js';
import { ALL_CHECKS } from '../../rules/index.js';

const REPO = path.resolve(__dirname, '../..');
// Three root modules sharing local modules across shards, three templates sharing a nested stack, and
// two templates on their own (fixtures/shard/README.md).
const FIXTURE = 'fixtures/shard';

async function run(shard?: Shard): Promise<ScanResult> {
  return (await scan({ checks: ALL_CHECKS, paths: [FIXTURE], cwd: REPO, version: 'test', today: '2025-01-01', shard })).result;
}

/** The JSON report's findings: every field a user sees. */
const reported = (r: ScanResult) => JSON.parse(renderJson(r)).findings as Array<Record<string, unknown>>;
const at = (f: Record<string, unknown>) => `${f.file}:${f.line} ${f.ruleId} ${f.resource}`;

describe('--shard over root modules that share a local module, templates that share a nested stack', () => {
  for (const n of [2, 3]) {
    it(`reports each finding of a shared module in one shard of ${n}, the union being the unsharded scan`, async () => {
      const whole = await run();
      const shards = await Promise.all([...Array(n).keys()].map((i) => run({ index: i + 1, count: n })));
      const owner = new Map<string, number>();
      shards.forEach((r, i) => {
        for (const f of reported(r)) {
          const fp = f.fingerprint as string;
          expect(owner.has(fp), `${at(f)} is in shard ${owner.get(fp)} and shard ${i + 1}`).toBe(false);
          owner.set(fp, i + 1);
        }
      });
      // Full finding objects, severity and message from reachability included.
      const union = shards.flatMap(reported).sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0));
      const all = reported(whole).sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0));
      expect(union).toEqual(all);
      // The module's findings really were shared: every caller's shard evaluated it.
      const inModules = all.filter((f) => String(f.file).includes('/modules/'));
      expect(inModules.map(at)).toEqual([
        'fixtures/shard/modules/net/main.tf:13 SGS003 module.net.aws_security_group.web',
        'fixtures/shard/modules/net/main.tf:13 SGS009 module.net.aws_security_group.web',
        'fixtures/shard/modules/sg/main.tf:11 SGS001 module.edge.aws_security_group.this',
        'fixtures/shard/modules/sg/main.tf:11 SGS001 module.sg.aws_security_group.this',
        'fixtures/shard/modules/sg/main.tf:19 SGS001 module.sg.aws_security_group.this',
        'fixtures/shard/modules/sg/main.tf:19 SGS010 module.edge.aws_security_group.this',
        'fixtures/shard/modules/sg/main.tf:19 SGS011 module.sg.aws_security_group.this',
      ]);
      // The nested stack's: RDP and SSH from the world once (app-a and app-e pass 0.0.0.0/0), SSH from
      // 10.0.0.0/8 once (app-b): per-parent findings kept, identical ones told once.
      expect(all.filter((f) => String(f.file).includes('/nested/')).map(at)).toEqual([
        'fixtures/shard/stacks/nested/sg.yaml:12 SGS001 Admin.AdminSG',
        'fixtures/shard/stacks/nested/sg.yaml:17 SGS001 Admin.AdminSG',
        'fixtures/shard/stacks/nested/sg.yaml:17 SGS011 Admin.AdminSG',
        'fixtures/shard/stacks/nested/sg.yaml:7 SGS014 Admin.AdminSG',
      ]); // (sorted as strings)
      // Counts add up: each file, group and rule is counted by one shard.
      const sum = (k: 'filesScanned' | 'groups' | 'rules' | 'findings') => shards.reduce((s, r) => s + r.summary[k], 0);
      for (const k of ['filesScanned', 'groups', 'rules', 'findings'] as const) expect(sum(k), k).toBe(whole.summary[k]);
      // Coverage too, down to the module's unused .tfvars (skipped: not used by any module).
      for (const k of ['found', 'parsed', 'partial', 'skipped', 'failed'] as const) {
        expect(shards.reduce((s, r) => s + (r.summary.coverage?.[k] ?? 0), 0), k).toBe(whole.summary.coverage?.[k]);
      }
      expect(whole.summary.coverage?.skippedReasons).toEqual({ 'not used by any scanned Terraform module': 1 });
      expect(shards.flatMap((r) => r.files).sort()).toEqual(whole.files);
    });
  }

  it('gives a shared module to the shard its path hashes to, whoever calls it', async () => {
    // modules/net is called from shards 2 and 3 of 3, and owned by shard 1: shard 1 evaluates both
    // callers to report the module, and reports nothing else of theirs.
    const first = await run({ index: 1, count: 3 });
    const files = [...new Set(reported(first).map((f) => f.file as string))].sort();
    expect(files.filter((f) => f.includes('/net/') || f.includes('/envs/c/') || f.includes('/envs/d/'))).toEqual(['fixtures/shard/modules/net/main.tf']);
    const third = await run({ index: 3, count: 3 });
    expect(reported(third).filter((f) => String(f.file).includes('/modules/'))).toEqual([]);
    // The same for a nested template: stacks/nested/sg.yaml is nested from shards 1 and 3, owned by 2.
    const second = await run({ index: 2, count: 3 });
    const nested = (r: ScanResult) => reported(r).filter((f) => String(f.file).includes('/nested/')).length;
    expect([nested(first), nested(second), nested(third)]).toEqual([0, 4, 0]);
    expect(second.files.filter((f) => /stacks\/(app-|nested\/)/.test(f))).toEqual(['fixtures/shard/stacks/nested/sg.yaml']); // not its parents
  });

  it('plans from the paths alone: owner, helpers, and which files a shard reports', () => {
    const roots = ['envs/a', 'envs/c', 'envs/d'];
    const calls = new Map([
      ['envs/a', ['modules/sg']],
      ['envs/c', ['modules/sg', 'modules/mid']],
      ['envs/d', ['modules/sg']],
      ['modules/sg', []],
      ['modules/mid', ['modules/leaf']],
      ['modules/leaf', []],
    ]);
    const plans = [1, 2, 3].map((index) => planTerraformShard(roots, calls, { index, count: 3 }));
    const owners = (file: string) => plans.flatMap((p, i) => (p.reports(file) ? [i + 1] : []));
    // Exactly one shard reports each Terraform file; a module reached only from one shard (through
    // another module) goes with that shard; documents are left to their own rule.
    for (const f of ['envs/a/main.tf', 'envs/c/x.tf.json', 'envs/d/main.tf', 'modules/sg/main.tf', 'modules/leaf/main.tf', 'modules/mid/v.tf']) expect(owners(f), f).toHaveLength(1);
    expect(owners('modules/leaf/main.tf')).toEqual(owners('envs/c/main.tf'));
    expect(owners('stacks/web.yaml')).toEqual([1, 2, 3]);
    // The owner of modules/sg evaluates the callers it does not hold; nobody else evaluates extra.
    const sgOwner = owners('modules/sg/main.tf')[0];
    plans.forEach((p, i) => {
      expect([...p.roots, ...p.helpers].sort()).toEqual(i + 1 === sgOwner ? roots : p.roots);
    });
    expect(plans.flatMap((p) => p.roots).sort()).toEqual(roots);
    // One shard, or none: everything, nothing extra.
    const single = planTerraformShard(roots, calls, undefined);
    expect(single.helpers).toEqual([]);
    expect(single.reports('modules/sg/main.tf')).toBe(true);
  });

  it('plans nested templates the same way', () => {
    const units = [
      { path: 'a.yaml', nested: ['child.yaml', 'grandchild.yaml'] },
      { path: 'b.yaml', nested: ['child.yaml', 'grandchild.yaml'] },
      { path: 'c.yaml', nested: [] },
    ];
    const plans = [1, 2, 3, 4].map((index) => planDocumentShard(units, { index, count: 4 }));
    for (const f of ['a.yaml', 'b.yaml', 'c.yaml', 'child.yaml', 'grandchild.yaml']) expect(plans.filter((p) => p.reports(f)), f).toHaveLength(1);
    const owner = plans.findIndex((p) => p.reports('child.yaml')) + 1;
    expect(owner).toBe(moduleOwner('child.yaml', new Set([shardOf('a.yaml', 4), shardOf('b.yaml', 4)]), 4));
    expect(plans.flatMap((p, i) => [...p.helpers].map((h) => `${i + 1}:${h}`)).sort()).toEqual(
      ['a.yaml', 'b.yaml'].filter((u) => shardOf(u, 4) !== owner).map((u) => `${owner}:${u}`),
    );
    expect(planDocumentShard(units, undefined).reports('child.yaml')).toBe(true);
  });

  it('keeps a shared module where it is when callers come and go', () => {
    // The owner depends on the module's path once callers span shards, not on which callers there are.
    expect(moduleOwner('modules/sg', new Set([1, 3]), 4)).toBe(moduleOwner('modules/sg', new Set([1, 2, 3, 4]), 4));
    expect(moduleOwner('modules/sg', new Set([3]), 4)).toBe(3);
  });
});
