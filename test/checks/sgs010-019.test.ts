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
import { group, model, rule, sgPeer } from './build.js';

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
    expect(r[0].message).toBe('Security group aws_security_group.app allows SSH (tcp/22) from the public address range 198.51.100.7/32 (1 address).');
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

describe('SGS011 sensitive-port-open-to-wide-private-range', () => {
  it('flags private ranges wider than minPrefix (default /16)', () => {
    const m = model([group(G, 1)], [
      rule({ group: G, line: 3, protocol: 'tcp', from: 22, to: 22, peer: '10.0.0.0/8' }),
      rule({ group: G, line: 10, protocol: 'tcp', from: 3306, to: 3306, peer: '10.0.0.0/15', index: 1 }),
      rule({ group: G, line: 17, protocol: 'tcp', from: 22, to: 22, peer: '10.1.0.0/16', index: 2 }),
      rule({ group: G, line: 24, protocol: 'tcp', from: 443, to: 443, peer: '10.0.0.0/8', index: 3 }),
      rule({ group: G, line: 31, protocol: 'tcp', from: 22, to: 22, peer: '52.0.0.0/8', index: 4 }),
    ]);
    expect(lines(sgs011, m)).toEqual([3, 10]);
    expect(lines(sgs011, m, { minPrefix: 12 })).toEqual([3]);
  });
});

describe('SGS012 overly-broad-source', () => {
  it('flags prefixes shorter than /8 (IPv4) and /32 (IPv6), never the world', () => {
    const m = model([group(G, 1)], [
      rule({ group: G, line: 3, protocol: 'tcp', from: 443, to: 443, peer: '96.0.0.0/3' }),
      rule({ group: G, line: 10, protocol: 'tcp', from: 443, to: 443, peer: '10.0.0.0/8', index: 1 }),
      rule({ group: G, line: 17, protocol: 'tcp', from: 443, to: 443, peer: '0.0.0.0/0', index: 2 }),
      rule({ group: G, line: 24, protocol: 'tcp', from: 443, to: 443, peer: '2000::/3', index: 3 }),
      rule({ group: G, line: 31, protocol: 'tcp', from: 443, to: 443, peer: '96.0.0.0/3', direction: 'egress' }),
    ]);
    expect(lines(sgs012, m)).toEqual([3, 24]);
    expect(lines(sgs012, m, { minPrefix: 9 })).toEqual([3, 10, 24]);
  });
});

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

describe('SGS017 inline-and-standalone-rules', () => {
  it('reports groups the front end marked as mixing, at the group line', () => {
    const m = model([group(G, 1, { mixesInlineAndStandalone: true }), group('aws_security_group.b', 20)], [
      rule({ group: G, line: 30, protocol: 'tcp', from: 80, to: 80, peer: '10.0.0.0/8', resource: 'aws_security_group_rule.http' }),
    ]);
    const r = sgs017.run(m, { options: {} });
    expect(r.map((x) => [x.location.line, x.resource])).toEqual([[1, G]]);
    expect(r[0].message).toContain('(aws_security_group_rule.http)');
  });
});

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
