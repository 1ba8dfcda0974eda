#!/usr/bin/env node
// Benchmark of the reachability engine on a synthetic estate built in memory: 1,000 security groups
// and 5,000 resources (VPCs, subnets, route tables, NACLs, instances, load balancers, databases),
// then half of that. Runs internet exposure (SGS040) and east-west (SGS041) over every endpoint and
// prints time, heap and the growth factor. Deterministic (seeded), no files read.
//
//   node --expose-gc scripts/bench-reach.mjs
//
// The TypeScript sources are bundled in memory with esbuild, so no build step is needed.
import { build } from 'esbuild';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function loadEngine() {
  const entry = `
    export { Engine } from './src/reach/engine.ts';
    export { emptyFacts } from './src/reach/facts.ts';
    export { internetExposures } from './src/reach/exposure.ts';
    export { eastWestExposures } from './src/reach/east-west.ts';
    export { parseCidr } from './src/model/peer.ts';
    export { parsePorts } from './src/model/ports.ts';
    export { parseProtocol } from './src/model/protocol.ts';
    export { ResourceRef } from './src/model/value.ts';
  `;
  const out = await build({ stdin: { contents: entry, resolveDir: root, loader: 'ts' }, bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'error' });
  const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-bench-'));
  const file = path.join(dir, 'engine.mjs');
  writeFileSync(file, out.outputFiles[0].text);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Small deterministic PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function estate(lib, groupCount, resourceCount) {
  const { parseCidr, parsePorts, parseProtocol, ResourceRef } = lib;
  const rand = rng(42);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const loc = (line) => ({ file: 'bench.tf', line, endLine: line });
  const placed = (id, resourceType, line) => ({ id, format: 'terraform', resourceType, location: loc(line), via: [] });
  const vpcCount = Math.max(1, Math.round(resourceCount / 500));
  const subnetsPerVpc = 16;
  const network = { vpcs: [], subnets: [], routeTables: [], internetGateways: [], egressOnlyInternetGateways: [], natGateways: [], peeringConnections: [], nacls: [], prefixLists: [], endpoints: [] };
  let line = 1;
  const naclEntry = (n, action, protocol, cidr, from, to) => {
    const p = parseProtocol(protocol);
    return { ruleNumber: n, action, protocol: p, cidr, ports: p.kind === 'all' ? { kind: 'all' } : parsePorts(p, from, to), resource: 'nacl', location: loc(line++), via: [], declared: true };
  };
  for (let v = 0; v < vpcCount; v++) {
    const vpc = `aws_vpc.v${v}`;
    const cidr = `10.${v}.0.0/16`;
    const igw = `aws_internet_gateway.v${v}`;
    const pub = { ...placed(`aws_route_table.pub${v}`, 'aws_route_table', line++), vpc, isMain: false, routes: [{ destination: cidr, targetKind: 'local', target: 'local', location: loc(line++) }, { destination: '0.0.0.0/0', targetKind: 'igw', target: new ResourceRef(igw, 'id'), location: loc(line++) }] };
    const priv = { ...placed(`aws_route_table.priv${v}`, 'aws_route_table', line++), vpc, isMain: true, routes: [{ destination: cidr, targetKind: 'local', target: 'local', location: loc(line++) }] };
    const open = { ...placed(`default-nacl(${vpc})`, 'implicit', line++), vpc, ingress: [naclEntry(100, 'allow', '-1', '0.0.0.0/0')], egress: [naclEntry(100, 'allow', '-1', '0.0.0.0/0')], subnets: [], isDefault: true, declared: false };
    const strict = {
      ...placed(`aws_network_acl.strict${v}`, 'aws_network_acl', line++),
      vpc,
      ingress: [naclEntry(50, 'deny', 'tcp', '198.51.100.0/24', 0, 65535), naclEntry(100, 'allow', 'tcp', '0.0.0.0/0', 443, 443), naclEntry(110, 'allow', 'tcp', cidr, 0, 65535), naclEntry(120, 'allow', 'tcp', '0.0.0.0/0', 1024, 65535)],
      egress: [naclEntry(100, 'allow', 'tcp', '0.0.0.0/0', 0, 65535)],
      subnets: [],
      isDefault: false,
      declared: true,
    };
    network.vpcs.push({ ...placed(vpc, 'aws_vpc', line++), cidrs: { ipv4: [cidr], ipv6: [] }, internetGateways: [igw], mainRouteTable: priv.id, defaultNacl: open.id });
    network.internetGateways.push({ ...placed(igw, 'aws_internet_gateway', line++), vpc });
    network.routeTables.push(pub, priv);
    network.nacls.push(open, strict);
    for (let s = 0; s < subnetsPerVpc; s++) {
      const isPublic = s < subnetsPerVpc / 4;
      network.subnets.push({
        ...placed(`aws_subnet.v${v}s${s}`, 'aws_subnet', line++),
        vpc,
        cidr: `10.${v}.${s}.0/24`,
        mapPublicIpOnLaunch: { value: isPublic, reason: 'bench' },
        routeTable: isPublic ? pub.id : priv.id,
        nacl: s % 3 === 0 ? strict.id : open.id,
      });
    }
  }
  const groups = [];
  const rules = [];
  for (let g = 0; g < groupCount; g++) {
    const address = `aws_security_group.g${g}`;
    groups.push({ address, format: 'terraform', resourceType: 'aws_security_group', isDefault: false, location: loc(line++), via: [], attributeLines: {}, mixesInlineAndStandalone: false, metadata: {} });
    const rule = (direction, protocol, from, to, peer) => {
      const p = parseProtocol(protocol);
      rules.push({ id: `${address}/${direction}/${rules.length}`, group: address, direction, protocol: p, ports: parsePorts(p, from, to), peer, origin: 'inline', resource: address, resourceType: 'aws_security_group', location: loc(line++), via: [], attributeLines: {} });
    };
    rule('egress', '-1', 0, 0, parseCidr('0.0.0.0/0'));
    const n = 2 + Math.floor(rand() * 5);
    for (let k = 0; k < n; k++) {
      const port = pick([22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9000]);
      const kind = rand();
      if (kind < 0.15) rule('ingress', 'tcp', port, port, parseCidr('0.0.0.0/0'));
      else if (kind < 0.5) rule('ingress', 'tcp', port, port, parseCidr(`10.${Math.floor(rand() * vpcCount)}.${Math.floor(rand() * 16)}.0/24`));
      else rule('ingress', 'tcp', port, port, { kind: 'securityGroup', ref: new ResourceRef(`aws_security_group.g${Math.floor(rand() * groupCount)}`, 'id'), self: false });
    }
  }
  const networkPieces = network.vpcs.length + network.subnets.length + network.routeTables.length + network.internetGateways.length + network.nacls.length;
  const endpointCount = resourceCount - networkPieces;
  for (let i = 0; i < endpointCount; i++) {
    const subnet = pick(network.subnets);
    const kind = i % 50 === 0 ? 'lb' : i % 10 === 0 ? 'db' : 'instance';
    const gs = [`aws_security_group.g${Math.floor(rand() * groupCount)}`];
    if (rand() < 0.3) gs.push(`aws_security_group.g${Math.floor(rand() * groupCount)}`);
    network.endpoints.push({
      ...placed(`aws_${kind}.e${i}`, `aws_${kind}`, line++),
      kind,
      securityGroups: gs.map((g) => new ResourceRef(g, 'id')),
      usesDefaultGroup: false,
      subnets: [subnet.id],
      vpc: subnet.vpc,
      publicIp: { value: kind === 'lb' ? true : kind === 'db' ? false : subnet.mapPublicIpOnLaunch.value, reason: 'bench' },
      listeners: kind === 'lb' ? [{ id: `aws_lb_listener.e${i}`, port: 443, protocol: 'HTTPS', targetGroups: [], targets: [], location: loc(line++) }] : [],
    });
  }
  return { network, groups, rules, counts: { groups: groupCount, resources: networkPieces + endpointCount, endpoints: endpointCount, rules: rules.length } };
}

function heapMb() {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1048576;
}

async function run(lib, groups, resources) {
  const e = estate(lib, groups, resources);
  const before = heapMb();
  const t0 = performance.now();
  const engine = new lib.Engine(e.network, e.groups, e.rules, lib.emptyFacts());
  const exposures = lib.internetExposures(engine);
  const t1 = performance.now();
  const eastWest = lib.eastWestExposures(engine);
  const t2 = performance.now();
  const peak = process.memoryUsage().heapUsed / 1048576;
  return { ...e.counts, exposures: exposures.length, eastWest: eastWest.length, internetMs: t1 - t0, eastWestMs: t2 - t1, totalMs: t2 - t0, heapMb: peak - before };
}

const lib = await loadEngine();
// BENCH_SCALE=0.1 for a quick run at a tenth of the size.
const scale = Number(process.env.BENCH_SCALE ?? 1);
// Warm the JIT up first, so the first measured size does not pay for compilation.
await run(lib, Math.max(10, Math.round(50 * scale)), Math.max(50, Math.round(250 * scale)));
const half = await run(lib, Math.round(500 * scale), Math.round(2500 * scale));
const full = await run(lib, Math.round(1000 * scale), Math.round(5000 * scale));
const fmt = (r) =>
  `${String(r.groups).padStart(5)} groups ${String(r.resources).padStart(5)} resources (${r.endpoints} endpoints, ${r.rules} rules): ` +
  `internet ${r.internetMs.toFixed(0)} ms (${r.exposures} exposures), east-west ${r.eastWestMs.toFixed(0)} ms (${r.eastWest} pairs), ` +
  `total ${r.totalMs.toFixed(0)} ms, heap +${r.heapMb.toFixed(1)} MB`;
console.log(fmt(half));
console.log(fmt(full));
console.log(`growth (full / half): time ×${(full.totalMs / half.totalMs).toFixed(2)}, internet ×${(full.internetMs / half.internetMs).toFixed(2)}, east-west ×${(full.eastWestMs / half.eastWestMs).toFixed(2)}`);
