import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { scan } from '../../../src/pipeline/scan.js';

// SGS053 on a Classic group that exists only under a condition (the corpus's RDS_MySQL_With_Read_Replica
// pattern): "possibly", and the message says what it depends on, as every possible finding must.
const dir = mkdtempSync(path.join(tmpdir(), 'sgs053-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sgs053(file: string, text: string) {
  writeFileSync(path.join(dir, file), text);
  const { result } = await scan({ checks: ALL_CHECKS, paths: [path.join(dir, file)], cwd: dir, version: 'test' });
  return result.findings.filter((f) => f.ruleId === 'SGS053');
}

describe('SGS053 on a Classic group behind a condition', () => {
  it('CloudFormation: Condition on the resource', async () => {
    const found = await sgs053(
      'template.yaml',
      [
        'Parameters:',
        '  UseClassic: {Type: String, AllowedValues: ["yes", "no"], Default: "no"}',
        'Conditions:',
        '  IsClassic: !Equals [!Ref UseClassic, "yes"]',
        'Resources:',
        '  DbGroup:',
        '    Type: AWS::RDS::DBSecurityGroup',
        '    Condition: IsClassic',
        '    Properties:',
        '      GroupDescription: database access',
        '      DBSecurityGroupIngress:',
        '        CIDRIP: 10.0.0.0/16',
        '',
      ].join('\n'),
    );
    expect(found.map((f) => [f.line, f.certainty])).toEqual([[6, 'possible']]);
    expect(found[0].message).toMatch(/^Possibly: DbGroup \(AWS::RDS::DBSecurityGroup\) is an RDS DB security group/);
    expect(found[0].message).toContain('(DbGroup exists only if UseClassic = yes)');
  });

  it('Terraform: count from a variable without value', async () => {
    const found = await sgs053(
      'main.tf',
      [
        'variable "classic" {}',
        'resource "aws_db_security_group" "db" {',
        '  count = var.classic ? 1 : 0',
        '  name  = "db"',
        '  ingress {',
        '    cidr = "10.0.0.0/16"',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    expect(found.map((f) => [f.line, f.certainty])).toEqual([[2, 'possible']]);
    expect(found[0].message).toMatch(/^Possibly: aws_db_security_group\.db\[0\] \(aws_db_security_group\)/);
    expect(found[0].message).toContain('var.classic');
  });
});
