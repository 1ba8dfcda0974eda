import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { catalogProblems, coverageOf, MIN_PEER_IDS, PENDING_PREFIX, type PeerCatalog, type PeerCheck, renderPeersDoc } from '../../src/cli/peers-doc.js';
import type { Check } from '../../src/model/check.js';
import { renderRuleCatalog, renderRuleDoc } from '../../src/cli/rule-docs.js';
import { renderRules } from '../../src/cli/rules-command.js';
import { buildSarif } from '../../src/report/sarif.js';
import { FINDINGS, scanResult } from '../report/fixture.js';

const ROOT = path.resolve(__dirname, '../..');
const catalog = JSON.parse(readFileSync(path.join(ROOT, 'data/peer-checks.json'), 'utf8')) as PeerCatalog;
const HINT = 'run `npm run docs` and commit docs/peers.md';

function peer(tool: PeerCheck['tool'], id: string): PeerCheck {
  return { tool, id, title: id, checks: 'what it checks', source: 'https://example.invalid/' + id };
}
function check(id: string, meta: Partial<Check['meta']>): Check {
  return { meta: { id, name: id.toLowerCase(), severity: 'low', shortDescription: '', fullDescription: '', remediation: '', tags: [], references: [], ...meta }, run: () => [] };
}
/** 60 cfn_nag ids W0..W59, all covered by one check, so only the case under test is wrong. */
function base(): { checks: Check[]; catalog: PeerCatalog } {
  const ids = Array.from({ length: MIN_PEER_IDS }, (_, i) => `W${i}`);
  return { checks: [check('SGS900', { equivalents: { cfnNag: ids } })], catalog: { checks: ids.map((i) => peer('cfnNag', i)), notCovered: {} } };
}
const REASON = 'an AWS fact that says why the peer check is wrong to copy';

describe('data/peer-checks.json and the checks\' equivalents (docs/peers.md)', () => {
  it('agree: every peer id is covered or has a reason, never both, and every equivalent is a listed peer', () => {
    expect(catalogProblems(ALL_CHECKS, catalog)).toEqual([]);
  });

  it(`lists at least ${MIN_PEER_IDS} peer ids, from all four tools`, () => {
    expect(catalog.checks.length).toBeGreaterThanOrEqual(MIN_PEER_IDS);
    expect(new Set(catalog.checks.map((p) => p.tool))).toEqual(new Set(['checkov', 'kics', 'cfnNag', 'trivy']));
  });

  it('docs/peers.md is the rendering of both', () => {
    expect(readFileSync(path.join(ROOT, 'docs/peers.md'), 'utf8') === renderPeersDoc(ALL_CHECKS, catalog), HINT).toBe(true);
  });

  it("says the preset that covers a peer check: Checkov's port-20/21 NACL checks need strict's SGS023 ports", () => {
    const cov = coverageOf(ALL_CHECKS);
    expect(cov.get('checkov:CKV_AWS_232')?.map((c) => [c.check.meta.id, c.preset])).toEqual([['SGS023', 'recommended']]);
    expect(cov.get('checkov:CKV_AWS_229')?.map((c) => [c.check.meta.id, c.preset])).toEqual([['SGS023', 'strict']]);
    expect(cov.get('checkov:CKV_AWS_230')?.map((c) => [c.check.meta.id, c.preset])).toEqual([['SGS023', 'strict']]);
    const page = renderPeersDoc(ALL_CHECKS, catalog);
    const row = page.split('\n').find((l) => l.includes('`CKV_AWS_229`'))!;
    expect(row).toContain('[SGS023](rules/SGS023-nacl-admin-port-open-to-world.md)');
    expect(row.split(' | ')[4]).toBe('strict');
  });

  it('prints a PENDING entry as planned, and a reason as not covered', () => {
    // No entry of the shipped catalog is pending any more (strict18 landed); the rendering still holds.
    expect(Object.values(catalog.notCovered).filter((r) => r.startsWith(PENDING_PREFIX))).toEqual([]);
    const { checks, catalog: c } = base();
    c.checks.push(peer('cfnNag', 'W999'));
    c.notCovered['cfnNag:W999'] = `${PENDING_PREFIX} port ranges in ingress rules.`;
    const w999 = renderPeersDoc(checks, c).split('\n').find((l) => l.includes('`W999`'))!;
    expect(w999).toContain('planned (strict18): port ranges');
    expect(w999).not.toContain('PENDING');
    const f78 = renderPeersDoc(ALL_CHECKS, catalog).split('\n').find((l) => l.includes('`F78`'))!;
    expect(f78).toContain('not covered: VpcId is a required property');
  });
});

