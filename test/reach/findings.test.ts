import { describe as suite, expect, test } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { runChecks } from '../../src/pipeline/runner.js';
import { check as eastWest } from '../../rules/reachability/east-west-exposure.js';
import { check as internetExposure } from '../../rules/reachability/internet-exposure.js';
import { buildModel } from '../../src/pipeline/scan.js';
import { reachContext } from '../../src/reach/exposure.js';
import { rerank } from '../../src/pipeline/rerank.js';

async function model(name: string) {
  return buildModel({ paths: [`fixtures/reach/${name}`], cwd: process.cwd()});
}

suite('SGS040 internet exposure', () => {
  test('one finding per endpoint and service, severity from the table, located at the endpoint, with the path', async () => {
    const findings = runChecks(await model('edge'), [internetExposure]);
    const summary = findings.map((f) => `${f.severity} ${f.certainty} ${f.line} ${f.resource} ${f.key}`);
    expect(summary).toEqual([
      'critical definite 106 aws_instance.prefix internet tcp/22',
      'high possible 112 aws_instance.admin internet tcp/22', // possible: one level below the table
      'low definite 118 aws_instance.ping internet icmp/8:0',
      'critical definite 124 aws_instance.all internet all traffic',
      'critical definite 130 aws_instance.narrow internet all traffic',
      'critical definite 140 aws_db_instance.public internet tcp/5432', // all traffic admitted; a PostgreSQL answers on 5432 only,
    ]);
    const admin = findings[1];
    expect(admin.message).toContain('aws_instance.admin may be reachable from the internet on tcp/22 (SSH), if var.admin_cidr admits internet addresses (the source of a rule of aws_security_group.admin): ');
    expect(admin.assumptions).toEqual(['aws_security_group.admin at fixtures/reach/edge/main.tf:78: the source is not known (var.admin_cidr has no value)']);
    expect(admin.reachability).toBe('possibly-reachable');
    const prefix = findings[0];
    expect(prefix.message).toBe(
      'aws_instance.prefix is reachable from the internet on tcp/22 (SSH): tcp/22 from 192.0.2.0/24, 198.51.100.0/24; path: ' +
        'aws_instance.prefix has a public IPv4 address (subnet aws_subnet.public sets map_public_ip_on_launch = true) (main.tf:106) → ' +
        'internet gateway aws_internet_gateway.main (main.tf:11) → route 0.0.0.0/0 → aws_internet_gateway.main in aws_route_table.public (subnet aws_subnet.public) (main.tf:29) → ' +
        'default NACL default-nacl(aws_vpc.main) allows inbound tcp/22 (ingress rule 100) (main.tf:7) → ' +
        'sg rule aws_security_group.prefix ingress (tcp/22 from prefix list aws_ec2_managed_prefix_list.office) (main.tf:68) → ' +
        'default NACL default-nacl(aws_vpc.main) allows replies to client ports 1024-65535 (egress rule 100) (main.tf:7)',
    );
    expect(prefix.path?.map((h) => h.line)).toEqual([106, 11, 29, 7, 68, 7]);
    expect(findings[3].message).toContain('all traffic, including FTP data (tcp/20), FTP (tcp/21), SSH (tcp/22), Telnet (tcp/23), SMTP (tcp/25) and 38 more');
  });

  test('HTTP/HTTPS on an internet-facing load balancer is public by design (info); elsewhere medium', async () => {
    const lb = runChecks(await model('lb'), [internetExposure]).map((f) => `${f.severity} ${f.resource} ${f.key}`);
    expect(lb).toEqual(['info aws_lb.public internet tcp/443', 'info aws_lb.nlb_preserve internet tcp/80', 'info aws_lb.nlb_proxy internet tcp/80']);
    const nacl = runChecks(await model('nacl'), [internetExposure]).map((f) => `${f.severity} ${f.resource} ${f.key}`);
    expect(nacl).toEqual(['medium aws_instance.web internet tcp/443', 'medium aws_instance.neighbour internet tcp/443']);
  });

  test('namespaces do not mix: two roots may both declare aws_vpc.main', async () => {
    const all = runChecks(await buildModel({ paths: ['fixtures/reach'], cwd: process.cwd()}), [eastWest]);
    expect(all.every((f) => !f.message.includes('behind_eigw'))).toBe(true);
    // Told at the rule of b's group that admits a, across the peering.
    expect(all.map((f) => `${f.file}:${f.line} ${f.message}`)).toContain('fixtures/reach/peering/main.tf:95 aws_instance.a can reach aws_instance.b on tcp/22 (SSH), admitted by security group aws_security_group.open_b.');
  });
});

