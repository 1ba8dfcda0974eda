import { describe as suite, expect, test } from 'vitest';
import { PUBLIC_ADDRESSES } from '../../src/sets/public.js';

const onInternet = { internet: PUBLIC_ADDRESSES };
import { describe } from '../../src/sets/describe.js';
import * as iv from '../../src/sets/interval.js';
import { ALL_ADDRESSES, serviceFrom } from '../../src/sets/setops.js';
import { lines, load } from './helpers.js';

// End to end: fixtures/reach/<case> → scan → buildModel → buildNetwork → engine.

const tcp = (port: number) => serviceFrom(6, iv.range(port), ALL_ADDRESSES);
const internet = { kind: 'internet' } as const;
const from = (id: string) => ({ kind: 'endpoint', id }) as const;

suite('public IP and subnets (public-ip/main.tf)', async () => {
  const { engine } = await load('public-ip');

  test('public IP from the subnet default: reachable through the gateway, route, NACL and group', () => {
    const r = engine.reach(internet, 'aws_instance.from_subnet');
    expect(r.verdict).toBe('reachable');
    expect(describe(r.allowed, onInternet)).toBe('tcp/22 from anywhere on the IPv4 internet');
    expect(lines(r.path)).toEqual(['public-ip/main.tf:45', 'public-ip/main.tf:6', 'public-ip/main.tf:23', 'public-ip/main.tf:2', 'public-ip/main.tf:36', 'public-ip/main.tf:2']);
    expect(r.path[0].message).toContain('map_public_ip_on_launch = true');
  });

  test('the subnet default overridden off: not reachable, blocked at the attribute', () => {
    const r = engine.reach(internet, 'aws_instance.overridden_off');
    expect(r.verdict).toBe('not-reachable');
    expect(r.blockers[0]).toMatchObject({ line: 55, message: 'aws_instance.overridden_off has no public IPv4 address (associate_public_ip_address = false)' });
  });

  test('a public IP in a private subnet: no route to the internet gateway', () => {
    const r = engine.reach(internet, 'aws_instance.private');
    expect(r.verdict).toBe('not-reachable');
    expect(r.blockers.map((b) => b.message)).toEqual(['route table main-route-table(aws_vpc.main) of subnet aws_subnet.private has no route to an internet gateway']);
  });

  test('an Elastic IP makes an instance without a public IP reachable', () => {
    const r = engine.reach(internet, 'aws_instance.with_eip');
    expect(r.verdict).toBe('reachable');
    expect(r.path[0].message).toContain('aws_eip.web');
  });
});

suite('groups (groups/main.tf, groups/template.yaml)', async () => {
  const { engine } = await load('groups');

  test('a group reference admits members of the group; a stranger in the same subnet is not admitted', () => {
    const ok = engine.reach(from('aws_instance.app'), 'aws_db_instance.db', tcp(5432));
    expect(ok.verdict).toBe('reachable');
    expect(describe(ok.allowed)).toBe('tcp/5432 from 10.0.1.0/24');
    expect(lines(ok.path)).toEqual(['groups/main.tf:14', 'groups/main.tf:29']);
    const no = engine.reach(from('aws_instance.stranger'), 'aws_db_instance.db', tcp(5432));
    expect(no.verdict).toBe('not-reachable');
    expect(no.blockers.map((b) => b.message)).toContain('no security group rule of aws_db_instance.db (aws_security_group.db) admits the traffic from aws_instance.stranger');
  });

  test("Terraform's group without egress lets nothing out, CloudFormation's keeps the implicit egress", async () => {
    const tf = engine.reach(from('aws_instance.mute'), 'aws_db_instance.db', tcp(5432));
    expect(tf.verdict).toBe('not-reachable');
    expect(tf.blockers.map((b) => b.message)).toEqual(['no egress rule of aws_instance.mute (aws_security_group.mute) lets the traffic out to aws_db_instance.db']);
    const cfn = (await load('groups', 'template.yaml')).engine.reach(from('App'), 'Db', tcp(5432));
    expect(cfn.verdict).toBe('reachable');
    expect(describe(cfn.allowed)).toBe('tcp/5432 from 10.1.1.0/24');
  });

  test('several groups whose union opens every port', () => {
    const r = engine.reach({ kind: 'cidr', cidr: '10.0.1.0/24' }, 'aws_instance.wide');
    expect(r.verdict).toBe('reachable');
    expect(describe(r.allowed)).toBe('tcp/0-65535 from 10.0.1.0/24');
  });

  test('the default group: members reach each other, others do not', () => {
    const r = engine.reach(from('aws_instance.default_a'), 'aws_instance.default_b');
    expect(r.verdict).toBe('reachable');
    expect(describe(r.allowed)).toBe('all traffic from 10.0.1.0/24');
    expect(engine.reach(from('aws_instance.app'), 'aws_instance.default_b').verdict).toBe('not-reachable');
  });
});

