import { describe, expect, it } from 'vitest';
import { check as defaultGroup } from '../../../rules/security-group/default-group-has-rules.js';
import { check as invalid } from '../../../rules/security-group/invalid-rule.js';
import { check as misleading } from '../../../rules/security-group/misleading-rule.js';
import { check as egress } from '../../../rules/security-group/unrestricted-egress.js';
import { Unknown } from '../../../src/model/value.js';
import { group, model, rule, sgPeer } from '../build.js';

const G = 'aws_security_group.app';
const ctx = { options: {} };

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
