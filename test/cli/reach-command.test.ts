import { describe as suite, expect, test } from 'vitest';
import { runGraph, buildGraph } from '../../src/cli/graph-command.js';
import { runReach } from '../../src/cli/reach-command.js';
import { context } from '../reach/helpers.js';

suite('runReach', async () => {
  const edge = await context('edge');
  const lb = await context('lb');
  const groups = await context('groups');

  test('internet → instance on a port: JSON with verdict, allowed, path with lines, and a text rendering', () => {
    const out = runReach(edge, { from: 'internet', to: 'aws_instance.prefix', protocol: 'tcp', port: 22 });
    if (!out.ok) throw new Error(out.error);
    expect(out.json.verdict).toBe('reachable');
    expect(out.json.allowed).toEqual(['tcp/22 from 192.0.2.0/24, 198.51.100.0/24']);
    expect(out.json.path.map((h) => `${h.file}:${h.line}`)).toEqual([
      'fixtures/reach/edge/main.tf:106',
      'fixtures/reach/edge/main.tf:11',
      'fixtures/reach/edge/main.tf:29',
      'fixtures/reach/edge/main.tf:7',
      'fixtures/reach/edge/main.tf:68',
      'fixtures/reach/edge/main.tf:7',
    ]);
    expect(out.json.blockers).toEqual([]);
    expect(out.text.split('\n').slice(0, 3)).toEqual(['internet → aws_instance.prefix (tcp/22): reachable', 'allowed:', '  tcp/22 from 192.0.2.0/24, 198.51.100.0/24']);
  });

  test('every blocker, not only the first', () => {
    const out = runReach(edge, { from: 'internet', to: 'aws_db_instance.private', port: 5432 });
    if (!out.ok) throw new Error(out.error);
    expect(out.json.verdict).toBe('not-reachable');
    expect(out.json.blockers.map((b) => b.line)).toEqual([151, 148]);
    expect(out.text).toContain('blocked by:\n  - fixtures/reach/edge/main.tf:151  aws_db_instance.private has no public IPv4 address (publicly_accessible = false)');
  });

  test('possibly reachable with the assumptions', () => {
    const out = runReach(edge, { from: 'internet', to: 'aws_instance.admin', protocol: 'tcp', port: 22 });
    if (!out.ok) throw new Error(out.error);
    expect(out.json.verdict).toBe('possibly-reachable');
    expect(out.json.assumptions).toEqual(['aws_security_group.admin at fixtures/reach/edge/main.tf:78: the source is not known (var.admin_cidr has no value)']);
  });

  test('a CIDR source, and ICMP with --port as the type', () => {
    const cidr = runReach(edge, { from: '203.0.113.9', to: 'aws_instance.narrow', protocol: '-1' });
    expect(cidr.ok && cidr.json.allowed).toEqual(['all traffic from 203.0.113.9/32']);
    const ping = runReach(edge, { from: 'internet', to: 'aws_instance.ping', protocol: 'icmp', port: 8 });
    expect(ping.ok && ping.json.allowed).toEqual(['icmp/8:0 from anywhere on the IPv4 internet']);
    const reply = runReach(edge, { from: 'internet', to: 'aws_instance.ping', protocol: 'icmp', port: 0 });
    expect(reply.ok && reply.json.verdict).toBe('not-reachable');
  });

  test('through a load balancer to its target', () => {
    const out = runReach(lb, { from: 'internet', to: 'aws_instance.app', protocol: 'tcp', port: 443 });
    if (!out.ok) throw new Error(out.error);
    expect(out.json.verdict).toBe('reachable');
    expect(out.json.path.map((h) => h.message)).toContain('listener aws_lb_listener.https forwards HTTPS 443 to aws_lb_target_group.app port 8080');
  });

  test('endpoint to endpoint, FILE:ID, and out to the internet', () => {
    const cfn = runReach(groups, { from: 'template.yaml:App', to: 'fixtures/reach/groups/template.yaml:Db', port: 5432 });
    expect(cfn.ok && cfn.json.verdict).toBe('reachable');
    const out = runReach(lb, { from: 'aws_instance.app', to: 'internet' });
    if (!out.ok) throw new Error(out.error);
    expect(out.json.verdict).toBe('not-reachable');
    expect(out.json.blockers.map((b) => b.message)).toContain('no egress rule of aws_instance.app (aws_security_group.app) lets the traffic out');
  });

  test('errors name the problem instead of throwing', () => {
    expect(runReach(edge, { from: 'internet', to: 'aws_instance.nope' })).toMatchObject({ ok: false, error: expect.stringContaining('no resource with network interfaces is called "aws_instance.nope"') });
    expect(runReach(edge, { from: 'internet', to: 'aws_instance.ping', protocol: 'tcpp' })).toMatchObject({ ok: false, error: expect.stringContaining('unknown protocol') });
    expect(runReach(edge, { from: 'internet', to: 'internet' })).toMatchObject({ ok: false });
    expect(runReach(edge, { from: 'internet', to: 'aws_instance.ping', port: 70000 })).toMatchObject({ ok: false, error: expect.stringContaining('invalid port') });
  });
});

suite('runGraph', async () => {
  const lb = await context('lb');

  test('nodes and edges: internet exposures, east-west and listeners, in a stable order', () => {
    const g = buildGraph(lb);
    expect(g.edges).toContainEqual({ from: 'internet', to: 'aws_lb.public', verdict: 'reachable', label: 'tcp/443' });
    expect(g.edges).toContainEqual({ from: 'aws_lb.public', to: 'aws_instance.app', verdict: 'reachable', label: 'listener 443' });
    expect(g.edges).toContainEqual({ from: 'aws_lb.public', to: 'aws_instance.app', verdict: 'reachable', label: 'tcp/8080' });
    expect(runGraph(lb, 'json')).toBe(runGraph(lb, 'json'));
  });

  test('mermaid and dot renderings', () => {
    const mermaid = runGraph(lb, 'mermaid');
    expect(mermaid.startsWith('flowchart LR\n  internet((internet))\n')).toBe(true);
    expect(mermaid).toMatch(/internet -->\|"tcp\/443"\| n\d+/);
    const dot = runGraph(lb, 'dot');
    expect(dot.startsWith('digraph sgscan {')).toBe(true);
    expect(dot).toMatch(/n\d+ -> n\d+ \[label="listener 443"\];/);
  });
});
