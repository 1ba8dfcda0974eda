import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutputs } from '../../src/action/commands.js';
import { sgFile } from '../pipeline/diff/git-repo.js';
import { act, lineOf, pullRequest as makePullRequest, runnerEnv, sarifResults, type Pr } from './runner.js';

const REPO_ROOT = path.resolve(__dirname, '../..');
const WEB = { port: 443, cidr: '0.0.0.0/0', description: 'https' };
const SSH = { port: 22, cidr: '0.0.0.0/0', description: 'ssh' };
const DB = { port: 5432, cidr: '10.0.0.0/16', description: 'db' };

const cleanup: Array<() => void> = [];
afterAll(() => cleanup.forEach((f) => f()));

/** A PR whose temporary folders are removed after the tests. */
function pullRequest(base: Record<string, string>, head: Record<string, string>, number = 7): Pr {
  const pr = makePullRequest(base, head, number);
  cleanup.push(() => pr.dispose());
  return pr;
}

describe('the action on pull requests (in-process, as the runner calls it)', () => {
  it('(a) a PR that opens SSH to the world: one new critical SGS001, annotated, summarised, failing', async () => {
    const head = sgFile('web', [WEB, SSH]);
    const pr = pullRequest({ 'infra/sg.tf': sgFile('web', [WEB]) }, { 'infra/sg.tf': head });
    const r = await act(pr, { paths: 'infra' });
    expect(r.code).toBe(1);
    expect(r.outputs['new-critical']).toBe('1');
    expect(r.outputs['new-high']).toBe('0');
    expect(Number(r.outputs['new-findings-count'])).toBeGreaterThanOrEqual(1);
    expect(Number(r.outputs['findings-count'])).toBeGreaterThan(Number(r.outputs['new-findings-count']));
    expect(r.outputs['new-exposures']).toBe('0');
    expect(r.outputs['diff-base']).toBe(pr.base);
    expect(r.outputs['sarif-path']).toBe(path.join(pr.temp, 'sgscan.sarif'));

    const sshBlock = lineOf(head, 'description = "ssh"') - 1; // the `ingress {` line
    const sgs001 = r.annotations.filter((l) => l.includes('SGS001'));
    expect(sgs001).toEqual([
      `::error file=infra/sg.tf,line=${sshBlock},endLine=${sshBlock + 6},title=SGS001 admin-port-open-to-world (critical)::Security group aws_security_group.web allows SSH (tcp/22) from the whole internet (0.0.0.0/0).`,
    ]);
    // Only new findings are annotated: nothing about the HTTPS rule.
    expect(r.annotations.some((l) => /port 443 from|tcp\/443|https/i.test(l))).toBe(false);

    expect(r.summary.startsWith('## sgscan\n\n**This PR newly introduces')).toBe(true);
    expect(r.summary).toMatch(/1 critical/);
    expect(r.summary.indexOf('SGS001')).toBeLessThan(r.summary.indexOf('Unchanged findings'));

    const { log, results } = sarifResults(r.outputs['sarif-path']);
    expect(log.runs[0].automationDetails).toEqual({ id: 'sgscan/' });
    const ssh = results.filter((x) => x.ruleId === 'SGS001');
    expect(ssh).toHaveLength(1);
    expect(ssh[0].baselineState).toBe('new');
    expect(ssh[0].locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: 'infra/sg.tf' }, region: { startLine: sshBlock } });
    expect(results.some((x) => x.baselineState === 'unchanged')).toBe(true);
    // The working tree and index were not touched.
    expect(pr.repo.git('status', '--porcelain')).toBe('');
  });

  it('(b) a PR that only reorders rules: nothing new, no annotations, passes', async () => {
    const pr = pullRequest({ 'sg.tf': sgFile('web', [WEB, SSH, DB]) }, { 'sg.tf': `# reordered\n${sgFile('web', [DB, WEB, SSH])}` });
    const r = await act(pr);
    expect(r.code).toBe(0);
    expect(r.outputs['new-findings-count']).toBe('0');
    expect(r.outputs['fixed-findings-count']).toBe('0');
    expect(Number(r.outputs['findings-count'])).toBeGreaterThan(0);
    expect(r.annotations).toEqual([]);
    expect(r.summary).toMatch(/\*\*This PR newly introduces 0 findings compared with the PR base [0-9a-f]{12}; \d+ unchanged, 0 fixed\.\*\*/);
  });

  it('(c) a PR that adds a duplicate of an existing rule: no new SGS001 (same fingerprint)', async () => {
    const pr = pullRequest({ 'sg.tf': sgFile('web', [SSH, WEB]) }, { 'sg.tf': sgFile('web', [SSH, WEB, SSH]) });
    const r = await act(pr, { format: 'json' });
    expect(r.outputs['new-critical']).toBe('0');
    expect(r.annotations.filter((l) => l.includes('SGS001'))).toEqual([]);
    const report = JSON.parse(readFileSync(r.outputs['json-path'], 'utf8'));
    const ssh = report.findings.filter((f: { ruleId: string }) => f.ruleId === 'SGS001');
    expect(ssh.length).toBeGreaterThanOrEqual(1);
    expect(ssh.every((f: { status: string }) => f.status === 'unchanged')).toBe(true);
    expect(r.code).toBe(0); // whatever else is new is below high
  });

  it('(d) a PR that fixes a finding: fixed count 1, listed in the summary', async () => {
    const pr = pullRequest({ 'sg.tf': sgFile('web', [WEB, SSH]), '.sgscan.yml': 'rules:\n  SGS005: off\n' }, { 'sg.tf': sgFile('web', [WEB]) });
    const r = await act(pr, { config: '.sgscan.yml', format: 'json,markdown' });
    expect(r.code).toBe(0);
    expect(r.outputs['fixed-findings-count']).toBe('1');
    expect(r.outputs['new-findings-count']).toBe('0');
    const report = JSON.parse(readFileSync(r.outputs['json-path'], 'utf8'));
    expect(report.fixed.map((f: { ruleId: string }) => f.ruleId)).toEqual(['SGS001']);
    expect(report.summary.diff).toMatchObject({ new: 0, fixed: 1 });
    expect(r.summary).toMatch(/Fixed findings \(at the PR base [0-9a-f]{12}, gone now\): 1/);
    expect(readFileSync(r.outputs['markdown-path'], 'utf8')).toMatch(/This PR newly introduces 0 findings/);
  });

  it('the configuration is applied once, as the CLI applies it: extends: strict reports the new port-80 rule', async () => {
    const HTTP = { port: 80, cidr: '0.0.0.0/0', description: 'http' };
    const head = sgFile('web', [WEB, HTTP]);
    const sgs005 = (r: Awaited<ReturnType<typeof act>>) => r.annotations.filter((l) => l.includes('SGS005'));
    const quiet = pullRequest({ 'sg.tf': sgFile('web', [WEB]) }, { 'sg.tf': head });
    expect(sgs005(await act(quiet, { 'fail-on': 'none' }))).toEqual([]);
    const strict = pullRequest({ 'sg.tf': sgFile('web', [WEB]), '.sgscan.yml': 'extends: strict\n' }, { 'sg.tf': head, '.sgscan.yml': 'extends: strict\n' });
    const r = await act(strict, { config: '.sgscan.yml', 'fail-on': 'none' });
    const httpBlock = lineOf(head, 'description = "http"') - 1;
    expect(sgs005(r).map((l) => /line=(\d+)/.exec(l)?.[1])).toEqual([String(httpBlock)]);
  });

  it('input preset: strict turns on the strict-only checks as --preset does, and wins over extends', async () => {
    const NET = { port: 8080, cidr: '10.0.0.0/16', description: 'app from the vpc' };
    const head = sgFile('web', [WEB, NET]);
    const sgs046 = (r: Awaited<ReturnType<typeof act>>) => r.annotations.filter((l) => l.includes('SGS046'));
    const quiet = pullRequest({ 'sg.tf': sgFile('web', [WEB]) }, { 'sg.tf': head });
    expect(sgs046(await act(quiet, { 'fail-on': 'none' }))).toEqual([]);
    const block = String(lineOf(head, 'description = "app from the vpc"') - 1);
    const strict = pullRequest({ 'sg.tf': sgFile('web', [WEB]) }, { 'sg.tf': head });
    expect(sgs046(await act(strict, { preset: 'strict', 'fail-on': 'none' })).map((l) => /line=(\d+)/.exec(l)?.[1])).toEqual([block]);
    // The input beats the file, as the flag does: extends: strict with preset recommended is quiet.
    const file = pullRequest({ 'sg.tf': sgFile('web', [WEB]), '.sgscan.yml': 'extends: strict\n' }, { 'sg.tf': head, '.sgscan.yml': 'extends: strict\n' });
    expect(sgs046(await act(file, { config: '.sgscan.yml', preset: 'recommended', 'fail-on': 'none' }))).toEqual([]);
    const bad = await act(quiet, { preset: 'paranoid' });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/^::error title=sgscan::input preset must be one of recommended, strict, got "paranoid"$/m);
  });

  it('central suppressions of the configuration file count, as for the CLI', async () => {
    const config = 'suppressions:\n  - rule: SGS001\n    path: "sg.tf"\n    reason: bastion behind the VPN gateway\n';
    const pr = pullRequest({ 'sg.tf': sgFile('web', [WEB]), '.sgscan.yml': config }, { 'sg.tf': sgFile('web', [WEB, SSH]), '.sgscan.yml': config });
    const r = await act(pr, { config: '.sgscan.yml' });
    expect(r.annotations.filter((l) => l.includes('SGS001'))).toEqual([]);
    expect(r.outputs['new-critical']).toBe('0');
    expect(r.code).toBe(0);
  });

  it('diff-mode false scans the head alone: every finding counts', async () => {
    const pr = pullRequest({ 'sg.tf': sgFile('web', [SSH]) }, { 'sg.tf': sgFile('web', [SSH, WEB]) });
    const r = await act(pr, { 'diff-mode': 'false', 'fail-on': 'none' });
    expect(r.code).toBe(0);
    expect(r.outputs['new-findings-count']).toBe(r.outputs['findings-count']);
    expect(r.outputs['new-critical']).toBe('1');
    expect(r.outputs['diff-base']).toBe('');
  });

  it('keeps within GitHub annotation limits, most severe first, and says how many were left out', async () => {
    const ports = Array.from({ length: 14 }, (_, i) => ({ port: [22, 3389, 23, 21, 445, 1433, 3306, 5432, 6379, 9200, 27017, 5900, 11211, 2375][i], cidr: '0.0.0.0/0', description: `p${i}` }));
    const pr = pullRequest({ 'sg.tf': sgFile('web', []) }, { 'sg.tf': sgFile('web', ports) });
    const r = await act(pr);
    const errors = r.annotations.filter((l) => l.startsWith('::error '));
    const warnings = r.annotations.filter((l) => l.startsWith('::warning '));
    expect(errors.length).toBe(10);
    expect(warnings.length).toBeLessThanOrEqual(10);
    expect(errors[0]).toMatch(/\(critical\)/);
    expect(r.stdout).toMatch(/\d+ findings not annotated: GitHub shows at most 10 error/);
    expect(r.summary).toMatch(/not annotated/);
  });

  it('bad inputs fail clearly (exit 2) without a stack trace', async () => {
    const pr = pullRequest({ 'sg.tf': sgFile('web', []) }, { 'sg.tf': sgFile('web', [SSH]) });
    const r = await act(pr, { 'fail-on': 'severe' });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::error title=sgscan::input fail-on must be one of critical, high, medium, low, info, none, got "severe"$/m);
    const bad = await act(pr, { 'diff-base': 'no-such-ref' });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/::error title=sgscan::unknown git revision "no-such-ref"/);
  });
});

