import { describe as suite, expect, test } from 'vitest';
import { check as eastWest } from '../../rules/reachability/east-west-exposure.js';
import { runChecks } from '../../src/pipeline/runner.js';
import { buildModel } from '../../src/pipeline/scan.js';
import { compactServices, eastWestExposures } from '../../src/reach/east-west.js';
import { allEgress, baseNetwork, engine, group, instance, rule } from './net.js';

// SGS041 names the admin and database/cache ports compactly, and no other port.

suite('SGS041 services', () => {
  test('at most three named, the rest counted', () => {
    expect(compactServices(['tcp/22 (SSH)'])).toBe('tcp/22 (SSH)');
    expect(compactServices(['tcp/22 (SSH)', 'tcp/3306 (MySQL)', 'tcp/5432 (PostgreSQL)'])).toBe('tcp/22 (SSH), tcp/3306 (MySQL) and tcp/5432 (PostgreSQL)');
    expect(compactServices(['a', 'b', 'c', 'd', 'e'])).toBe('a, b and 3 more');
  });

  test('all traffic from a group: only admin and database/cache ports, in port order', () => {
    const net = baseNetwork();
    net.endpoints.push(instance('aws_instance.app', 'aws_subnet.private', ['aws_security_group.app'], false, 50), instance('aws_instance.db', 'aws_subnet.private', ['aws_security_group.db'], false, 60));
    const groups = [group('aws_security_group.app', 70), group('aws_security_group.db', 80)];
    const rules = [allEgress('aws_security_group.app', 72), rule('aws_security_group.db', 'ingress', '-1', 0, 0, { group: 'aws_security_group.app' }, 82)];
    const [x, ...rest] = eastWestExposures(engine(net, groups, rules));
    expect(rest).toEqual([]);
    expect(x.source.id).toBe('aws_instance.app');
    expect(x.services.slice(0, 4)).toEqual(['tcp/22 (SSH)', 'tcp/1433 (SQL Server)', 'tcp/1434 (SQL Server Browser)', 'udp/1434 (SQL Server Browser)']);
    expect(x.services).toContain('tcp/5432 (PostgreSQL)');
    expect(x.services).not.toContain('tcp/80 (HTTP)');
    expect(x.services.every((s) => !s.startsWith('tcp/443') && !s.startsWith('tcp/8080'))).toBe(true);
    expect(compactServices(x.services)).toBe(`tcp/22 (SSH), tcp/1433 (SQL Server) and ${x.services.length - 2} more`);
  });

  test('the finding message is compact; the key keeps every port', async () => {
    const model = await buildModel({ paths: ['fixtures/reach/groups'], cwd: process.cwd()});
    const f = runChecks(model, [eastWest]).find((x) => x.resource === 'aws_security_group.db');
    expect(f?.message).toBe('aws_instance.app can reach aws_db_instance.db on tcp/5432 (PostgreSQL), admitted by security group aws_security_group.db.');
    expect(f?.key).toMatch(/tcp\/5432$/);
  });
});

suite('east-west shares answers between destinations of one class', () => {
  test('the same pairs, verdicts, paths and assumptions as asking the engine about each pair', async () => {
    const { reachContext } = await import('../../src/reach/exposure.js');
    const { Engine } = await import('../../src/reach/engine.js');
    const { candidateSources, endpointsBySubnet, eastWestReach, sensitivePorts } = await import('../../src/reach/east-west.js');
    const model = await buildModel({ paths: ['fixtures/reach'], cwd: process.cwd()});
    let pairs = 0;
    for (const part of reachContext(model).parts) {
      const fast = eastWestReach(part.engine).map((x) => ({ s: x.source.id, d: x.dest.id, v: x.reach.verdict, p: x.reach.path, a: x.reach.assumptions, t: x.reach.possible }));
      const fresh = new Engine(part.engine.network, part.model.groups, part.model.rules, part.engine.facts);
      const bySubnet = endpointsBySubnet(fresh);
      const probe = sensitivePorts();
      const slow: typeof fast = [];
      for (const dest of fresh.network.endpoints) {
        if (dest.kind === 'launch-template' || dest.kind === 'launch-configuration') continue;
        for (const source of candidateSources(fresh, dest, bySubnet, probe)) {
          if (source.kind === 'launch-template' || source.kind === 'launch-configuration') continue;
          const r = fresh.reach({ kind: 'endpoint', id: source.id }, dest.id, probe, { explain: false });
          if (r.verdict !== 'not-reachable') slow.push({ s: source.id, d: dest.id, v: r.verdict, p: r.path, a: r.assumptions, t: r.possible });
        }
      }
      expect(fast).toEqual(slow);
      pairs += fast.length;
    }
    expect(pairs).toBeGreaterThan(5);
  });
});
