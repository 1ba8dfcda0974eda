import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP, group, groups, HTTPS, nacl, NETWORK, SSH } from '../pipeline/diff/estate.js';
import { act as actInProcess, actBundle, lineOf, pullRequest as makePullRequest, sarifResults, type ActionRun, type Pr } from './runner.js';

// Issue #8 acceptance: the action, run as the runner runs it, on pull requests that change what the
// internet can reach (fixtures: test/diff/estate.ts).

const cleanup: Array<() => void> = [];
afterAll(() => cleanup.forEach((f) => f()));

function pullRequest(base: Record<string, string>, head: Record<string, string>, removed: string[] = []): Pr {
  const pr = makePullRequest(base, head, 7, removed);
  cleanup.push(() => pr.dispose());
  return pr;
}

// The bundle the runner would start, built fresh from the sources (dist/ may lag behind them while
// they change; test/action/action.test.ts checks that the committed one is up to date).
const REPO_ROOT = path.resolve(__dirname, '../..');
const bundleDir = mkdtempSync(path.join(tmpdir(), 'sgscan-bundle-'));
cleanup.push(() => rmSync(bundleDir, { recursive: true, force: true }));
beforeAll(() => {
  const b = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build-action.mjs'), '--outdir', bundleDir], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(b.status, b.stderr).toBe(0);
});

const WEB_LINE = lineOf(NETWORK, 'resource "aws_instance" "web"');
const WEB_END = WEB_LINE + 6;
const BASE = { 'infra/network.tf': NETWORK, 'infra/security.tf': groups([HTTPS], [APP]) };

type Act = (pr: Pr, inputs?: Record<string, string>) => Promise<ActionRun>;
const ENTRY_POINTS: Array<[string, Act]> = [
  ['runAction in-process', (pr, inputs) => actInProcess(pr, inputs)],
  ['node index.js (the bundle)', async (pr, inputs) => actBundle(path.join(bundleDir, 'index.js'), pr, inputs)],
];

