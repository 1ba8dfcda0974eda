import { describe as suite, expect, test } from 'vitest';
import { PUBLIC_ADDRESSES } from '../../src/sets/public.js';

const onInternet = { internet: PUBLIC_ADDRESSES };
import { describe } from '../../src/sets/describe.js';
import { serviceFrom, ALL_ADDRESSES } from '../../src/sets/setops.js';
import * as iv from '../../src/sets/interval.js';
import { ResourceRef, Unknown } from '../../src/model/value.js';
import { Engine } from '../../src/reach/engine.js';
import { allEgress, baseNetwork, engine, entry, group, instance, nacl, rule } from './net.js';

// The engine on hand-built networks: each test changes one layer of a reachable setup.

const ssh = serviceFrom(6, iv.range(22), ALL_ADDRESSES);

function setup() {
  const net = baseNetwork();
  net.endpoints.push(instance('aws_instance.web', 'aws_subnet.public', ['aws_security_group.web'], true, 50));
  const groups = [group('aws_security_group.web', 60)];
  const rules = [rule('aws_security_group.web', 'ingress', 'tcp', 22, 22, '0.0.0.0/0', 62), allEgress('aws_security_group.web', 64)];
  return { net, groups, rules };
}

suite('internet to an instance', () => {
  test('public subnet, public IP, open group: reachable, with the path through the code', () => {
    const { net, groups, rules } = setup();
    const r = engine(net, groups, rules).reach({ kind: 'internet' }, 'aws_instance.web');
    expect(r.verdict).toBe('reachable');
    expect(describe(r.allowed, onInternet)).toBe('tcp/22 from anywhere on the IPv4 internet');
    expect(r.path.map((h) => `${h.file}:${h.line}`)).toEqual(['net.tf:51', 'net.tf:5', 'net.tf:22', 'net.tf:90', 'net.tf:62', 'net.tf:90']);
    expect(r.blockers).toEqual([]);
  });

  test('no public IP: not reachable, and every blocker is named', () => {
    const { net, groups, rules } = setup();
    net.endpoints[0] = instance('aws_instance.web', 'aws_subnet.private', ['aws_security_group.web'], false, 50);
    const r = engine(net, groups, rules).reach({ kind: 'internet' }, 'aws_instance.web');
    expect(r.verdict).toBe('not-reachable');
    const text = r.blockers.map((b) => `${b.line} ${b.message}`);
    expect(text).toContain('51 aws_instance.web has no public IPv4 address (associate_public_ip_address = false)');
    expect(text).toContain('30 route table aws_route_table.private of subnet aws_subnet.private has no route to an internet gateway');
  });

  test('a public IP whose value is unknown: possibly reachable, the assumption named', () => {
    const { net, groups, rules } = setup();
    net.endpoints[0].publicIp = { value: new Unknown('var.public has no value'), reason: 'associate_public_ip_address = var.public', line: 51 };
    const r = engine(net, groups, rules).reach({ kind: 'internet' }, 'aws_instance.web');
    expect(r.verdict).toBe('possibly-reachable');
    expect(describe(r.allowed)).toBe('no traffic');
    expect(describe(r.possible, onInternet)).toBe('tcp/22 from anywhere on the IPv4 internet');
    expect(r.assumptions.join(' ')).toContain('var.public has no value');
  });

  test('several groups: the union of their rules', () => {
    const { net, groups, rules } = setup();
    net.endpoints[0].securityGroups.push(new ResourceRef('aws_security_group.b', 'id'));
    groups.push(group('aws_security_group.b', 70));
    rules.push(rule('aws_security_group.web', 'ingress', 'tcp', 0, 1000, '0.0.0.0/0', 63), rule('aws_security_group.b', 'ingress', 'tcp', 1001, 65535, '0.0.0.0/0', 72));
    const r = engine(net, groups, rules).reach({ kind: 'internet' }, 'aws_instance.web');
    expect(describe(r.allowed, onInternet)).toBe('tcp/0-65535 from anywhere on the IPv4 internet');
  });
});

