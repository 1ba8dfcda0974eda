import { describe as suite, expect, test } from 'vitest';
import { check as internetExposure } from '../../rules/reachability/internet-exposure.js';
import { buildModel } from '../../src/pipeline/scan.js';
import { runChecks } from '../../src/pipeline/runner.js';
import { describe } from '../../src/sets/describe.js';
import * as iv from '../../src/sets/interval.js';
import { PUBLIC_ADDRESSES } from '../../src/sets/public.js';
import { addressesOf, intersectAddresses, noAddresses, projectAddresses, serviceFrom, subtractAddresses } from '../../src/sets/setops.js';
import { load } from './helpers.js';

// Issue 14, false class 1: the internet is the public address space. A private, shared, loopback,
// link-local, multicast or other non-public source is never an internet client; documentation
// ranges stay public. Allowed traffic reads relative to the internet, never as "0.0.0.0/0 except
// <the VPC>", which looks like an exception the user wrote.

const internet = { kind: 'internet' } as const;

for (const [format, file, ids] of [
  ['Terraform', undefined, { priv: 'aws_instance.private_only', doc: 'aws_instance.documentation', world: 'aws_instance.world', v4: 'aws_instance.world_v4' }],
  ['CloudFormation', 'template.yaml', { priv: 'PrivateOnly', doc: 'Documentation', world: 'World', v4: 'WorldV4' }],
] as const) {
  suite(`non-public sources (${format})`, async () => {
    const { engine } = await load('private-sources', file);

    test('a group that admits only non-public space is not reachable from the internet', () => {
      const r = engine.reach(internet, ids.priv);
      expect(r.verdict).toBe('not-reachable');
      expect(describe(r.possible)).toBe('no traffic');
    });

    test('a documentation range is a public client', () => {
      const r = engine.reach(internet, ids.doc);
      expect(r.verdict).toBe('reachable');
      expect(describe(r.allowed, { internet: engine.internetFor(ids.doc) })).toBe('tcp/22 from 203.0.113.0/24');
    });

    test('the whole internet reads as such, per family when only one gets through', () => {
      const world = engine.reach(internet, ids.world);
      expect(describe(world.allowed, { internet: engine.internetFor(ids.world) })).toBe('tcp/22 from anywhere on the internet');
      const v4 = engine.reach(internet, ids.v4);
      expect(describe(v4.allowed, { internet: engine.internetFor(ids.v4) })).toBe('tcp/22 from anywhere on the IPv4 internet');
    });

    test('the internet never includes non-public addresses', () => {
      const r = engine.reach(internet, ids.world);
      const nonPublic = addressesOf(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '100.64.0.0/10', '0.0.0.0/8', '169.254.0.0/16', '224.0.0.0/3', '::1/128', '::/128', 'fc00::/7', 'fe80::/10', 'ff00::/8']);
      expect(noAddresses(intersectAddresses(projectAddresses(r.possible), nonPublic))).toBe(true);
    });
  });
}

suite('SGS040 on non-public sources', () => {
  test('no finding for a group that admits non-public space only; the others say "the internet", not "0.0.0.0/0 except"', async () => {
    const model = await buildModel({ paths: ['fixtures/reach/private-sources'], cwd: process.cwd() });
    const findings = runChecks(model, [internetExposure]);
    expect(findings.map((f) => f.resource).sort()).toEqual(['Documentation', 'World', 'WorldV4', 'aws_instance.documentation', 'aws_instance.world', 'aws_instance.world_v4']);
    for (const f of findings) expect(f.message.replace(/; path: .*$/, '')).not.toMatch(/0\.0\.0\.0\/0|::\/0|except|10\.0\.|fc00|fe80/);
    expect(findings.find((f) => f.resource === 'aws_instance.world')?.message).toMatch(/^aws_instance\.world is reachable from the internet on tcp\/22 \(SSH\): tcp\/22 from anywhere on the internet; path: /);
    expect(findings.find((f) => f.resource === 'WorldV4')?.message).toMatch(/: tcp\/22 from anywhere on the IPv4 internet; path: /);
  });
});

suite('the public address space', () => {
  test('is everything but the non-public ranges', () => {
    const ssh = serviceFrom(6, iv.range(22), PUBLIC_ADDRESSES);
    expect(describe(ssh)).toBe('tcp/22 from 0.0.0.0/0 except 0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16, 224.0.0.0/3; tcp/22 from ::/0 except ::/127, fc00::/7, fe80::/10, ff00::/8');
    expect(describe(ssh, { internet: PUBLIC_ADDRESSES })).toBe('tcp/22 from anywhere on the internet');
  });

  test('a real exception reads as one, relative to the internet', () => {
    const some = serviceFrom(6, iv.range(22), subtractAddresses(PUBLIC_ADDRESSES, addressesOf(['198.51.100.0/24'])));
    expect(describe(some, { internet: PUBLIC_ADDRESSES })).toBe('tcp/22 from the IPv4 internet except 198.51.100.0/24; tcp/22 from anywhere on the IPv6 internet');
    expect(describe(some, { internet: PUBLIC_ADDRESSES, preposition: 'to' })).toBe('tcp/22 to the IPv4 internet except 198.51.100.0/24; tcp/22 to anywhere on the IPv6 internet');
  });
});
