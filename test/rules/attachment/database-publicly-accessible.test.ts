import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { withFolded } from '../../../src/model/check.js';
import { scan } from '../../../src/pipeline/scan.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function sgs029(file: string) {
  const { result } = await scan({ checks: ALL_CHECKS, paths: [file], cwd: ROOT, version: 'test' });
  expect(result.errors).toEqual([]);
  return withFolded(result.findings)
    .filter((f) => f.ruleId === 'SGS029')
    .map((f) => ({ line: f.line, resource: f.resource, certainty: f.certainty, message: f.message, file: f.file }))
    .sort((a, b) => a.line - b.line);
}

// Review #47: a possible finding reads as possible ("may be publicly accessible, if ..."), never
// flatly "is publicly accessible"; what it depends on is named in the message.
describe('SGS029 possible findings', () => {
  it('Terraform: an unknown publicly_accessible and a conditional instance', async () => {
    const file = 'fixtures/review/sgs029-possible/main.tf';
    const found = await sgs029(file);
    expect(found.map(({ line, resource, certainty, file: f }) => ({ line, resource, certainty, f }))).toEqual([
      { line: 14, resource: 'aws_db_instance.main', certainty: 'possible', f: file },
      { line: 23, resource: 'aws_db_instance.replica[0]', certainty: 'possible', f: file },
    ]);
    expect(found[0].message).toBe('DB instance aws_db_instance.main may be publicly accessible, if publicly_accessible is true (var.public has no value)');
    expect(found[1].message).toMatch(/^DB instance aws_db_instance\.replica\[0\] may be publicly accessible \(publicly_accessible = true\), if it is created \(.*var\.replica.*\)$/);
  });

  it('CloudFormation: PubliclyAccessible unset with subnets from a parameter, and a conditional instance', async () => {
    const file = 'fixtures/review/sgs029-possible/template.yaml';
    expect(await sgs029(file)).toEqual([
      {
        file,
        line: 18,
        resource: 'Database',
        certainty: 'possible',
        message: 'DB instance Database may be publicly accessible, if the VPC of its DB subnet group has an internet gateway (PubliclyAccessible unset: RDS then makes the instance public)',
      },
      {
        file,
        line: 34,
        resource: 'ReplicaDatabase',
        certainty: 'possible',
        message: 'DB instance ReplicaDatabase may be publicly accessible (PubliclyAccessible = true), if it is created (Replica = true)',
      },
    ]);
  });

  it('a definite finding still says it flatly (twin fixture)', async () => {
    const found = await sgs029('fixtures/twins/SGS029-database-publicly-accessible/positive/template.yaml');
    expect(found.map((f) => [f.certainty, f.message])).toEqual([['definite', 'DB instance Database is publicly accessible (PubliclyAccessible = true)']]);
  });
});
