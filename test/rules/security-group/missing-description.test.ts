import { describe, expect, it } from 'vitest';
import { check } from '../../../rules/security-group/missing-description.js';
import { Unknown } from '../../../src/model/value.js';
import { group, model, rule } from '../build.js';

function run(m: ReturnType<typeof model>) {
  return check.run(m, { options: {} });
}

describe('SGS003 missing-description', () => {
  it('flags a group without a description at its resource line', () => {
    const r = run(model([group('aws_security_group.a', 4, { description: undefined })], []));
    expect(r).toHaveLength(1);
    expect(r[0].location).toEqual({ file: 'main.tf', line: 4, endLine: 14 });
    expect(r[0].message).toBe('Security group aws_security_group.a has no description.');
    expect(r[0].resource).toBe('aws_security_group.a');
    expect(r[0].key).toBe('group-description');
  });

  it('flags Terraform\'s default description, at the attribute line when written out', () => {
    const r = run(
      model(
        [
          group('aws_security_group.a', 1, { description: 'Managed by Terraform' }),
          group('aws_security_group.b', 20, { description: 'Managed by Terraform', attributeLines: { description: 22 } }),
        ],
        [],
      ),
    );
    expect(r.map((x) => x.location.line)).toEqual([1, 22]);
    expect(r[0].message).toBe('Security group aws_security_group.a has only Terraform\'s default description "Managed by Terraform".');
  });

  it('does not flag a real, an unknown, a CloudFormation "Managed by Terraform" or a default group', () => {
    const r = run(
      model(
        [
          group('aws_security_group.a', 1),
          group('aws_security_group.b', 20, { description: new Unknown('var.d has no value') }),
          group('Sg', 40, { format: 'cloudformation', description: 'Managed by Terraform' }),
          group('aws_default_security_group.default', 60, { isDefault: true, description: undefined }),
        ],
        [],
      ),
    );
    expect(r).toEqual([]);
  });

  it('flags blank descriptions', () => {
    const r = run(model([group('aws_security_group.a', 1, { description: '  ' })], []));
    expect(r.map((x) => x.location.line)).toEqual([1]);
  });

  it('flags inline and standalone rules without a description at their lines, skipping implicit egress', () => {
    const G = 'aws_security_group.app';
    const r = run(
      model(
        [group(G, 1)],
        [
          rule({ group: G, line: 6, protocol: 'tcp', from: 8080, to: 8080, peer: '10.0.0.0/16', description: undefined }),
          rule({ group: G, line: 13, protocol: 'tcp', from: 443, to: 443, peer: '10.0.0.0/16', index: 1 }),
          rule({ group: G, line: 30, protocol: 'tcp', from: 22, to: 22, peer: '10.0.0.0/8', description: '', resource: 'aws_security_group_rule.ssh' }),
          rule({ group: G, line: 1, direction: 'egress', protocol: '-1', peer: '0.0.0.0/0', description: undefined, origin: 'implicit' }),
          rule({ group: G, line: 40, protocol: 'tcp', from: 1, to: 2, peer: '10.0.0.0/8', description: new Unknown('var.x'), index: 2 }),
        ],
      ),
    );
    expect(r.map((x) => [x.location.line, x.resource])).toEqual([
      [6, G],
      [30, 'aws_security_group_rule.ssh'],
    ]);
    expect(r[0].message).toBe(
      'An ingress rule of security group aws_security_group.app (tcp port 8080 from 10.0.0.0/16) has no description.',
    );
    expect(r[1].message).toBe(
      'Rule aws_security_group_rule.ssh of security group aws_security_group.app (ingress tcp port 22 from 10.0.0.0/8) has no description.',
    );
    expect(r[0].key).toBe('rule-description|ingress|tcp|8080-8080|10.0.0.0/16');
  });
});
