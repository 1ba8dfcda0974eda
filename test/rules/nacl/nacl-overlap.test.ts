import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { defaultConfig } from '../../../src/config/index.js';
import { scan } from '../../../src/pipeline/scan.js';

// SGS048 and SGS049 say exactly which part of an entry a lower-numbered entry of the other action
// decides (AWS evaluates entries in rule-number order, first match wins), in both formats.

async function messages(rule: string, file: string): Promise<string[]> {
  const { result } = await scan({ checks: ALL_CHECKS, paths: [file], cwd: process.cwd(), version: 'test', config: { ...defaultConfig(), preset: 'strict' } });
  return result.findings.filter((f) => f.ruleId === rule).map((f) => f.message).sort();
}

describe('partly overridden NACL entries', () => {
  for (const file of ['main.tf', 'template.yaml']) {
    const tf = file === 'main.tf';
    const acl = tf ? 'aws_network_acl.app' : 'AppAcl';

    it(`SGS048 (${file}): a deny after an allow names the part the allow lets through first`, async () => {
      expect(await messages('SGS048', `fixtures/twins/SGS048-nacl-deny-partly-ineffective/positive/${file}`)).toEqual([
        `Network ACL ${acl} egress rule 200 (deny) does not deny tcp/1024-65535 to 203.0.113.0/24: rule 100 decides to allow it first`,
        `Network ACL ${acl} ingress rule 110 (deny) does not deny tcp/443 from 198.51.100.0/24: rule 100 decides to allow it first`,
      ]);
    });

    it(`SGS049 (${file}): an allow after a deny names the part the deny decides first`, async () => {
      expect(await messages('SGS049', `fixtures/twins/SGS049-nacl-overlapping-entries/positive/${file}`)).toEqual([
        `Network ACL ${acl} egress rule 100 (allow) does not allow tcp/5432 to 10.0.9.0/24: rule 50 decides to deny it first`,
        `Network ACL ${acl} ingress rule 100 (allow) does not allow tcp/443 from 198.51.100.0/24: rule 50 decides to deny it first`,
      ]);
    });
  }
});
