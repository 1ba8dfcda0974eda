import { describe, expect, it } from 'vitest';
import { check } from '../../../rules/security-group/all-traffic-open-to-world.js';
import { Unknown } from '../../../src/model/value.js';
import { group, model, rule, sgPeer } from '../build.js';

const G = 'aws_security_group.web';

function run(rules: ReturnType<typeof rule>[]) {
  return check.run(model([group(G, 1)], rules), { options: {} });
}

describe('SGS002 all-traffic-open-to-world', () => {
  it('flags protocol -1 from 0.0.0.0/0 and "all" from ::/0 at their lines', () => {
    const r = run([
      rule({ group: G, line: 5, protocol: '-1', from: 0, to: 0, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 12, protocol: 'all', peer: '0:0:0:0:0:0:0:0/0', index: 1 }),
    ]);
    expect(r.map((x) => x.location.line)).toEqual([5, 12]);
    expect(r[0].message).toBe('Security group aws_security_group.web allows all traffic from the whole internet (0.0.0.0/0).');
    expect(r[1].message).toBe('Security group aws_security_group.web allows all traffic from the whole internet (::/0).');
    expect(r[0].key).toBe('ingress|all|all|0.0.0.0/0');
  });

  it('flags tcp 0-65535 and udp -1/-1 (every port)', () => {
    const r = run([
      rule({ group: G, line: 5, protocol: 'tcp', from: 0, to: 65535, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 12, protocol: 'udp', from: -1, to: -1, peer: '0.0.0.0/0', index: 1 }),
    ]);
    expect(r.map((x) => x.location.line)).toEqual([5, 12]);
    expect(r[0].message).toBe(
      'Security group aws_security_group.web allows every tcp port (0-65535) from the whole internet (0.0.0.0/0).',
    );
  });

  it('does not flag narrower ranges, single protocols without ports, private or group sources, or egress', () => {
    const r = run([
      rule({ group: G, line: 3, protocol: 'tcp', from: 1, to: 65535, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 10, protocol: '50', peer: '0.0.0.0/0' }),
      rule({ group: G, line: 17, protocol: 'icmp', from: -1, to: -1, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 24, protocol: '-1', from: 0, to: 0, peer: '10.0.0.0/8' }),
      rule({ group: G, line: 31, protocol: '-1', from: 0, to: 0, peer: sgPeer('aws_security_group.alb') }),
      rule({ group: G, line: 38, direction: 'egress', protocol: '-1', from: 0, to: 0, peer: '0.0.0.0/0' }),
    ]);
    expect(r).toEqual([]);
  });

  it('reports unknown peer, protocol or ports as possible with their reasons', () => {
    const r = run([
      rule({ group: G, line: 3, protocol: '-1', from: 0, to: 0, peer: new Unknown('var.cidr has no value') }),
      rule({ group: G, line: 10, protocol: new Unknown('var.proto has no value'), from: 0, to: 0, peer: '::/0' }),
      rule({ group: G, line: 17, protocol: 'tcp', from: new Unknown('var.from has no value'), to: 65535, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 24, protocol: 'tcp', from: 443, to: 443, peer: new Unknown('var.cidr has no value') }),
    ]);
    expect(r.map((x) => [x.location.line, x.certainty])).toEqual([
      [3, 'possible'],
      [10, 'possible'],
      [17, 'possible'],
    ]);
    expect(r[0].assumptions).toEqual(['the source comes from var.cidr, which may be 0.0.0.0/0']);
    expect(r[1].assumptions).toEqual(['the protocol is unknown: var.proto has no value']);
    expect(r[2].assumptions).toEqual(['the port range is unknown: var.from has no value']);
    expect(r[0].message).toMatch(/^Possibly: security group aws_security_group\.web allows all traffic from the whole internet/);
  });
});
