import { describe, expect, it } from 'vitest';
import { check as defaultGroup } from '../../../rules/security-group/default-group-has-rules.js';
import { check as invalid } from '../../../rules/security-group/invalid-rule.js';
import { check as misleading } from '../../../rules/security-group/misleading-rule.js';
import { check as egress } from '../../../rules/security-group/unrestricted-egress.js';
import { Unknown } from '../../../src/model/value.js';
import { group, model, rule, sgPeer } from '../build.js';

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