describe('catalogProblems fails', () => {
  it('passes the consistent base case', () => {
    const { checks, catalog } = base();
    expect(catalogProblems(checks, catalog)).toEqual([]);
  });
  it('when a peer id is neither covered nor given a reason', () => {
    const { checks, catalog } = base();
    catalog.checks.push(peer('trivy', 'AVD-AWS-9999'));
    expect(catalogProblems(checks, catalog)).toEqual(["trivy:AVD-AWS-9999: neither covered by a check's equivalents nor given an AWS reason"]);
    catalog.notCovered['trivy:AVD-AWS-9999'] = REASON;
    expect(catalogProblems(checks, catalog)).toEqual([]);
    catalog.notCovered['trivy:AVD-AWS-9999'] = `${PENDING_PREFIX} a check on another branch`;
    expect(catalogProblems(checks, catalog)).toEqual([]);
  });
  it('when an id is covered and still has a reason (stale)', () => {
    const { checks, catalog } = base();
    catalog.notCovered['cfnNag:W3'] = REASON;
    expect(catalogProblems(checks, catalog)).toEqual(['cfnNag:W3: covered by SGS900 and also given a not-covered reason (stale?)']);
  });
  it("when a check's equivalents name an id that is not in the peer list (strict ones too)", () => {
    const { checks, catalog } = base();
    checks.push(check('SGS901', { preset: 'strict', equivalents: { checkov: ['CKV_AWS_999'] }, strictEquivalents: { kics: ['0000-uuid'] } }));
    expect(catalogProblems(checks, catalog)).toEqual([
      'checkov:CKV_AWS_999: named as an equivalent by SGS901 but not in data/peer-checks.json',
      'kics:0000-uuid: named as an equivalent by SGS901 but not in data/peer-checks.json',
    ]);
  });
  it(`when fewer than ${MIN_PEER_IDS} ids are listed`, () => {
    const { checks, catalog } = base();
    catalog.checks.pop();
    expect(catalogProblems(checks, catalog)).toContain(`only ${MIN_PEER_IDS - 1} peer ids; the catalog lists at least ${MIN_PEER_IDS}`);
  });
  it('when a reason names an id that is not listed, or says nothing', () => {
    const { checks, catalog } = base();
    catalog.notCovered['checkov:CKV_GONE'] = REASON;
    catalog.checks.push(peer('kics', 'x-uuid'));
    catalog.notCovered['kics:x-uuid'] = 'no';
    expect(catalogProblems(checks, catalog)).toEqual([
      'checkov:CKV_GONE: has a not-covered reason but is not in the peer list',
      'kics:x-uuid: the not-covered reason says too little',
    ]);
  });
  it('a check of the strict preset covers its equivalents in strict only', () => {
    const cov = coverageOf([check('SGS901', { preset: 'strict', equivalents: { cfnNag: ['W9'] } })]);
    expect(cov.get('cfnNag:W9')?.map((c) => c.preset)).toEqual(['strict']);
  });
});

describe('peers covered only with the strict preset are told as such wherever equivalents are', () => {
  const sgs023 = ALL_CHECKS.find((c) => c.meta.id === 'SGS023')!;
  it('on the rule page and in the catalog', () => {
    expect(renderRuleDoc(sgs023, ALL_CHECKS)).toContain('Checkov CKV_AWS_231, Checkov CKV_AWS_232, KICS 3af7f2fd-06e6-4dab-b996-2912bea19ba4, KICS a20be318-cac7-457b-911d-04cc6e812c25; with the strict preset: Checkov CKV_AWS_229, Checkov CKV_AWS_230');
    expect(renderRuleCatalog(ALL_CHECKS)).toContain('[peers.md](../peers.md)');
  });
  it('in SARIF help and in `sgscan rules --format markdown`', () => {
    const finding = { ...FINDINGS[0], ruleId: 'SGS023', ruleName: sgs023.meta.name };
    const sarif = buildSarif(scanResult({ findings: [finding], checks: [sgs023] }));
    const rule = sarif.runs[0].tool.driver.rules!.find((r) => r.id === 'SGS023')!;
    expect(rule.help!.text).toContain('Equivalent checks: Checkov CKV_AWS_231, CKV_AWS_232; KICS 3af7f2fd-06e6-4dab-b996-2912bea19ba4, a20be318-cac7-457b-911d-04cc6e812c25; with the strict preset: Checkov CKV_AWS_229, CKV_AWS_230.');
    expect(renderRules([sgs023], 'markdown')).toContain('checkov: CKV_AWS_231, checkov: CKV_AWS_232, kics: 3af7f2fd-06e6-4dab-b996-2912bea19ba4, kics: a20be318-cac7-457b-911d-04cc6e812c25, checkov: CKV_AWS_229 (strict), checkov: CKV_AWS_230 (strict)');
  });
});
