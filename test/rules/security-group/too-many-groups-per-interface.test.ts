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

describe('SGS019 too-many-groups-per-interface', () => {
  const res = (resourceType: string, attributes: NetworkResource['attributes'], attributeLines: Record<string, number>): NetworkResource => ({
    address: 'X',
    format: resourceType.startsWith('AWS::') ? 'cloudformation' : 'terraform',
    resourceType,
    location: at('f', 1, 20),
    via: [],
    attributes,
    attributeLines,
    metadata: {},
  });
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `sg-${i}`);

  it('flags more than 5 distinct groups at the attribute line, per interface', () => {
    const m = (r: NetworkResource) => ({ ...model([], []), resources: [r] });
    expect(lines(sgs019, m(res('aws_instance', { vpc_security_group_ids: ids(6) }, { vpc_security_group_ids: 4 })))).toEqual([4]);
    expect(lines(sgs019, m(res('aws_instance', { vpc_security_group_ids: [...ids(5), 'sg-0'] }, { vpc_security_group_ids: 4 })))).toEqual([]);
    expect(lines(sgs019, m(res('aws_instance', { vpc_security_group_ids: ids(6) }, { vpc_security_group_ids: 4 })), { maxGroups: 6 })).toEqual([]);
    expect(
      lines(sgs019, m(res('AWS::EC2::LaunchTemplate', { LaunchTemplateData: { NetworkInterfaces: [{ Groups: ids(2) }, { Groups: ids(7) }] } }, { LaunchTemplateData: 9 }))),
    ).toEqual([9]);
    expect(lines(sgs019, m(res('AWS::EC2::NetworkInterface', { GroupSet: [...ids(5), new Unknown('Fn::ImportValue')] }, { GroupSet: 3 })))).toEqual([3]);
    expect(lines(sgs019, m(res('aws_network_interface', { security_groups: new Unknown('var.sgs has no value') }, { security_groups: 3 })))).toEqual([]);
  });
});
