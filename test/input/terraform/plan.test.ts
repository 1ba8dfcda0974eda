import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { runChecks } from '../../../src/pipeline/runner.js';
import type { Model } from '../../../src/model/model.js';
import { ResourceRef } from '../../../src/model/value.js';
import { scanTerraformModule, scanTerraformPlan } from '../../../src/input/terraform/index.js';
import { folderFiles, summarize } from './helpers.js';

// Plan JSON recorded by scripts/record-plans.sh holds Terraform's own evaluation of each fixture:
// the plan scan must give the same model as the HCL scan of main.tf, so these tests hold our
// evaluator to Terraform's answer.

const P = 'fixtures/terraform-plan';
const CASES = ['inline-variable', 'rule-source-group', 'vpc-rule', 'count-for-each', 'dynamic', 'local-module', 'module-three'];

function planFile(dir: string, abs = path.resolve(dir, 'plan.json')) {
  return { abs, path: `${dir}/plan.json`, text: readFileSync(path.resolve(dir, 'plan.json'), 'utf8') };
}

async function both(name: string): Promise<{ hcl: Model; plan: Model }> {
  const dir = `${P}/${name}`;
  const hcl = await scanTerraformModule(dir, folderFiles(dir));
  const f = planFile(dir);
  const plan = await scanTerraformPlan(f, f.text);
  return { hcl, plan };
}

// A plan holds the values, not whether a variable kept its default: the .tf scan alone names the
// default a source comes from (Peer.origin), so that is left out of the comparison.
const withoutOrigin = (r: Model['rules'][number]) => (r.peer.kind === 'cidr' && r.peer.origin ? { ...r, peer: { ...r.peer, origin: undefined } } : r);
const rules = (m: Model) => m.rules.map(withoutOrigin).map((r) => `${r.group} ${r.resource} ${summarize(r).split(' | ').slice(1).join(' | ')} ${r.location.file}`).sort();
const findings = (m: Model) =>
  runChecks(m, ALL_CHECKS)
    .map((f) => `${f.ruleId} ${f.resource} ${f.fingerprint} ${f.file}:${f.line}`)
    .sort();

describe('plan JSON gives the same model as the .tf files', () => {
  for (const name of CASES) {
    it(`${name}: same rules, groups and findings`, async () => {
      const { hcl, plan } = await both(name);
      expect(hcl.errors).toEqual([]);
      expect(plan.errors).toEqual([]);
      expect(plan.notices).toEqual([]);
      expect(plan.rules.length).toBeGreaterThan(0);
      expect(rules(plan)).toEqual(rules(hcl));
      expect(plan.groups.map((g) => `${g.address} ${g.location.line}-${g.location.endLine} ${g.via.map((v) => v.line)}`).sort()).toEqual(
        hcl.groups.map((g) => `${g.address} ${g.location.line}-${g.location.endLine} ${g.via.map((v) => v.line)}`).sort(),
      );
      // A rule covered only by a variable's default the user may narrow is not redundant in the .tf scan
      // (SGS016); the plan was made with that default, so there it is.
      const defaulted = hcl.rules.some((r) => r.peer.kind === 'cidr' && r.peer.origin);
      const comparable = (list: string[]) => list.filter((x) => !(defaulted && x.startsWith('SGS016 ')));
      const f = findings(plan);
      expect(f.length).toBeGreaterThan(0);
      expect(comparable(f)).toEqual(comparable(findings(hcl)));
    });
  }
});

