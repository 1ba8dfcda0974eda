import { describe, expect, it } from 'vitest';
import { check as defaultGroup } from '../../../rules/security-group/default-group-has-rules.js';
import { check as invalid } from '../../../rules/security-group/invalid-rule.js';
import { check as misleading } from '../../../rules/security-group/misleading-rule.js';
import { check as egress } from '../../../rules/security-group/unrestricted-egress.js';
import { Unknown } from '../../../src/model/value.js';
import { group, model, rule, sgPeer } from '../build.js';

const G = 'aws_security_group.app';
const ctx = { options: {} };

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
