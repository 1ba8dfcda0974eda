import { describe, expect, it } from 'vitest';
import { check } from '../../../rules/security-group/group-without-vpc.js';
import { Unknown } from '../../../src/model/value.js';
import { group, model } from '../build.js';

describe('SGS050 group-without-vpc', () => {
  const run = (...groups: ReturnType<typeof group>[]) => check.run(model(groups, []), { options: {} });

  it('reports a group whose vpc_id is unset or null (a variable defaulting to null), never one with a VPC, known or not', () => {
    const reports = run(
      group('aws_security_group.unset', 1),
      group('aws_security_group.null', 20, { vpc: null }),
      group('aws_security_group.given', 40, { vpc: 'vpc-12345678' }),
      group('aws_security_group.variable', 60, { vpc: new Unknown('var.vpc_id has no value') }),
      group('aws_default_security_group.default', 80, { resourceType: 'aws_default_security_group', isDefault: true }),
    );
    expect(reports.map((r) => [r.resource, r.location.line, r.certainty])).toEqual([
      ['aws_security_group.unset', 1, 'definite'],
      ['aws_security_group.null', 20, 'definite'],
    ]);
    expect(reports[1].message).toContain('(vpc_id is null)');
  });

  it('says "possible" for a group that exists only under a condition', () => {
    const [r] = run(group('aws_security_group.maybe', 1, { condition: new Unknown('var.create is unknown') }));
    expect(r.certainty).toBe('possible');
    expect(r.assumptions?.[0]).toMatch(/^the group exists only if /);
  });
});
