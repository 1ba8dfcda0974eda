import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { withFolded } from '../../src/model/check.js';
import { scan } from '../../src/pipeline/scan.js';

// A world-open rule is judged by what its members serve: an internet-facing ALB answers only on its
// listeners, so "all traffic from the world" on its group exposes HTTP(S), public by design (issue 14:
// the ECS load balancer groups read as critical "SSH and RDP" in the corpus).
const TWINS = [
  { file: 'fixtures/rerank/lb-only/main.tf', line: 45, group: 'aws_security_group.lb', lb: 'aws_lb.web' },
  { file: 'fixtures/rerank/lb-only/template.yaml', line: 55, group: 'LbGroup', lb: 'Web' },
];

describe.each(TWINS)('world-open rule on a group whose only member is a load balancer ($file)', (t) => {
  it('is one low finding at the rule, saying the load balancer answers only on its listeners', async () => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: [t.file], cwd: process.cwd(), version: 't' });
    const open = result.findings.filter((f) => ['SGS001', 'SGS002', 'SGS004', 'SGS005', 'SGS040'].includes(f.ruleId));
    expect(open.map((f) => [f.ruleId, f.severity, f.line])).toEqual([['SGS002', 'low', t.line]]);
    expect(open[0].message).toBe(
      `Security group ${t.group} allows all traffic from the whole internet (0.0.0.0/0), but its only member is a load balancer, which answers only on its listeners. Reachable from the internet: ${t.lb} on tcp/80 (HTTP listener) and tcp/445 (HTTPS listener).`,
    );
  });

  it('an HTTPS listener on tcp/445 is HTTPS, public by design, not SMB', async () => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: [t.file], cwd: process.cwd(), version: 't' });
    const exposures = withFolded(result.findings).filter((f) => f.ruleId === 'SGS040');
    expect(exposures.map((f) => [f.severity, f.service])).toEqual([
      ['info', 'tcp/445 (HTTPS listener)'],
      ['info', 'tcp/80 (HTTP listener)'],
    ]);
    expect(withFolded(result.findings).some((f) => /SMB/.test(f.message) && f.severity !== 'low')).toBe(false);
  });
});

// The rule opens 443-445 and the load balancer has an HTTPS listener on 445: what faces the internet on
// 445 is HTTPS, so the finding is not headed "allows SMB (tcp/445)" (SGS004's words for the port); the
// family's check that names ports, not services, words it, and SGS004 stays in `folded`.
const PORT_TWINS = [
  { file: 'fixtures/rerank/lb-only-ports/main.tf', line: 45, group: 'aws_security_group.lb', lb: 'aws_lb.web' },
  { file: 'fixtures/rerank/lb-only-ports/template.yaml', line: 55, group: 'LbGroup', lb: 'Web' },
];

describe.each(PORT_TWINS)('a port range on a group whose only member is a load balancer ($file)', (t) => {
  it('is headed by the ports it opens, not by the service the catalog gives port 445', async () => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: [t.file], cwd: process.cwd(), version: 't' });
    const open = result.findings.filter((f) => ['SGS001', 'SGS002', 'SGS004', 'SGS005', 'SGS040'].includes(f.ruleId));
    expect(open.map((f) => [f.ruleId, f.severity, f.line])).toEqual([['SGS005', 'low', t.line]]);
    expect(open[0].message).toMatch(new RegExp(`^Security group ${t.group} allows tcp ports 443-445 from the whole internet \\(0\\.0\\.0\\.0/0\\)`));
    expect(open[0].message).toContain('but its only member is a load balancer, which answers only on its listeners');
    expect(open[0].message).not.toContain('SMB');
    expect((open[0].folded ?? []).map((f) => f.ruleId)).toContain('SGS004');
  });
});
