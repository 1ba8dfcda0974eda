import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/pipeline/scan.js';
import { convertToType, parseTypeConstraint } from '../../../src/input/terraform/types.js';
import { describePeer } from '../../../src/model/peer.js';
import { describePorts } from '../../../src/model/ports.js';
import { protocolName } from '../../../src/model/protocol.js';

const REPO = path.resolve(__dirname, '../../..');

describe('variable type constraints', () => {
  it('fills optional object attributes with null or their default and converts primitives', () => {
    const type = parseTypeConstraint('x.tf', '${map(object({a = number, b = optional(string), c = optional(string, "tcp"), d = optional(list(number), [1, 2])}))}');
    expect(convertToType({ k: { a: '5', extra: true } }, type)).toEqual({ k: { a: 5, b: null, c: 'tcp', d: [1, 2] } });
  });

  it('leaves untyped and any values alone', () => {
    expect(convertToType({ a: 1 }, parseTypeConstraint('x.tf', '${any}'))).toEqual({ a: 1 });
    expect(convertToType({ a: 1 }, parseTypeConstraint('x.tf', undefined))).toEqual({ a: 1 });
  });

  it('makes rules from a typed map variable concrete (no unknown peers)', async () => {
    const model = await buildModel({ paths: ['fixtures/terraform/optional-attrs'], cwd: REPO});
    const rules = model.rules
      .map((r) => [r.resource, r.location.line, protocolName(r.protocol), describePorts(r.ports), describePeer(r.peer), r.description ?? null])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(rules).toEqual([
      ['aws_vpc_security_group_ingress_rule.this["https"]', 30, 'tcp', 'port 443', '0.0.0.0/0', null],
      ['aws_vpc_security_group_ingress_rule.this["ssh_v6"]', 30, 'tcp', 'port 22', '::/0', null],
    ]);
  });
});
