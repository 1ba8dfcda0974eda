import * as iv from '../sets/interval.js';
import { named as kindNamed } from '../model/naming.js';
import { ResourceRef, Unknown } from '../model/value.js';
import type { Endpoint, Fact, NatGateway, Network, PeeringConnection, Route, RouteTable, Subnet, Vpc } from '../network/model.js';
import { type CidrRange, type Family, setToCidrs } from '../sets/cidr.js';
import { type Addresses, anyTrafficFrom, covering, intersectAddresses, meeting, noAddresses, readdress, unionAddresses } from '../sets/setops.js';
import { ALL_TRAFFIC, FAMILIES, intersect, isEmpty, NO_TRAFFIC, union } from '../sets/traffic.js';
import type { ReachFacts } from './facts.js';
import { blockerAt, hopAt, layer } from './layer.js';
import type { NaclLayers } from './nacl-layers.js';
import { describeDest, longestPrefix, routeFor, targetName } from './routes.js';
import type { Blocker, Hop, Layer, Witness } from './types.js';

// The route layers of a question: from the internet in (the destination subnet's route back to an
// internet gateway), inside the network (local route or peering, both ways), and out to the internet
// (internet gateway, egress-only gateway, or a NAT gateway with its own subnet, NACL and route).

export interface RouteContext {
  readonly network: Network;
  readonly facts: ReachFacts;
  readonly vpcs: ReadonlyMap<string, Vpc>;
  readonly tables: ReadonlyMap<string, RouteTable>;
  readonly subnets: ReadonlyMap<string, Subnet>;
  readonly nacls: NaclLayers;
  readonly cidrRange: (text: string) => CidrRange | null;
}

/** One way out to the internet, as the layers a packet crosses on it (see Engine.reachOutbound). */
export interface OutboundPath {
  layers: Layer[];
}

export class RouteLayers {
  constructor(private readonly ctx: RouteContext) {}

  private table(s: Subnet | undefined): RouteTable | undefined {
    return s && typeof s.routeTable === 'string' ? this.ctx.tables.get(s.routeTable) : undefined;
  }

  /** Routes to an internet gateway attached to the subnet's VPC (a literal igw-… id is taken as attached). */
  private toIgw(s: Subnet): (r: Route) => boolean {
    const vpc = typeof s.vpc === 'string' ? this.ctx.vpcs.get(s.vpc) : undefined;
    const igws = new Set(vpc?.internetGateways ?? []);
    return (r) => {
      if (r.targetKind !== 'igw') return false;
      const t = r.target instanceof ResourceRef ? r.target.address : typeof r.target === 'string' ? r.target : undefined;
      return t === undefined || !this.ctx.network.internetGateways.some((g) => g.id === t) || igws.has(t);
    };
  }

  private igwHops(r: Route, table: RouteTable, where: string): Hop[] {
    const hops: Hop[] = [];
    const igw = this.ctx.network.internetGateways.find((g) => r.target instanceof ResourceRef && g.id === r.target.address);
    if (igw) hops.push(hopAt(igw.location, `internet gateway ${igw.id}`));
    hops.push(hopAt(r.location, `route ${describeDest(r)} → ${targetName(r)} in ${table.id} (${where})`));
    return hops;
  }

