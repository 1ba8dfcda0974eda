import { describe, expect, it } from 'vitest';
import { check } from '../../../rules/security-group/high-risk-port-open-to-world.js';
import { Unknown } from '../../../src/model/value.js';
import { group, model, rule } from '../build.js';

const G = 'aws_security_group.db';
const run = (rules: ReturnType<typeof rule>[], options: Record<string, unknown> = {}) =>
  check.run(model([group(G, 1)], rules), { options });

describe('SGS004 high-risk-port-open-to-world', () => {
  it('flags PostgreSQL from the world and names the service', () => {
    const r = run([rule({ group: G, line: 6, protocol: 'tcp', from: 5432, to: 5432, peer: '0.0.0.0/0' })]);
    expect(r.map((x) => x.location.line)).toEqual([6]);
    expect(r[0].message).toBe('Security group aws_security_group.db allows PostgreSQL (tcp/5432) from the whole internet (0.0.0.0/0).');
  });

  it('lists every high-risk port inside a range', () => {
    const r = run([rule({ group: G, line: 6, protocol: 'tcp', from: 6000, to: 7000, peer: '::/0' })]);
    expect(r[0].message).toBe(
      'Security group aws_security_group.db allows Redis (tcp/6379) and Cassandra (tcp/7000) from the whole internet (::/0). The rule admits tcp ports 6000-7000.',
    );
  });

  it('flags udp 11211 but not udp 5432, and leaves SSH, all-traffic and private sources to others', () => {
    const r = run([
      rule({ group: G, line: 3, protocol: 'udp', from: 11211, to: 11211, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 10, protocol: 'udp', from: 5432, to: 5432, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 17, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 24, protocol: '-1', peer: '0.0.0.0/0' }),
      rule({ group: G, line: 31, protocol: 'tcp', from: 3306, to: 3306, peer: '10.0.0.0/8' }),
      rule({ group: G, line: 38, direction: 'egress', protocol: 'tcp', from: 3306, to: 3306, peer: '0.0.0.0/0' }),
    ]);
    expect(r.map((x) => x.location.line)).toEqual([3]);
  });

  it('reports an unknown protocol as possible, and honours options', () => {
    const r = run([rule({ group: G, line: 5, protocol: new Unknown('var.p has no value'), from: 3306, to: 3306, peer: '0.0.0.0/0' })]);
    expect(r.map((x) => [x.location.line, x.certainty])).toEqual([[5, 'possible']]);
    const custom = run([rule({ group: G, line: 5, protocol: 'tcp', from: 3306, to: 3306, peer: '0.0.0.0/0' })], { ports: [9999], udpPorts: [] });
    expect(custom).toEqual([]);
  });
});
