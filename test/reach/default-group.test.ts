import { describe as suite, expect, test } from 'vitest';
import { PUBLIC_ADDRESSES } from '../../src/sets/public.js';
import { at } from '../../src/model/location.js';
import type { SecurityGroup } from '../../src/model/model.js';
import { Unknown } from '../../src/model/value.js';
import { describe } from '../../src/sets/describe.js';
import * as iv from '../../src/sets/interval.js';
import { ALL_ADDRESSES, serviceFrom } from '../../src/sets/setops.js';
import type { Endpoint } from '../../src/network/model.js';
import { baseNetwork, engine, F, instance, rule } from './net.js';

// An endpoint that names no security group is in its VPC's default group. Unless the scan declares a
// default group (with rules of its own), that group has AWS's rules: inbound from members only, all
// outbound. So a read replica naming no subnet and no group is not open to the internet.

const ssh = serviceFrom(6, iv.range(22), ALL_ADDRESSES);

/** A database naming no subnet and no group (CloudFormation read replica): its VPC is not known. */
function replica(id: string, line: number): Endpoint {
  return {
    id,
    format: 'cloudformation',
    resourceType: 'AWS::RDS::DBInstance',
    location: at(F, line, line + 5),
    via: [],
    kind: 'db',
    securityGroups: [],
    usesDefaultGroup: true,
    subnets: [],
    vpc: new Unknown(`the VPC of ${id} is not known from its subnets`),
    publicIp: { value: new Unknown('PubliclyAccessible unset'), reason: 'PubliclyAccessible unset', line: line + 1 },
    listeners: [],
    // Serving any port: the default group is under test here, not the engine port.
    role: { what: 'an RDS database', serves: { kind: 'any' }, opens: { kind: 'any' }, store: true, privateOnly: false },
  };
}

function declaredDefault(vpc?: string): SecurityGroup {
  return {
    address: 'aws_default_security_group.default',
    format: 'terraform',
    resourceType: 'aws_default_security_group',
    isDefault: true,
    ...(vpc ? { vpc } : {}),
    location: at(F, 200, 210),
    via: [],
    attributeLines: {},
    mixesInlineAndStandalone: false,
    metadata: {},
  };
}

suite('the default group of an endpoint that names none', () => {
  test('undeclared default group, VPC not known: not reachable from the internet (inbound from members only)', () => {
    const net = baseNetwork();
    net.endpoints.push(replica('ReplicaDB', 113));
    const r = engine(net, [], []).reach({ kind: 'internet' }, 'ReplicaDB');
    expect(r.verdict).toBe('not-reachable');
    expect(r.blockers.map((b) => `${b.line} ${b.message}`)).toContain('113 no security group rule of ReplicaDB (default-sg(a VPC that is not known)) admits the traffic from the internet');
  });

  test('undeclared default group, VPC not known: two such endpoints may reach each other (same VPC assumed)', () => {
    const net = baseNetwork();
    net.endpoints.push(replica('MasterDB', 96), replica('ReplicaDB', 113));
    const r = engine(net, [], []).reach({ kind: 'endpoint', id: 'MasterDB' }, 'ReplicaDB', ssh);
    expect(r.verdict).toBe('possibly-reachable');
    expect(r.assumptions).toContain('the endpoints in the default group of a VPC that is not known are in the same VPC');
  });

  test('a declared default group that opens a port: still possibly reachable when the VPC is not known', () => {
    const net = baseNetwork();
    net.endpoints.push(replica('ReplicaDB', 113));
    const g = declaredDefault();
    const rules = [rule(g.address, 'ingress', 'tcp', 22, 22, '0.0.0.0/0', 202)];
    const r = engine(net, [g], rules).reach({ kind: 'internet' }, 'ReplicaDB', ssh);
    expect(r.verdict).toBe('possibly-reachable');
    expect(r.assumptions).toContain('ReplicaDB is in the default group of a VPC that is not known (the VPC of ReplicaDB is not known from its subnets)');
  });

  test('known VPC: the undeclared default group admits nobody from the internet; a declared one opening tcp/22 does', () => {
    const net = baseNetwork();
    net.endpoints.push(instance('aws_instance.web', 'aws_subnet.public', [], true, 50));
    expect(engine(net, [], []).reach({ kind: 'internet' }, 'aws_instance.web').verdict).toBe('not-reachable');
    const g = declaredDefault('aws_vpc.main');
    const r = engine(net, [g], [rule(g.address, 'ingress', 'tcp', 22, 22, '0.0.0.0/0', 202)]).reach({ kind: 'internet' }, 'aws_instance.web');
    expect(r.verdict).toBe('reachable');
    expect(describe(r.allowed, { internet: PUBLIC_ADDRESSES })).toBe('tcp/22 from anywhere on the IPv4 internet');
    expect(r.path.map((h) => h.line)).toContain(202);
  });
});
