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

describe('SGS015 invalid-group-name-or-description', () => {
  const g = (address: string, line: number, extra: Partial<SecurityGroup>) =>
    group(address, line, { attributeLines: { name: line + 1, description: line + 2 }, vpc: 'vpc-1', ...extra });

  it('flags sg- names, bad characters, length and duplicate names in one VPC', () => {
    const m = model(
      [
        g('aws_security_group.a', 1, { name: 'sg-a', description: 'ok' }),
        g('aws_security_group.b', 10, { name: 'b', description: 'naïve' }),
        g('aws_security_group.c', 20, { name: 'b', description: 'x'.repeat(256) }),
        g('aws_security_group.d', 30, { name: 'b', description: 'other VPC', vpc: 'vpc-2' }),
        g('aws_security_group.e', 40, { name: new Unknown('var.name has no value'), description: 'ok' }),
        g('aws_security_group.f', 50, { name: 'b', description: 'unknown VPC', vpc: new Unknown('var.vpc has no value') }),
      ],
      [],
    );
    const r = sgs015.run(m, { options: {} });
    expect(r.map((x) => [x.location.line, x.resource])).toEqual([
      [2, 'aws_security_group.a'],
      [12, 'aws_security_group.b'],
      [22, 'aws_security_group.c'],
      [21, 'aws_security_group.c'],
    ]);
    expect(r[1].message).toBe('The description of security group aws_security_group.b contains characters AWS does not accept ("ï").');
    expect(r[2].message).toContain('is 256 characters long (at most 255)');
    expect(r[3].message).toContain('has the same name "b" as aws_security_group.b (line 10)');
  });

  it('does not flag the allowed punctuation', () => {
    const m = model([g('aws_security_group.a', 1, { name: 'web_1.a-b', description: 'Web (HTTP, HTTPS) #1 @x [y] +=&;{}!$*:/' })], []);
    expect(sgs015.run(m, { options: {} })).toEqual([]);
  });
});
