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

describe('SGS010 sensitive-port-open-to-public-range', () => {
  it('flags SSH and PostgreSQL from public non-world ranges, not private, world or unlisted ports', () => {
    const m = model([group(G, 1)], [
      rule({ group: G, line: 3, protocol: 'tcp', from: 22, to: 22, peer: '198.51.100.7/32' }),
      rule({ group: G, line: 10, protocol: 'tcp', from: 5432, to: 5432, peer: '172.32.0.0/16', index: 1 }),
      rule({ group: G, line: 17, protocol: 'tcp', from: 22, to: 22, peer: '172.16.0.0/12', index: 2 }),
      rule({ group: G, line: 24, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/0', index: 3 }),
      rule({ group: G, line: 31, protocol: 'tcp', from: 443, to: 443, peer: '198.51.100.0/24', index: 4 }),
    ]);
    const r = sgs010.run(m, { options: {} });
    expect(r.map((x) => x.location.line)).toEqual([3, 10]);
    expect(r[0].message).toBe('Security group aws_security_group.app allows SSH (tcp/22) from the documentation range 198.51.100.7/32 (inside 198.51.100.0/24, a placeholder for public addresses; 1 address).');
    expect(lines(sgs010, m, { allowedCidrs: ['198.51.100.0/24'] })).toEqual([10]);
  });

  it('leaves rules of a world cover to SGS001 and shortens long lists', () => {
    const halves = model([group(G, 1)], [
      rule({ group: G, line: 3, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/1' }),
      rule({ group: G, line: 10, protocol: 'tcp', from: 22, to: 22, peer: '128.0.0.0/1', index: 1 }),
    ]);
    expect(lines(sgs010, halves)).toEqual([]);
    const all = sgs010.run(model([group(G, 1)], [rule({ group: G, line: 3, protocol: 'tcp', from: 0, to: 65535, peer: '52.0.0.0/16' })]), { options: {} });
    expect(all[0].message).toMatch(/^Security group aws_security_group\.app allows FTP data \(tcp\/20\), .* and \d+ more sensitive ports from the public address range 52\.0\.0\.0\/16/);
  });
});
