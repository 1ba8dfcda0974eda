import { describe, expect, it } from 'vitest';
import { check as defaultGroup } from '../../../rules/security-group/default-group-has-rules.js';
import { check as invalid } from '../../../rules/security-group/invalid-rule.js';
import { check as misleading } from '../../../rules/security-group/misleading-rule.js';
import { check as egress } from '../../../rules/security-group/unrestricted-egress.js';
import { Unknown } from '../../../src/model/value.js';
import { group, model, rule, sgPeer } from '../build.js';

const G = 'aws_security_group.app';
const ctx = { options: {} };

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