suite('network ACLs', () => {
  function withNacl(ingress: ReturnType<typeof entry>[], egress: ReturnType<typeof entry>[]) {
    const s = setup();
    s.net.nacls.push(nacl('aws_network_acl.custom', ingress, egress));
    s.net.subnets[0].nacl = 'aws_network_acl.custom';
    return s;
  }
  const replies = [entry(100, 'allow', 'tcp', '0.0.0.0/0', 1024, 65535, 95)];

  test('a deny before an allow wins for the addresses it names', () => {
    const { net, groups, rules } = withNacl([entry(50, 'deny', 'tcp', '198.51.100.0/24', 22, 22, 91), entry(100, 'allow', 'tcp', '0.0.0.0/0', 22, 22, 92)], replies);
    const r = engine(net, groups, rules).reach({ kind: 'internet' }, 'aws_instance.web');
    expect(r.verdict).toBe('reachable');
    expect(describe(r.allowed, onInternet)).toBe('tcp/22 from the IPv4 internet except 198.51.100.0/24');
    expect(r.path.some((h) => h.line === 92 && h.message.includes('ingress rule 100'))).toBe(true);
  });

  test('a deny after an allow changes nothing', () => {
    const { net, groups, rules } = withNacl([entry(100, 'allow', 'tcp', '0.0.0.0/0', 22, 22, 92), entry(200, 'deny', 'tcp', '198.51.100.0/24', 22, 22, 93)], replies);
    const r = engine(net, groups, rules).reach({ kind: 'internet' }, 'aws_instance.web');
    expect(describe(r.allowed, onInternet)).toBe('tcp/22 from anywhere on the IPv4 internet');
  });

  test('the request gets in but the reply cannot leave: not reachable', () => {
    const { net, groups, rules } = withNacl([entry(100, 'allow', 'tcp', '0.0.0.0/0', 22, 22, 92)], [entry(100, 'allow', 'tcp', '0.0.0.0/0', 443, 443, 96)]);
    const r = engine(net, groups, rules).reach({ kind: 'internet' }, 'aws_instance.web');
    expect(r.verdict).toBe('not-reachable');
    expect(r.blockers.map((b) => b.message)).toEqual(['network ACL aws_network_acl.custom of subnet aws_subnet.public allows none of the replies to client ports 1024-65535 (implicit deny)']);
  });

  test('a custom NACL without entries denies everything, both ways', () => {
    const { net, groups, rules } = withNacl([], []);
    const r = engine(net, groups, rules).reach({ kind: 'internet' }, 'aws_instance.web');
    expect(r.verdict).toBe('not-reachable');
    expect(r.blockers.filter((b) => b.message.includes('has no'))).toHaveLength(2);
  });

  test('the ephemeral range is configurable', () => {
    const { net, groups, rules } = withNacl([entry(100, 'allow', 'tcp', '0.0.0.0/0', 22, 22, 92)], [entry(100, 'allow', 'tcp', '0.0.0.0/0', 32768, 65535, 96)]);
    expect(new Engine(net, groups, rules).reach({ kind: 'internet' }, 'aws_instance.web').verdict).toBe('not-reachable');
    expect(new Engine(net, groups, rules, undefined, { ephemeralPorts: { from: 32768, to: 60999 } }).reach({ kind: 'internet' }, 'aws_instance.web').verdict).toBe('reachable');
  });
});

suite('between endpoints', () => {
  function east() {
    const net = baseNetwork();
    net.endpoints.push(
      instance('aws_instance.app', 'aws_subnet.private', ['aws_security_group.app'], false, 50),
      instance('aws_instance.db', 'aws_subnet.private', ['aws_security_group.db'], false, 55),
      instance('aws_instance.other', 'aws_subnet.private', ['aws_security_group.other'], false, 58),
    );
    const groups = [group('aws_security_group.app', 60), group('aws_security_group.db', 70), group('aws_security_group.other', 80)];
    const rules = [
      allEgress('aws_security_group.app', 61),
      allEgress('aws_security_group.other', 81),
      rule('aws_security_group.db', 'ingress', 'tcp', 5432, 5432, { group: 'aws_security_group.app' }, 72),
    ];
    return { net, groups, rules };
  }

  test('a group reference admits the members of that group only', () => {
    const { net, groups, rules } = east();
    const e = engine(net, groups, rules);
    const ok = e.reach({ kind: 'endpoint', id: 'aws_instance.app' }, 'aws_instance.db');
    expect(ok.verdict).toBe('reachable');
    expect(describe(ok.allowed)).toBe('tcp/5432 from 10.0.2.0/24');
    expect(ok.path.map((h) => h.line)).toEqual([61, 72]);
    const no = e.reach({ kind: 'endpoint', id: 'aws_instance.other' }, 'aws_instance.db');
    expect(no.verdict).toBe('not-reachable');
    // Same subnet, so the NACL is never consulted: only the group blocks.
    expect(no.blockers.map((b) => b.message)).toEqual(['no security group rule of aws_instance.db (aws_security_group.db) admits the traffic from aws_instance.other']);
  });

  test('a CIDR source is never a member of a group', () => {
    const { net, groups, rules } = east();
    const r = engine(net, groups, rules).reach({ kind: 'cidr', cidr: '10.0.2.0/24' }, 'aws_instance.db');
    expect(r.verdict).toBe('not-reachable');
  });

  test('NACLs are skipped inside one subnet and applied between subnets', () => {
    const { net, groups, rules } = east();
    net.nacls.push(nacl('aws_network_acl.closed', [], []));
    net.subnets[1].nacl = 'aws_network_acl.closed';
    const e = engine(net, groups, rules);
    expect(e.reach({ kind: 'endpoint', id: 'aws_instance.app' }, 'aws_instance.db').verdict).toBe('reachable');
    net.endpoints[0] = instance('aws_instance.app', 'aws_subnet.public', ['aws_security_group.app'], false, 50);
    expect(engine(net, groups, rules).reach({ kind: 'endpoint', id: 'aws_instance.app' }, 'aws_instance.db').verdict).toBe('not-reachable');
  });

  test('no egress rule on the source (Terraform without egress): not reachable', () => {
    const { net, groups, rules } = east();
    const without = rules.filter((r) => !(r.group === 'aws_security_group.app' && r.direction === 'egress'));
    const r = engine(net, groups, without).reach({ kind: 'endpoint', id: 'aws_instance.app' }, 'aws_instance.db');
    expect(r.verdict).toBe('not-reachable');
    expect(r.blockers[0].message).toBe('no egress rule of aws_instance.app (aws_security_group.app) lets the traffic out to aws_instance.db');
  });

  test('the implicit default group lets its members talk to each other', () => {
    const net = baseNetwork();
    net.endpoints.push(instance('aws_instance.a', 'aws_subnet.private', [], false, 50), instance('aws_instance.b', 'aws_subnet.private', [], false, 55));
    const r = engine(net, [], []).reach({ kind: 'endpoint', id: 'aws_instance.a' }, 'aws_instance.b', ssh);
    expect(r.verdict).toBe('reachable');
    expect(describe(r.allowed)).toBe('tcp/22 from 10.0.2.0/24');
    expect(engine(net, [], []).reach({ kind: 'internet' }, 'aws_instance.b').verdict).toBe('not-reachable');
  });
});
