import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { runChecks } from '../../../src/pipeline/runner.js';
import type { Model } from '../../../src/model/model.js';
import { describePeer } from '../../../src/model/peer.js';
import { scanTerraformPlan } from '../../../src/input/terraform/index.js';

// One test per wrong answer the Terraform oracle (oracle.test.ts) found in the plan JSON reader, on
// the oracle's recorded plan.json: with the .tf files beside it, and (where the plan alone can say
// it) with the plan copied away from them. No CloudFormation twins: plan JSON is Terraform's only.

const ROOT = 'fixtures/terraform-plan';

async function plan(name: string, beside = true): Promise<Model> {
  const file = `${ROOT}/${name}/plan.json`;
  const text = readFileSync(file, 'utf8');
  // Alone: a path with no .tf files beside it (the plan's own lines are used).
  const abs = beside ? path.resolve(file) : path.resolve('fixtures/no-such-folder/plan.json');
  return scanTerraformPlan({ abs, path: beside ? file : 'plan.json' }, text);
}

const peers = (m: Model) => m.rules.map((r) => `${r.group} ${r.direction} ${r.fromPort ?? ''} ${describePeer(r.peer)}`).sort();

describe('issue 15: the plan reader gives Terraform\'s answer', () => {
  it('a dynamic block over an empty list is no rule at all (not "possibly allows all traffic")', async () => {
    for (const m of [await plan('dynamic-empty'), await plan('dynamic-empty', false)]) {
      expect(peers(m)).toEqual(['aws_security_group.e ingress 443 10.0.0.0/8']);
      expect(runChecks(m, ALL_CHECKS).filter((f) => f.certainty === 'possible')).toEqual([]);
    }
  });

  it('for_each = module.grp with each.value.sg_id: each rule belongs to its instance\'s group', async () => {
    const m = await plan('foreach-module-sgid');
    expect(m.rules.map((r) => `${r.resource} ${r.group}`).sort()).toEqual([
      'aws_vpc_security_group_ingress_rule.https["a"] module.grp["a"].aws_security_group.this',
      'aws_vpc_security_group_ingress_rule.https["b"] module.grp["b"].aws_security_group.this',
    ]);
  });

  it('a list mixing a literal and a reference keeps the literal (prefix list and group)', async () => {
    const m = await plan('mixed-literal-ref');
    expect(peers(m)).toEqual([
      'aws_security_group.mixed ingress 443 prefix list aws_ec2_managed_prefix_list.office',
      'aws_security_group.mixed ingress 443 prefix list pl-0123456789abcdef0',
      'aws_security_group.mixed ingress 5432 members of aws_security_group.peer',
      'aws_security_group.mixed ingress 5432 members of sg-0123456789abcdef0',
    ]);
  });

  it('a module output listing every instance of a for_each group is one rule per instance', async () => {
    expect(peers(await plan('module-ids-list')).filter((p) => p.includes(' 5432 '))).toEqual([
      'aws_security_group.db ingress 5432 members of module.tier.aws_security_group.this["app"]',
      'aws_security_group.db ingress 5432 members of module.tier.aws_security_group.this["batch"]',
    ]);
  });

  it('a splat over a counted group is one rule per instance, with or without the .tf files', async () => {
    for (const m of [await plan('splat'), await plan('splat', false)]) {
      expect(peers(m)).toEqual([
        'aws_security_group.db ingress 5432 members of aws_security_group.app[0]',
        'aws_security_group.db ingress 5432 members of aws_security_group.app[1]',
      ]);
    }
  });
});
