import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanTerraformModule } from '../../../src/input/terraform/index.js';
import type { Model, Rule } from '../../../src/model/model.js';
import { mayBeWorld } from '../../../src/model/peer.js';
import type { Unknown } from '../../../src/model/value.js';
import { folderFiles } from './helpers.js';

// A variable without a value is still constrained by its validation blocks, Terraform's analogue
// of AllowedPattern: `condition = can(regex("^...$", var.x))` (RE2, a search unless anchored) and
// `condition = contains([...], var.x)`. Other conditions are not read (the variable may be anything).

function peerUnknown(r: Rule | undefined): Unknown {
  if (r?.peer.kind !== 'unknown') throw new Error(`peer is ${r?.peer.kind}`);
  return r.peer.unknown;
}

function scanVariable(block: string[]): Promise<Model> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-validation-'));
  writeFileSync(
    path.join(dir, 'main.tf'),
    [
      'variable "cidr" {',
      '  type = string',
      ...block.map((l) => `  ${l}`),
      '}',
      'resource "aws_security_group" "web" {',
      '  description = "web"',
      '  ingress {',
      '    protocol    = "tcp"',
      '    from_port   = 22',
      '    to_port     = 22',
      '    cidr_blocks = [var.cidr]',
      '  }',
      '}',
    ].join('\n'),
  );
  return scanTerraformModule(dir, folderFiles(dir));
}

describe('validation blocks constrain a variable without a value (fixtures/unknowns/constrained-cidr)', () => {
  const dir = 'fixtures/unknowns/constrained-cidr';

  it('can(regex(...)) admitting only /16 to /28: never the world; the domain names the range', async () => {
    const m = await scanTerraformModule(dir, folderFiles(dir));
    expect(m.errors).toEqual([]);
    const peer = peerUnknown(m.rules.find((r) => r.id === 'aws_security_group.app/ingress/0'));
    expect(peer.domain).toMatchObject({ subject: 'var.peer_vpc_cidr', description: 'a /16 to /28 range', mayBeWorld: false });
    expect(mayBeWorld(peer)).toBe(false);
    expect(peer.toString()).toBe('var.peer_vpc_cidr has no value');
    const admin = peerUnknown(m.rules.find((r) => r.id === 'aws_security_group.app/ingress/1'));
    expect(mayBeWorld(admin)).toBe(true);
    expect(admin.toString()).toBe('var.admin_cidr has no value');
  });

  it('an unanchored regex is a search: it constrains only what it anchors', async () => {
    const m = await scanVariable(['validation {', '  condition     = can(regex("/(1[6-9]|2[0-8])", var.cidr))', '  error_message = "x"', '}']);
    // Searched, "/16" may be anywhere in the value: that does not exclude one that ends in "/0".
    expect(mayBeWorld(peerUnknown(m.rules[0]))).toBe(true);
    const anchored = await scanVariable(['validation {', '  condition     = can(regex("/(1[6-9]|2[0-8])$", var.cidr))', '  error_message = "x"', '}']);
    expect(mayBeWorld(peerUnknown(anchored.rules[0]))).toBe(false);
  });

  it('contains([...], var.x) lists the values', async () => {
    const m = await scanVariable(['validation {', '  condition     = contains(["10.0.0.0/8", "172.16.0.0/12"], var.cidr)', '  error_message = "x"', '}']);
    const u = peerUnknown(m.rules[0]);
    expect(u.domain?.admits('10.0.0.0/8')).toBe(true);
    expect(u.domain?.admits('0.0.0.0/0')).toBe(false);
    expect(mayBeWorld(u)).toBe(false);
  });

  it('a condition it does not read leaves the variable unconstrained', async () => {
    const m = await scanVariable(['validation {', '  condition     = can(cidrhost(var.cidr, 0)) && !startswith(var.cidr, "0.")', '  error_message = "x"', '}']);
    const u = peerUnknown(m.rules[0]);
    expect(u.domain).toBeUndefined();
    expect(mayBeWorld(u)).toBe(true);
  });
});
