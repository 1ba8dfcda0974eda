import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { buildModel, scan } from '../../src/pipeline/scan.js';
import type { Engine } from '../../src/reach/engine.js';
import { reachContext } from '../../src/reach/exposure.js';
import type { Source } from '../../src/reach/types.js';
import { ALL_ADDRESSES, serviceFrom } from '../../src/sets/setops.js';
import * as iv from '../../src/sets/interval.js';

// The group layer with peers that are not known. A rule naming a security group whose id is not
// known admits only members of some group: never the internet or an outside CIDR, and an endpoint
// of the scan only possibly (it may be in that group). An unknown CIDR is still possibly anything
// it may be, and the assumption names the parameter and its constraint.

const ssh = serviceFrom(6, iv.range(22), ALL_ADDRESSES);

async function engines(dir: string): Promise<{ terraform: Engine; cloudformation: Engine }> {
  const ctx = reachContext(await buildModel({ paths: [dir], cwd: process.cwd() }));
  const part = (root: string) => {
    const p = ctx.parts.find((x) => x.root === root);
    if (!p) throw new Error(`no namespace ${root} (have ${ctx.parts.map((x) => x.root).join(', ')})`);
    return p.engine;
  };
  return { terraform: part(dir), cloudformation: part(`${dir}/template.yaml`) };
}

describe('a rule whose source is a security group that is not known (fixtures/unknowns/group-reference)', () => {
  const dir = 'fixtures/unknowns/group-reference';
  const twins = [
    ['terraform', 'aws_instance.app', 'aws_instance.client', 'var.bastion_sg_id'],
    ['cloudformation', 'App', 'Client', 'parameter BastionSecurityGroupId'],
  ] as const;

  for (const [format, app, client, name] of twins) {
    it(`${format}: the internet and an outside CIDR are never members, so they never get in`, async () => {
      const engine = (await engines(dir))[format];
      for (const source of [{ kind: 'internet' }, { kind: 'cidr', cidr: '203.0.113.0/24' }] as Source[]) {
        const r = engine.reach(source, app);
        expect(r.verdict, source.kind).toBe('not-reachable');
        expect(r.assumptions.join('\n')).not.toMatch(/not known/);
      }
    });

    it(`${format}: an endpoint of the scan is possibly a member, and the assumption names the group`, async () => {
      const engine = (await engines(dir))[format];
      const r = engine.reach({ kind: 'endpoint', id: client }, app, ssh);
      expect(r.verdict).toBe('possibly-reachable');
      expect(r.assumptions.some((a) => a.includes(`a security group that is not known (${name})`))).toBe(true);
    });
  }

  it('twins: no internet exposure (SGS040) in either format', async () => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: [dir], cwd: process.cwd(), version: 'test' });
    expect(result.findings.filter((f) => f.ruleId === 'SGS040')).toEqual([]);
  });
});

describe('an unknown CIDR whose declaration admits only /16 to /28 (fixtures/unknowns/constrained-cidr)', () => {
  const dir = 'fixtures/unknowns/constrained-cidr';

  it('twins: the internet exposure stays possible, and says which parameter and what it can be', async () => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: [dir], cwd: process.cwd(), version: 'test' });
    const sgs040 = result.findings.filter((f) => f.ruleId === 'SGS040');
    expect(sgs040.map((f) => `${f.file.split('/').pop()}:${f.line} ${f.certainty}`)).toEqual(['main.tf:68 possible', 'template.yaml:61 possible']);
    expect(sgs040[0].assumptions).toContain('aws_security_group.app at fixtures/unknowns/constrained-cidr/main.tf:52: its source, var.peer_vpc_cidr (a /16 to /28 range), is public');
    expect(sgs040[1].assumptions).toContain('AppSecurityGroup at fixtures/unknowns/constrained-cidr/template.yaml:53: its source, parameter PeerVpcCidr (a /16 to /28 range), is public');
  });
});
