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

describe('SGS014 implicit-allow-all-egress', () => {
  it('reports the group of an implicit egress rule at the group line', () => {
    const g = group('App', 5, { format: 'cloudformation', resourceType: 'AWS::EC2::SecurityGroup' });
    const m = model([g, group('Other', 20)], [
      rule({ group: 'App', line: 5, direction: 'egress', protocol: '-1', peer: '0.0.0.0/0', origin: 'implicit' }),
      rule({ group: 'Other', line: 24, direction: 'egress', protocol: '-1', peer: '0.0.0.0/0' }),
    ]);
    const r = sgs014.run(m, { options: {} });
    expect(r.map((x) => [x.location.line, x.resource])).toEqual([[5, 'App']]);
  });
});
