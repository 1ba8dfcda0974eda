import { describe, expect, it } from 'vitest';
import { check as sgs010 } from '../../../rules/security-group/sensitive-port-open-to-public-range.js';
import { check as sgs011 } from '../../../rules/security-group/sensitive-port-open-to-wide-private-range.js';
import { check as sgs012 } from '../../../rules/security-group/overly-broad-source.js';
import { check as sgs013 } from '../../../rules/security-group/all-protocols-from-address-range.js';
import { check as sgs014 } from '../../../rules/security-group/implicit-allow-all-egress.js';
import { check as sgs015 } from '../../../rules/security-group/invalid-group-name-or-description.js';
import { check as sgs016 } from '../../../rules/security-group/redundant-rule.js';
import { check as sgs017 } from '../../../rules/security-group/inline-and-standalone-rules.js';
import { check as sgs018 } from '../../../rules/security-group/too-many-rules.js';
import { check as sgs019 } from '../../../rules/security-group/too-many-groups-per-interface.js';
import type { Check } from '../../../src/model/check.js';
import { at } from '../../../src/model/location.js';
import type { Model, NetworkResource, SecurityGroup } from '../../../src/model/model.js';
import { isPublicCidr, parseCidr } from '../../../src/model/peer.js';
import { ResourceRef, Unknown } from '../../../src/model/value.js';
import { group, model, rule, sgPeer } from '../build.js';

const G = 'aws_security_group.app';
const lines = (c: Check, m: Model, options: Record<string, unknown> = {}) => c.run(m, { options }).map((r) => r.location.line);

describe('SGS017 inline-and-standalone-rules', () => {
  it('reports groups the front end marked as mixing, at the group line', () => {
    const m = model([group(G, 1, { mixesInlineAndStandalone: true }), group('aws_security_group.b', 20)], [
      rule({ group: G, line: 3, protocol: 'tcp', from: 22, to: 22, peer: '10.0.0.0/8' }),
      rule({ group: G, line: 30, protocol: 'tcp', from: 80, to: 80, peer: '10.0.0.0/8', resource: 'aws_security_group_rule.http' }),
    ]);
    const r = sgs017.run(m, { options: {} });
    expect(r.map((x) => [x.location.line, x.resource])).toEqual([[1, G]]);
    expect(r[0].message).toContain('(aws_security_group_rule.http)');
  });
});