suite('SGS041 east-west', () => {
  test('which endpoints reach which on admin and database ports', async () => {
    const findings = runChecks(await model('groups'), [eastWest]);
    const told = findings.map((f) => `${f.file}:${f.line} ${f.message}`);
    expect(told).toContain('fixtures/reach/groups/main.tf:29 aws_instance.app can reach aws_db_instance.db on tcp/5432 (PostgreSQL), admitted by security group aws_security_group.db.');
    expect(told).toContain('fixtures/reach/groups/template.yaml:24 App can reach Db on tcp/5432 (PostgreSQL), admitted by security group DbGroup.');
    // Members of the default group reach each other without a rule of their own: one finding, at the group.
    expect(told.filter((m) => m.includes('can reach each other'))).toEqual([expect.stringMatching(/^fixtures\/reach\/groups\/main\.tf:3 aws_instance\.default_a and aws_instance\.default_b can reach each other on tcp\/22 \(SSH\)/)]);
    expect(findings.some((f) => f.message.includes('aws_instance.stranger can reach') || /stranger.* reach aws_db_instance\.db/.test(f.message))).toBe(false);
    expect(findings.some((f) => f.message.includes('aws_instance.mute'))).toBe(false);
    expect(findings.every((f) => f.severity === 'info')).toBe(true);
  });
});

suite('rerank', () => {
  test('a world-open rule lowered to low when no endpoint using its group is reachable, kept when one is', async () => {
    const m = await model('public-ip');
    const findings = runChecks(m, ALL_CHECKS.filter((c) => c.meta.id === 'SGS001'));
    expect(findings).toHaveLength(1);
    const [kept] = rerank(findings, reachContext(m));
    expect(kept.severity).toBe('critical');
    expect(kept.reachability).toBe('reachable');

    const lbModel = await model('lb');
    const lbFindings = runChecks(lbModel, ALL_CHECKS.filter((c) => ['SGS001', 'SGS004', 'SGS005'].includes(c.meta.id)));
    const ranked = rerank(lbFindings, reachContext(lbModel));
    // The ALB group is open on 443 only: SGS005 ("ports other than allowed") stays as it was when no finding applies.
    expect(ranked.every((f) => f.reachability === undefined || f.reachability === 'reachable')).toBe(true);
  });

  test('not reachable: severity low and the blockers appended', async () => {
    const m = await model('groups');
    // Make a world-open rule on a group whose only member is in a subnet without a route to the internet.
    const rule = m.rules.find((r) => r.group === 'aws_security_group.high' && r.direction === 'ingress')!;
    const { parseCidr } = await import('../../src/model/peer.js');
    rule.peer = parseCidr('0.0.0.0/0');
    const findings = runChecks(m, ALL_CHECKS.filter((c) => ['SGS004', 'SGS005'].includes(c.meta.id)));
    expect(findings.length).toBeGreaterThan(0);
    const ranked = rerank(findings, reachContext(m));
    for (const f of ranked) {
      expect(f.severity).toBe('low');
      expect(f.reachability).toBe('not-reachable');
      expect(f.message).toMatch(/, but not reachable: .*aws_instance\.(stranger|wide) has no public IPv4 address/);
      expect(f.message).toContain('has no route to an internet gateway (main.tf:3)');
    }
    // Findings that name no world-open rule pass through untouched.
    const other = { ...findings[0], ruleId: 'SGS003', exposes: undefined };
    expect(rerank([other], reachContext(m))[0]).toBe(other);
  });
});
