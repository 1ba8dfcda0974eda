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

describe('SGS018 too-many-rules', () => {
  const cidrs = (n: number, line: number, extra = {}) =>
    Array.from({ length: n }, (_, i) => rule({ group: G, line, protocol: 'tcp', from: 443, to: 443, peer: `10.0.${i}.0/24`, index: i, ...extra }));

  it('counts per direction and family against maxRules', () => {
    expect(lines(sgs018, model([group(G, 1)], cidrs(60, 5)))).toEqual([]);
    const r = sgs018.run(model([group(G, 1)], cidrs(61, 5)), { options: {} });
    expect(r.map((x) => x.location.line)).toEqual([1]);
    expect(r[0].message).toBe('Security group aws_security_group.app has 61 IPv4 inbound rules, more than the quota of 60 per direction.');
    expect(lines(sgs018, model([group(G, 1)], cidrs(61, 5, { direction: 'egress' })), { maxRules: 100 })).toEqual([]);
  });

  it('counts a declared prefix list as its max entries, an undeclared one as 1 with a note', () => {
    const pl: NetworkResource = {
      address: 'aws_ec2_managed_prefix_list.offices',
      format: 'terraform',
      resourceType: 'aws_ec2_managed_prefix_list',
      location: at('main.tf', 90),
      via: [],
      attributes: { max_entries: 20 },
      attributeLines: {},
      metadata: {},
    };
    const rules = [
      ...cidrs(41, 5),
      rule({ group: G, line: 70, protocol: 'tcp', from: 80, to: 80, peer: { kind: 'prefixList', ref: new ResourceRef('aws_ec2_managed_prefix_list.offices', 'id') }, index: 99 }),
    ];
    const m = { ...model([group(G, 1)], rules), resources: [pl] };
    expect(sgs018.run(m, { options: {} })[0].message).toContain('has 61 IPv4 inbound rules');
    const undeclared = [...cidrs(60, 5), rule({ group: G, line: 70, protocol: 'tcp', from: 80, to: 80, peer: { kind: 'prefixList', ref: 'pl-1' }, index: 99 })];
    expect(sgs018.run(model([group(G, 1)], undeclared), { options: {} })[0].message).toContain('(pl-1) were counted as 1 rule each');
  });
});
