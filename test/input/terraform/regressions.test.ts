import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describePeer } from '../../../src/model/peer.js';
import { describePorts } from '../../../src/model/ports.js';
import { protocolName } from '../../../src/model/protocol.js';
import { buildModel, scan } from '../../../src/pipeline/scan.js';
import { ALL_CHECKS } from '../../../rules/index.js';

const REPO = path.resolve(__dirname, '../../..');

const rulesOf = async (paths: string[], terraform = {}) =>
  (await buildModel({ paths, cwd: REPO, terraform })).rules
    .map((r) => `${r.resource} ${r.direction} ${protocolName(r.protocol)} ${describePorts(r.ports)} ${describePeer(r.peer)} @${r.location.file.split('/').pop()}:${r.location.line}`)
    .sort();

describe('issue #3 regressions', () => {
  it('for_each over a security-group module with ingress_with_cidr_blocks: one instance per key, each CIDR a rule', async () => {
    expect(await rulesOf(['fixtures/terraform/module-for-each'])).toEqual([
      'module.sg["db"].aws_security_group_rule.ingress_with_cidr_blocks[0] ingress tcp port 5432 10.0.0.0/8 @main.tf:15',
      'module.sg["db"].aws_security_group_rule.ingress_with_cidr_blocks[0] ingress tcp port 5432 0.0.0.0/0 @main.tf:15',
      'module.sg["web"].aws_security_group_rule.ingress_with_cidr_blocks[0] ingress tcp port 443 0.0.0.0/0 @main.tf:15',
    ].sort());
  });

  it('the finding on a rule inside the module also points at the caller (via the module block)', async () => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: ['fixtures/terraform/module-for-each'], cwd: REPO, version: '0' });
    const db = result.findings.find((f) => f.ruleId === 'SGS004' && f.resource.startsWith('module.sg["db"]'));
    expect(db?.file).toBe('fixtures/terraform/module-for-each/modules/sg/main.tf');
    expect(db?.line).toBe(15);
    expect(db?.via).toEqual([{ file: 'fixtures/terraform/module-for-each/main.tf', line: 14, endLine: 20 }]);
  });

  it('a dynamic "ingress" with a conditional for_each: present by default, gone when switched off', async () => {
    expect(await rulesOf(['fixtures/terraform/dynamic-conditional'])).toEqual(['aws_security_group.bastion ingress tcp port 22 0.0.0.0/0 @main.tf:16']);
    expect(await rulesOf(['fixtures/terraform/dynamic-conditional'], { vars: [['enable_ssh', 'false']] })).toEqual([]);
  });

  it('the SSH finding points at the dynamic block', async () => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: ['fixtures/terraform/dynamic-conditional'], cwd: REPO, version: '0' });
    expect(result.findings.filter((f) => f.ruleId === 'SGS001').map((f) => [f.line, f.resource])).toEqual([[16, 'aws_security_group.bastion']]);
  });
});
