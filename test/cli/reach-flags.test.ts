import { describe as suite, expect, test } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { runReach, type ReachArgs } from '../../src/cli/reach-command.js';
import { context } from '../reach/helpers.js';

// `sgscan reach` flags (issue 20), each with a Terraform and a CloudFormation question on the twin
// fixtures fixtures/reach/question/{main.tf,template.yaml}.

const TF = { app: 'aws_instance.app', app2: 'aws_instance.app2', web: 'aws_instance.web', strict: 'aws_instance.strict', ping: 'aws_instance.ping', v6: 'aws_instance.v6', mixed: 'aws_instance.mixed', publicLb: 'aws_lb.public', internalLb: 'aws_lb.internal', strictAcl: 'aws_network_acl.strict', appTg: 'aws_lb_target_group.app', ipTg: 'aws_lb_target_group.ip' };
const CFN = { app: 'App', app2: 'App2', web: 'Web', strict: 'Strict', ping: 'Ping', v6: 'V6', mixed: 'Mixed', publicLb: 'PublicAlb', internalLb: 'InternalAlb', strictAcl: 'StrictAcl', appTg: 'AppTargets', ipTg: 'IpTargets' };

for (const [format, ids] of [['Terraform', TF], ['CloudFormation', CFN]] as const) {
  suite(`reach flags (${format})`, async () => {
    const ctx = await context('question');
    const ask = (args: ReachArgs) => {
      const out = runReach(ctx, args);
      if (!out.ok) throw new Error(out.error);
      return out.json;
    };

    test('--via LB: only the path through that load balancer, with its listener; also from a resource through an internal one', () => {
      const r = ask({ from: 'internet', to: ids.app, port: 443, via: ids.publicLb });
      expect(r.verdict).toBe('reachable');
      expect(r.question).toMatchObject({ label: `tcp/443 via ${ids.publicLb}`, via: ids.publicLb, protocol: 6, ports: { from: 443, to: 443 } });
      expect(r.path.map((h) => h.message)).toContainEqual(expect.stringMatching(/^listener .* forwards HTTPS 443 to .* port 8080$/));
      const internal = ask({ from: 'internet', to: ids.app, via: ids.internalLb });
      expect(internal.verdict).toBe('not-reachable');
      expect(internal.blockers.map((b) => b.message)).toContain(`through ${ids.internalLb}: ${ids.internalLb} has no public IPv4 address (${format === 'Terraform' ? 'internal = true' : 'Scheme = internal'})`);
      expect(ask({ from: ids.web, to: ids.app, port: 80, via: ids.internalLb }).verdict).toBe('reachable');
      expect(ask({ from: ids.web, to: ids.app, port: 80, direct: true }).verdict).toBe('not-reachable');
    });

    test('--direct: no load balancer, so the private target is not reachable from the internet', () => {
      expect(ask({ from: 'internet', to: ids.app, port: 443 }).verdict).toBe('reachable');
      const r = ask({ from: 'internet', to: ids.app, port: 443, direct: true });
      expect(r.verdict).toBe('not-reachable');
      expect(r.question.label).toBe('tcp/443, direct only');
      expect(r.blockers.every((b) => !b.message.startsWith('through '))).toBe(true);
    });

    test('--dest-port: the target group port behind the listener; a listener forwarding elsewhere is rejected with the reason', () => {
      expect(ask({ from: 'internet', to: ids.app, port: 443, destPort: 8080 }).verdict).toBe('reachable');
      const r = ask({ from: 'internet', to: ids.app, port: 443, destPort: 9090 });
      expect(r.verdict).toBe('not-reachable');
      expect(r.blockers.map((b) => b.message)).toContainEqual(expect.stringMatching(new RegExp(`^through ${ids.publicLb}: listener \\S+ forwards to ${ids.appTg} port 8080, not port 9090$`)));
    });

    test('a rejected load-balancer leg says why: the listener does not listen on the port asked about', () => {
      const r = ask({ from: 'internet', to: ids.app, port: 22 });
      expect(r.blockers.map((b) => b.message)).toContainEqual(expect.stringMatching(new RegExp(`^through ${ids.publicLb}: listener \\S+ listens on HTTPS 443, not on the traffic asked about$`)));
    });

    test('--source-port: a NACL that lets replies out to 32768-60999 only', () => {
      const dflt = ask({ from: ids.web, to: ids.strict, port: 22 });
      expect(dflt.verdict).toBe('not-reachable');
      expect(dflt.blockers.map((b) => b.message)).toEqual([expect.stringContaining(`network ACL ${ids.strictAcl}`)]);
      expect(ask({ from: ids.web, to: ids.strict, port: 22, sourcePort: 40000 }).verdict).toBe('reachable');
      expect(ask({ from: ids.web, to: ids.strict, port: 22, sourcePort: '33000-34000' }).verdict).toBe('reachable');
      expect(ask({ from: ids.web, to: ids.strict, port: 22, sourcePort: '1024-40000' }).blockers[0].message).toContain('replies to client ports 1024-40000');
    });

    test('--icmp-type and --icmp-code: echo requests only', () => {
      const r = ask({ from: 'internet', to: ids.ping, icmpType: 8, icmpCode: 0 });
      expect(r.verdict).toBe('reachable');
      expect(r.allowed).toEqual(['icmp/8:0 from anywhere on the IPv4 internet']);
      expect(ask({ from: 'internet', to: ids.ping, icmpType: 8, icmpCode: 1 }).verdict).toBe('not-reachable');
      expect(ask({ from: 'internet', to: ids.ping, icmpType: 0 }).verdict).toBe('not-reachable');
      expect(ask({ from: 'internet', to: ids.ping, icmpType: 8 }).verdict).toBe('reachable');
    });

    test('--ip-version: HTTPS over IPv6 only; over IPv4 both the address and the group block', () => {
      const v6 = ask({ from: 'internet', to: ids.v6, port: 443, ipVersion: 6 });
      expect(v6.verdict).toBe('reachable');
      expect(v6.allowed).toEqual(['tcp/443 from anywhere on the IPv6 internet']);
      const v4 = ask({ from: 'internet', to: ids.v6, port: 443, ipVersion: '4' });
      expect(v4.verdict).toBe('not-reachable');
      expect(v4.blockers.map((b) => b.message)).toEqual([expect.stringContaining(`${ids.v6} has no public IPv4 address`), `no security group rule of ${ids.v6} (${format === 'Terraform' ? 'aws_security_group.v6' : 'V6Group'}) admits the traffic from the internet`]);
    });

    test('every layer that drops the traffic is named, with the IP version it drops', () => {
      const r = ask({ from: 'internet', to: ids.mixed, port: 22 });
      expect(r.verdict).toBe('not-reachable');
      expect(r.blockers.map((b) => b.message)).toEqual([
        expect.stringMatching(new RegExp(`^${ids.mixed} has no public IPv4 address .* \\(over IPv4\\)$`)),
        `no security group rule of ${ids.mixed} (${format === 'Terraform' ? 'aws_security_group.v4' : 'V4Group'}) admits the traffic from the internet (over IPv6)`,
      ]);
      expect(r.blockers.every((b) => typeof b.line === 'number')).toBe(true);
    });

    test('an IP-type target group reaches the instance registered by its private address', () => {
      const r = ask({ from: 'internet', to: ids.app2, port: 9443 });
      expect(r.verdict).toBe('reachable');
      expect(r.path.map((h) => h.message)).toContainEqual(expect.stringMatching(new RegExp(`forwards HTTPS 9443 to ${ids.ipTg} port 9090$`)));
    });
  });
}