suite('network ACLs (nacl/main.tf)', async () => {
  const { engine } = await load('nacl');

  test('a deny before an allow carves its addresses out; the path names the allow entry', () => {
    const r = engine.reach(internet, 'aws_instance.web');
    expect(r.verdict).toBe('reachable');
    expect(describe(r.allowed, onInternet)).toBe('tcp/443 from the IPv4 internet except 198.51.100.0/24');
    expect(lines(r.path)).toEqual(['nacl/main.tf:115', 'nacl/main.tf:7', 'nacl/main.tf:25', 'nacl/main.tf:53', 'nacl/main.tf:101', 'nacl/main.tf:61']);
    expect(engine.reach({ kind: 'cidr', cidr: '198.51.100.7/32' }, 'aws_instance.web').verdict).toBe('not-reachable');
  });

  test('the request gets in but the reply may not leave: not reachable', () => {
    const r = engine.reach(internet, 'aws_instance.oneway');
    expect(r.verdict).toBe('not-reachable');
    expect(r.blockers).toEqual([
      { file: 'fixtures/reach/nacl/main.tf', line: 72, message: 'network ACL aws_network_acl.oneway of subnet aws_subnet.oneway allows none of the replies to client ports 1024-65535 (implicit deny)' },
    ]);
  });

  test('no NACL between two interfaces of one subnet: every port passes the groups', () => {
    const r = engine.reach(from('aws_instance.neighbour'), 'aws_instance.web');
    expect(describe(r.allowed)).toBe('tcp/0-65535 from 10.0.1.0/24');
    // Between subnets the NACL of web (443 in, replies out) and of oneway (443 only) apply.
    const across = engine.reach(from('aws_instance.oneway'), 'aws_instance.web');
    expect(across.verdict).toBe('not-reachable');
  });
});

