import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { scan } from '../../src/pipeline/scan.js';

// A data store placed by a subnet group is where the group says, whether named by reference or by the
// literal name the same template or module declares (corpus: DocumentDB "names no subnet", ElastiCache
// "subnet group test-cache-subnet-group is not in the scan" though both were declared beside them).
describe.each([
  { file: 'fixtures/endpoints/subnet-groups/main.tf', line: 34, app: 'aws_instance.app', docs: 'aws_docdb_cluster.docs', cache: 'aws_elasticache_cluster.cache', group: 'aws_security_group.store' },
  { file: 'fixtures/endpoints/subnet-groups/template.yaml', line: 30, app: 'App', docs: 'Docs', cache: 'Cache', group: 'StoreGroup' },
])('subnet groups ($file)', (t) => {
  it('what reaches a store in a declared subnet group is definite, on its engine port', async () => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: [t.file], cwd: process.cwd(), version: 't' });
    const ew = result.findings.filter((f) => f.ruleId === 'SGS041');
    expect(ew.map((f) => [f.line, f.certainty, f.message]).sort()).toEqual(
      [
        [t.line, 'definite', `${t.app} can reach ${t.cache} on tcp/11211 (Memcached), admitted by security group ${t.group}.`],
        [t.line, 'definite', `${t.app} can reach ${t.docs} on tcp/27017 (MongoDB), admitted by security group ${t.group}.`],
      ].sort(),
    );
  });
});
