import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { scan } from '../../src/pipeline/scan.js';

// The three findings the second re-read of the corpus still called misleading (docs/corpus-review.md),
// each as a Terraform and a CloudFormation twin.
const of = async (file: string, rule: string) => {
  const { result } = await scan({ checks: ALL_CHECKS, paths: [file], cwd: process.cwd(), version: 't' });
  return result.findings.filter((f) => f.ruleId === rule).map((f) => [f.line, f.certainty, f.message]);
};

describe('corpus re-read', () => {
  it.each([
    ['fixtures/endpoints/endpoint-port/main.tf', 36, 'aws_instance.app can reach aws_elasticache_cluster.cache on tcp/11222 (Memcached), admitted by security group aws_security_group.cache (rule aws_vpc_security_group_ingress_rule.cache_from_app).'],
    ['fixtures/endpoints/endpoint-port/template.yaml', 29, 'App can reach Cache on tcp/11222 (Memcached), admitted by security group CacheGroup (rule CacheFromApp).'],
  ])('%s: a rule whose port is the cache\'s own endpoint port is definite (#23)', async (file, line, message) => {
    expect(await of(file, 'SGS041')).toEqual([[line, 'definite', message]]);
  });

  it.each([
    ['fixtures/endpoints/all-traffic/main.tf', 16, 'aws_instance.a and aws_instance.b can reach each other on tcp/22 (SSH), tcp/1433 (SQL Server) and 22 more, admitted by security group aws_security_group.cluster, which allows all traffic.'],
    ['fixtures/endpoints/all-traffic/template.yaml', 19, 'A and B can reach each other on tcp/22 (SSH), tcp/1433 (SQL Server) and 22 more, admitted by security group ClusterGroup (rule ClusterFromMembers), which allows all traffic.'],
  ])('%s: an all-traffic rule is not told as a list of ports only (#18)', async (file, line, message) => {
    expect(await of(file, 'SGS041')).toEqual([[line, 'definite', message]]);
  });

  it.each([
    ['fixtures/review/sgs010-documentation/main.tf', 6, 'aws_security_group.web'],
    ['fixtures/review/sgs010-documentation/template.yaml', 10, 'WebGroup'],
  ])('%s: the documentation prefix is called what it is (#49)', async (file, line, group) => {
    expect(await of(file, 'SGS010')).toEqual([
      [line, 'definite', `Security group ${group} allows SSH (tcp/22) from the documentation range 2001:db8::/64 (inside 2001:db8::/32, a placeholder for public addresses; one /64 subnet).`],
    ]);
  });
});
