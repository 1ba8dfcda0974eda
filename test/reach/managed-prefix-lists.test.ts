import { describe as suite, expect, test } from 'vitest';
import { check as internetExposure } from '../../rules/reachability/internet-exposure.js';
import { managedById, managedByName } from '../../src/network/managed-prefix-lists.js';
import { buildModel } from '../../src/pipeline/scan.js';
import { runChecks } from '../../src/pipeline/runner.js';
import { load } from './helpers.js';

// AWS-managed prefix lists (issue 14 class 6) have known character: public, AWS-owned. A rule naming
// CloudFront's origin-facing list admits CloudFront, a named public source: SGS040 says "reachable from
// CloudFront", never "possibly from the whole internet". S3 and DynamoDB addresses never connect in.

const cloudfront = { kind: 'prefix-list', name: 'com.amazonaws.global.cloudfront.origin-facing', label: 'CloudFront' } as const;

for (const [format, file, origin] of [
  ['Terraform', undefined, 'aws_instance.origin'],
  ['CloudFormation', 'template.yaml', 'Origin'],
] as const) {
  suite(`CloudFront origin-facing (${format})`, async () => {
    const { engine } = await load('managed-prefix-lists', file);

    test('the internet at large is not admitted; CloudFront is, certainly', () => {
      expect(engine.reach({ kind: 'internet' }, origin).verdict).toBe('not-reachable');
      const r = engine.reach(cloudfront, origin);
      expect(r.verdict).toBe('reachable');
      expect(r.assumptions).toEqual([]);
      expect(r.path.some((h) => h.message.includes('from prefix list'))).toBe(true);
    });
  });
}

suite('S3 (Terraform: the list by name and a gateway endpoint’s list)', async () => {
  const { engine } = await load('managed-prefix-lists');
  test('S3 addresses are not the internet, and S3 is no client', () => {
    expect(engine.reach({ kind: 'internet' }, 'aws_instance.s3_only').verdict).toBe('not-reachable');
    expect(engine.reach({ kind: 'prefix-list', name: 'com.amazonaws.us-east-1.s3', label: 'Amazon S3' }, 'aws_instance.s3_only').verdict).toBe('reachable');
  });
});

test('SGS040: "reachable from CloudFront", info on HTTP; nothing for S3', async () => {
  const model = await buildModel({ paths: ['fixtures/reach/managed-prefix-lists'], cwd: process.cwd() });
  const findings = runChecks(model, [internetExposure]);
  expect(findings.map((f) => `${f.severity} ${f.certainty} ${f.resource} ${f.key}`)).toEqual([
    'info definite aws_instance.origin com.amazonaws.global.cloudfront.origin-facing tcp/80',
    'info definite Origin com.amazonaws.global.cloudfront.origin-facing tcp/80',
  ]);
  for (const f of findings) {
    expect(f.message).toMatch(/^(aws_instance\.origin|Origin) is reachable from CloudFront \(prefix list com\.amazonaws\.global\.cloudfront\.origin-facing\) on tcp\/80 \(HTTP\) \(public by design\): tcp\/80 from CloudFront; path: /);
  }
});

test('managed lists by name and by published id', () => {
  expect(managedByName('com.amazonaws.global.cloudfront.origin-facing')?.service).toBe('cloudfront');
  expect(managedByName('com.amazonaws.eu-west-1.dynamodb')).toMatchObject({ label: 'Amazon DynamoDB', opensConnections: false });
  expect(managedByName('my-office-ranges')).toBeUndefined();
  expect(managedById('pl-3b927c52')?.label).toBe('CloudFront');
  expect(managedById('pl-0123456789abcdef0')).toBeUndefined();
});