  /** Client addresses whose replies the subnet routes to an attached internet gateway. */
  internetRoute(dest: Endpoint, s: Subnet | undefined): Layer {
    if (!s) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the route to the internet from ${dest.id} is not known (no subnet)`]);
    const vpc = typeof s.vpc === 'string' ? this.ctx.vpcs.get(s.vpc) : undefined;
    const table = this.table(s);
    if (!table) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the route table of ${kindNamed('subnet', s.id)} is not known (${s.routeTable})`]);
    // An implicit main table while a declared main table's VPC is unknown: that table may be it.
    const maybeMain = table.resourceType === 'implicit' ? this.ctx.network.routeTables.find((t) => t.isMain && t.vpc instanceof Unknown) : undefined;
    if (maybeMain) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the main route table of ${kindNamed('subnet', s.id)} may be ${maybeMain.id} (its VPC is not known: ${maybeMain.vpc})`]);
    const isIgw = this.toIgw(s);
    const lpm = longestPrefix(table, isIgw, this.ctx.cidrRange);
    const blockers: Blocker[] = [];
    if (noAddresses(lpm.definite) && noAddresses(lpm.possible)) {
      const eigw = table.routes.find((r) => r.targetKind === 'eigw');
      if (eigw) blockers.push(blockerAt(eigw.location, `route table ${table.id} sends ${describeDest(eigw)} to egress-only gateway ${targetName(eigw)} (outbound only, no inbound connections)`));
      const detached = table.routes.find((r) => r.targetKind === 'igw' && !isIgw(r));
      if (detached) blockers.push(blockerAt(detached.location, `internet gateway ${targetName(detached)} is not attached to the VPC of ${kindNamed('subnet', s.id)}`));
      if (!eigw && !detached) blockers.push(blockerAt(table.location, `route table ${table.id} of ${kindNamed('subnet', s.id)} has no route to an internet gateway`));
    } else if ((vpc?.internetGateways.length ?? 0) === 0 && vpc && !table.routes.some((r) => r.targetKind === 'igw' && typeof r.target === 'string')) {
      blockers.push(blockerAt(vpc.location, `${vpcNamed(vpc.id)} has no internet gateway attached`));
    }
    return layer(anyTrafficFrom(lpm.definite), anyTrafficFrom(lpm.possible), lpm.assumptions, blockers, (w) => {
      const r = routeFor(table, w, this.ctx.cidrRange);
      return r ? this.igwHops(r, table, `${kindNamed('subnet', s.id)}`) : [];
    });
  }

  // ---- Inside the network ---------------------------------------------------------------------

  private peering(r: Route): PeeringConnection | undefined {
    const id = r.target instanceof ResourceRef ? r.target.address : typeof r.target === 'string' ? r.target : undefined;
    return this.ctx.network.peeringConnections.find((p) => p.id === id);
  }

  /** Same VPC (local route), or a peering connection that joins the two VPCs, both ways. */
  internalRoute(from: Subnet | undefined, to: Subnet | undefined, srcAddrs: Addresses, dstAddrs: Addresses, sourceName: string, dest: Endpoint): Layer {
    if (!from || !to) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the route from ${sourceName} to ${dest.id} is not known (subnet not known)`]);
    if (from.vpc === to.vpc) {
      if (typeof from.vpc !== 'string') return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the VPC of ${kindNamed('subnet', from.id)} is not known`]);
      const vpc = this.ctx.vpcs.get(from.vpc);
      return layer(ALL_TRAFFIC, NO_TRAFFIC, [], [], () => (from.id === to.id ? [] : [hopAt(vpc?.location ?? to.location, `local route within ${vpcNamed(String(from.vpc))}`)]));
    }
    const there = this.table(to);
    const here = this.table(from);
    if (!there || !here) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`a route table between ${from.id} and ${to.id} is not known`]);
    const joins = (r: Route): boolean => {
      if (r.targetKind !== 'peering') return false;
      const pcx = this.peering(r);
      return !!pcx && ((pcx.vpc === from.vpc && pcx.peerVpc === to.vpc) || (pcx.vpc === to.vpc && pcx.peerVpc === from.vpc));
    };
    const back = longestPrefix(there, joins, this.ctx.cidrRange);
    const forth = longestPrefix(here, joins, this.ctx.cidrRange);
    const forthOk = covering(dstAddrs);
    const goes = (a: Addresses) => readdress(anyTrafficFrom(a), (leaf, f) => forthOk(leaf, f), srcAddrs);
    const definite = intersect(anyTrafficFrom(back.definite), goes(forth.definite));
    const possible = intersect(anyTrafficFrom(unionAddresses(back.definite, back.possible)), readdress(anyTrafficFrom(unionAddresses(forth.definite, forth.possible)), meeting(dstAddrs), srcAddrs));
    const blockers: Blocker[] = [];
    if (isEmpty(possible)) {
      // Each direction on its own: the table that lacks the route (or sends it to another peering) is the blocker.
      const forthNone = noAddresses(intersectAddresses(unionAddresses(forth.definite, forth.possible), dstAddrs));
      const backNone = noAddresses(intersectAddresses(unionAddresses(back.definite, back.possible), srcAddrs));
      if (forthNone) blockers.push(this.peeringBlocker(here, from, to, dstAddrs, dest.id, false));
      if (backNone) blockers.push(this.peeringBlocker(there, to, from, srcAddrs, sourceName, true));
      if (!forthNone && !backNone) {
        blockers.push(blockerAt(here.location, `no route between ${vpcNamed(String(from.vpc))} and ${vpcNamed(String(to.vpc))} covers both ${sourceName} and ${dest.id} (${here.id} and ${there.id})`));
      }
    }
    return layer(definite, possible, [...back.assumptions, ...forth.assumptions], blockers, (w) => {
      const r1 = here.routes.find(joins);
      const r2 = routeFor(there, w, this.ctx.cidrRange);
      return [r1, r2].filter((r): r is Route => !!r).map((r) => hopAt(r.location, `route ${describeDest(r)} → ${targetName(r)}`));
    });
  }

  /** Why `table` (of subnet `at`) does not send traffic for `addrs` (named `who`) to the VPC of `other`. */
  private peeringBlocker(table: RouteTable, at: Subnet, other: Subnet, addrs: Addresses, who: string, reply: boolean): Blocker {
    const cidrs = FAMILIES.flatMap((f) => setToCidrs(f, addrs[f])).join(', ');
    const named = cidrs && cidrs !== who ? `${who} (${cidrs})` : who;
    const f: Family = addrs.ipv4.length ? 'ipv4' : 'ipv6';
    const w: Witness = { family: f, protocol: 6, port: 0, address: addrs[f][0]?.lo ?? 0n };
    const r = routeFor(table, w, this.ctx.cidrRange);
    const pcx = r && r.targetKind === 'peering' ? this.peering(r) : undefined;
    if (r && pcx) {
      return blockerAt(
        r.location,
        `route table ${table.id} of ${kindNamed('subnet', at.id)} sends ${reply ? 'replies' : 'traffic'} for ${named} to ${targetName(r)}, which joins ${vpcNamed(String(pcx.vpc))} and ${vpcNamed(String(pcx.peerVpc))}, not ${vpcNamed(String(other.vpc))} (peering is not transitive)`,
      );
    }
    return blockerAt(table.location, `route table ${table.id} of ${kindNamed('subnet', at.id)} has no route ${reply ? 'back ' : ''}to ${named} through a peering connection with ${vpcNamed(String(other.vpc))}${reply ? ', so replies cannot return' : ''}`);
  }

  // ---- Out to the internet --------------------------------------------------------------------

  /**
   * The ways out of subnet `s` of `src` to the internet, in destination-address space: an internet
   * gateway (with a public address), an egress-only gateway (IPv6), and each NAT gateway the table
   * names. Empty when the table sends nothing to any of them (see `noWayOut`).
   */
  outboundPaths(src: Endpoint, s: Subnet, srcAddrs: Addresses): OutboundPath[] | Layer {
    const table = this.table(s);
    if (!table) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the route table of ${kindNamed('subnet', s.id)} is not known`]);
    const paths: OutboundPath[] = [];
    const igw = this.igwPath(src, s, table);
    if (igw) paths.push(igw);
    const eigw = longestPrefix(table, (r) => r.targetKind === 'eigw', this.ctx.cidrRange);
    if (!noAddresses(eigw.definite) || !noAddresses(eigw.possible)) paths.push({ layers: [this.routeChoice(table, eigw, (r) => r.targetKind === 'eigw')] });
    const nats = new Set(table.routes.filter((r) => r.targetKind === 'nat').map((r) => targetId(r)));
    for (const id of nats) {
      const wanted = (r: Route) => r.targetKind === 'nat' && targetId(r) === id;
      const via = longestPrefix(table, wanted, this.ctx.cidrRange);
      if (noAddresses(via.definite) && noAddresses(via.possible)) continue;
      const choice = this.routeChoice(table, via, wanted);
      const nat = this.ctx.network.natGateways.find((x) => x.id === id);
      // A literal nat-… id: taken as a working public NAT gateway.
      paths.push({ layers: nat ? [choice, ...this.natLayers(nat, s, srcAddrs)] : [choice] });
    }
    if (paths.length === 0) {
      return layer(NO_TRAFFIC, NO_TRAFFIC, [], [blockerAt(table.location, `route table ${table.id} of ${kindNamed('subnet', s.id)} has no route to the internet (internet, egress-only or public NAT gateway)`)]);
    }
    return paths;
  }

  /** The destinations the table sends to the routes `wanted` picks (longest prefix). */
  private routeChoice(table: RouteTable, lpm: ReturnType<typeof longestPrefix>, wanted: (r: Route) => boolean): Layer {
    return layer(anyTrafficFrom(lpm.definite), anyTrafficFrom(lpm.possible), lpm.assumptions, [blockerAt(table.location, `route table ${table.id} sends the traffic elsewhere`)], (w) => {
      const r = routeFor(table, w, this.ctx.cidrRange);
      return r && wanted(r) ? [hopAt(r.location, `route ${describeDest(r)} → ${targetName(r)} in ${table.id}`)] : [];
    });
  }

  private igwPath(src: Endpoint, s: Subnet, table: RouteTable): OutboundPath | undefined {
    const isIgw = (r: Route) => r.targetKind === 'igw';
    const viaIgw = longestPrefix(table, isIgw, this.ctx.cidrRange);
    if (noAddresses(viaIgw.definite) && noAddresses(viaIgw.possible)) return undefined;
    const v6: Fact<boolean> = this.ctx.facts.ipv6.get(src.id) ?? { value: false, reason: 'none assigned' };
    let definite = NO_TRAFFIC;
    let possible = NO_TRAFFIC;
    const assumptions = [...viaIgw.assumptions];
    const blockers: Blocker[] = [];
    for (const f of FAMILIES) {
      const only = f === 'ipv4' ? { ipv4: viaIgw.definite.ipv4, ipv6: iv.EMPTY } : { ipv4: iv.EMPTY, ipv6: viaIgw.definite.ipv6 };
      const maybe = f === 'ipv4' ? { ipv4: viaIgw.possible.ipv4, ipv6: iv.EMPTY } : { ipv4: iv.EMPTY, ipv6: viaIgw.possible.ipv6 };
      const a = f === 'ipv4' ? src.publicIp.value : v6.value;
      if (a === true) {
        definite = union(definite, anyTrafficFrom(only));
        possible = union(possible, anyTrafficFrom(maybe));
      } else if (a instanceof Unknown) {
        possible = union(possible, anyTrafficFrom(unionAddresses(only, maybe)));
        assumptions.push(`${src.id} has a public ${f === 'ipv4' ? 'IPv4' : 'IPv6'} address (${a})`);
      } else if (only[f].length || maybe[f].length) blockers.push(blockerAt(src.location, `${src.id} has no public ${f === 'ipv4' ? 'IPv4' : 'IPv6'} address, so the internet gateway route does not serve it`));
    }
    return {
      layers: [
        layer(definite, possible, assumptions, blockers, (w) => {
          const r = routeFor(table, w, this.ctx.cidrRange);
          return r ? [hopAt(r.location, `route ${describeDest(r)} → ${targetName(r)} in ${table.id}`)] : [];
        }),
      ],
    };
  }

  /**
   * Through a NAT gateway: it must be public; its subnet's NACL lets the source's requests in and
   * the replies back out to it, the requests out to the internet and the replies back in; its
   * subnet's route table sends the destination (longest prefix) to an attached internet gateway.
   */
  private natLayers(nat: NatGateway, srcSubnet: Subnet, srcAddrs: Addresses): Layer[] {
    const ns = typeof nat.subnet === 'string' ? this.ctx.subnets.get(nat.subnet) : undefined;
    const eip = nat.elasticIp;
    const gateway = layer(
      nat.connectivity === 'public' ? ALL_TRAFFIC : NO_TRAFFIC,
      nat.connectivity instanceof Unknown ? ALL_TRAFFIC : NO_TRAFFIC,
      nat.connectivity instanceof Unknown ? [`NAT gateway ${nat.id} is public (${nat.connectivity})`] : [],
      [blockerAt(nat.location, `NAT gateway ${nat.id} is private (connectivity type private): it does not reach the internet`, nat.connectivityLine)],
      () => [
        hopAt(nat.location, `NAT gateway ${nat.id} in subnet ${ns?.id ?? String(nat.subnet)}`),
        ...(eip && !(eip instanceof Unknown) ? [hopAt(eip.location, `Elastic IP ${eip.id} (the public address of ${nat.id})`)] : []),
      ],
    );
    if (!ns) return [gateway, layer(NO_TRAFFIC, ALL_TRAFFIC, [`the subnet of NAT gateway ${nat.id} is not known (${String(nat.subnet)})`])];
    const label = 'the NAT subnet';
    const naclLayers = [...(ns.id === srcSubnet.id ? [] : this.ctx.nacls.enteringLayers(ns, srcAddrs, label)), ...this.ctx.nacls.outboundLayers(ns, label, `the subnet of ${nat.id}`)];
    return [gateway, ...naclLayers, this.natRoute(nat, ns)];
  }

  private natRoute(nat: NatGateway, ns: Subnet): Layer {
    const table = this.table(ns);
    if (!table) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the route table of ${nat.id}'s ${kindNamed('subnet', ns.id)} is not known (${String(ns.routeTable)})`]);
    const isIgw = this.toIgw(ns);
    const lpm = longestPrefix(table, isIgw, this.ctx.cidrRange);
    const blockers: Blocker[] = [];
    if (noAddresses(lpm.definite) && noAddresses(lpm.possible)) blockers.push(blockerAt(table.location, `route table ${table.id} of ${nat.id}'s ${kindNamed('subnet', ns.id)} has no route to an internet gateway`));
    else {
      // More specific routes elsewhere take their destinations away from the internet gateway.
      for (const r of table.routes) if (r.targetKind !== 'local' && !isIgw(r)) blockers.push(blockerAt(r.location, `route ${describeDest(r)} → ${targetName(r)} in ${table.id} (subnet of ${nat.id}) takes ${describeDest(r)} away from the internet gateway`));
    }
    return layer(anyTrafficFrom(lpm.definite), anyTrafficFrom(lpm.possible), lpm.assumptions, blockers, (w) => {
      const r = routeFor(table, w, this.ctx.cidrRange);
      return r ? this.igwHops(r, table, `${kindNamed('subnet', ns.id)} of ${nat.id}`).reverse() : [];
    });
  }
}

function targetId(r: Route): string {
  return r.target instanceof ResourceRef ? r.target.address : String(r.target);
}

/** "VPC aws_vpc.main", but "VPC" for a VPC whose id is already the word (CloudFormation's logical id `VPC`). */
export function vpcNamed(id: string): string {
  return kindNamed('VPC', id);
}