test('flag errors name the flag', async () => {
  const ctx = await context('question');
  expect(runReach(ctx, { from: 'internet', to: 'aws_instance.ping', icmpCode: 0 })).toMatchObject({ ok: false, error: '--icmp-code: an ICMP code needs an ICMP type' });
  expect(runReach(ctx, { from: 'internet', to: 'aws_instance.ping', ipVersion: 5 })).toMatchObject({ ok: false, error: expect.stringContaining('--ip-version') });
  expect(runReach(ctx, { from: 'internet', to: 'aws_instance.ping', sourcePort: '9-1' })).toMatchObject({ ok: false, error: expect.stringContaining('--source-port') });
  expect(runReach(ctx, { from: 'internet', to: 'aws_instance.app', via: 'aws_instance.web' })).toMatchObject({ ok: false, error: '--via: aws_instance.web is not a load balancer' });
  expect(runReach(ctx, { from: 'internet', to: 'aws_instance.app', via: 'aws_lb.public', direct: true })).toMatchObject({ ok: false, error: expect.stringContaining('--via') });
  expect(runReach(ctx, { from: 'aws_instance.web', to: 'internet', via: 'aws_lb.public' })).toMatchObject({ ok: false, error: expect.stringContaining('destination is a resource') });
});

suite('the flags on the command line', () => {
  async function run(args: string[]) {
    let stdout = '';
    let stderr = '';
    const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, env: {}, cwd: process.cwd() };
    const code = await main(args, io);
    return { code, stdout, stderr };
  }

  test('each flag is in --help', async () => {
    const r = await run(['reach', '--help']);
    for (const flag of ['--via <lb>', '--direct', '--dest-port <port>', '--source-port <ports>', '--icmp-type <type>', '--icmp-code <code>', '--ip-version <version>']) expect(r.stdout).toContain(flag);
  });

  test('Terraform and CloudFormation, JSON with the question', async () => {
    const tf = await run(['reach', 'fixtures/reach/question/main.tf', '--from', 'internet', '--to', 'aws_instance.app', '--port', '443', '--dest-port', '8080', '--via', 'aws_lb.public', '--ip-version', '4', '--format', 'json']);
    expect(tf.code).toBe(0);
    expect(JSON.parse(tf.stdout)).toMatchObject({ verdict: 'reachable', question: { label: 'tcp/443 to port 8080 over IPv4 via aws_lb.public', destPort: 8080, ipVersion: 4, via: 'aws_lb.public' } });
    const cfn = await run(['reach', 'fixtures/reach/question/template.yaml', '--from', 'Web', '--to', 'Strict', '--port', '22', '--source-port', '40000-40010', '--direct']);
    expect(cfn.code).toBe(0);
    expect(cfn.stdout.split('\n')[0]).toBe('Web → Strict (tcp/22 from source ports 40000-40010, direct only): reachable');
    const ping = await run(['reach', 'fixtures/reach/question/template.yaml', '--from', 'internet', '--to', 'Ping', '--icmp-type', '8', '--icmp-code', '0']);
    expect(ping.stdout.split('\n')[0]).toBe('internet → Ping (icmp type 8 code 0): reachable');
    const bad = await run(['reach', 'fixtures/reach/question/main.tf', '--from', 'internet', '--to', 'aws_instance.ping', '--icmp-code', '3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('sgscan: --icmp-code: an ICMP code needs an ICMP type\n');
  });
});
