import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { runChecks } from '../../../src/pipeline/runner.js';
import type { Model } from '../../../src/model/model.js';
import { scanTerraformModule } from '../../../src/input/terraform/index.js';
import { folderFiles, summarize } from './helpers.js';

// One test per wrong answer the Terraform oracle (oracle.test.ts) found, on the oracle's own module,
// stating the finding a reviewer sees. Terraform's recorded plan.json is the expected answer.
// No CloudFormation twins: sets, dynamic blocks and file functions have no CloudFormation form.

const ROOT = 'fixtures/terraform-plan';

async function scan(name: string): Promise<Model> {
  const dir = `${ROOT}/${name}`;
  return scanTerraformModule(dir, folderFiles(dir), { scanRoot: path.resolve(dir) });
}

const findings = (m: Model) => runChecks(m, ALL_CHECKS).map((f) => `${f.ruleId} ${f.certainty} ${f.file}:${f.line}`);

describe('issue 15: answers Terraform gives differently', () => {
  it('dynamic over a set: ingress.key is the element (port 22, a critical SSH finding, no invalid 22-0 range)', async () => {
    const m = await scan('dynamic-set-key');
    expect(m.rules.map(summarize)).toEqual(['aws_security_group.k/ingress/0 | ingress tcp port 22 0.0.0.0/0 | 5-13']);
    const f = findings(m);
    expect(f).toContain(`SGS001 definite ${ROOT}/dynamic-set-key/main.tf:5`);
    expect(f.filter((x) => x.startsWith('SGS007'))).toEqual([]);
  });

  it('a set(string) variable keeps one of each CIDR: no redundant-rule finding', async () => {
    const m = await scan('set-variable-dedupe');
    expect(m.rules.map((r) => summarize(r).split(' | ')[1])).toEqual(['ingress tcp port 443 10.0.0.0/8', 'ingress tcp port 443 192.168.0.0/16']);
    expect(findings(m).filter((x) => x.startsWith('SGS016'))).toEqual([]);
  });
});