describe('plan JSON details', () => {
  it('reads an after-apply group id from the configuration references as a ResourceRef', async () => {
    const { plan } = await both('rule-source-group');
    const r = plan.rules.find((x) => x.resource === 'aws_security_group_rule.db_from_web')!;
    expect(r.group).toBe('aws_security_group.db');
    expect(r.peer).toEqual({ kind: 'securityGroup', ref: new ResourceRef('aws_security_group.web', 'id'), self: false });
    expect(r.location).toEqual({ file: `${P}/rule-source-group/main.tf`, line: 11, endLine: 19 });
    expect(r.attributeLines.source_security_group_id).toBe(17);
    expect(plan.groups.every((g) => g.format === 'terraform-plan')).toBe(true);
    expect(plan.files).toEqual([`${P}/rule-source-group/plan.json`, `${P}/rule-source-group/main.tf`]);
  });

  it('follows module outputs and indexes to the group instance', async () => {
    const lm = (await both('local-module')).plan;
    expect(lm.rules.find((r) => r.resource === 'aws_security_group_rule.extra')!.group).toBe('module.private_sg.aws_security_group.this');
    const cfe = (await both('count-for-each')).plan;
    const between = cfe.rules.find((r) => r.resource === 'aws_security_group_rule.between[1]')!;
    expect(between.group).toBe('aws_security_group.tier[1]');
    expect(between.peer).toMatchObject({ kind: 'securityGroup', ref: new ResourceRef('aws_security_group.tier[0]', 'id') });
    expect(between.ports).toMatchObject({ kind: 'range', from: 8001, to: 8001 });
  });

  it('points module resources at the module folder and the call', async () => {
    const { plan } = await both('module-three');
    const g = plan.groups.find((x) => x.address === 'module.b.aws_security_group.this')!;
    expect(g.location).toEqual({ file: `${P}/module-three/modules/sg/main.tf`, line: 5, endLine: 15 });
    expect(g.via).toEqual([{ file: `${P}/module-three/main.tf`, line: 6, endLine: 9 }]);
  });

  it('matches set-ordered inline elements back to their blocks, dynamic ones included', async () => {
    const { plan } = await both('dynamic');
    const r6379 = plan.rules.find((r) => r.ports.kind === 'range' && r.ports.from === 6379)!;
    expect(r6379.location).toMatchObject({ line: 27, endLine: 37 });
    expect(r6379.attributeLines.description).toBe(31);
    expect(r6379.description).toBe('port 6379');
    const r80 = plan.rules.find((r) => r.ports.kind === 'range' && r.ports.from === 80)!;
    expect(r80.location).toMatchObject({ line: 17, endLine: 25 });
    expect(r80.description).toBeUndefined();
  });

  it('falls back to lines in the plan JSON when the .tf files are not beside it', async () => {
    const f = planFile(`${P}/rule-source-group`, '/nonexistent/folder/plan.json');
    const plan = await scanTerraformPlan(f, f.text);
    expect(plan.errors).toEqual([]);
    const r = plan.rules.find((x) => x.resource === 'aws_security_group_rule.db_from_web')!;
    expect(r.location.file).toBe(`${P}/rule-source-group/plan.json`);
    const lines = f.text.split('\n');
    expect(lines[r.location.line - 1]).toContain('{');
    expect(lines[r.location.line]).toContain('"address": "aws_security_group_rule.db_from_web"');
    expect(lines[r.attributeLines.from_port - 1]).toContain('"from_port": 5432');
    expect(r.peer).toMatchObject({ kind: 'securityGroup', ref: new ResourceRef('aws_security_group.web', 'id') });
    const web = plan.rules.filter((x) => x.group === 'aws_security_group.web' && x.direction === 'ingress');
    expect(web.map((x) => (x.peer.kind === 'cidr' ? x.peer.cidr : '?')).sort()).toEqual(['0.0.0.0/0', '10.1.0.0/16']);
  });

  it('turns broken input into an error with a line, never a throw', async () => {
    const m = await scanTerraformPlan({ abs: '/x/plan.json', path: 'x/plan.json' }, '{\n  "format_version": "1.2",\n  "planned_values": [\n');
    expect(m.errors).toHaveLength(1);
    expect(m.errors[0]).toMatchObject({ file: 'x/plan.json', line: 3 });
    const empty = await scanTerraformPlan({ abs: '/x/plan.json', path: 'x/plan.json' }, '{"format_version": "1.2"}');
    expect(empty.errors).toEqual([]);
    expect(empty.notices[0].message).toMatch(/no planned_values/);
  });
});