suite('load balancers (lb/main.tf)', async () => {
  const { engine } = await load('lb');

  test('an internet-facing ALB exposes its listener port, an internal one nothing', () => {
    const pub = engine.reach(internet, 'aws_lb.public');
    expect(describe(pub.allowed, onInternet)).toBe('tcp/443 from anywhere on the IPv4 internet');
    expect(pub.path.at(-2)).toMatchObject({ line: 91, message: 'listener aws_lb_listener.https (HTTPS 443)' });
    const internal = engine.reach(internet, 'aws_lb.internal');
    expect(internal.verdict).toBe('not-reachable');
    expect(internal.blockers[0]).toMatchObject({ line: 80, message: 'aws_lb.internal has no public IPv4 address (internal = true)' });
  });

  test('listener → target group → target: the target admits the ALB group on the target port', () => {
    const [viaPublic, viaInternal] = engine.reachThroughLoadBalancers(internet, 'aws_instance.app');
    expect(viaPublic.verdict).toBe('reachable');
    expect(describe(viaPublic.allowed, onInternet)).toBe('tcp/443 from anywhere on the IPv4 internet');
    expect(viaPublic.path.map((h) => h.message)).toContain('listener aws_lb_listener.https forwards HTTPS 443 to aws_lb_target_group.app port 8080');
    expect(viaPublic.path).toContainEqual(expect.objectContaining({ file: 'fixtures/reach/lb/main.tf', line: 52, message: 'sg rule aws_security_group.app ingress (tcp/8080 from members of aws_security_group.alb)' }));
    expect(viaInternal.verdict).toBe('not-reachable');
    expect(engine.reach(from('aws_lb.public'), 'aws_instance.app', tcp(8080)).verdict).toBe('reachable');
  });

  test('NLB preserving client IPs: the target group must admit the clients, not the NLB', () => {
    const [r] = engine.reachThroughLoadBalancers(internet, 'aws_instance.svc_a');
    expect(r.verdict).toBe('not-reachable');
    expect(r.blockers.map((b) => b.message)).toContain(
      'aws_lb.nlb_preserve → aws_instance.svc_a: no security group rule of aws_instance.svc_a (aws_security_group.svc) admits the traffic from clients of aws_lb.nlb_preserve',
    );
  });

  test('NLB without client-IP preservation: the target sees the NLB inside the VPC', () => {
    const [r] = engine.reachThroughLoadBalancers(internet, 'aws_instance.svc_b');
    expect(r.verdict).toBe('reachable');
    expect(r.path.map((h) => h.message)).toContain('listener aws_lb_listener.proxy forwards TCP 80 to aws_lb_target_group.proxy port 8080');
  });
});

suite('IPv6 (ipv6/main.tf)', async () => {
  const { engine } = await load('ipv6');

  test('an IPv6-only exposure through an internet gateway route ::/0', () => {
    const r = engine.reach(internet, 'aws_instance.v6');
    expect(r.verdict).toBe('reachable');
    expect(describe(r.allowed, { internet: engine.internetFor('aws_instance.v6') })).toBe('tcp/443 from anywhere on the IPv6 internet');
    expect(describe(r.allowed, onInternet)).toBe('tcp/443 from the IPv6 internet except 2001:db8:1::/56');
    expect(r.path[0]).toMatchObject({ line: 74, message: 'aws_instance.v6 has an IPv6 address (ipv6_address_count = 1)' });
    expect(lines(r.path).slice(1, 3)).toEqual(['ipv6/main.tf:8', 'ipv6/main.tf:30']);
  });

  test('an egress-only gateway admits no inbound connections, but lets traffic out', () => {
    const r = engine.reach(internet, 'aws_instance.behind_eigw');
    expect(r.verdict).toBe('not-reachable');
    expect(r.blockers).toEqual([
      { file: 'fixtures/reach/ipv6/main.tf', line: 38, message: 'route table aws_route_table.outbound sends ::/0 to egress-only gateway aws_egress_only_internet_gateway.main (outbound only, no inbound connections)' },
    ]);
    const out = engine.reachOutbound('aws_instance.behind_eigw', { ipv4: [], ipv6: [{ lo: 0n, hi: 2n ** 128n - 1n }] });
    expect(out.verdict).toBe('reachable');
    expect(describe(out.allowed, { preposition: 'to' })).toBe('all traffic to ::/0 except 2001:db8:1::/56');
  });
});

