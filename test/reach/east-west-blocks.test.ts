import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe as suite, expect, test } from 'vitest';
import { buildModel } from '../../src/pipeline/scan.js';
import { eastWestExposures } from '../../src/reach/east-west.js';
import { eastWestBlocks, pairsOf } from '../../src/reach/east-west-blocks.js';
import { reachContext } from '../../src/reach/exposure.js';

// SGS041 asks once per block of sources × destinations (east-west-blocks.ts). Pair by pair, the
// blocks must say what asking about every pair says: the same pairs, verdicts, services, conditions.

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sgscan-blocks-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Said = { verdict: string; service: string; services: string[]; assumptions: string[] };

async function compare(paths: string[], cwd: string): Promise<number> {
  let pairs = 0;
  for (const part of reachContext(await buildModel({ paths, cwd })).parts) {
    const slow = new Map<string, Said>();
    for (const x of eastWestExposures(part.engine)) slow.set(`${x.source.id} -> ${x.dest.id}`, { verdict: x.verdict, service: x.service, services: x.services, assumptions: x.assumptions });
    const fast = new Map<string, Said>();
    let counted = 0;
    for (const b of eastWestBlocks(part.engine)) {
      counted += b.pairs;
      const listed = [...pairsOf(b)];
      expect(listed).toHaveLength(b.pairs);
      // Who takes part is who has a pair; the first pair is the first listed.
      expect(new Set(b.sources.map((s) => s.id))).toEqual(new Set(listed.map((p) => p.source.id)));
      expect(new Set(b.dests.map((d) => d.id))).toEqual(new Set(listed.map((p) => p.dest.id)));
      for (const { source, dest } of listed) fast.set(`${source.id} -> ${dest.id}`, { verdict: b.verdict, service: b.service, services: b.services, assumptions: b.assumptions });
    }
    expect(counted).toBe(fast.size);
    expect(Object.fromEntries([...fast].sort())).toEqual(Object.fromEntries([...slow].sort()));
    pairs += fast.size;
  }
  return pairs;
}

suite('east-west blocks say what every pair says', () => {
  test('the reach fixtures', async () => {
    expect(await compare(['fixtures/reach'], process.cwd())).toBeGreaterThan(5);
  });

  test('instances within and across subnets of one class, a subnet of its own, conditions', async () => {
    const dir = path.join(tmp, 'mixed');
    const subnet = (name: string, cidr: string, acl?: string) =>
      `resource "aws_subnet" "${name}" {\n  vpc_id     = aws_vpc.main.id\n  cidr_block = "${cidr}"\n}\n` + (acl ? `resource "aws_network_acl_association" "${name}" {\n  subnet_id      = aws_subnet.${name}.id\n  network_acl_id = aws_network_acl.${acl}.id\n}\n` : '');
    const instance = (name: string, sub: string, groups: string[], extra = '') =>
      `resource "aws_instance" "${name}" {\n  ami                    = "ami-0123456789abcdef0"\n  subnet_id              = aws_subnet.${sub}.id\n  vpc_security_group_ids = [${groups.map((g) => `aws_security_group.${g}.id`).join(', ')}]\n${extra}}\n`;
    const tf = [
      'variable "enabled" {\n  type = bool\n}\n',
      'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n',
      // One NACL lets SSH in only from 10.0.1.0/24: it tells the subnets of that block apart.
      'resource "aws_network_acl" "strict" {\n  vpc_id = aws_vpc.main.id\n  ingress {\n    rule_no    = 100\n    protocol   = "tcp"\n    action     = "allow"\n    cidr_block = "10.0.1.0/24"\n    from_port  = 22\n    to_port    = 22\n  }\n  ingress {\n    rule_no    = 200\n    protocol   = "tcp"\n    action     = "allow"\n    cidr_block = "0.0.0.0/0"\n    from_port  = 1024\n    to_port    = 65535\n  }\n  egress {\n    rule_no    = 100\n    protocol   = "-1"\n    action     = "allow"\n    cidr_block = "0.0.0.0/0"\n    from_port  = 0\n    to_port    = 0\n  }\n}\n',
      subnet('a', '10.0.1.0/24'),
      subnet('b', '10.0.2.0/24'),
      subnet('c', '10.0.3.0/24'),
      subnet('d', '10.0.4.0/24', 'strict'),
      subnet('e', '10.0.5.0/24', 'strict'),
      'resource "aws_security_group" "wide" {\n  vpc_id = aws_vpc.main.id\n  ingress {\n    protocol    = "tcp"\n    from_port   = 22\n    to_port     = 22\n    cidr_blocks = ["10.0.0.0/16"]\n  }\n  egress {\n    protocol    = "-1"\n    from_port   = 0\n    to_port     = 0\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
      // A rule for part of subnet c: c is a class of its own.
      'resource "aws_security_group" "db" {\n  vpc_id = aws_vpc.main.id\n  ingress {\n    protocol    = "tcp"\n    from_port   = 5432\n    to_port     = 5432\n    cidr_blocks = ["10.0.3.0/25"]\n  }\n  egress {\n    protocol    = "-1"\n    from_port   = 0\n    to_port     = 0\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
      ...['a', 'b', 'c', 'd', 'e'].flatMap((s) => [instance(`${s}1`, s, ['wide']), instance(`${s}2`, s, ['wide']), instance(`${s}3`, s, ['wide', 'db'])]),
      instance('maybe', 'b', ['wide'], '  count                  = var.enabled ? 1 : 0\n'),
    ].join('\n');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'main.tf'), tf);
    expect(await compare([dir], tmp)).toBeGreaterThan(100);
  });
});
