import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { applyConfig, loadConfig, type SgscanConfig } from '../../../src/config/index.js';
import { scan } from '../../../src/pipeline/scan.js';

// Intents (.sgscan.yml `intents:`) checked by SGS042 through a whole scan with the loaded configuration.

const DIR = 'fixtures/intents';

async function intentFindings(dir: string, config?: SgscanConfig, cwd = process.cwd()) {
  const loaded = config ?? loadConfig(path.join(dir, '.sgscan.yml'), { checks: ALL_CHECKS }).config;
  const { result } = await scan({ checks: ALL_CHECKS, paths: [dir], cwd, version: 'test', config: loaded, today: '2025-01-01' });
  expect(result.errors).toEqual([]);
  return result.findings.filter((f) => f.ruleId === 'SGS042');
}

function configOf(text: string): SgscanConfig {
  const { config, errors } = loadConfig('x.yml', { checks: ALL_CHECKS, text });
  expect(errors).toEqual([]);
  return config;
}

describe('deny intents', () => {
  it('a public database violates "databases are private" (tag selector) and a port-restricted deny, at the database', async () => {
    const f = await intentFindings(`${DIR}/public-db`);
    expect(f.map((x) => [x.severity, x.file, x.line, x.resource, x.certainty, x.key])).toEqual([
      ['critical', `${DIR}/public-db/main.tf`, 44, 'aws_db_instance.main', 'definite', 'intent "no PostgreSQL from outside" from the internet to aws_db_instance.main tcp/5432'],
      ['high', `${DIR}/public-db/main.tf`, 44, 'aws_db_instance.main', 'definite', 'intent "databases are private" from the internet to aws_db_instance.main all traffic'],
    ]);
    const tag = f[1];
    expect(tag.message).toMatch(/^Intent "databases are private" is violated: aws_db_instance\.main is reachable from the internet on tcp\/5432; path: /);
    expect(tag.message).toContain('publicly_accessible = true) (main.tf:47)');
    // The path points at the public address, the route and the rule that let the traffic in.
    expect(tag.path?.map((s) => s.line)).toEqual(expect.arrayContaining([47, 17, 35]));
    expect(tag.path?.find((s) => s.line === 35)?.message).toBe('sg rule aws_security_group.db ingress (tcp/5432 from 0.0.0.0/0)');
    expect(tag.assumptions).toEqual([]);
  });

  it('the same database without a public address satisfies both', async () => {
    expect(await intentFindings(`${DIR}/private-db`)).toEqual([]);
  });

  it('a tag selector selects nothing when the value differs', async () => {
    const config = configOf('intents:\n  - name: caches are private\n    deny: { from: internet, to: "tag:Tier=cache" }\n');
    // Nothing selected is itself reported (info, at the intent's line), never a silent pass.
    expect((await intentFindings(`${DIR}/public-db`, config)).map((x) => [x.resource, x.severity, x.line])).toEqual([['intent:caches are private', 'info', 2]]);
    const glob = configOf('intents:\n  - name: data is private\n    deny: { from: internet, to: "tag:Tier=d*" }\n');
    expect((await intentFindings(`${DIR}/public-db`, glob)).map((x) => x.resource)).toEqual(['aws_db_instance.main']);
  });

  it('an unknown rule source makes the violation possible and names the variable', async () => {
    const f = await intentFindings(`${DIR}/unknown-cidr`);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ certainty: 'possible', line: 48, resource: 'aws_db_instance.main', severity: 'high' });
    expect(f[0].assumptions).toEqual([expect.stringContaining('var.admin_cidr has no value')]);
    expect(f[0].message).toMatch(/^Intent "databases are private" is violated: aws_db_instance\.main may be reachable from the internet on tcp\/5432, assuming .*var\.admin_cidr has no value/);
  });

  it('group:ADDRESS selects the members of a group as sources', async () => {
    const config = configOf('intents:\n  - name: no batch to db\n    deny: { from: "group:aws_security_group.batch", to: "aws_db_instance.*", port: 5432 }\n');
    const f = await intentFindings(`${DIR}/only-violated`, config);
    expect(f.map((x) => [x.line, x.key])).toEqual([[90, 'intent "no batch to db" from aws_instance.batch to aws_db_instance.main tcp/5432']]);
    expect(await intentFindings(`${DIR}/only-satisfied`, config)).toEqual([]);
  });

  it('keys do not depend on lines: moving the code moves the finding, not its key', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'sgscan-intents-'));
    cpSync(`${DIR}/public-db`, tmp, { recursive: true });
    writeFileSync(path.join(tmp, 'main.tf'), `# one\n# two\n# three\n${readFileSync(path.join(tmp, 'main.tf'), 'utf8')}`);
    const before = await intentFindings(`${DIR}/public-db`);
    const after = await intentFindings('.', loadConfig(path.join(tmp, '.sgscan.yml'), { checks: ALL_CHECKS }).config, tmp);
    expect(after.map((x) => x.line)).toEqual([47, 47]);
    expect(after.map((x) => x.key)).toEqual(before.map((x) => x.key));
  });
});

