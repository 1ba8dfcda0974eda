import { describe, expect, it } from 'vitest';
import { check as sgs001 } from '../../../rules/security-group/admin-port-open-to-world.js';
import { check as sgs002 } from '../../../rules/security-group/all-traffic-open-to-world.js';
import { check as sgs004 } from '../../../rules/security-group/high-risk-port-open-to-world.js';
import { check as sgs005 } from '../../../rules/security-group/port-open-to-world.js';
import type { Check } from '../../../src/model/check.js';
import { peerIsWorld, worldCovers } from '../../../rules/kit/security-group.js';
import { ALL_CHECKS } from '../../../rules/index.js';
import { scan } from '../../../src/pipeline/scan.js';
import { Unknown } from '../../../src/model/value.js';
import { sharedPath } from '../../helpers/shared.js';
import { group, model, rule } from '../build.js';

const G = 'aws_security_group.web';
const H = 'aws_security_group.other';

function run(c: Check, rules: ReturnType<typeof rule>[]) {
  return c.run(model([group(G, 1), group(H, 40)], rules), { options: {} });
}

describe('world by set arithmetic (sources that together cover a family)', () => {
  it('SGS001 reports each rule of 0.0.0.0/1 + 128.0.0.0/1 on SSH, naming the other', () => {
    const r = run(sgs001, [
      rule({ group: G, line: 7, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/1' }),
      rule({ group: G, line: 14, protocol: 'tcp', from: 22, to: 22, peer: '128.0.0.0/1', index: 1 }),
    ]);
    expect(r.map((x) => x.location.line)).toEqual([7, 14]);
    expect(r[0].message).toBe(
      'Security group aws_security_group.web allows SSH (tcp/22) from the whole internet: its source 0.0.0.0/1 and the rule at line 14 (128.0.0.0/1) together cover all of IPv4 (0.0.0.0/0).',
    );
    expect(r[1].message).toContain('its source 128.0.0.0/1 and the rule at line 7 (0.0.0.0/1)');
    expect(r[0].certainty).toBe('definite');
  });

  it('works for IPv6 halves and for three pieces, and only for the shared port', () => {
    const r = run(sgs001, [
      rule({ group: G, line: 3, protocol: 'tcp', from: 20, to: 30, peer: '::/1' }),
      rule({ group: G, line: 10, protocol: 'tcp', from: 22, to: 22, peer: '8000::/1', index: 1 }),
      rule({ group: G, line: 17, protocol: 'tcp', from: 3389, to: 3389, peer: '0.0.0.0/2', index: 2 }),
      rule({ group: G, line: 24, protocol: 'tcp', from: 3389, to: 3389, peer: '64.0.0.0/2', index: 3 }),
      rule({ group: G, line: 31, protocol: 'tcp', from: 3389, to: 3389, peer: '128.0.0.0/1', index: 4 }),
    ]);
    expect(r.map((x) => x.location.line)).toEqual([3, 10, 17, 24, 31]);
    expect(r[0].message).toContain('SSH (tcp/22)');
    expect(r[0].message).toContain('all of IPv6 (::/0)');
    expect(r[2].message).toContain('RDP (tcp/3389)');
    expect(r[2].message).toContain('the rules at lines 24 and 31 (64.0.0.0/2, 128.0.0.0/1)');
  });

  it('does not add up rules of different groups, different ports, or a partial cover', () => {
    expect(
      run(sgs001, [
        rule({ group: G, line: 7, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/1' }),
        rule({ group: H, line: 44, protocol: 'tcp', from: 22, to: 22, peer: '128.0.0.0/1' }),
      ]),
    ).toEqual([]);
    expect(
      run(sgs001, [
        rule({ group: G, line: 7, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/1' }),
        rule({ group: G, line: 14, protocol: 'tcp', from: 23, to: 23, peer: '128.0.0.0/1', index: 1 }),
      ]),
    ).toEqual([]);
    expect(
      run(sgs001, [
        rule({ group: G, line: 7, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/1' }),
        rule({ group: G, line: 14, protocol: 'tcp', from: 22, to: 22, peer: '128.0.0.0/2', index: 1 }),
      ]),
    ).toEqual([]);
  });

  it('leaves out a rule the others already cover, and one beside a real 0.0.0.0/0', () => {
    const r = run(sgs001, [
      rule({ group: G, line: 3, protocol: 'tcp', from: 22, to: 22, peer: '10.0.0.0/8' }),
      rule({ group: G, line: 10, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/1', index: 1 }),
      rule({ group: G, line: 17, protocol: 'tcp', from: 22, to: 22, peer: '128.0.0.0/1', index: 2 }),
    ]);
    expect(r.map((x) => x.location.line)).toEqual([10, 17]);
    const w = run(sgs001, [
      rule({ group: G, line: 3, protocol: 'tcp', from: 22, to: 22, peer: '10.0.0.0/8' }),
      rule({ group: G, line: 10, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/0', index: 1 }),
    ]);
    expect(w.map((x) => x.location.line)).toEqual([10]);
  });

  it('SGS002 reports all traffic from halves; SGS004 and SGS005 leave those rules to it', () => {
    const rules = [
      rule({ group: G, line: 7, protocol: '-1', from: 0, to: 0, peer: '0.0.0.0/1' }),
      rule({ group: G, line: 14, protocol: '-1', from: 0, to: 0, peer: '128.0.0.0/1', index: 1 }),
    ];
    const r = run(sgs002, rules);
    expect(r.map((x) => x.location.line)).toEqual([7, 14]);
    expect(r[0].message).toContain('allows all traffic from the whole internet: its source 0.0.0.0/1');
    expect(run(sgs004, rules)).toEqual([]);
    expect(run(sgs005, rules)).toEqual([]);
    expect(run(sgs001, rules).map((x) => x.location.line)).toEqual([7, 14]);
  });

  it('SGS002 reports every tcp port from halves, not a -1 half paired with one port', () => {
    const tcpAll = run(sgs002, [
      rule({ group: G, line: 7, protocol: 'tcp', from: 0, to: 65535, peer: '0.0.0.0/1' }),
      rule({ group: G, line: 14, protocol: '-1', from: 0, to: 0, peer: '128.0.0.0/1', index: 1 }),
    ]);
    expect(tcpAll.map((x) => [x.location.line, x.message.includes('every tcp port (0-65535)')])).toEqual([
      [7, true],
      [14, true],
    ]);
    const onePort = [
      rule({ group: G, line: 7, protocol: '-1', from: 0, to: 0, peer: '0.0.0.0/1' }),
      rule({ group: G, line: 14, protocol: 'tcp', from: 5432, to: 5432, peer: '128.0.0.0/1', index: 1 }),
    ];
    expect(run(sgs002, onePort)).toEqual([]);
    const hr = run(sgs004, onePort);
    expect(hr.map((x) => x.location.line)).toEqual([7, 14]);
    expect(hr[1].message).toContain('PostgreSQL (tcp/5432)');
  });

  it('SGS005 reports an unlisted port from halves, not 443', () => {
    const r = run(sgs005, [
      rule({ group: G, line: 7, protocol: 'tcp', from: 8080, to: 8080, peer: '0.0.0.0/1' }),
      rule({ group: G, line: 14, protocol: 'tcp', from: 8080, to: 8080, peer: '128.0.0.0/1', index: 1 }),
      rule({ group: G, line: 21, protocol: 'tcp', from: 443, to: 443, peer: '0.0.0.0/1', index: 2 }),
      rule({ group: G, line: 28, protocol: 'tcp', from: 443, to: 443, peer: '128.0.0.0/1', index: 3 }),
    ]);
    expect(r.map((x) => x.location.line)).toEqual([7, 14]);
    expect(r[0].message).toBe(
      'Security group aws_security_group.web allows tcp port 8080 from the whole internet: its source 0.0.0.0/1 and the rule at line 14 (128.0.0.0/1) together cover all of IPv4 (0.0.0.0/0), outside the ports allowed to face it (tcp 80, 443).',
    );
  });

  it('never adds up rules that exist only under a condition', () => {
    const r = run(sgs001, [
      rule({ group: G, line: 7, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/1' }),
      rule({ group: G, line: 14, protocol: 'tcp', from: 22, to: 22, peer: '128.0.0.0/1', index: 1, condition: new Unknown('var.enabled has no value') }),
    ]);
    expect(r).toEqual([]);
  });
});

// The world tests for peers that are not known: a security group (or prefix list) whose id is not
// known is membership, not an address range, so it is never the whole internet; an unknown CIDR
// whose declaration admits no /0 (a CloudFormation AllowedPattern, a Terraform validation) neither.
const WORLD_CHECKS = new Set(['SGS001', 'SGS002', 'SGS004', 'SGS005', 'SGS009', 'SGS010', 'SGS011', 'SGS012', 'SGS013']);

async function worldFindings(paths: string[]) {
  const { result } = await scan({ checks: ALL_CHECKS, paths, cwd: process.cwd(), version: 'test' });
  expect(result.errors).toEqual([]);
  return result.findings
    .filter((f) => WORLD_CHECKS.has(f.ruleId))
    .map((f) => `${f.ruleId} ${f.file.split('/').pop()}:${f.line} ${f.certainty}`)
    .sort();
}

describe('peerIsWorld for peers that are not known', () => {
  it('a security group or prefix list with an unknown id is never the world', () => {
    const u = new Unknown('var.sg has no value');
    expect(peerIsWorld({ kind: 'securityGroup', ref: u, self: false })).toBeNull();
    expect(peerIsWorld({ kind: 'prefixList', ref: u })).toBeNull();
    expect(peerIsWorld({ kind: 'unknown', unknown: u })).toEqual({ assumptions: ['the source comes from var.sg, which may be 0.0.0.0/0'] });
  });

  it('an unknown address whose domain admits no /0 is never the world', () => {
    const domain = { subject: 'parameter P', description: 'a /16 to /28 range', list: false, mayBeWorld: false, admits: () => true };
    expect(peerIsWorld({ kind: 'unknown', unknown: new Unknown('parameter P has no value', domain) })).toBeNull();
    expect(peerIsWorld({ kind: 'unknown', unknown: new Unknown('parameter P has no value', { ...domain, mayBeWorld: true }) })).not.toBeNull();
  });

  it('twins: rules from groups the scan cannot resolve open nothing to the world (fixtures/unknowns/group-reference)', async () => {
    // Only the client's own egress to 0.0.0.0/0 is world-open, in both formats.
    expect(await worldFindings(['fixtures/unknowns/group-reference'])).toEqual(['SGS009 main.tf:94 definite', 'SGS009 template.yaml:87 definite']);
  });

  it('twins: a CIDR admitting only /16 to /28 is never the world; one admitting /0 may be (fixtures/unknowns/constrained-cidr)', async () => {
    expect(await worldFindings(['fixtures/unknowns/constrained-cidr'])).toEqual([
      // One finding per rule: SGS005 (an unlisted port) is folded into SGS001 (SSH) at the same rule.
      'SGS001 main.tf:59 possible',
      'SGS001 template.yaml:56 possible',
    ]);
  });

  it('corpus: the VPC peering template gets no "possibly from the whole internet" (VPCPeering-Updates.cfn.yaml)', async () => {
    const rel = 'corpus/cloudformation/awslabs__aws-cloudformation-templates/aws/solutions/VPCPeering/templates/VPCPeering-Updates.cfn.yaml';
    sharedPath(...rel.split('/'));
    expect(await worldFindings([`../shared/${rel}`])).toEqual([]);
  });
});

describe('worldCovers', () => {
  it('is computed once per model for the five checks that ask, and again when the rules change', () => {
    const m = model([group(G, 1)], [
      rule({ group: G, line: 7, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/1' }),
      rule({ group: G, line: 14, protocol: 'tcp', from: 22, to: 22, peer: '128.0.0.0/1', index: 1 }),
    ]);
    const first = worldCovers(m);
    expect(worldCovers(m)).toBe(first);
    expect(first.size).toBe(2);
    m.rules = m.rules.slice(0, 1);
    const again = worldCovers(m);
    expect(again).not.toBe(first);
    expect(again.size).toBe(0);
  });
});
