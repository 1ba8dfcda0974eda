import { describe, expect, it } from 'vitest';
import { check as sgs010 } from '../../rules/security-group/sensitive-port-open-to-public-range.js';
import { check as sgs011 } from '../../rules/security-group/sensitive-port-open-to-wide-private-range.js';
import { check as sgs012 } from '../../rules/security-group/overly-broad-source.js';
import { check as sgs013 } from '../../rules/security-group/all-protocols-from-address-range.js';
import { check as sgs014 } from '../../rules/security-group/implicit-allow-all-egress.js';
import { check as sgs015 } from '../../rules/security-group/invalid-group-name-or-description.js';
import { check as sgs016 } from '../../rules/security-group/redundant-rule.js';
import { check as sgs017 } from '../../rules/security-group/inline-and-standalone-rules.js';
import { check as sgs018 } from '../../rules/security-group/too-many-rules.js';
import { check as sgs019 } from '../../rules/security-group/too-many-groups-per-interface.js';
import type { Check } from '../../src/model/check.js';
import { at } from '../../src/model/location.js';
import type { Model, NetworkResource, SecurityGroup } from '../../src/model/model.js';
import { isPublicCidr, parseCidr } from '../../src/model/peer.js';
import { ResourceRef, Unknown } from '../../src/model/value.js';
import { group, model, rule, sgPeer } from '../rules/build.js';

const G = 'aws_security_group.app';
const lines = (c: Check, m: Model, options: Record<string, unknown> = {}) => c.run(m, { options }).map((r) => r.location.line);

describe('isPublicCidr', () => {
  it.each([
    ['172.32.0.0/16', true],
    ['172.16.0.0/12', false],
    ['172.16.0.0/11', true],
    ['100.64.0.0/10', false],
    ['100.64.0.0/9', true],
    ['203.0.113.8/29', true],
    ['52.1.2.0/29', true],
    ['10.0.0.0/8', false],
    ['10.0.0.0/7', true],
    ['192.168.0.0/15', true],
    ['0.0.0.0/8', false],
    ['0.0.0.0/1', true],
    ['fd00::/8', false],
    ['fc00::/6', true],
    ['::ffff:10.0.0.0/104', false],
    ['::ffff:8.8.8.0/120', true],
    ['::/0', true],
  ])('%s → %s', (cidr, expected) => {
    expect(isPublicCidr(parseCidr(cidr))).toBe(expected);
  });
});
