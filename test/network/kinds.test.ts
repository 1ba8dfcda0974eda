import { describe, expect, it } from 'vitest';
import { check as eastWest } from '../../rules/reachability/east-west-exposure.js';
import { check as internet } from '../../rules/reachability/internet-exposure.js';
import { runChecks } from '../../src/pipeline/runner.js';
import { buildModel } from '../../src/pipeline/scan.js';
import { reachContext } from '../../src/reach/exposure.js';
import { compactServices, eastWestExposures } from '../../src/reach/east-west.js';
import { ALL_ADDRESSES, serviceFrom } from '../../src/sets/setops.js';
import * as iv from '../../src/sets/interval.js';

// Endpoints are what they are (issue 14, classes 4 and 5): each kind of resource that takes security
// groups serves some ports and may open connections. fixtures/endpoints/kinds puts one of each in a
// public subnet, in one group that admits SSH from anywhere and everything from its own members.

const DIR = 'fixtures/endpoints/kinds';
const TWINS = {
  terraform: {
    file: `${DIR}/main.tf`,
    app: 'aws_instance.app',
    eice: 'aws_ec2_instance_connect_endpoint.eice',
    vpce: 'aws_vpc_endpoint.ssm',
    lb: 'aws_lb.web',
    fn: 'aws_lambda_function.fn',
    cluster: 'aws_rds_cluster.aurora',
    member: 'aws_db_instance.aurora_member',
    legacy: 'aws_db_instance.legacy',
    notebook: 'aws_sagemaker_notebook_instance.notebook',
    notebookType: 'aws_sagemaker_notebook_instance',
    appLine: 72,
  },
  cloudformation: {
    file: `${DIR}/template.yaml`,
    app: 'App',
    eice: 'Eice',
    vpce: 'SsmEndpoint',
    lb: 'WebLoadBalancer',
    fn: 'Fn',
    cluster: 'AuroraCluster',
    member: 'AuroraMember',
    legacy: 'Legacy',
    notebook: 'Notebook',
    notebookType: 'AWS::SageMaker::NotebookInstance',
    appLine: 64,
  },
} as const;

const tcp = (port: number) => serviceFrom(6, iv.range(port), ALL_ADDRESSES);

async function findings() {
  const model = await buildModel({ paths: [DIR], cwd: process.cwd() });
  return { model, findings: runChecks(model, [internet, eastWest]) };
}

