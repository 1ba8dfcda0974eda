import { describe, expect, it } from 'vitest';
import { check as defaultGroup } from '../../rules/security-group/default-group-has-rules.js';
import { check as invalid } from '../../rules/security-group/invalid-rule.js';
import { check as misleading } from '../../rules/security-group/misleading-rule.js';
import { check as egress } from '../../rules/security-group/unrestricted-egress.js';
import { Unknown } from '../../src/model/value.js';
import { group, model, rule, sgPeer } from './build.js';

const G = 'aws_security_group.app';
const ctx = { options: {} };

describe('SGS006 default-group-has-rules', () => {
  it('reports each declared rule of a default group at its line, not implicit ones or other groups', () => {
    const D = 'aws_default_security_group.default';
    const m = model(
      [group(D, 126, { isDefault: true, resourceType: 'aws_default_security_group' }), group(G, 1)],
      [
        rule({ group: D, line: 129, protocol: '-1', from: 0, to: 0, peer: sgPeer(D, true) }),
        rule({ group: D, line: 137, direction: 'egress', protocol: '-1', from: 0, to: 0, peer: '0.0.0.0/0' }),
        rule({ group: D, line: 126, direction: 'egress', protocol: '-1', peer: '0.0.0.0/0', origin: 'implicit', index: 1 }),
        rule({ group: G, line: 5, protocol: '-1', peer: sgPeer(G, true) }),
      ],
    );
    const r = defaultGroup.run(m, ctx);
    expect(r.map((x) => x.location.line)).toEqual([129, 137]);
    expect(r[0].message).toBe(
      'The default security group aws_default_security_group.default has an ingress rule (all traffic from members of the same group (self)); the default group should have no rules.',
    );
  });
});

describe('SGS007 invalid-rule', () => {
  it('reports bad protocol, ports and CIDR once per rule at its line', () => {
    const m = model(
      [group(G, 1)],
      [
        rule({ group: G, line: 3, protocol: 'tcpp', from: 22, to: 22, peer: '10.0.0.0/8' }),
        rule({ group: G, line: 10, protocol: 'tcp', from: 443, to: 80, peer: '10.0.0.0' }),
        rule({ group: G, line: 17, protocol: 'tcp', from: 0, to: 70000, peer: '10.0.0.0/8' }),
        rule({ group: G, line: 24, protocol: 'icmp', from: 300, to: 0, peer: '10.0.0.0/8' }),
        rule({ group: G, line: 31, protocol: 'tcp', from: 22, to: 22, peer: '10.0.0.0/8' }),
        rule({ group: G, line: 38, protocol: new Unknown('x'), from: 22, to: 22, peer: new Unknown('y') }),
      ],
    );
    const r = invalid.run(m, ctx);
    expect(r.map((x) => x.location.line)).toEqual([3, 10, 17, 24]);
    expect(r[0].message).toBe(
      'An ingress rule of security group aws_security_group.app is invalid: protocol "tcpp" is not -1, a known name or a number 0-255.',
    );
    expect(r[1].message).toBe(
      'An ingress rule of security group aws_security_group.app is invalid: ports 443-80: from port greater than to port; source "10.0.0.0": missing /prefix.',
    );
  });
});

describe('SGS008 misleading-rule', () => {
  it('reports ports with protocol -1 or a portless protocol, and CIDR host bits', () => {
    const m = model(
      [group(G, 1)],
      [
        rule({ group: G, line: 3, protocol: '-1', from: 22, to: 22, peer: '10.0.0.0/8' }),
        rule({ group: G, line: 10, protocol: '50', from: 500, to: 500, peer: '10.0.0.0/8' }),
        rule({ group: G, line: 17, protocol: 'tcp', from: 22, to: 22, peer: '10.0.0.5/16' }),
        rule({ group: G, line: 24, protocol: '-1', from: 0, to: 0, peer: '10.0.0.0/8' }),
        rule({ group: G, line: 31, protocol: '-1', from: -1, to: -1, peer: '10.0.0.0/8' }),
        rule({ group: G, line: 38, protocol: 'icmp', from: 8, to: 0, peer: '10.0.0.0/8' }),
        rule({ group: G, line: 45, protocol: '-1', from: new Unknown('v'), to: 0, peer: '10.0.0.0/8' }),
      ],
    );
    const r = misleading.run(m, ctx);
    expect(r.map((x) => x.location.line)).toEqual([3, 10, 17]);
    expect(r[0].message).toBe(
      'An ingress rule of security group aws_security_group.app allows more than it appears to: it names port 22 but protocol -1 allows every protocol and every port.',
    );
    expect(r[2].message).toContain('10.0.0.5/16 has host bits set; AWS uses the whole network 10.0.0.0/16');
  });
});

describe('SGS009 unrestricted-egress', () => {
  it('reports declared all-traffic egress to the world, not implicit, narrow or private ones', () => {
    const m = model(
      [group(G, 1)],
      [
        rule({ group: G, line: 3, direction: 'egress', protocol: '-1', from: 0, to: 0, peer: '0.0.0.0/0' }),
        rule({ group: G, line: 1, direction: 'egress', protocol: '-1', peer: '0.0.0.0/0', origin: 'implicit', index: 1 }),
        rule({ group: G, line: 10, direction: 'egress', protocol: 'tcp', from: 443, to: 443, peer: '0.0.0.0/0', index: 2 }),
        rule({ group: G, line: 17, direction: 'egress', protocol: '-1', peer: '10.0.0.0/16', index: 3 }),
        rule({ group: G, line: 24, direction: 'ingress', protocol: '-1', peer: '0.0.0.0/0' }),
        rule({ group: G, line: 31, direction: 'egress', protocol: '-1', peer: new Unknown('var.dest has no value'), index: 4 }),
      ],
    );
    const r = egress.run(m, ctx);
    expect(r.map((x) => [x.location.line, x.certainty ?? 'definite'])).toEqual([
      [3, 'definite'],
      [31, 'possible'],
    ]);
    expect(r[0].message).toBe('Security group aws_security_group.app allows all outbound traffic to the whole internet (0.0.0.0/0).');
  });
});
