import { expect, test } from 'vitest';
import { check as internetExposure } from '../../rules/reachability/internet-exposure.js';
import { buildModel } from '../../src/pipeline/scan.js';
import { runChecks } from '../../src/pipeline/runner.js';

// Review #7/#8: `SourcePrefixListId: !FindInMap [Prefixes, !Ref AWS::Region, PrefixList]` (Terraform:
// a map of ids indexed by data.aws_region) where every row is CloudFront's origin-facing list. The
// region is not what matters: the source is CloudFront whatever it is, never "anywhere on the IPv4
// internet", and the exposure is rated as one to CloudFront.

test('SGS040: a prefix list id chosen per region, every one CloudFront, is CloudFront (both formats)', async () => {
  const model = await buildModel({ paths: ['fixtures/reach/managed-prefix-list-by-region'], cwd: process.cwd() });
  const findings = runChecks(model, [internetExposure]);
  expect(findings.map((f) => `${f.file}:${f.line} ${f.severity} ${f.certainty} ${f.key}`)).toEqual([
    'fixtures/reach/managed-prefix-list-by-region/main.tf:54 low definite com.amazonaws.global.cloudfront.origin-facing tcp/8080',
    'fixtures/reach/managed-prefix-list-by-region/template.yaml:58 low definite com.amazonaws.global.cloudfront.origin-facing tcp/8080',
  ]);
  for (const f of findings) {
    expect(f.message).toMatch(/^(aws_instance\.origin|Origin) is reachable from CloudFront \(prefix list com\.amazonaws\.global\.cloudfront\.origin-facing\) on tcp\/8080: tcp\/8080 from CloudFront; path: /);
    expect(f.message).toContain('ingress (tcp/8080 from prefix list com.amazonaws.global.cloudfront.origin-facing)');
    expect(f.message).not.toMatch(/anywhere|AWS::Region|data\.aws_region|not known/);
  }
});
