import { describe, expect, it } from 'vitest';
import { check } from '../../../rules/security-group/admin-port-open-to-world.js';
import { Unknown } from '../../../src/model/value.js';
import { group, model, rule, sgPeer } from '../build.js';

const G = 'aws_security_group.bastion';

function run(rules: ReturnType<typeof rule>[], options: Record<string, unknown> = {}) {
  return check.run(model([group(G, 1)], rules), { options });
}

describe('SGS001 admin-port-open-to-world', () => {
  it('flags SSH from 0.0.0.0/0 at the rule line with a specific first sentence', () => {
    const r = run([rule({ group: G, line: 7, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/0' })]);
    expect(r).toHaveLength(1);
    expect(r[0].location).toEqual({ file: 'main.tf', line: 7, endLine: 13 });
    expect(r[0].message).toBe(
      'Security group aws_security_group.bastion allows SSH (tcp/22) from the whole internet (0.0.0.0/0).',
    );
    expect(r[0].resource).toBe(G);
    expect(r[0].certainty).toBe('definite');
    expect(r[0].key).toBe('ingress|tcp|22-22|0.0.0.0/0');
  });

  it('flags a tcp range that contains 22 and says how wide the rule is', () => {
    const r = run([rule({ group: G, line: 9, protocol: 'tcp', from: 20, to: 30, peer: '0.0.0.0/0' })]);
    expect(r.map((x) => x.location.line)).toEqual([9]);
    expect(r[0].message).toBe(
      'Security group aws_security_group.bastion allows SSH (tcp/22) from the whole internet (0.0.0.0/0). The rule admits tcp ports 20-30.',
    );
  });

  it('flags protocol -1 for both SSH and RDP (tcp and udp)', () => {
    const r = run([rule({ group: G, line: 4, protocol: '-1', from: 0, to: 0, peer: '0.0.0.0/0' })]);
    expect(r).toHaveLength(1);
    expect(r[0].location.line).toBe(4);
    expect(r[0].message).toMatch(/^Security group aws_security_group\.bastion allows SSH \(tcp\/22\) and RDP \(tcp\/3389, udp\/3389\) from the whole internet \(0\.0\.0\.0\/0\)\. The rule admits all traffic\.$/);
  });

  it('flags tcp 0-65535 and udp 3389, but not udp 22', () => {
    const r = run([
      rule({ group: G, line: 3, protocol: 'tcp', from: 0, to: 65535, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 10, protocol: 'udp', from: 3389, to: 3389, peer: '0.0.0.0/0', index: 1 }),
      rule({ group: G, line: 17, protocol: 'udp', from: 22, to: 22, peer: '0.0.0.0/0', index: 2 }),
    ]);
    expect(r.map((x) => x.location.line)).toEqual([3, 10]);
    expect(r[1].message).toContain('RDP (udp/3389)');
  });

  it('does not flag tcp 0-0, other ports, icmp or a protocol number without ports', () => {
    const r = run([
      rule({ group: G, line: 3, protocol: 'tcp', from: 0, to: 0, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 10, protocol: 'tcp', from: 443, to: 443, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 17, protocol: 'icmp', from: 22, to: -1, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 24, protocol: '50', from: 22, to: 22, peer: '0.0.0.0/0' }),
    ]);
    expect(r).toEqual([]);
  });

  it('treats ::/0 and 0:0:0:0:0:0:0:0/0 as the world, by value', () => {
    const r = run([
      rule({ group: G, line: 5, protocol: 'tcp', from: 22, to: 22, peer: '::/0' }),
      rule({ group: G, line: 12, protocol: 'tcp', from: 3389, to: 3389, peer: '0:0:0:0:0:0:0:0/0', index: 1 }),
    ]);
    expect(r.map((x) => x.location.line)).toEqual([5, 12]);
    expect(r[1].message).toContain('from the whole internet (::/0)');
    expect(r[1].key).toBe('ingress|tcp|3389-3389|::/0');
  });

  it('does not flag private ranges, a /1 or security-group sources', () => {
    const r = run([
      rule({ group: G, line: 3, protocol: 'tcp', from: 22, to: 22, peer: '10.0.0.0/8' }),
      rule({ group: G, line: 10, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/1' }),
      rule({ group: G, line: 17, protocol: '-1', from: 0, to: 0, peer: sgPeer('aws_security_group.vpn') }),
      rule({ group: G, line: 24, protocol: '-1', from: 0, to: 0, peer: sgPeer(G, true) }),
    ]);
    expect(r).toEqual([]);
  });

  it('never flags egress', () => {
    const r = run([rule({ group: G, line: 3, direction: 'egress', protocol: '-1', from: 0, to: 0, peer: '0.0.0.0/0' })]);
    expect(r).toEqual([]);
  });

  it('reports an unknown source as possible, naming the reason', () => {
    const peer = new Unknown('var.admin_cidr has no value');
    const r = run([rule({ group: G, line: 8, protocol: 'tcp', from: 22, to: 22, peer })]);
    expect(r).toHaveLength(1);
    expect(r[0].certainty).toBe('possible');
    expect(r[0].location.line).toBe(8);
    expect(r[0].assumptions).toEqual(['the source comes from var.admin_cidr, which may be 0.0.0.0/0']);
    expect(r[0].message).toMatch(/^Possibly: security group aws_security_group\.bastion allows SSH \(tcp\/22\) from the whole internet/);
    expect(r[0].message).toContain('the source comes from var.admin_cidr, which may be 0.0.0.0/0');
  });

  it('does not report an unknown source on a port that cannot be an admin port', () => {
    const r = run([rule({ group: G, line: 8, protocol: 'tcp', from: 443, to: 443, peer: new Unknown('x') })]);
    expect(r).toEqual([]);
  });

  it('reports unknown ports and unknown protocols from the world as possible', () => {
    const r = run([
      rule({ group: G, line: 3, protocol: 'tcp', from: new Unknown('var.port has no value'), to: 22, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 10, protocol: new Unknown('var.proto has no value'), from: 22, to: 22, peer: '0.0.0.0/0', index: 1 }),
    ]);
    expect(r.map((x) => [x.location.line, x.certainty])).toEqual([
      [3, 'possible'],
      [10, 'possible'],
    ]);
    expect(r[0].assumptions).toEqual(['the port range is unknown: var.port has no value']);
    expect(r[1].assumptions).toEqual(['the protocol is unknown: var.proto has no value']);
    // Unknown protocol with 22-22: SSH (tcp) and, if the protocol were udp/-1, nothing else on 22.
    expect(r[1].message).toContain('SSH (tcp/22)');
  });

  it('reports a rule that exists only under an unknown condition as possible', () => {
    const r = run([rule({ group: G, line: 3, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/0', condition: new Unknown('var.enabled is unknown') })]);
    expect(r[0].certainty).toBe('possible');
    expect(r[0].assumptions).toEqual(['the rule exists only if var.enabled is unknown']);
  });

  it('honours options.ports', () => {
    const rules = [
      rule({ group: G, line: 3, protocol: 'tcp', from: 5985, to: 5986, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 10, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/0', index: 1 }),
    ];
    const r = run(rules, { ports: [5985], udpPorts: [] });
    expect(r.map((x) => x.location.line)).toEqual([3]);
    expect(r[0].message).toContain('allows tcp/5985 from');
  });

  it('names the standalone rule resource and carries via', () => {
    const via = [{ file: 'root.tf', line: 2, endLine: 5 }];
    const rr = { ...rule({ group: G, line: 30, protocol: 'tcp', from: 22, to: 22, peer: '0.0.0.0/0', resource: 'aws_security_group_rule.ssh' }), via };
    const r = run([rr]);
    expect(r[0].resource).toBe('aws_security_group_rule.ssh');
    expect(r[0].via).toEqual(via);
    expect(r[0].message).toMatch(/^Security group aws_security_group\.bastion \(rule aws_security_group_rule\.ssh\) allows SSH/);
  });
});
