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

describe('SGS016 redundant-rule', () => {
  it('reports a later exact duplicate and a rule covered by the union of others', () => {
    const m = model([group(G, 1)], [
      rule({ group: G, line: 3, protocol: 'tcp', from: 22, to: 22, peer: '10.0.0.0/9' }),
      rule({ group: G, line: 10, protocol: 'tcp', from: 22, to: 22, peer: '10.128.0.0/9', index: 1 }),
      rule({ group: G, line: 17, protocol: 'tcp', from: 22, to: 22, peer: '10.0.0.0/8', index: 2 }),
      rule({ group: G, line: 24, protocol: 'tcp', from: 22, to: 22, peer: '10.0.0.0/9', index: 3 }),
      rule({ group: G, line: 31, protocol: 'tcp', from: 443, to: 443, peer: '10.0.0.0/8', index: 4 }),
    ]);
    const r = sgs016.run(m, { options: {} });
    expect(r.map((x) => x.location.line).sort((a, b) => a - b)).toEqual([17, 24]);
    const byLine = new Map(r.map((x) => [x.location.line, x.message]));
    expect(byLine.get(24)).toBe('Security group aws_security_group.app has a redundant ingress rule (tcp port 22 from 10.0.0.0/9): it duplicates the rule at line 3.');
    expect(byLine.get(17)).toBe('Security group aws_security_group.app has a redundant ingress rule (tcp port 22 from 10.0.0.0/8): the rules at lines 3 and 10 already allow all of it.');
  });

  it('compares group peers only with the same reference, and never across directions or groups', () => {
    const m = model([group(G, 1), group('aws_security_group.b', 40)], [
      rule({ group: G, line: 3, protocol: 'tcp', from: 0, to: 1000, peer: sgPeer('aws_security_group.lb') }),
      rule({ group: G, line: 10, protocol: 'tcp', from: 80, to: 80, peer: sgPeer('aws_security_group.lb'), index: 1 }),
      rule({ group: G, line: 17, protocol: 'tcp', from: 80, to: 80, peer: sgPeer('aws_security_group.other'), index: 2 }),
      rule({ group: G, line: 24, protocol: 'tcp', from: 80, to: 80, peer: '10.0.0.0/8', direction: 'egress' }),
      rule({ group: 'aws_security_group.b', line: 44, protocol: 'tcp', from: 80, to: 80, peer: '10.0.0.0/8' }),
      rule({ group: G, line: 31, protocol: 'tcp', from: 80, to: 80, peer: new Unknown('var.cidr has no value'), index: 3 }),
    ]);
    expect(lines(sgs016, m)).toEqual([10]);
  });
});
