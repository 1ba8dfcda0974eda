import { describe, expect, it } from 'vitest';
import { check } from '../../../rules/security-group/port-open-to-world.js';
import { Unknown } from '../../../src/model/value.js';
import { group, model, rule } from '../build.js';

const G = 'aws_security_group.web';
const run = (rules: ReturnType<typeof rule>[], options: Record<string, unknown> = {}) =>
  check.run(model([group(G, 1)], rules), { options });

describe('SGS005 port-open-to-world', () => {
  it('allows 80 and 443 but flags 8080 and a range spilling past 443', () => {
    const r = run([
      rule({ group: G, line: 3, protocol: 'tcp', from: 443, to: 443, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 10, protocol: 'tcp', from: 80, to: 80, peer: '::/0' }),
      rule({ group: G, line: 17, protocol: 'tcp', from: 8080, to: 8080, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 24, protocol: 'tcp', from: 443, to: 444, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 31, protocol: 'udp', from: 443, to: 443, peer: '0.0.0.0/0' }),
    ]);
    expect(r.map((x) => x.location.line)).toEqual([17, 24, 31]);
    expect(r[0].message).toBe(
      'Security group aws_security_group.web allows tcp port 8080 from the whole internet (0.0.0.0/0), outside the ports allowed to face it (tcp 80, 443).',
    );
  });

  it('skips all-traffic rules, icmp, private and group sources, egress', () => {
    const r = run([
      rule({ group: G, line: 3, protocol: '-1', peer: '0.0.0.0/0' }),
      rule({ group: G, line: 10, protocol: 'tcp', from: 0, to: 65535, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 17, protocol: 'icmp', from: -1, to: -1, peer: '0.0.0.0/0' }),
      rule({ group: G, line: 24, protocol: 'tcp', from: 8080, to: 8080, peer: '192.168.0.0/16' }),
      rule({ group: G, line: 31, direction: 'egress', protocol: 'tcp', from: 25, to: 25, peer: '0.0.0.0/0' }),
    ]);
    expect(r).toEqual([]);
  });

  it('reports unknown ports from the world as possible, and honours allowedPorts', () => {
    const r = run([rule({ group: G, line: 5, protocol: 'tcp', from: new Unknown('var.port has no value'), to: 443, peer: '0.0.0.0/0' })]);
    expect(r.map((x) => [x.location.line, x.certainty])).toEqual([[5, 'possible']]);
    expect(r[0].assumptions).toEqual(['the port range is unknown: var.port has no value']);
    const ok = run([rule({ group: G, line: 5, protocol: 'tcp', from: 8443, to: 8443, peer: '0.0.0.0/0' })], { allowedPorts: [443, 8443] });
    expect(ok).toEqual([]);
  });
});