describe.each(ENTRY_POINTS)('issue #8 acceptance: exposures in pull requests, through %s', (_, act) => {
  it('(a) SSH opened to the world on a public host: one new critical SGS001 at the rule, telling the new exposure', async () => {
    const security = groups([HTTPS, SSH], [APP]);
    const pr = pullRequest(BASE, { 'infra/security.tf': security });
    const r = await act(pr, { paths: 'infra' });
    const ssh = lineOf(security, 'description = "ssh"') - 1; // its `ingress {` line

    expect(r.code).toBe(1);
    expect(r.outputs['new-exposures']).toBe('1');
    expect(r.outputs['new-critical']).toBe('1'); // SGS001 on the rule, telling what it exposes (issue 14: one finding per problem)
    expect(r.outputs['diff-base']).toBe(pr.base);

    expect(r.annotations.filter((l) => /title=SGS0(01|40) /.test(l))).toEqual([
      `::error file=infra/security.tf,line=${ssh},endLine=${ssh + 6},title=SGS001 admin-port-open-to-world (critical)::Security group aws_security_group.web allows SSH (tcp/22) from the whole internet (0.0.0.0/0). Reachable from the internet: aws_instance.web on tcp/22 (SSH).`,
    ]);

    // The summary leads with the exposure, then the usual headline.
    expect(r.summary.startsWith('## sgscan\n\n### New internet exposures: 1\n\n- 🟥 **This PR newly exposes aws\\_instance.web to the internet on tcp/22 (SSH)** (critical, [infra/network.tf:33](https://github.com/o/r/blob/')).toBe(true);
    expect(r.summary).toMatch(/through: internet → .*internet gateway aws\\_internet\\_gateway\.igw \(\[network\.tf:5\]/);
    expect(r.summary.indexOf('New internet exposures')).toBeLessThan(r.summary.indexOf('**This PR newly introduces 1 finding (1 critical)'));
    // The log (and the CLI text) lead with it too.
    expect(r.stdout).toMatch(/^This PR newly exposes aws_instance\.web to the internet on tcp\/22 \(SSH\) \(critical\)\n  infra\/network\.tf:33\n  path: internet\n/m);

    const { results } = sarifResults(r.outputs['sarif-path']);
    const exposures = results.filter((x) => x.ruleId === 'SGS040');
    // tcp/443 is allowed to face the internet (no rule finding tells it): it stays an exposure of its own.
    expect(exposures.map((x) => [x.baselineState, x.level, x.locations[0].physicalLocation.artifactLocation.uri, x.locations[0].physicalLocation.region.startLine, /tcp\/(\d+)/.exec(x.message.text)?.[1]])).toEqual([
      ['unchanged', 'warning', 'infra/network.tf', WEB_LINE, '443'],
    ]);
    const sgs001 = results.filter((x) => x.ruleId === 'SGS001');
    expect(sgs001.map((x) => [x.baselineState, x.locations[0].physicalLocation.region.startLine])).toEqual([['new', ssh]]);
    // Its path is the exposure's, from the internet gateway to the instance.
    const flow = (sgs001[0] as unknown as { codeFlows: { threadFlows: { locations: { location: { message: { text: string } } }[] }[] }[] }).codeFlows[0].threadFlows[0].locations.map((l) => l.location.message.text);
    expect(flow.join(' | ')).toMatch(/internet gateway aws_internet_gateway\.igw.*sg rule aws_security_group\.web ingress.*aws_instance\.web on tcp\/22 \(SSH\)/);
    expect(pr.repo.git('status', '--porcelain')).toBe('');
  });

  it('(b) SSH opened to the world on a private host: SGS001 lowered to low ("but not reachable"), no exposure, passes', async () => {
    const security = groups([HTTPS], [APP, SSH]);
    const pr = pullRequest(BASE, { 'infra/security.tf': security });
    const r = await act(pr, { paths: 'infra', 'fail-on': 'high', format: 'json' });
    const ssh = lineOf(security, 'description = "ssh"') - 1;

    expect(r.code).toBe(0);
    expect(r.outputs['new-exposures']).toBe('0');
    expect(r.outputs['new-critical']).toBe('0');
    expect(r.outputs['new-high']).toBe('0');
    expect(Number(r.outputs['new-low'])).toBeGreaterThanOrEqual(1);

    const report = JSON.parse(readFileSync(r.outputs['json-path'], 'utf8'));
    const sgs001 = report.findings.filter((f: { ruleId: string }) => f.ruleId === 'SGS001');
    expect(sgs001).toHaveLength(1);
    expect(sgs001[0]).toMatchObject({ status: 'new', severity: 'low', reachability: 'not-reachable', file: 'infra/security.tf', line: ssh });
    expect(sgs001[0].message).toContain('but not reachable');
    expect(sgs001[0].message).toMatch(/aws_instance\.worker has no public IPv4 address/);
    expect(sgs001[0].message).toMatch(/no route to an internet gateway/);
    expect(report.findings.filter((f: { ruleId: string; status: string }) => f.ruleId === 'SGS040' && f.status === 'new')).toEqual([]);

    const annotation = r.annotations.find((l) => l.includes('title=SGS001 '));
    expect(annotation).toMatch(new RegExp(`^::warning file=infra/security\\.tf,line=${ssh},endLine=${ssh + 6},title=SGS001 admin-port-open-to-world \\(low\\)::Security group aws_security_group\\.worker allows SSH \\(tcp/22\\) from the whole internet \\(0\\.0\\.0\\.0/0\\).*but not reachable: `));
    expect(r.annotations.some((l) => l.startsWith('::error '))).toBe(false);

    expect(r.summary).not.toContain('New internet exposures');
    expect(r.summary.startsWith('## sgscan\n\n**This PR newly introduces')).toBe(true);
    expect(r.summary).toMatch(/\| 🟦 low \| SGS001 admin-port-open-to-world \| aws\\_security\\_group\.worker \|/);

    const { results } = sarifResults(r.outputs['sarif-path']);
    expect(results.filter((x) => x.ruleId === 'SGS001').map((x) => [x.baselineState, x.level, x.locations[0].physicalLocation.region.startLine])).toEqual([['new', 'note', ssh]]);
    expect(results.filter((x) => x.ruleId === 'SGS040' && x.baselineState === 'new')).toEqual([]);
  });

  it('(c) a NACL deny entry removed, no security group changed: a new exposure of the host', async () => {
    const security = groups([HTTPS, SSH], [APP]);
    const pr = pullRequest({ ...BASE, 'infra/security.tf': security, 'infra/nacl.tf': nacl(true) }, { 'infra/nacl.tf': nacl(false) });
    expect(pr.repo.git('diff', '--name-only', pr.base, pr.head)).toBe('infra/nacl.tf');
    const r = await act(pr, { paths: 'infra', format: 'json' });

    expect(r.outputs['new-exposures']).toBe('1');
    expect(r.code).toBe(1); // the exposure is critical
    const report = JSON.parse(readFileSync(r.outputs['json-path'], 'utf8'));
    // The SSH rule was there before, low and "not reachable"; now it is critical and reachable, so it is
    // new (issue 14: a finding whose severity or reachability rises is newly exposed, not "unchanged").
    type Json = { ruleId: string; status: string; severity: string; reachability?: string; resource: string; file: string; line: number; message: string; folded?: Json[] };
    const sgs001 = report.findings.filter((f: Json) => f.ruleId === 'SGS001');
    expect(sgs001.map((f: Json) => [f.status, f.severity, f.reachability])).toEqual([['new', 'critical', 'reachable']]);
    // The exposure is told at that rule: in its message, and kept among what it folds.
    const exposure = (sgs001[0].folded ?? []).filter((f: Json) => f.ruleId === 'SGS040');
    expect(exposure).toHaveLength(1);
    expect(exposure[0]).toMatchObject({ severity: 'critical', reachability: 'reachable', resource: 'aws_instance.web', file: 'infra/network.tf', line: WEB_LINE });
    expect(report.findings.filter((f: Json) => f.ruleId === 'SGS040' && f.status === 'new')).toEqual([]);
    // The path goes through the NACL entry that now lets it in (the allow-all, rule 100).
    const allowIn = lineOf(nacl(false), '"allow_in"');
    expect(sgs001[0].message).toContain('Reachable from the internet: aws_instance.web on tcp/22 (SSH).');
    expect(exposure[0].message).toContain(`NACL aws_network_acl.public ingress rule 100 (allow 0.0.0.0/0) allows inbound tcp/22 (nacl.tf:${allowIn})`);
    const ssh = lineOf(security, 'description = "ssh"') - 1;
    expect(r.annotations).toContainEqual(expect.stringMatching(new RegExp(`^::error file=infra/security\\.tf,line=${ssh},endLine=${ssh + 6},title=SGS001 admin-port-open-to-world \\(critical\\)::.*Reachable from the internet: aws_instance\\.web on tcp/22`)));
    expect(r.summary.startsWith('## sgscan\n\n### New internet exposures: 1\n\n- 🟥 **This PR newly exposes aws\\_instance.web to the internet on tcp/22 (SSH)**')).toBe(true);
    expect(r.summary).toContain('NACL aws\\_network\\_acl.public ingress rule 100 (allow 0.0.0.0/0) allows inbound tcp/22 ([nacl.tf:');

    const { results } = sarifResults(r.outputs['sarif-path']);
    expect(results.filter((x) => x.baselineState === 'new').map((x) => [x.ruleId, x.locations[0].physicalLocation.region.startLine])).toEqual([['SGS001', ssh]]);
  });

  it('(d) a PR that only reorders rules and blocks: nothing new, no exposure, passes', async () => {
    const base = { 'infra/network.tf': NETWORK, 'infra/security.tf': groups([HTTPS, SSH, APP], [APP, SSH]) };
    const pr = pullRequest(base, { 'infra/security.tf': `# reordered\n\n${group('worker', [SSH, APP])}\n${group('web', [APP, SSH, HTTPS])}` });
    const r = await act(pr, { paths: 'infra' });

    expect(r.code).toBe(0);
    expect(r.outputs['new-findings-count']).toBe('0');
    expect(r.outputs['new-exposures']).toBe('0');
    expect(r.outputs['fixed-findings-count']).toBe('0');
    expect(Number(r.outputs['findings-count'])).toBeGreaterThan(0);
    expect(r.annotations).toEqual([]);
    expect(r.summary).not.toContain('New internet exposures');
    expect(r.summary).toMatch(/^## sgscan\n\n\*\*This PR newly introduces 0 findings compared with the PR base [0-9a-f]{12}; \d+ unchanged, 0 fixed\.\*\*/);
    const { results } = sarifResults(r.outputs['sarif-path']);
    expect(results.filter((x) => x.ruleId === 'SGS040').length).toBeGreaterThan(0); // the exposures are still there...
    expect(results.every((x) => x.baselineState === 'unchanged')).toBe(true); // ...but none is new
  });

  it('exposures compare as sets: SSH opened again by another rule or group is no new exposure', async () => {
    const base = { 'infra/network.tf': NETWORK, 'infra/security.tf': groups([HTTPS, SSH], []) };
    const admin = group('admin', [SSH]);
    const office = { port: 22, cidr: '198.51.100.0/24', description: 'office' };
    const pr = pullRequest(base, {
      'infra/network.tf': NETWORK.replace('[aws_security_group.web.id]', '[aws_security_group.web.id, aws_security_group.admin.id]'),
      'infra/security.tf': `${groups([HTTPS, SSH, office], [])}\n${admin}`,
    });
    const r = await act(pr, { paths: 'infra', 'fail-on': 'none' });
    expect(r.outputs['new-exposures']).toBe('0');
    expect(r.outputs['new-critical']).toBe('1'); // the admin group's own SGS001: a new rule, not a new exposure
    expect(r.annotations.some((l) => l.includes('title=SGS040 '))).toBe(false);
    expect(r.summary).not.toContain('New internet exposures');
  });

  it('without a base every reachable exposure counts', async () => {
    const pr = pullRequest(BASE, { 'infra/security.tf': groups([HTTPS, SSH], [APP]) });
    const r = await act(pr, { paths: 'infra', 'diff-mode': 'false', 'fail-on': 'none' });
    expect(r.outputs['new-exposures']).toBe('2'); // tcp/22 and tcp/443 on aws_instance.web
  });
});
