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

describe('SGS013 all-protocols-from-address-range', () => {
  it('flags -1 from a CIDR or prefix list, not from a group, the world or with ports', () => {
    const m = model([group(G, 1)], [
      rule({ group: G, line: 3, protocol: '-1', from: 0, to: 0, peer: '10.0.0.0/16' }),
      rule({ group: G, line: 10, protocol: '-1', from: 0, to: 0, peer: { kind: 'prefixList', ref: 'pl-123' }, index: 1 }),
      rule({ group: G, line: 17, protocol: '-1', from: 0, to: 0, peer: sgPeer('aws_security_group.lb'), index: 2 }),
      rule({ group: G, line: 24, protocol: '-1', from: 0, to: 0, peer: '0.0.0.0/0', index: 3 }),
      rule({ group: G, line: 31, protocol: 'tcp', from: 0, to: 65535, peer: '10.0.0.0/16', index: 4 }),
    ]);
    const r = sgs013.run(m, { options: {} });
    expect(r.map((x) => x.location.line)).toEqual([3, 10]);
    expect(r[1].message).toBe('Security group aws_security_group.app allows every protocol and port (-1) from prefix list pl-123.');
  });
});