describe('only intents', () => {
  it('a second group admitted to the database violates "only the app tier", once, from its member', async () => {
    const f = await intentFindings(`${DIR}/only-violated`);
    expect(f.map((x) => [x.line, x.resource, x.certainty, x.severity])).toEqual([[90, 'aws_db_instance.main', 'definite', 'high']]);
    expect(f[0].message).toMatch(/^Intent "only the app tier reaches the database" is violated: aws_db_instance\.main is reachable from aws_instance\.batch on tcp\/5432; path: /);
    expect(f[0].path?.map((s) => [s.line, s.message])).toEqual([
      [47, 'sg rule aws_security_group.batch egress (all to 0.0.0.0/0)'],
      [68, 'sg rule aws_vpc_security_group_ingress_rule.db_from_batch ingress (tcp/5432 from members of aws_security_group.batch)'],
    ]);
  });

  it('only the app tier admitted: satisfied (the app instance itself is allowed, the internet has no way in)', async () => {
    expect(await intentFindings(`${DIR}/only-satisfied`)).toEqual([]);
  });

  it('an allowed CIDR covering the batch subnet lets it through', async () => {
    const config = configOf('intents:\n  - name: only the subnet\n    only: { from: [10.0.1.0/24], to: aws_db_instance.main, port: 5432 }\n');
    expect(await intentFindings(`${DIR}/only-violated`, config)).toEqual([]);
    const narrow = configOf('intents:\n  - name: only one address\n    only: { from: [10.0.9.9], to: aws_db_instance.main, port: 5432 }\n');
    expect((await intentFindings(`${DIR}/only-violated`, narrow)).map((x) => x.key)).toEqual([
      'intent "only one address" from aws_instance.app to aws_db_instance.main tcp/5432',
      'intent "only one address" from aws_instance.batch to aws_db_instance.main tcp/5432',
    ]);
  });
});

describe('intents in the configuration', () => {
  it('are loaded with their lines and handed to SGS042 as options.intents', () => {
    const { config, errors } = loadConfig(`${DIR}/only-violated/.sgscan.yml`, { checks: ALL_CHECKS });
    expect(errors).toEqual([]);
    expect(config.intents).toEqual([
      {
        name: 'only the app tier reaches the database',
        kind: 'only',
        from: ['aws_security_group.app'],
        to: ['aws_db_instance.main'],
        port: 5432,
        protocol: 'tcp',
        file: `${DIR}/only-violated/.sgscan.yml`,
        line: 2,
      },
    ]);
    expect(applyConfig(ALL_CHECKS, config).options.SGS042).toEqual({ intents: config.intents });
  });

  it('SGS042 turned off reports nothing', async () => {
    const { config } = loadConfig(`${DIR}/public-db/.sgscan.yml`, { checks: ALL_CHECKS });
    expect(await intentFindings(`${DIR}/public-db`, { ...config, rules: { SGS042: { enabled: false, line: 1 } } })).toEqual([]);
  });

  it('bad intents are errors at their lines; the good ones still apply', () => {
    const file = `${DIR}/bad-config/.sgscan.yml`;
    const { config, errors } = loadConfig(file, { checks: ALL_CHECKS });
    expect(errors).toEqual([
      { file, line: 5, message: 'intents[0].deny.to: "tags:Tier=db": unknown selector form "tags:" (expected internet, a CIDR, a resource address or logical ID, FILE:ID, tag:Key=Value or group:ADDRESS)' },
      { file, line: 10, message: 'intents[1].deny.port: must be a port 0-65535 or a range "from-to" (ICMP: the type) (got 70000)' },
      { file, line: 13, message: 'intents[2]: write exactly one of deny or only' },
    ]);
    expect(config.intents?.map((i) => [i.name, i.line])).toEqual([['fine', 14]]);
  });

  it.each([
    ['deny: { from: internet, to: 10.0.0.0/8 }', 'intents[0].deny: the internet or a CIDR on both sides; one side must select resources'],
    ['deny: { from: internet, to: x, port: 22, protocol: all }', 'intents[0].deny.protocol: a port needs protocol tcp, udp, icmp or icmpv6'],
    ['deny: { from: internet, to: x, protocol: tcpp }', 'intents[0].deny.protocol: unknown protocol "tcpp" (expected tcp, udp, icmp, icmpv6, all, -1 or 0-255)'],
    ['deny: { from: internet, to: x, port: "80-20" }', 'intents[0].deny.port: invalid port "80-20" (expected 0-65535 or a range "from-to")'],
    ['deny: { from: "group:", to: x }', 'intents[0].deny.from: "group:": a group selector is written group:ADDRESS'],
    ['deny: { from: [internet, "tag:Tier"], to: x }', 'intents[0].deny.from: "tag:Tier": a tag selector is written tag:Key=Value'],
    ['deny: { from: 10.0.0.300/8, to: x }', 'intents[0].deny.from: "10.0.0.300/8" is not a valid CIDR'],
    ['deny: { from: internet, to: x, extra: 1 }', 'intents[0].deny.extra: unknown key'],
  ])('%s → error at line 3', (clause, message) => {
    expect(loadConfig('x.yml', { checks: ALL_CHECKS, text: `intents:\n  - name: a\n    ${clause}\n` }).errors).toEqual([{ file: 'x.yml', line: 3, message }]);
  });

  it('two intents of one name are an error at the second', () => {
    const text = 'intents:\n  - name: a\n    deny: { from: internet, to: x }\n  - name: a\n    deny: { from: internet, to: y }\n';
    expect(loadConfig('x.yml', { checks: ALL_CHECKS, text }).errors).toEqual([{ file: 'x.yml', line: 4, message: 'intents[1].name: "a" is already the name of the intent at line 2' }]);
  });
});