describe('the PR comment through the REST API', () => {
  let server: Server;
  let apiUrl: string;
  let mode: 'ok' | 'forbidden' = 'ok';
  const comments: Array<{ id: number; body: string }> = [];
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests.push(`${req.method} ${req.url} ${req.headers.authorization}`);
        const send = (status: number, data: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(data));
        };
        if (mode === 'forbidden') return send(403, { message: 'Resource not accessible by integration' });
        const url = new URL(req.url ?? '/', 'http://x');
        if (req.method === 'GET' && url.pathname === '/repos/o/r/issues/7/comments') {
          const page = Number(url.searchParams.get('page') ?? '1');
          // Someone else's comment first, ours after it.
          const all = [{ id: 1, body: 'LGTM' }, ...comments];
          return send(200, all.slice((page - 1) * 100, page * 100));
        }
        if (req.method === 'POST' && url.pathname === '/repos/o/r/issues/7/comments') {
          const c = { id: 100 + comments.length, body: JSON.parse(body).body as string };
          comments.push(c);
          return send(201, c);
        }
        const m = /^\/repos\/o\/r\/issues\/comments\/(\d+)$/.exec(url.pathname);
        if (req.method === 'PATCH' && m) {
          const c = comments.find((x) => x.id === Number(m[1]));
          if (!c) return send(404, { message: 'Not Found' });
          c.body = JSON.parse(body).body;
          return send(200, c);
        }
        send(404, { message: 'Not Found' });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('creates one comment, then updates it in place', async () => {
    const pr = pullRequest({ 'sg.tf': sgFile('web', [WEB]) }, { 'sg.tf': sgFile('web', [WEB, SSH]) });
    const first = await act(pr, { 'pr-comment': 'true', 'github-token': 'tkn' }, { GITHUB_API_URL: apiUrl });
    expect(first.code).toBe(1);
    expect(comments).toHaveLength(1);
    expect(comments[0].body.startsWith('<!-- sgscan -->\n## sgscan\n\n**This PR newly introduces')).toBe(true);
    expect(Buffer.byteLength(comments[0].body)).toBeLessThanOrEqual(65536);
    expect(first.stdout).toMatch(/PR comment created \(id 100\)/);
    expect(requests).toContain('POST /repos/o/r/issues/7/comments Bearer tkn');

    // The PR is fixed: the same comment is edited, no second one appears.
    pr.repo.commit({ 'sg.tf': sgFile('web', [WEB]) }, 'fix');
    writeFileSync(pr.output, '');
    const second = await act(pr, { 'pr-comment': 'true', 'github-token': 'tkn' }, { GITHUB_API_URL: apiUrl });
    expect(second.code).toBe(0);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toMatch(/This PR newly introduces 0 findings/);
    expect(requests.filter((r) => r.startsWith('PATCH /repos/o/r/issues/comments/100 '))).toHaveLength(1);
    expect(second.stdout).toMatch(/PR comment updated \(id 100\)/);
  });

  it('a 403 (fork PR, read-only token) gives a clear warning and does not fail the run', async () => {
    mode = 'forbidden';
    try {
      const pr = pullRequest({ 'sg.tf': sgFile('web', [WEB]) }, { 'sg.tf': sgFile('web', [WEB, SSH]) });
      const r = await act(pr, { 'pr-comment': 'true', 'github-token': 'tkn', 'fail-on': 'none' }, { GITHUB_API_URL: apiUrl });
      expect(r.code).toBe(0);
      const warning = r.stdout.split('\n').find((l) => l.startsWith('::warning title=sgscan PR comment::'));
      expect(warning).toMatch(/HTTP 403: Resource not accessible by integration/);
      expect(warning).toMatch(/pull-requests: write.*forks.*read-only/);
      expect(r.outputs['new-critical']).toBe('1'); // the rest of the run went on
    } finally {
      mode = 'ok';
    }
  });
});