describe.each(Object.entries(TWINS))('endpoint kinds (%s)', (_format, t) => {
  it('SGS040: only the instance is an SSH server; the EICE and the VPC endpoint are not reachable over SSH', async () => {
    const { findings: all } = await findings();
    const mine = all.filter((f) => f.file === t.file && f.ruleId === 'SGS040');
    const app = mine.filter((f) => f.resource === t.app);
    expect(app.map((f) => [f.severity, f.line])).toEqual([['critical', t.appLine]]);
    for (const id of [t.eice, t.vpce, t.lb, t.fn, t.cluster, t.member, t.legacy]) expect(mine.filter((f) => f.resource === id).map((f) => f.message)).toEqual([]);
  });

  it('SGS040: a kind sgscan does not know is reported as unknown, never as an SSH server', async () => {
    const { findings: all } = await findings();
    const nb = all.filter((f) => f.file === t.file && f.ruleId === 'SGS040' && f.resource === t.notebook);
    expect(nb).toHaveLength(1);
    expect(nb[0].message).toContain(`a resource of type ${t.notebookType} that sgscan does not know`);
    expect(nb[0].message).not.toMatch(/\(SSH\)|is not modelled/);
    expect(nb[0].certainty).toBe('possible');
    expect(['low', 'info']).toContain(nb[0].severity);
  });

  // SGS041 tells pairs grouped by the rule that admits them (src/reach/east-west.ts groupByAdmittingRule);
  // the pairs themselves are what the kinds decide.
  const pairsOf = async () => {
    const { model, findings: all } = await findings();
    const part = reachContext(model).parts.find((p) => p.root === (t.file.endsWith('.tf') ? DIR : t.file))!;
    return { pairs: eastWestExposures(part.engine), told: all.filter((f) => f.file === t.file && f.ruleId === 'SGS041') };
  };

  it('SGS041: only clients open connections, only on what the destination serves; a cluster and its member are one endpoint', async () => {
    const { pairs: all, told } = await pairsOf();
    const known = all.filter((x) => x.source.id !== t.notebook && x.dest.id !== t.notebook);
    const pairs = new Map(known.map((x) => [`${x.source.id} ${x.verdict === 'reachable' ? 'can' : 'may'} reach ${x.dest.id}`, compactServices(x.services)] as const));
    expect([...pairs.keys()].sort()).toEqual(
      [
        `${t.app} can reach ${t.cluster}`,
        `${t.app} can reach ${t.legacy}`,
        `${t.eice} can reach ${t.app}`,
        `${t.fn} can reach ${t.app}`,
        `${t.fn} can reach ${t.cluster}`,
        `${t.fn} can reach ${t.legacy}`,
      ].sort(),
    );
    expect(pairs.get(`${t.app} can reach ${t.cluster}`)).toBe('tcp/5432 (PostgreSQL)');
    expect(pairs.get(`${t.fn} can reach ${t.legacy}`)).toBe('tcp/5433 (PostgreSQL)');
    expect(pairs.get(`${t.eice} can reach ${t.app}`)).toBe('tcp/22 (SSH) and tcp/3389 (RDP)');
    expect(pairs.get(`${t.fn} can reach ${t.app}`)).toMatch(/^tcp\/22 \(SSH\), /);
    // Every pair is told by a finding naming both sides; the member never appears on its own.
    for (const x of known) expect(told.some((f) => f.message.includes(x.source.id) && f.message.includes(x.dest.id))).toBe(true);
    expect(told.some((f) => f.message.includes(t.member))).toBe(false);
  });

  it('SGS041: a kind sgscan does not know is a possible peer, named as unknown', async () => {
    const { pairs, told } = await pairsOf();
    const nb = pairs.filter((x) => x.source.id === t.notebook || x.dest.id === t.notebook);
    expect(nb.length).toBeGreaterThan(0);
    expect(nb.every((x) => x.verdict !== 'reachable')).toBe(true);
    const named = told.filter((f) => f.message.includes(t.notebook));
    expect(named.length).toBeGreaterThan(0);
    for (const f of named) {
      expect(f.message).toMatch(/possibly also .* may reach /);
      // The unknown kind is said once, in the condition it makes.
      expect(f.message.split(`a resource of type ${t.notebookType} that sgscan does not know`)).toHaveLength(2);
    }
  });

  it('a database is reached on its engine port only (aurora-postgresql 5432, an explicit port wins)', async () => {
    const { model } = await findings();
    const part = reachContext(model).parts.find((p) => p.root === (t.file.endsWith('.tf') ? DIR : t.file))!;
    const e = part.engine;
    const from = { kind: 'endpoint', id: t.app } as const;
    expect(e.reach(from, t.cluster, tcp(3306)).verdict).toBe('not-reachable');
    expect(e.reach(from, t.cluster, tcp(22)).verdict).toBe('not-reachable');
    expect(e.reach(from, t.cluster, tcp(5432)).verdict).toBe('reachable');
    expect(e.reach(from, t.legacy, tcp(5432)).verdict).toBe('not-reachable');
    expect(e.reach(from, t.legacy, tcp(5433)).verdict).toBe('reachable');
    const blocked = e.reach(from, t.cluster, tcp(3306));
    expect(blocked.blockers.map((b) => b.message).join('\n')).toMatch(/answers on tcp\/5432 only/);
    // The EICE opens SSH and RDP only; the interface endpoint and the load balancer (no targets) open nothing.
    expect(e.reach({ kind: 'endpoint', id: t.eice }, t.app, tcp(22)).verdict).toBe('reachable');
    expect(e.reach({ kind: 'endpoint', id: t.eice }, t.app, tcp(8080)).verdict).toBe('not-reachable');
    expect(e.reach({ kind: 'endpoint', id: t.vpce }, t.app, tcp(22)).verdict).toBe('not-reachable');
    expect(e.reach({ kind: 'endpoint', id: t.lb }, t.app, tcp(22)).verdict).toBe('not-reachable');
    expect(e.reach(from, t.vpce, tcp(443)).verdict).toBe('reachable');
    expect(e.reach(from, t.vpce, tcp(22)).verdict).toBe('not-reachable');
    expect(e.reach(from, t.eice, tcp(22)).verdict).toBe('not-reachable');
  });
});
