import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { withFolded } from '../../../src/model/check.js';
import { scan } from '../../../src/pipeline/scan.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function sgs016(file: string) {
  const { result } = await scan({ checks: ALL_CHECKS, paths: [file], cwd: ROOT, version: 'test' });
  expect(result.errors).toEqual([]);
  return withFolded(result.findings)
    .filter((f) => f.ruleId === 'SGS016')
    .map((f) => ({ file: f.file, line: f.line, message: f.message }));
}

// Review #60: a rule is redundant only if the covering rules cover it for every value they can take.
// A source that is a parameter's (variable's) default may be narrowed by the deployer, and then the
// narrower rule is the one that admits its clients: never advise deleting it. Two rules from the
// same parameter stay comparable (they are equal whatever it is set to).
describe('SGS016 with a source that is a deploy-time default', () => {
  it('Terraform: only the rule duplicating var.client_cidr, at its block line', async () => {
    const file = 'fixtures/review/sgs016-parameter-default/main.tf';
    expect(await sgs016(file)).toEqual([
      {
        file,
        line: 31,
        message: 'Security group aws_security_group.db has a redundant ingress rule (tcp port 3306 from 0.0.0.0/0 (the default of var.client_cidr)): it duplicates the rule at line 14.',
      },
    ]);
  });

  it('CloudFormation: only the rule duplicating parameter ClientIP, at its item line', async () => {
    const file = 'fixtures/review/sgs016-parameter-default/template.yaml';
    expect(await sgs016(file)).toEqual([
      {
        file,
        line: 27,
        message: 'Security group AuroraSecurityGroup has a redundant ingress rule (tcp port 3306 from 0.0.0.0/0 (the default of parameter ClientIP)): it duplicates the rule at line 15.',
      },
    ]);
  });
});