describe('dist/ (the committed bundle)', () => {
  const fresh = mkdtempSync(path.join(tmpdir(), 'sgscan-dist-'));
  cleanup.push(() => rmSync(fresh, { recursive: true, force: true }));
  let upToDate = false;

  beforeAll(() => {
    const b = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build-action.mjs'), '--outdir', fresh], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(b.status, b.stderr).toBe(0);
    const same = (f: string) => existsSync(path.join(REPO_ROOT, 'dist', f)) && readFileSync(path.join(fresh, f)).equals(readFileSync(path.join(REPO_ROOT, 'dist', f)));
    upToDate = same('index.js') && same('scan-worker.js');
  });

  it('is up to date: a rebuild gives the same bytes (run `npm run build:action` and commit dist/)', () => {
    expect(upToDate).toBe(true);
    for (const f of ['package.json', 'schemas/sgscan-config.schema.json']) {
      expect(readFileSync(path.join(fresh, f)).equals(readFileSync(path.join(REPO_ROOT, 'dist', f))), f).toBe(true);
    }
  });

  it('scans on worker threads from the bundle (dist/scan-worker.js): the same SARIF and JSON as on one thread', () => {
    const dist = upToDate ? path.join(REPO_ROOT, 'dist') : fresh;
    const files: Record<string, string> = { 'broken/main.tf': 'resource "aws_security_group" "x" {\n' };
    for (let i = 0; i < 4; i++) {
      files[`tf${i}/sg.tf`] = sgFile(`web${i}`, [WEB, SSH]);
      files[`cfn/stack${i}.yaml`] = `Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0, Description: rdp }\n`;
    }
    const pr = pullRequest({ 'README.md': 'estate\n' }, files);
    const reports = (jobs: string) => {
      const out = mkdtempSync(path.join(tmpdir(), 'sgscan-dist-jobs-'));
      cleanup.push(() => rmSync(out, { recursive: true, force: true }));
      const env = { ...runnerEnv(pr), 'INPUT_DIFF-MODE': 'false', INPUT_FORMAT: 'json', RUNNER_TEMP: out, 'INPUT_SARIF-OUTPUT': path.join(out, 'sgscan.sarif'), INPUT_JOBS: jobs };
      const r = spawnSync(process.execPath, [path.join(dist, 'index.js')], { cwd: pr.repo.dir, env: env as NodeJS.ProcessEnv, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
      // A worker that did not load would be a warning here, and the scan would have stayed on one thread.
      expect(r.stdout).not.toMatch(/worker thread/);
      return { sarif: readFileSync(path.join(out, 'sgscan.sarif'), 'utf8'), json: readFileSync(path.join(out, 'sgscan.json'), 'utf8') };
    };
    const one = reports('1');
    const two = reports('2');
    expect(JSON.parse(one.json).errors.map((e: { file: string }) => e.file)).toEqual(['broken/main.tf']);
    expect(two.sarif).toBe(one.sarif);
    expect(two.json).toBe(one.json);
  });

  it('runs as the runner runs it (node dist/index.js), Terraform and CloudFormation YAML included', () => {
    const entry = upToDate ? path.join(REPO_ROOT, 'dist/index.js') : path.join(fresh, 'index.js');
    const pr = pullRequest(
      { 'tf/sg.tf': sgFile('web', [WEB]), 'cfn/stack.yaml': 'Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n' },
      {
        'tf/sg.tf': sgFile('web', [WEB, SSH]),
        'cfn/stack.yaml':
          'Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 3389\n          ToPort: 3389\n          CidrIp: !Sub "0.0.0.0/0"\n          Description: rdp\n',
      },
    );
    const env = { ...runnerEnv(pr), 'INPUT_FAIL-ON': 'critical' };
    // The runner starts node in the workspace with only the environment; no node_modules next to the bundle is needed.
    const r = spawnSync(process.execPath, [entry], { cwd: pr.repo.dir, env: env as NodeJS.ProcessEnv, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const outputs = readOutputs(readFileSync(pr.output, 'utf8'));
    expect(outputs['new-critical']).toBe('2');
    expect(r.stdout).toMatch(/^::error file=tf\/sg\.tf,line=\d+,endLine=\d+,title=SGS001 .*SSH/m);
    expect(r.stdout).toMatch(/^::error file=cfn\/stack\.yaml,line=7,endLine=\d+,title=SGS001 .*RDP/m);
    const { results } = sarifResults(outputs['sarif-path']);
    expect(results.filter((x) => x.ruleId === 'SGS001').map((x) => x.baselineState)).toEqual(['new', 'new']);
    expect(readFileSync(pr.summary, 'utf8')).toMatch(/This PR newly introduces .*2 critical/);
  });
});
