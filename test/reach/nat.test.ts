import { describe as suite, expect, test } from 'vitest';
import { describe } from '../../src/sets/describe.js';
import { load } from './helpers.js';

// Egress through a NAT gateway (issue 14 class 6, issue 20): the NAT subnet's network ACL is checked
// on the way out and back, the NAT subnet's route to the internet is matched by longest prefix, and
// the path lists the NAT gateway, its Elastic IP, its subnet's NACL and internet route with lines.

for (const [format, file, ids] of [
  ['Terraform', undefined, { a: 'aws_instance.app_a', b: 'aws_instance.app_b', nat: 'aws_nat_gateway.a', eip: 'aws_eip.nat_a', natLine: 63, eipLine: 59, routeLine: 35, igwLine: 9, acl: 'aws_network_acl.nat_b', aclLines: [104, 107] }],
  ['CloudFormation', 'template.yaml', { a: 'AppA', b: 'AppB', nat: 'NatA', eip: 'NatEipA', natLine: 71, eipLine: 67, routeLine: 43, igwLine: 8, acl: 'NatBAcl', aclLines: [115, 119] }],
] as const) {
  suite(`NAT egress (${format})`, async () => {
    const { engine } = await load('nat', file);
    const internet = engine.internetFor(ids.a);

    test('the NAT subnet reaches the internet through 0.0.0.0/1 and 128.0.0.0/1; a more specific route takes 198.51.100.0/24 elsewhere', () => {
      const r = engine.reachOutbound(ids.a, internet);
      expect(r.verdict).toBe('reachable');
      expect(describe(r.allowed, { preposition: 'to', internet })).toBe('all traffic to the IPv4 internet except 198.51.100.0/24');
    });

    test('the path lists the NAT gateway, its Elastic IP, its subnet NACL and its internet route, with their lines', () => {
      const r = engine.reachOutbound(ids.a, internet);
      const at = r.path.map((h) => `${h.line} ${h.message}`);
      expect(at).toContainEqual(expect.stringMatching(new RegExp(`^${ids.natLine} NAT gateway ${ids.nat} `)));
      expect(at).toContainEqual(expect.stringMatching(new RegExp(`^${ids.eipLine} Elastic IP ${ids.eip} `)));
      expect(at).toContainEqual(expect.stringMatching(new RegExp(`^${ids.routeLine} route 0\\.0\\.0\\.0/1 → `)));
      expect(at).toContainEqual(`${ids.igwLine} internet gateway ${format === 'Terraform' ? 'aws_internet_gateway.main' : 'Igw'}`);
      expect(at.filter((h) => /NACL .* NAT subnet/.test(h)).length).toBe(4);
    });

    test("replies the NAT subnet's NACL does not let back in: not reachable, and that NACL is the blocker", () => {
      const r = engine.reachOutbound(ids.b, engine.internetFor(ids.b));
      expect(r.verdict).toBe('not-reachable');
      expect(r.blockers.length).toBeGreaterThan(0);
      for (const b of r.blockers) {
        expect(b.message).toContain(ids.acl);
        expect(ids.aclLines).toContain(b.line);
      }
    });
  });
}
