import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe as suite, expect, test } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { buildModel, scan } from '../../src/pipeline/scan.js';
import { buildNetwork } from '../../src/network/build.js';
import { Engine } from '../../src/reach/engine.js';
// @ts-expect-error: a plain JavaScript script (scripts/gen-shapes.mjs), the one bench.mjs times
import { generateShape } from '../../scripts/gen-shapes.mjs';

// Issue 19's worst shapes stay linear. No timing: each test counts work that is deterministic (engine
// questions, elements searched, keys listed) at a size and at twice that size, and fails when the count
// grows like the square (4x) rather than the size (2x).

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sgscan-shapes-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const shape = (name: string, n: number) => generateShape({ shape: name, n, out: path.join(tmp, `${name}-${n}`) }) as { paths: string[] };

/**
 * Work that is deterministic: elements of arrays searched (find, filter, some, ...: a search per item
 * of a list of items is quadratic), elements pushed (a union of one set into a growing one, item by
 * item, is quadratic), and prefix tests (a folder tested against every input, for every file).
 */
async function counted<T>(work: () => Promise<T>): Promise<{ count: number; value: T }> {
  let count = 0;
  const patches: [object, string, (self: { length?: number }) => number][] = [
    ...(['find', 'findIndex', 'filter', 'some', 'every', 'includes', 'indexOf'] as const).map((n): [object, string, (self: { length?: number }) => number] => [Array.prototype, n, (self) => self.length ?? 0]),
    [Array.prototype, 'push', () => 1],
    [String.prototype, 'startsWith', () => 1],
  ];
  const saved = patches.map(([o, n]) => (o as Record<string, unknown>)[n] as (...args: unknown[]) => unknown);
  patches.forEach(([o, n, cost], i) => {
    const original = saved[i];
    Object.defineProperty(o, n, {
      configurable: true,
      writable: true,
      value: function (this: { length?: number }, ...args: unknown[]) {
        count += cost(this);
        return original.apply(this, args);
      },
    });
  });
  try {
    const value = await work();
    return { count, value };
  } finally {
    patches.forEach(([o, n], i) => Object.defineProperty(o, n, { configurable: true, writable: true, value: saved[i] }));
  }
}

async function scanShape(name: string, n: number) {
  const { paths } = shape(name, n);
  return (await scan({ checks: ALL_CHECKS, paths, cwd: tmp, version: 'test' })).result;
}

/** At most this much more work at twice the size: linear is 2, quadratic 4. */
const LINEAR = 2.6;

suite('worst shapes: the work grows with the size, not its square', () => {
  // One group admitting the VPC on SSH; n instances in one subnet, or each in a subnet of its own.
  for (const [name, n] of [
    ['wide-rule', 30],
    ['subnets', 30],
  ] as const) {
    test(`${name}: engine questions for SGS041, and one finding naming a count`, async () => {
      const asked = async (k: number) => {
        const reach = Engine.prototype.reach;
        let calls = 0;
        Engine.prototype.reach = function (this: Engine, ...args: Parameters<Engine['reach']>) {
          calls++;
          return reach.apply(this, args);
        };
        try {
          const model = await buildModel({ paths: shape(name, k).paths, cwd: tmp });
          const sgs041 = ALL_CHECKS.find((c) => c.meta.id === 'SGS041')!;
          const reports = sgs041.run(model, { options: {} });
          return { calls, reports };
        } finally {
          Engine.prototype.reach = reach;
        }
      };
      const small = await asked(n);
      const big = await asked(2 * n);
      expect(big.calls).toBeLessThanOrEqual(LINEAR * small.calls);
      // One finding for the one rule, the instances counted, not listed.
      expect(big.reports).toHaveLength(1);
      expect(big.reports[0].message).toBe(`aws_instance.i0, aws_instance.i1 and ${2 * n - 2} more can reach each other on tcp/22 (SSH), admitted by security group aws_security_group.wide.`);
    });
  }

  for (const [name, n] of [
    ['wide-rule', 60],
    ['subnets', 30],
    ['nacl', 60],
    ['prefix-list', 200],
    ['module-files', 100],
    ['cli-files', 60],
    ['cfn-group-rules', 100],
    ['tf-group-rules', 100],
  ] as const) {
    test(`${name}: the work of a whole scan`, async () => {
      const small = await counted(() => scanShape(name, n));
      const big = await counted(() => scanShape(name, 2 * n));
      expect(big.value.summary.filesScanned).toBeGreaterThan(0);
      expect(big.count).toBeLessThanOrEqual(LINEAR * small.count);
    });
  }

  test('nacl: the attribute lines of a NACL are listed once, not once per entry', async () => {
    const listed = async (k: number) => {
      const model = await buildModel({ paths: shape('nacl', k).paths, cwd: tmp });
      let keys = 0;
      for (const r of model.resources) {
        if (r.resourceType !== 'aws_network_acl') continue;
        r.attributeLines = new Proxy(r.attributeLines, {
          ownKeys(t) {
            keys++;
            return Reflect.ownKeys(t);
          },
        });
      }
      const network = buildNetwork(model);
      expect(network.nacls.find((x) => x.id === 'aws_network_acl.big')?.ingress.length).toBeGreaterThan(k / 2);
      return keys;
    };
    expect(await listed(100)).toBe(await listed(50));
  });

  test('subnets: resources are looked at a number of times linear in their number', async () => {
    const looks = async (k: number) => {
      const model = await buildModel({ paths: shape('subnets', k).paths, cwd: tmp });
      let reads = 0;
      model.resources = model.resources.map(
        (r) =>
          new Proxy(r, {
            get(t, p, rcv) {
              if (p === 'resourceType') reads++;
              return Reflect.get(t, p, rcv);
            },
          }),
      );
      expect(buildNetwork(model).subnets).toHaveLength(k);
      return reads;
    };
    expect(await looks(80)).toBeLessThanOrEqual(LINEAR * (await looks(40)));
  });
});
