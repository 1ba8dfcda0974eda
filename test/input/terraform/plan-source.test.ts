import { describe, expect, it } from 'vitest';
import { ResourceRef } from '../../../src/model/value.js';
import { dynamicKnownAtPlan, listFromSource } from '../../../src/input/terraform/plan-source.js';
import type { Decl } from '../../../src/input/terraform/tree.js';

const decl = (forEach: unknown): Decl => ({ kind: 'resource', labels: ['aws_security_group', 'x'], body: { dynamic: { ingress: [{ for_each: forEach, content: [{}] }] } } }) as unknown as Decl;

describe('plan-source: what the .tf says where the plan knows only after apply', () => {
  it('a dynamic over variables, literals and locals built from them is known at plan time', () => {
    const locals = new Map<string, unknown>([['ports', '${var.ports}'], ['chain', '${local.ports}']]);
    for (const e of ['${var.extra}', '${[for p in var.ports : p.port if p.open]}', '${local.chain}', '${{ "a.b" = 1 }}']) {
      expect(dynamicKnownAtPlan(decl(e), 'ingress', locals), e).toBe(true);
    }
  });

  it('a dynamic over a resource, data source, module output or a local of one may be unknown: not taken as empty', () => {
    const locals = new Map<string, unknown>([['ids', '${aws_security_group.a[*].id}'], ['loop', '${local.loop}']]);
    for (const e of ['${aws_subnet.a.cidr_block}', '${data.aws_vpc.v.cidr_block}', '${module.m.rules}', '${local.ids}', '${local.loop}', '${local.missing}']) {
      expect(dynamicKnownAtPlan(decl(e), 'ingress', locals), e).toBe(false);
    }
    expect(dynamicKnownAtPlan(decl('${var.x}'), 'egress', new Map())).toBe(false);
  });

  it('rebuilds lists of literals and single references, and splats over planned instances; nothing else', () => {
    const planned = new Set(['module.m.aws_security_group.a[0]', 'module.m.aws_security_group.a[1]', 'module.m.aws_security_group.ab']);
    expect(listFromSource(['pl-1', '${aws_ec2_managed_prefix_list.p.id}'], 'module.m.', planned)).toEqual(['pl-1', new ResourceRef('module.m.aws_ec2_managed_prefix_list.p', 'id')]);
    expect(listFromSource('${aws_security_group.a[*].id}', 'module.m.', planned)).toEqual([
      new ResourceRef('module.m.aws_security_group.a[0]', 'id'),
      new ResourceRef('module.m.aws_security_group.a[1]', 'id'),
    ]);
    expect(listFromSource(['${var.x}'], '', planned)).toBeUndefined();
    expect(listFromSource(['${concat(a.b.c, [])}'], '', planned)).toBeUndefined();
    expect(listFromSource('${aws_security_group.z[*].id}', '', planned)).toBeUndefined();
  });
});