suite('sources and protocols (edge/main.tf)', async () => {
  const { engine } = await load('edge');

  test('a prefix list source admits exactly its entries', () => {
    const r = engine.reach(internet, 'aws_instance.prefix');
    expect(describe(r.allowed)).toBe('tcp/22 from 192.0.2.0/24, 198.51.100.0/24');
    expect(r.path).toContainEqual(expect.objectContaining({ file: 'fixtures/reach/edge/main.tf', line: 68, message: 'sg rule aws_security_group.prefix ingress (tcp/22 from prefix list aws_ec2_managed_prefix_list.office)' }));
  });

  test('an unresolved variable: possibly reachable, the variable named', () => {
    const r = engine.reach(internet, 'aws_instance.admin');
    expect(r.verdict).toBe('possibly-reachable');
    expect(describe(r.allowed)).toBe('no traffic');
    expect(describe(r.possible, onInternet)).toBe('tcp/22 from anywhere on the IPv4 internet');
    expect(r.assumptions).toEqual(['aws_security_group.admin at fixtures/reach/edge/main.tf:78: the source is not known (var.admin_cidr has no value)']);
  });

  test('ICMP type and code: echo requests only', () => {
    const r = engine.reach(internet, 'aws_instance.ping');
    expect(describe(r.allowed, onInternet)).toBe('icmp/8:0 from anywhere on the IPv4 internet');
    const echoReply = serviceFrom(1, [{ lo: 0n, hi: 255n }], ALL_ADDRESSES);
    expect(engine.reach(internet, 'aws_instance.ping', echoReply).verdict).toBe('not-reachable');
  });

  test('protocol -1 exposes every protocol and port', () => {
    const r = engine.reach(internet, 'aws_instance.all');
    expect(describe(r.allowed, onInternet)).toBe('all traffic from anywhere on the IPv4 internet');
  });

  test('an internet gateway route narrower than 0.0.0.0/0 admits only clients within it', () => {
    const r = engine.reach(internet, 'aws_instance.narrow');
    expect(describe(r.allowed)).toBe('all traffic from 203.0.113.0/24');
    expect(lines(r.path)[2]).toBe('edge/main.tf:38');
  });

  test('a database publicly accessible or not', () => {
    expect(engine.reach(internet, 'aws_db_instance.public', tcp(5432)).verdict).toBe('reachable');
    const r = engine.reach(internet, 'aws_db_instance.private', tcp(5432));
    expect(r.verdict).toBe('not-reachable');
    expect(r.blockers[0]).toMatchObject({ line: 151, message: 'aws_db_instance.private has no public IPv4 address (publicly_accessible = false)' });
  });
});

suite('peering (peering/main.tf)', async () => {
  const { engine } = await load('peering');

  test('peered VPCs reach each other through the peering routes on both sides', () => {
    const r = engine.reach(from('aws_instance.a'), 'aws_instance.b');
    expect(describe(r.allowed)).toBe('tcp/22 from 10.1.1.0/24');
    expect(lines(r.path)).toContain('peering/main.tf:42');
    expect(lines(r.path)).toContain('peering/main.tf:50');
  });
});

suite('CloudFormation RDS default (cfn-db/template.yaml)', async () => {
  const { engine } = await load('cfn-db', 'template.yaml');

  test('PubliclyAccessible unset in a VPC with an internet gateway: public', () => {
    const r = engine.reach(internet, 'Database', tcp(5432));
    expect(r.verdict).toBe('reachable');
    expect(r.path[0]).toMatchObject({ line: 54, message: 'Database has a public IPv4 address (PubliclyAccessible unset and VPC Vpc has an internet gateway, so RDS makes the instance public)' });
  });

  test('PubliclyAccessible unset and the subnet group unknown: possibly reachable, each assumption named', () => {
    const r = engine.reach(internet, 'ElsewhereDatabase', tcp(5432));
    expect(r.verdict).toBe('possibly-reachable');
    expect(r.assumptions).toContain('a subnet of ElsewhereDatabase is not known (parameter DbSubnetGroup has no value)');
    expect(r.assumptions.some((a) => a.startsWith('ElsewhereDatabase has a public IPv4 address (PubliclyAccessible unset'))).toBe(true);
  });
});

suite('main route table as aws_default_route_table (default-route/main.tf)', async () => {
  const { engine } = await load('default-route');

  test('reachable: default_route_table_id = aws_vpc.main.default_route_table_id links the table to its VPC', () => {
    const r = engine.reach(internet, 'aws_instance.web', tcp(22));
    expect(r.verdict).toBe('reachable');
    expect(lines(r.path)).toContain('default-route/main.tf:12');
  });
});
