import type { SourceLocation } from '../model/location.js';
import type { Rule, SecurityGroup } from '../model/model.js';
import { describePeer } from '../model/peer.js';
import { ICMP, ICMPV6, protocolName, TCP, UDP } from '../model/protocol.js';
import { ResourceRef, Unknown } from '../model/value.js';
import type { Endpoint, Fact, Nacl, NaclEntry, Network, PeeringConnection, Route, RouteTable, Subnet, Vpc } from '../network/model.js';
import { ADDRESS_UNIVERSE, cidrRanges, formatAddress, type CidrRange, type Family } from './cidr.js';
import { emptyFacts, type ReachFacts } from './facts.js';
import * as iv from './interval.js';
import type { IntervalSet } from './interval.js';
import { allowedByNacl } from './nacl.js';
import {
  ALL_ADDRESSES,
  addressesOf,
  anyTrafficFrom,
  covering,
  intersectAddresses,
  meeting,
  NO_ADDRESSES,
  noAddresses,
  projectAddresses,
  readdress,
  serviceFrom,
  subtractAddresses,
  unionAddresses,
  withReturnLeg,
  type Addresses,
} from './setops.js';
import {
  ALL_TRAFFIC,
  familyAlgebra,
  FAMILIES,
  intersect,
  isEmpty,
  NO_TRAFFIC,
  portDimension,
  PORT_UNIVERSE,
  subtract,
  trafficOf,
  union,
  unionAll,
  type TrafficSet,
} from './traffic.js';

// The reachability engine: for a destination endpoint and a source (the internet, a CIDR, another
// endpoint) the exact traffic that passes every layer, as sets in one space: protocol × destination
// port × SOURCE address. Each layer yields what certainly passes and what passes under named
// assumptions (unknown values); the verdict is three-valued and unknowns never decide silently.

export type Verdict = 'reachable' | 'possibly-reachable' | 'not-reachable';

/** One step of a path or a blocker, pointing at the code that decides it. */
export interface Hop {
  file: string;
  line: number;
  endLine?: number;
  message: string;
}

export interface Blocker {
  message: string;
  file?: string;
  line?: number;
}

export type Source = { kind: 'internet' } | { kind: 'cidr'; cidr: string } | { kind: 'endpoint'; id: string };

export interface Reach {
  verdict: Verdict;
  /** Traffic that certainly gets through (protocol × destination port × source address). */
  allowed: TrafficSet;
  /** Traffic that gets through when the assumptions hold (a superset of `allowed`). */
  possible: TrafficSet;
  path: Hop[];
  blockers: Blocker[];
  assumptions: string[];
}

export interface ReachOptions {
  /**
   * false: a scan asking many questions; a "no" may come back with only the first blocker found
   * (the groups). Default true: every blocker.
   */
  explain?: boolean;
}

export interface EngineOptions {
  /** Client ports replies go back to through stateless NACLs; default 1024-65535. */
  ephemeralPorts?: { from: number; to: number };
}

/** One layer's answer over the whole question. */
interface Layer {
  definite: TrafficSet;
  possible: TrafficSet;
  assumptions: string[];
  /** Why the layer stops traffic (reported when nothing of the question gets through it). */
  blockers: Blocker[];
  /** The code that lets a given packet through this layer. */
  hops: (w: Witness) => Hop[];
}

/** One packet of the answer, to show a concrete path. */
export interface Witness {
  family: Family;
  protocol: number;
  port: number;
  address: bigint;
}

interface Membership {
  /** Group addresses (or literal ids) the source is a member of. */
  groups: Set<string>;
  /** Groups of the source that could not be resolved. */
  unknown: string[];
}

const DEFAULT_GROUP = (vpc: string) => `default-sg(${vpc})`;
/**
 * The default group of a VPC that is not known, when the scan declares no default group: whichever
 * VPC it is, its default group has AWS's rules (inbound from members only, all outbound).
 */
const UNKNOWN_VPC_DEFAULT_GROUP = DEFAULT_GROUP('a VPC that is not known');

function hopAt(l: SourceLocation, message: string): Hop {
  const h: Hop = { file: l.file, line: l.line, message };
  if (l.endLine !== l.line) h.endLine = l.endLine;
  return h;
}

function blockerAt(l: SourceLocation | undefined, message: string, line?: number): Blocker {
  if (!l) return { message };
  return { message, file: l.file, line: line ?? l.line };
}

function fmt(l: SourceLocation, line?: number): string {
  return `${l.file}:${line ?? l.line}`;
}

function layer(definite: TrafficSet, possible: TrafficSet, assumptions: string[] = [], blockers: Blocker[] = [], hops: (w: Witness) => Hop[] = () => []): Layer {
  // The same object when nothing is uncertain, so combining can skip the second intersection.
  return { definite, possible: isEmpty(possible) ? definite : union(definite, possible), assumptions, blockers, hops };
}

export class Engine {
  readonly network: Network;
  readonly facts: ReachFacts;
  private readonly ephemeral: IntervalSet;
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly subnets = new Map<string, Subnet>();
  private readonly vpcs = new Map<string, Vpc>();
  private readonly tables = new Map<string, RouteTable>();
  private readonly nacls = new Map<string, Nacl>();
  private readonly groups = new Map<string, SecurityGroup>();
  private readonly rulesByGroup = new Map<string, Rule[]>();
  private readonly members = new Map<string, Endpoint[]>();
  private readonly naclCache = new Map<string, { set: TrafficSet; problems: string[] }>();
  private readonly defaultGroupOf = new Map<string, string>();
  /** A default group is declared in the scan (with rules of its own), for some VPC. */
  private readonly declaresDefaultGroup: boolean;
  /** Layers that depend only on subnets (and the addresses in them), computed once each. */
  private readonly layerCache = new Map<string, Layer | Layer[]>();
  /** Parsed CIDRs and NACL entry sets: parsing dominates the cost otherwise. */
  private readonly cidrMemo = new Map<string, Addresses>();
  /** CIDR text → address range, parsed once per engine. */
  private readonly cidrRange = cidrRanges();
  private readonly entryMemo = new Map<NaclEntry, TrafficSet | null>();
  private readonly addressMemo = new Map<string, { addrs: Addresses; assumptions: string[] }>();
  private readonly addressIds = new WeakMap<Addresses, number>();
  private nextAddressId = 0;
  private readonly groupRules = new Map<string, { rules: Rule[]; named: string[] }>();
  private readonly shapeMemo = new Map<Rule, { shape: TrafficSet; known: boolean; why?: string } | null>();
  private readonly groupMemo = new Map<string, { definite: TrafficSet; possible: TrafficSet; assumptions: string[]; admitted: { rule: Rule; group: string; set: TrafficSet }[] }>();

  constructor(network: Network, groups: readonly SecurityGroup[], rules: readonly Rule[], facts: ReachFacts = emptyFacts(), options: EngineOptions = {}) {
    this.network = network;
    this.facts = facts;
    const eph = options.ephemeralPorts ?? { from: 1024, to: 65535 };
    this.ephemeral = iv.range(eph.from, eph.to);
    for (const e of network.endpoints) if (!this.endpoints.has(e.id)) this.endpoints.set(e.id, e);
    for (const s of network.subnets) this.subnets.set(s.id, s);
    for (const v of network.vpcs) this.vpcs.set(v.id, v);
    for (const t of network.routeTables) this.tables.set(t.id, t);
    for (const n of network.nacls) this.nacls.set(n.id, n);
    for (const g of groups) if (!this.groups.has(g.address)) this.groups.set(g.address, g);
    for (const r of rules) this.rulesByGroup.set(r.group, [...(this.rulesByGroup.get(r.group) ?? []), r]);
    // The declared default group of each VPC (aws_default_security_group, a default group by VPC).
    this.declaresDefaultGroup = groups.some((g) => g.isDefault);
    for (const g of groups) {
      if (!g.isDefault) continue;
      const vpc = g.vpc instanceof ResourceRef ? g.vpc.address : typeof g.vpc === 'string' ? g.vpc : network.vpcs.length === 1 ? network.vpcs[0].id : undefined;
      if (vpc && !this.defaultGroupOf.has(vpc)) this.defaultGroupOf.set(vpc, g.address);
    }
    for (const e of network.endpoints) for (const g of this.groupsOf(e).ids) this.members.set(g, [...(this.members.get(g) ?? []), e]);
  }

  private cached<T extends Layer | Layer[]>(key: string | undefined, make: () => T): T {
    if (key === undefined) return make();
    const hit = this.layerCache.get(key);
    if (hit) return hit as T;
    const made = make();
    this.layerCache.set(key, made);
    return made;
  }

  /** A small key for an address set: by identity when seen before, else by value. */
  private addrId(a: Addresses): string {
    let id = this.addressIds.get(a);
    if (id === undefined) {
      id = this.addressIds.get(a) ?? this.nextAddressId++;
      this.addressIds.set(a, id);
    }
    return `#${id}`;
  }

  /** The addresses of CIDR blocks (memoized). */
  addrs(cidrs: readonly string[]): Addresses {
    if (cidrs.length !== 1) return cidrs.reduce((acc, c) => unionAddresses(acc, this.addrs([c])), NO_ADDRESSES);
    let a = this.cidrMemo.get(cidrs[0]);
    if (!a) {
      a = addressesOf(cidrs, this.cidrRange);
      this.cidrMemo.set(cidrs[0], a);
    }
    return a;
  }

  private entryTraffic = (e: NaclEntry): TrafficSet | null => {
    let t = this.entryMemo.get(e);
    if (t === undefined) {
      const x = typeof e.cidr === 'string' ? trafficOf(e.protocol, e.ports, e.cidr) : null;
      t = x && !('notAddressSet' in x) ? x : null;
      this.entryMemo.set(e, t);
    }
    return t;
  };

  endpoint(id: string): Endpoint | undefined {
    return this.endpoints.get(id);
  }

  /** The rules of a group in the scan (both directions). */
  rulesOf(group: string): readonly Rule[] {
    return this.rulesByGroup.get(group) ?? [];
  }

  /** Endpoints that are members of a group (by address or literal id). */
  membersOf(group: string): readonly Endpoint[] {
    return this.members.get(group) ?? [];
  }

  /** The groups an endpoint's interfaces are in: resolved ids, and the ones that cannot be known. */
  groupsOf(e: Endpoint): { ids: string[]; unknown: string[] } {
    const ids: string[] = [];
    const unknown: string[] = [];
    for (const g of e.securityGroups) {
      if (g instanceof Unknown) unknown.push(`the security groups of ${e.id} are not known (${g})`);
      else ids.push(g instanceof ResourceRef ? g.address : g);
    }
    if (e.usesDefaultGroup) {
      if (typeof e.vpc === 'string') ids.push(this.defaultGroupOf.get(e.vpc) ?? DEFAULT_GROUP(e.vpc));
      // Not knowing the VPC matters only when some default group has declared rules: it may be that one.
      else if (this.declaresDefaultGroup) unknown.push(`${e.id} is in the default group of a VPC that is not known (${e.vpc})`);
      else ids.push(UNKNOWN_VPC_DEFAULT_GROUP);
    }
    return { ids: [...new Set(ids)], unknown };
  }

  // ---- Addresses ------------------------------------------------------------------------------

  /** The addresses an endpoint may have in a subnet, and what is assumed about them. */
  private addressesIn(e: Endpoint | undefined, s: Subnet | undefined): { addrs: Addresses; assumptions: string[] } {
    // The caller names the unknown subnet; here only the addresses widen.
    if (!s) return { addrs: ALL_ADDRESSES, assumptions: [] };
    const v6 = e ? this.facts.ipv6.get(e.id) : undefined;
    // One object per (subnet, IPv6 or not), so caches can key on its identity.
    const k = `${s.id}\u0000${v6 && v6.value !== false ? 1 : 0}`;
    let hit = this.addressMemo.get(k);
    if (!hit) {
      hit = this.computeAddressesIn(e, s);
      this.addressMemo.set(k, hit);
    }
    return hit;
  }

  private computeAddressesIn(e: Endpoint | undefined, s: Subnet): { addrs: Addresses; assumptions: string[] } {
    const assumptions: string[] = [];
    const cidrs: string[] = [];
    let addrs = NO_ADDRESSES;
    if (typeof s.cidr === 'string') cidrs.push(s.cidr);
    else if (s.cidr instanceof Unknown) {
      assumptions.push(`the CIDR of subnet ${s.id} is not known (${s.cidr})`);
      addrs = unionAddresses(addrs, { ipv4: ADDRESS_UNIVERSE.ipv4, ipv6: iv.EMPTY });
    }
    const v6 = e ? this.facts.ipv6.get(e.id) : undefined;
    if (v6 && v6.value !== false) {
      if (typeof s.ipv6Cidr === 'string') cidrs.push(s.ipv6Cidr);
      else addrs = unionAddresses(addrs, { ipv4: iv.EMPTY, ipv6: ADDRESS_UNIVERSE.ipv6 });
    }
    return { addrs: unionAddresses(addrs, this.addrs(cidrs)), assumptions };
  }

  private subnetsOf(e: Endpoint): { subnets: Subnet[]; unknown: string[] } {
    const subnets: Subnet[] = [];
    const unknown: string[] = [];
    for (const s of e.subnets) {
      const found = typeof s === 'string' ? this.subnets.get(s) : undefined;
      if (found) subnets.push(found);
      else unknown.push(s instanceof Unknown ? `a subnet of ${e.id} is not known (${s})` : `subnet ${s} of ${e.id} is not in the scan`);
    }
    return { subnets, unknown };
  }

  /** The subnet a CIDR lies in entirely, when the scan has one. */
  private subnetContaining(a: Addresses): Subnet | undefined {
    for (const s of this.network.subnets) {
      const own = this.addrs([s.cidr, s.ipv6Cidr].filter((c): c is string => typeof c === 'string'));
      if (!noAddresses(a) && noAddresses(subtractAddresses(a, own))) return s;
    }
    return undefined;
  }

  // ---- Questions ------------------------------------------------------------------------------

  /**
   * What `source` can send to `destId`, within `probe` (all traffic by default). The best answer
   * over the destination's subnets (an ASG or a load balancer spans several).
   */
  reach(source: Source, destId: string, probe: TrafficSet = ALL_TRAFFIC, options: ReachOptions = {}): Reach {
    const dest = this.endpoints.get(destId);
    if (!dest) return { verdict: 'not-reachable', allowed: NO_TRAFFIC, possible: NO_TRAFFIC, path: [], blockers: [{ message: `${destId} is not an endpoint in the scan` }], assumptions: [] };
    const { subnets, unknown } = this.subnetsOf(dest);
    const answers: Reach[] = [];
    for (const s of subnets) answers.push(this.reachIn(source, dest, s, probe, [], options));
    if (subnets.length === 0 || unknown.length > 0) answers.push(this.reachIn(source, dest, undefined, probe, unknown.length ? unknown : [`${dest.id} names no subnet`], options));
    return best(answers);
  }

  private reachIn(source: Source, dest: Endpoint, s: Subnet | undefined, probe: TrafficSet, unknownSubnet: string[], options: ReachOptions): Reach {
    const layers: Layer[] = [];
    const srcEndpoint = source.kind === 'endpoint' ? this.endpoints.get(source.id) : undefined;
    if (source.kind === 'endpoint' && !srcEndpoint) {
      return { verdict: 'not-reachable', allowed: NO_TRAFFIC, possible: NO_TRAFFIC, path: [], blockers: [{ message: `${source.id} is not an endpoint in the scan` }], assumptions: [] };
    }
    const dstAddrs = this.addressesIn(dest, s);
    // Where the source sits: outside (internet or an outside CIDR) or in a subnet of the scan.
    let srcAddrs: Addresses;
    let srcSubnets: (Subnet | undefined)[] = [];
    let inside = false;
    const sourceName = source.kind === 'internet' ? 'the internet' : source.kind === 'cidr' ? source.cidr : source.id;
    if (source.kind === 'internet') srcAddrs = ALL_ADDRESSES;
    else if (source.kind === 'cidr') {
      srcAddrs = addressesOf([source.cidr], this.cidrRange);
      const home = this.subnetContaining(srcAddrs);
      if (home) {
        inside = true;
        srcSubnets = [home];
      }
    } else {
      inside = true;
      const ss = this.subnetsOf(srcEndpoint!);
      srcSubnets = ss.subnets.length > 0 ? ss.subnets : [undefined];
      srcAddrs = NO_ADDRESSES;
    }
    const results: Reach[] = [];
    for (const ss of inside ? srcSubnets : [undefined]) {
      const layersHere = [...layers];
      let from = srcAddrs;
      const assumptions = [...unknownSubnet, ...dstAddrs.assumptions];
      if (srcEndpoint) {
        const a = this.addressesIn(srcEndpoint, ss);
        from = a.addrs;
        assumptions.push(...a.assumptions);
      }
      const question = intersect(probe, anyTrafficFrom(from));
      const groupLayer = this.groupLayer(dest, from, srcEndpoint ? this.membership(srcEndpoint) : { groups: new Set(), unknown: [] }, sourceName);
      // Scans ask many questions whose answer is no: the groups decide most of them, cheaply.
      if (options.explain === false && isEmpty(intersect(question, groupLayer.possible))) {
        results.push({ verdict: 'not-reachable', allowed: NO_TRAFFIC, possible: NO_TRAFFIC, path: [], blockers: groupLayer.blockers, assumptions: [] });
        continue;
      }
      // Layers in path order: source out, network, destination in, then the replies.
      const sameSubnet = inside && ss !== undefined && s !== undefined && ss.id === s.id;
      const pairKey = ss && s ? `${ss.id}\u0000${s.id}\u0000${this.addrId(from)}\u0000${this.addrId(dstAddrs.addrs)}` : undefined;
      // Network layers depend on the subnets only: cached, and for scans composed into one set.
      const net: { key: string | undefined; layer: Layer }[] = [];
      const shared = (key: string | undefined, make: () => Layer): Layer => {
        const l = this.cached(key, make);
        net.push({ key, layer: l });
        return l;
      };
      const sourceNacls = inside && !sameSubnet ? this.cached(pairKey && `srcnacl\u0000${pairKey}`, () => this.sourceNaclLayers(ss, dstAddrs.addrs, from)) : [];
      const publicAddress = inside ? undefined : this.publicAddressLayer(dest);
      const listener = dest.kind === 'lb' ? this.listenerLayer(dest, from) : undefined;
      if (sourceNacls.length) layersHere.push(shared(pairKey && `srcnaclout\u0000${pairKey}`, () => sourceNacls[0]));
      if (publicAddress) {
        layersHere.push(publicAddress);
        layersHere.push(shared(s && `igw\u0000${s.id}`, () => this.internetRouteLayer(dest, s)));
      } else {
        layersHere.push(shared(pairKey && `route\u0000${pairKey}`, () => this.internalRouteLayer(ss, s, from, dstAddrs.addrs, sourceName, dest)));
      }
      if (!sameSubnet) layersHere.push(shared(s && `naclin\u0000${s.id}`, () => this.naclInLayer(s, dest)));
      layersHere.push(groupLayer);
      if (listener) layersHere.push(listener);
      if (!sameSubnet) layersHere.push(shared(s && `naclret\u0000${s.id}`, () => this.naclReturnLayer(s, dest)));
      if (sourceNacls.length > 1) layersHere.push(shared(pairKey && `srcnaclback\u0000${pairKey}`, () => sourceNacls[1]));
      let setLayers: Layer[] | undefined;
      let composite: Layer | undefined;
      if (options.explain === false && net.every((n) => n.key !== undefined)) {
        composite = this.cached(`net\u0000${net.map((n) => n.key).join('\u0001')}`, () => compose(net.map((n) => n.layer)));
        // No route or NACL lets anything through (another VPC, say): no need for the source's egress.
        if (isEmpty(composite.possible)) {
          results.push({ verdict: 'not-reachable', allowed: NO_TRAFFIC, possible: NO_TRAFFIC, path: [], blockers: dedupeBlockers(net.flatMap((n) => n.layer.blockers)), assumptions: [] });
          continue;
        }
      }
      // The source's egress comes first on the path.
      const egress = srcEndpoint ? this.egressLayer(srcEndpoint, dest, dstAddrs.addrs, from) : undefined;
      if (egress) layersHere.unshift(egress);
      if (composite) setLayers = [egress, publicAddress, groupLayer, listener, composite].filter((l): l is Layer => l !== undefined);
      results.push(combine(layersHere, question, assumptions, srcEndpoint ? from : undefined, sourceName, dest.id, setLayers));
    }
    return best(results);
  }

  private membership(e: Endpoint): Membership {
    const g = this.groupsOf(e);
    return { groups: new Set(g.ids), unknown: g.unknown };
  }

  /**
   * From an endpoint out to addresses outside the network (the internet or a CIDR): the source's
   * egress rules, its subnet NACL both ways, and a route to an internet gateway (with a public
   * address), an egress-only gateway (IPv6) or a public NAT gateway. The set is protocol ×
   * destination port × DESTINATION address (describe it with preposition "to").
   */
  reachOutbound(srcId: string, to: Addresses, probe: TrafficSet = ALL_TRAFFIC): Reach {
    const src = this.endpoints.get(srcId);
    if (!src) return { verdict: 'not-reachable', allowed: NO_TRAFFIC, possible: NO_TRAFFIC, path: [], blockers: [{ message: `${srcId} is not an endpoint in the scan` }], assumptions: [] };
    const { subnets, unknown } = this.subnetsOf(src);
    const answers: Reach[] = [];
    for (const s of subnets.length ? subnets : [undefined]) {
      const layers: Layer[] = [];
      const g = this.groupsOf(src);
      if (g.ids.length || g.unknown.length) {
        const r = this.rulesAllow(g.ids, 'egress', to, { groups: new Set(), unknown: [] });
        layers.push(layer(r.definite, g.unknown.length ? ALL_TRAFFIC : r.possible, [...g.unknown, ...r.assumptions], [blockerAt(src.location, `no egress rule of ${src.id} (${g.ids.join(', ')}) lets the traffic out`, src.securityGroupsLine)], r.hops));
      }
      const n = this.nacl(s);
      if (n instanceof Unknown) layers.push(layer(NO_TRAFFIC, ALL_TRAFFIC, [`the network ACL of ${src.id}'s subnet is not known (${n})`]));
      else {
        const out = this.naclSet(n, 'egress');
        const back = this.naclSet(n, 'ingress');
        layers.push(layer(out.problems.length ? NO_TRAFFIC : out.set, out.problems.length ? ALL_TRAFFIC : NO_TRAFFIC, out.problems, [naclBlocker(n, 'egress', 'outbound traffic', s!)], (w) => naclHops(this.entryTraffic, n, 'egress', w, w.port, `outbound ${witnessText(w)}`)));
        layers.push(
          layer(back.problems.length ? NO_TRAFFIC : withReturnLeg(ALL_TRAFFIC, back.set, this.ephemeral), back.problems.length ? ALL_TRAFFIC : NO_TRAFFIC, back.problems, [naclBlocker(n, 'ingress', 'replies coming back', s!)], (w) =>
            naclHops(this.entryTraffic, n, 'ingress', w, isPortProtocol(w.protocol) ? Number(this.ephemeral[0]?.lo ?? 1024n) : w.port, 'replies back in'),
          ),
        );
      }
      layers.push(this.outboundRouteLayer(src, s));
      answers.push(combine(layers, intersect(probe, anyTrafficFrom(to)), unknown, undefined, src.id, 'the internet'));
    }
    return best(answers);
  }

  private outboundRouteLayer(src: Endpoint, s: Subnet | undefined): Layer {
    if (!s) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the route out of ${src.id} is not known (no subnet)`]);
    const table = typeof s.routeTable === 'string' ? this.tables.get(s.routeTable) : undefined;
    if (!table) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the route table of subnet ${s.id} is not known`]);
    const v6: Fact<boolean> = this.facts.ipv6.get(src.id) ?? { value: false, reason: 'none assigned' };
    const hasAddress = (f: Family) => (f === 'ipv4' ? src.publicIp.value : v6.value);
    const natOk = (r: Route): boolean => {
      if (r.targetKind !== 'nat') return false;
      const id = r.target instanceof ResourceRef ? r.target.address : String(r.target);
      const nat = this.network.natGateways.find((x) => x.id === id);
      if (!nat) return true; // a literal nat-… id: taken as a working NAT gateway
      const ns = typeof nat.subnet === 'string' ? this.subnets.get(nat.subnet) : undefined;
      const nt = ns && typeof ns.routeTable === 'string' ? this.tables.get(ns.routeTable) : undefined;
      return nat.connectivity === 'public' && !!nt && nt.routes.some((x) => x.targetKind === 'igw' && x.destination === '0.0.0.0/0');
    };
    const viaIgw = longestPrefix(table, (r) => r.targetKind === 'igw', this.cidrRange);
    const viaOther = longestPrefix(table, (r) => r.targetKind === 'eigw' || natOk(r), this.cidrRange);
    let definite = anyTrafficFrom(viaOther.definite);
    let possible = anyTrafficFrom(viaOther.possible);
    const assumptions = [...viaIgw.assumptions, ...viaOther.assumptions];
    const blockers: Blocker[] = [];
    for (const f of FAMILIES) {
      const only = f === 'ipv4' ? { ipv4: viaIgw.definite.ipv4, ipv6: iv.EMPTY } : { ipv4: iv.EMPTY, ipv6: viaIgw.definite.ipv6 };
      const a = hasAddress(f);
      if (a === true) definite = union(definite, anyTrafficFrom(only));
      else if (a instanceof Unknown) {
        possible = union(possible, anyTrafficFrom(only));
        assumptions.push(`${src.id} has a public ${f === 'ipv4' ? 'IPv4' : 'IPv6'} address (${a})`);
      } else if (only[f].length) blockers.push(blockerAt(src.location, `${src.id} has no public ${f === 'ipv4' ? 'IPv4' : 'IPv6'} address, so the internet gateway route does not serve it`));
    }
    if (isEmpty(definite) && isEmpty(possible) && blockers.length === 0) blockers.push(blockerAt(table.location, `route table ${table.id} of subnet ${s.id} has no route to the internet (internet, egress-only or public NAT gateway)`));
    return layer(definite, possible, assumptions, blockers, (w) => {
      const r = routeFor(table, w, this.cidrRange);
      return r ? [hopAt(r.location, `route ${describeDest(r)} → ${targetName(r)} in ${table.id}`)] : [];
    });
  }

  // ---- Layers: addresses and routes -----------------------------------------------------------

  private publicAddressLayer(dest: Endpoint): Layer {
    const v4 = dest.publicIp;
    const v6: Fact<boolean> = this.facts.ipv6.get(dest.id) ?? { value: false, reason: 'none assigned' };
    let definite = NO_TRAFFIC;
    let possible = NO_TRAFFIC;
    const assumptions: string[] = [];
    const blockers: Blocker[] = [];
    const fam = (f: Family): TrafficSet => anyTrafficFrom(f === 'ipv4' ? { ipv4: ADDRESS_UNIVERSE.ipv4, ipv6: iv.EMPTY } : { ipv4: iv.EMPTY, ipv6: ADDRESS_UNIVERSE.ipv6 });
    for (const [f, fact, label] of [['ipv4', v4, 'public IPv4 address'], ['ipv6', v6, 'IPv6 address']] as const) {
      if (fact.value === true) definite = union(definite, fam(f));
      else if (fact.value instanceof Unknown) {
        possible = union(possible, fam(f));
        assumptions.push(`${dest.id} has ${f === 'ipv4' ? 'a' : 'an'} ${label} (${String(fact.value).startsWith(fact.reason) ? String(fact.value) : `${fact.reason}: ${fact.value}`})`);
      } else blockers.push(blockerAt(dest.location, `${dest.id} has no ${label} (${fact.reason})`, fact.line));
    }
    return layer(definite, possible, assumptions, blockers, (w) => {
      const fact = w.family === 'ipv4' ? v4 : v6;
      return [hopAt({ ...dest.location, line: fact.line ?? dest.location.line, endLine: fact.line ?? dest.location.endLine }, `${dest.id} has ${w.family === 'ipv4' ? 'a public IPv4' : 'an IPv6'} address (${fact.reason})`)];
    });
  }

  /** Client addresses whose replies the subnet routes to an attached internet gateway. */
  private internetRouteLayer(dest: Endpoint, s: Subnet | undefined): Layer {
    if (!s) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the route to the internet from ${dest.id} is not known (no subnet)`]);
    const vpc = typeof s.vpc === 'string' ? this.vpcs.get(s.vpc) : undefined;
    const table = typeof s.routeTable === 'string' ? this.tables.get(s.routeTable) : undefined;
    if (!table) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the route table of subnet ${s.id} is not known (${s.routeTable})`]);
    // An implicit main table while a declared main table's VPC is unknown: that table may be it.
    const maybeMain = table.resourceType === 'implicit' ? this.network.routeTables.find((t) => t.isMain && t.vpc instanceof Unknown) : undefined;
    if (maybeMain) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the main route table of subnet ${s.id} may be ${maybeMain.id} (its VPC is not known: ${maybeMain.vpc})`]);
    const igws = new Set(vpc?.internetGateways ?? []);
    const isIgw = (r: Route) => {
      if (r.targetKind !== 'igw') return false;
      const t = r.target instanceof ResourceRef ? r.target.address : typeof r.target === 'string' ? r.target : undefined;
      // A gateway in the scan must be attached to this VPC; a literal igw-… id is taken as attached.
      return t === undefined || !this.network.internetGateways.some((g) => g.id === t) || igws.has(t);
    };
    const lpm = longestPrefix(table, isIgw, this.cidrRange);
    const blockers: Blocker[] = [];
    if (noAddresses(lpm.definite) && noAddresses(lpm.possible)) {
      const eigw = table.routes.find((r) => r.targetKind === 'eigw');
      if (eigw) blockers.push(blockerAt(eigw.location, `route table ${table.id} sends ${describeDest(eigw)} to egress-only gateway ${targetName(eigw)} (outbound only, no inbound connections)`));
      const detached = table.routes.find((r) => r.targetKind === 'igw' && !isIgw(r));
      if (detached) blockers.push(blockerAt(detached.location, `internet gateway ${targetName(detached)} is not attached to the VPC of subnet ${s.id}`));
      if (!eigw && !detached) blockers.push(blockerAt(table.location, `route table ${table.id} of subnet ${s.id} has no route to an internet gateway`));
    } else if (igws.size === 0 && vpc && !table.routes.some((r) => r.targetKind === 'igw' && typeof r.target === 'string')) {
      blockers.push(blockerAt(vpc.location, `VPC ${vpc.id} has no internet gateway attached`));
    }
    return layer(anyTrafficFrom(lpm.definite), anyTrafficFrom(lpm.possible), lpm.assumptions, blockers, (w) => {
      const r = routeFor(table, w, this.cidrRange);
      const hops: Hop[] = [];
      if (r) {
        const igw = this.network.internetGateways.find((g) => r.target instanceof ResourceRef && g.id === r.target.address);
        if (igw) hops.push(hopAt(igw.location, `internet gateway ${igw.id}`));
        hops.push(hopAt(r.location, `route ${describeDest(r)} → ${targetName(r)} in ${table.id} (subnet ${s.id})`));
      }
      return hops;
    });
  }

  /** Inside the network: same VPC (local route), or a peering connection that joins the two VPCs. */
  private internalRouteLayer(from: Subnet | undefined, to: Subnet | undefined, srcAddrs: Addresses, dstAddrs: Addresses, sourceName: string, dest: Endpoint): Layer {
    if (!from || !to) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the route from ${sourceName} to ${dest.id} is not known (subnet not known)`]);
    if (from.vpc === to.vpc) {
      if (typeof from.vpc !== 'string') return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the VPC of subnet ${from.id} is not known`]);
      const vpc = this.vpcs.get(from.vpc);
      return layer(ALL_TRAFFIC, NO_TRAFFIC, [], [], () => (from.id === to.id ? [] : [hopAt(vpc?.location ?? to.location, `local route within VPC ${from.vpc}`)]));
    }
    const there = typeof to.routeTable === 'string' ? this.tables.get(to.routeTable) : undefined;
    const here = typeof from.routeTable === 'string' ? this.tables.get(from.routeTable) : undefined;
    if (!there || !here) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`a route table between ${from.id} and ${to.id} is not known`]);
    const joins = (r: Route): boolean => {
      if (r.targetKind !== 'peering') return false;
      const pcx = this.peering(r);
      return !!pcx && ((pcx.vpc === from.vpc && pcx.peerVpc === to.vpc) || (pcx.vpc === to.vpc && pcx.peerVpc === from.vpc));
    };
    const back = longestPrefix(there, joins, this.cidrRange);
    const forth = longestPrefix(here, joins, this.cidrRange);
    const forthOk = covering(dstAddrs);
    const goes = (a: Addresses) => readdress(anyTrafficFrom(a), (leaf, f) => forthOk(leaf, f), srcAddrs);
    const definite = intersect(anyTrafficFrom(back.definite), goes(forth.definite));
    const possible = intersect(anyTrafficFrom(unionAddresses(back.definite, back.possible)), readdress(anyTrafficFrom(unionAddresses(forth.definite, forth.possible)), meeting(dstAddrs), srcAddrs));
    const blockers: Blocker[] = [];
    if (isEmpty(possible)) {
      const viaOther = [...here.routes, ...there.routes].find((r) => r.targetKind === 'peering' && !joins(r));
      blockers.push(
        viaOther
          ? blockerAt(viaOther.location, `no route between VPC ${String(from.vpc)} and VPC ${String(to.vpc)}: ${targetName(viaOther)} joins other VPCs (peering is not transitive)`)
          : blockerAt(here.location, `no route between VPC ${String(from.vpc)} and VPC ${String(to.vpc)} (no peering route in ${here.id} and ${there.id})`),
      );
    }
    return layer(definite, possible, [...back.assumptions, ...forth.assumptions], blockers, (w) => {
      const r1 = here.routes.find(joins);
      const r2 = routeFor(there, w, this.cidrRange);
      return [r1, r2].filter((r): r is Route => !!r).map((r) => hopAt(r.location, `route ${describeDest(r)} → ${targetName(r)}`));
    });
  }

  private peering(r: Route): PeeringConnection | undefined {
    const id = r.target instanceof ResourceRef ? r.target.address : typeof r.target === 'string' ? r.target : undefined;
    return this.network.peeringConnections.find((p) => p.id === id);
  }

  // ---- Layers: network ACLs -------------------------------------------------------------------

  private nacl(s: Subnet | undefined): Nacl | Unknown {
    if (!s) return new Unknown('the subnet is not known');
    if (typeof s.nacl !== 'string') return s.nacl;
    return this.nacls.get(s.nacl) ?? new Unknown(`network ACL ${s.nacl} is not in the scan`);
  }

  /** First-match allowed set of one direction, with problems (unknown entries) named. */
  private naclSet(n: Nacl, dir: 'ingress' | 'egress'): { set: TrafficSet; problems: string[] } {
    const k = `${n.id}\u0000${dir}`;
    const cached = this.naclCache.get(k);
    if (cached) return cached;
    const problems: string[] = [];
    const entries = [];
    for (const e of n[dir]) {
      if (e.ruleNumber instanceof Unknown || e.action instanceof Unknown || e.cidr instanceof Unknown) {
        problems.push(`${dir} entry of ${n.id} at ${fmt(e.location)} is not known (${[e.ruleNumber, e.action, e.cidr].filter((x) => x instanceof Unknown).join('; ')})`);
        continue;
      }
      entries.push({ ruleNumber: e.ruleNumber, action: e.action, protocol: e.protocol, cidr: e.cidr, ports: e.ports });
    }
    let r = allowedByNacl(entries);
    if (!r.ok) {
      // Entries that are not exact sets (unknown ports, invalid protocol) are named and left out.
      const bad = new Set(r.problems.map((p) => p.ruleNumber));
      problems.push(...r.problems.map((p) => `${dir} rule ${p.ruleNumber} of ${n.id}: ${p.reason}`));
      r = allowedByNacl(entries.filter((e) => !bad.has(e.ruleNumber)));
    }
    const result = { set: r.ok ? r.allowed : NO_TRAFFIC, problems };
    this.naclCache.set(k, result);
    return result;
  }

  private naclInLayer(s: Subnet | undefined, dest: Endpoint): Layer {
    const n = this.nacl(s);
    if (n instanceof Unknown) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the network ACL of ${dest.id}'s subnet is not known (${n})`]);
    const { set, problems } = this.naclSet(n, 'ingress');
    const possible = problems.length ? ALL_TRAFFIC : NO_TRAFFIC;
    return layer(problems.length ? NO_TRAFFIC : set, possible, problems, [naclBlocker(n, 'ingress', 'inbound traffic', s!)], (w) => naclHops(this.entryTraffic, n, 'ingress', w, w.port, `inbound ${witnessText(w)}`));
  }

  /** Replies leave the destination's subnet towards the client's ephemeral ports. */
  private naclReturnLayer(s: Subnet | undefined, dest: Endpoint): Layer {
    const n = this.nacl(s);
    if (n instanceof Unknown) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the network ACL of ${dest.id}'s subnet is not known (${n})`]);
    const { set, problems } = this.naclSet(n, 'egress');
    const definite = problems.length ? NO_TRAFFIC : withReturnLeg(ALL_TRAFFIC, set, this.ephemeral);
    const eph = `${this.ephemeral[0]?.lo}-${this.ephemeral[0]?.hi}`;
    return layer(definite, problems.length ? ALL_TRAFFIC : NO_TRAFFIC, problems, [naclBlocker(n, 'egress', `replies to client ports ${eph}`, s!)], (w) =>
      naclHops(this.entryTraffic, n, 'egress', w, isPortProtocol(w.protocol) ? Number(this.ephemeral[0]?.lo ?? 1024n) : w.port, `replies${isPortProtocol(w.protocol) ? ` to client ports ${eph}` : ''}`),
    );
  }

  /** Inside the network, the source's own subnet: requests out, replies in. */
  private sourceNaclLayers(ss: Subnet | undefined, dstAddrs: Addresses, srcAddrs: Addresses): Layer[] {
    const n = this.nacl(ss);
    if (n instanceof Unknown) return [layer(NO_TRAFFIC, ALL_TRAFFIC, [`the network ACL of the source subnet is not known (${n})`])];
    const out = this.naclSet(n, 'egress');
    const back = this.naclSet(n, 'ingress');
    const outLayer = out.problems.length
      ? layer(NO_TRAFFIC, ALL_TRAFFIC, out.problems)
      : layer(readdress(out.set, covering(dstAddrs), srcAddrs), readdress(out.set, meeting(dstAddrs), srcAddrs), [], [naclBlocker(n, 'egress', 'outbound requests', ss!)], (w) =>
          naclHops(this.entryTraffic, n, 'egress', { ...w, address: firstAddress(dstAddrs, w.family) }, w.port, `outbound ${witnessText(w)} from the source subnet`),
        );
    const ok = withReturnLeg(anyTrafficFrom(dstAddrs), back.set, this.ephemeral);
    const backLayer = back.problems.length
      ? layer(NO_TRAFFIC, ALL_TRAFFIC, back.problems)
      : layer(readdress(ok, covering(dstAddrs), srcAddrs), readdress(ok, meeting(dstAddrs), srcAddrs), [], [naclBlocker(n, 'ingress', 'replies coming back', ss!)], (w) =>
          naclHops(this.entryTraffic, n, 'ingress', { ...w, address: firstAddress(dstAddrs, w.family) }, isPortProtocol(w.protocol) ? Number(this.ephemeral[0]?.lo ?? 1024n) : w.port, `replies back into the source subnet`),
        );
    return [outLayer, backLayer];
  }

  // ---- Layers: security groups ----------------------------------------------------------------

  /** Ingress of the destination's groups, from `from` addresses with the source's memberships. */
  private groupLayer(dest: Endpoint, from: Addresses, who: Membership, sourceName: string): Layer {
    const g = this.groupsOf(dest);
    const noGroups = g.ids.length === 0 && g.unknown.length === 0;
    if (noGroups) {
      // NLBs without groups and resources that take none: no group filters the traffic.
      return layer(ALL_TRAFFIC, NO_TRAFFIC, [], [], () => [hopAt(dest.location, `${dest.id} has no security groups (no filtering)`)]);
    }
    const r = this.rulesAllow(g.ids, 'ingress', from, who);
    const possible = g.unknown.length ? ALL_TRAFFIC : r.possible;
    const blocker = blockerAt(dest.location, `no security group rule of ${dest.id} (${g.ids.join(', ') || 'unknown groups'}) admits the traffic from ${sourceName}`, dest.securityGroupsLine);
    return layer(r.definite, possible, [...g.unknown, ...r.assumptions], [blocker], (w) => r.hops(w));
  }

  /** Egress of the source's groups towards the destination, turned into source-address space. */
  private egressLayer(src: Endpoint, dest: Endpoint, dstAddrs: Addresses, srcAddrs: Addresses): Layer {
    const g = this.groupsOf(src);
    if (g.ids.length === 0 && g.unknown.length === 0) return layer(ALL_TRAFFIC, NO_TRAFFIC);
    const r = this.rulesAllow(g.ids, 'egress', dstAddrs, this.membership(dest));
    const definite = readdress(r.definite, covering(dstAddrs), srcAddrs);
    const possible = g.unknown.length ? ALL_TRAFFIC : readdress(r.possible, meeting(dstAddrs), srcAddrs);
    const blocker = blockerAt(src.location, `no egress rule of ${src.id} (${g.ids.join(', ')}) lets the traffic out to ${dest.id}`, src.securityGroupsLine);
    return layer(definite, possible, [...g.unknown, ...r.assumptions], [blocker], (w) => r.hops({ ...w, address: firstAddress(dstAddrs, w.family) }));
  }

  /** The union over groups of what their rules of one direction allow, to/from `peer` addresses. */
  rulesAllow(groupIds: readonly string[], direction: 'ingress' | 'egress', peer: Addresses, who: Membership): { definite: TrafficSet; possible: TrafficSet; assumptions: string[]; hops: (w: Witness) => Hop[] } {
    const definite: TrafficSet[] = [];
    const possible: TrafficSet[] = [];
    const assumptions: string[] = [];
    const admitted: { rule: Rule | undefined; group: string; set: TrafficSet; location?: SourceLocation }[] = [];
    for (const id of groupIds) {
      const group = this.groups.get(id);
      if (!group && id.startsWith('default-sg(')) {
        // AWS's default group: members talk to each other; everything out.
        const vpc = id.slice('default-sg('.length, -1);
        const set = direction === 'egress' ? anyTrafficFrom(peer) : who.groups.has(id) ? anyTrafficFrom(peer) : NO_TRAFFIC;
        if (id === UNKNOWN_VPC_DEFAULT_GROUP && direction === 'ingress' && who.groups.has(id)) {
          // Two endpoints in "the" default group of VPCs that are not known may be in different VPCs.
          possible.push(set);
          assumptions.push(`the endpoints in the default group of a VPC that is not known are in the same VPC`);
        } else definite.push(set);
        admitted.push({ rule: undefined, group: id, set, location: this.vpcs.get(vpc)?.location });
        continue;
      }
      if (!group) {
        assumptions.push(`security group ${id} is not in the scan; its rules are not known`);
        possible.push(ALL_TRAFFIC);
        continue;
      }
      const g = this.groupAllows(group, direction, peer, who);
      definite.push(g.definite);
      possible.push(g.possible);
      assumptions.push(...g.assumptions);
      admitted.push(...g.admitted);
    }
    return {
      definite: unionAll(definite),
      possible: unionAll(possible),
      assumptions: [...new Set(assumptions)],
      hops: (w) => {
        const hit = admitted.find((a) => containsWitness(a.set, w));
        if (!hit) return [];
        if (!hit.rule) return hit.location ? [hopAt(hit.location, `the default group ${hit.group} (implicit) lets its members talk to each other`)] : [];
        const rule = hit.rule;
        return [hopAt(rule.location, `sg rule ${rule.resource} ${rule.direction} (${ruleSummary(rule)})`)];
      },
    };
  }

  /**
   * One group's rules of one direction, cached by what they can depend on: the peer addresses and
   * which of the groups its rules name the other end is a member of.
   */
  private groupAllows(group: SecurityGroup, direction: 'ingress' | 'egress', peer: Addresses, who: Membership): { definite: TrafficSet; possible: TrafficSet; assumptions: string[]; admitted: { rule: Rule; group: string; set: TrafficSet }[] } {
    const gk = `${group.address}\u0000${direction}`;
    let gr = this.groupRules.get(gk);
    if (!gr) {
      const list = (this.rulesByGroup.get(group.address) ?? []).filter((r) => r.direction === direction);
      gr = { rules: list, named: list.flatMap((r) => (r.peer.kind === 'securityGroup' ? [r.peer.self ? r.group : r.peer.ref instanceof ResourceRef ? r.peer.ref.address : r.peer.ref] : [])) };
      this.groupRules.set(gk, gr);
    }
    const { rules, named } = gr;
    const key = `${gk}\u0000${this.addrId(peer)}\u0000${named.filter((n) => who.groups.has(n)).join(',')}\u0000${named.length && who.unknown.length ? who.unknown.join(';') : ''}`;
    const hit = this.groupMemo.get(key);
    if (hit) return hit;
    const definite: TrafficSet[] = [];
    const possible: TrafficSet[] = [];
    const assumptions: string[] = [];
    const admitted: { rule: Rule; group: string; set: TrafficSet }[] = [];
    for (const rule of rules) {
      const r = this.ruleAllows(rule, group, peer, who);
      if (r.definite) {
        definite.push(r.definite);
        admitted.push({ rule, group: group.address, set: r.definite });
      }
      if (r.possible) {
        possible.push(r.possible);
        assumptions.push(...r.assumptions);
        admitted.push({ rule, group: group.address, set: r.possible });
      }
    }
    const out = { definite: unionAll(definite), possible: unionAll(possible), assumptions, admitted };
    this.groupMemo.set(key, out);
    return out;
  }

  /** A rule's protocol × ports over every address, or why it is not exact (memoized). */
  shapeOf(rule: Rule): { shape: TrafficSet; known: boolean; why?: string } | null {
    const hit = this.shapeMemo.get(rule);
    if (hit !== undefined) return hit;
    const dim = portDimension(rule.protocol, rule.ports);
    let out: { shape: TrafficSet; known: boolean; why?: string } | null;
    if ('notAddressSet' in dim) {
      out =
        rule.protocol.kind === 'invalid' || rule.ports.kind === 'invalid'
          ? null
          : { shape: rule.protocol.kind === 'number' ? serviceFrom(rule.protocol.number, PORT_UNIVERSE, ALL_ADDRESSES) : ALL_TRAFFIC, known: false, why: dim.notAddressSet };
    } else {
      out = { shape: serviceFrom(rule.protocol.kind === 'number' ? rule.protocol.number : 'all', dim, ALL_ADDRESSES), known: true };
    }
    this.shapeMemo.set(rule, out);
    return out;
  }

  private ruleAllows(rule: Rule, group: SecurityGroup, peer: Addresses, who: Membership): { definite?: TrafficSet; possible?: TrafficSet; assumptions: string[] } {
    const assumptions: string[] = [];
    if (rule.condition) assumptions.push(`${rule.resource} exists (${rule.condition})`);
    if (group.condition) assumptions.push(`${group.address} exists (${group.condition})`);
    if (rule.assumptions) assumptions.push(...rule.assumptions);
    // The traffic shape, without addresses.
    const sh = this.shapeOf(rule);
    if (!sh) return { assumptions: [] };
    const shape = sh.shape;
    const shapeKnown = sh.known;
    if (!sh.known) assumptions.push(`${rule.resource} at ${fmt(rule.location)}: ${sh.why}`);
    const p = rule.peer;
    let addrs: Addresses = NO_ADDRESSES;
    let peerKnown = true;
    switch (p.kind) {
      case 'cidr':
        addrs = intersectAddresses(this.addrs([p.cidr]), peer);
        break;
      case 'securityGroup': {
        const target = p.self ? rule.group : p.ref instanceof ResourceRef ? p.ref.address : p.ref;
        if (who.groups.has(target)) addrs = peer;
        else if (who.unknown.length > 0) {
          peerKnown = false;
          addrs = peer;
          assumptions.push(...who.unknown.map((u) => `${u}, so it may be in ${target}`));
        }
        break;
      }
      case 'prefixList': {
        const id = p.ref instanceof ResourceRef ? p.ref.address : p.ref;
        const pl = this.network.prefixLists.find((x) => x.id === id);
        if (!pl) {
          peerKnown = false;
          addrs = peer;
          assumptions.push(`the entries of prefix list ${id} are not in the scan`);
        } else {
          addrs = intersectAddresses(this.addrs(pl.entries.filter((e): e is string => typeof e === 'string')), peer);
          const unknown = pl.entries.filter((e): e is Unknown => e instanceof Unknown);
          if (unknown.length) {
            peerKnown = false;
            const known = addrs;
            assumptions.push(`prefix list ${id} has entries that are not known (${unknown.join('; ')})`);
            // Known entries are definite; the unknown ones may be anything.
            const d = intersect(shape, anyTrafficFrom(known));
            return { definite: shapeKnown && assumptions.length === 1 ? d : undefined, possible: intersect(shape, anyTrafficFrom(peer)), assumptions };
          }
        }
        break;
      }
      case 'unknown':
        peerKnown = false;
        addrs = peer;
        assumptions.push(`${rule.resource} at ${fmt(rule.location)}: the ${rule.direction === 'ingress' ? 'source' : 'destination'} is not known (${p.unknown})`);
        break;
      case 'invalid':
        return { assumptions: [] };
    }
    if (noAddresses(addrs)) return { assumptions: [] };
    const set = intersect(shape, anyTrafficFrom(addrs));
    if (isEmpty(set)) return { assumptions: [] };
    return shapeKnown && peerKnown && assumptions.length === 0 ? { definite: set, assumptions } : { possible: set, assumptions };
  }

  // ---- Layers: load balancers -----------------------------------------------------------------

  /** A load balancer answers on its listeners' ports only. */
  private listenerLayer(lb: Endpoint, from: Addresses): Layer {
    const definite: TrafficSet[] = [];
    const possible: TrafficSet[] = [];
    const assumptions: string[] = [];
    for (const l of lb.listeners) {
      const protos = listenerProtocols(l.protocol);
      if (l.port instanceof Unknown || protos === null) {
        possible.push(serviceFrom(TCP, PORT_UNIVERSE, from), serviceFrom(UDP, PORT_UNIVERSE, from));
        assumptions.push(`listener ${l.id} port/protocol is not known (${l.port instanceof Unknown ? l.port : l.protocol})`);
        continue;
      }
      for (const p of protos) definite.push(serviceFrom(p, iv.range(l.port), from));
    }
    const blockers = lb.listeners.length === 0 ? [blockerAt(lb.location, `load balancer ${lb.id} has no listeners in the scan`)] : [blockerAt(lb.location, `load balancer ${lb.id} listens on other ports only`)];
    return layer(unionAll(definite), unionAll(possible), assumptions, blockers, (w) => {
      const l = lb.listeners.find((x) => x.port === w.port);
      return l ? [hopAt(l.location, `listener ${l.id} (${String(l.protocol)} ${l.port})`)] : [];
    });
  }

  /** Load balancers whose listeners forward to `targetId`, with the listener and target group. */
  frontsOf(targetId: string): { lb: Endpoint; listener: Endpoint['listeners'][number] }[] {
    const out: { lb: Endpoint; listener: Endpoint['listeners'][number] }[] = [];
    for (const e of this.network.endpoints) for (const l of e.listeners) if (l.targets.includes(targetId)) out.push({ lb: e, listener: l });
    return out;
  }

  /**
   * The internet (or an outside CIDR) to a target through the load balancers in front of it: the
   * front must be reachable on the listener port; then the load balancer to the target on the
   * target group port (east-west), or with NLB client-IP preservation, the client's addresses
   * must pass the target's subnet NACLs and groups.
   */
  reachThroughLoadBalancers(source: Source, targetId: string, probe: TrafficSet = ALL_TRAFFIC): Reach[] {
    const out: Reach[] = [];
    const target = this.endpoints.get(targetId);
    if (!target || source.kind === 'endpoint') return out;
    for (const { lb, listener } of this.frontsOf(targetId)) {
      if (listener.port instanceof Unknown) continue;
      const protos = listenerProtocols(listener.protocol) ?? [TCP];
      // The question's port is the one the client connects to: the listener's.
      const frontProbe = intersect(probe, unionAll(protos.map((p) => serviceFrom(p, iv.range(listener.port as number), ALL_ADDRESSES))));
      if (isEmpty(frontProbe)) continue;
      const front = this.reach(source, lb.id, frontProbe);
      const tgId = listener.targetGroups.find((t): t is string => typeof t === 'string' && this.facts.targetGroups.has(t));
      const tg = tgId ? this.facts.targetGroups.get(tgId) : undefined;
      const port = tg && typeof tg.port === 'number' ? tg.port : listener.port;
      const assumptions = [...front.assumptions];
      if (tg && tg.port instanceof Unknown) assumptions.push(`target group ${tgId} port is not known (${tg.port}); assuming the listener port`);
      const type = this.facts.lbType.get(lb.id) ?? 'application';
      const preserve = type === 'network' && tg ? tg.preserveClientIp.value : false;
      const backProbe = unionAll(protos.map((p) => serviceFrom(p, iv.range(port), ALL_ADDRESSES)));
      let back: Reach;
      if (preserve === false) {
        back = this.reach({ kind: 'endpoint', id: lb.id }, targetId, backProbe);
      } else {
        // The target sees the clients: its groups and subnet NACLs must admit their addresses.
        const clients = projectAddresses(front.possible);
        const t = this.subnetsOf(target).subnets;
        const answers = (t.length ? t : [undefined]).map((s) =>
          combine(
            [this.naclInLayer(s, target), this.naclReturnLayer(s, target), this.groupLayer(target, clients, { groups: new Set(), unknown: [] }, `clients of ${lb.id}`)],
            intersect(backProbe, anyTrafficFrom(clients)),
            preserve instanceof Unknown ? [`${tgId} preserves client IPs (${tg?.preserveClientIp.reason}: ${preserve})`] : [],
            undefined,
            `clients of ${lb.id}`,
            targetId,
          ),
        );
        back = best(answers);
      }
      const verdict = worst(front.verdict, back.verdict);
      const listenerHop = hopAt(listener.location, `listener ${listener.id} forwards ${String(listener.protocol)} ${listener.port} to ${tgId ?? 'its target group'}${port !== listener.port ? ` port ${port}` : ''}${preserve === true ? ' (client IP preserved)' : ''}`);
      out.push({
        verdict,
        allowed: verdict === 'reachable' ? front.allowed : NO_TRAFFIC,
        possible: verdict === 'not-reachable' ? NO_TRAFFIC : front.possible,
        path: [...front.path, listenerHop, ...back.path],
        blockers: [...front.blockers.map((b) => ({ ...b, message: `through ${lb.id}: ${b.message}` })), ...back.blockers.map((b) => ({ ...b, message: `${lb.id} → ${targetId}: ${b.message}` }))],
        assumptions: [...new Set([...assumptions, ...back.assumptions])],
      });
    }
    return out;
  }
}

// ---- Combining layers -----------------------------------------------------------------------------

/** Several layers as one set (their hops and blockers stay with the originals). */
function compose(layers: readonly Layer[]): Layer {
  let definite = ALL_TRAFFIC;
  let possible = ALL_TRAFFIC;
  for (const l of layers) {
    const same = definite === possible && l.definite === l.possible;
    definite = intersect(definite, l.definite);
    possible = same ? definite : intersect(possible, l.possible);
  }
  return { definite, possible, assumptions: layers.flatMap((l) => l.assumptions), blockers: [], hops: () => [] };
}

/**
 * `layers` in path order give the path and the blockers; `setLayers` (default the same) give the
 * sets: scans pass precomposed network layers there to save work.
 */
function combine(layers: Layer[], probe: TrafficSet, baseAssumptions: string[], srcAddrs: Addresses | undefined, sourceName: string, destId: string, setLayers: Layer[] = layers): Reach {
  let definite = probe;
  let possible = probe;
  for (const l of setLayers) {
    const same = definite === possible && l.definite === l.possible;
    definite = intersect(definite, l.definite);
    possible = same ? definite : intersect(possible, l.possible);
  }
  const assumptions = [...baseAssumptions];
  // From an endpoint, a piece is certain only if it holds for every address the source may have.
  if (srcAddrs) {
    const whole = readdress(definite, covering(srcAddrs), srcAddrs);
    if (!isEmpty(subtract(definite, whole))) assumptions.push(`the addresses of ${sourceName} within ${describeAddrs(srcAddrs)}`);
    definite = whole;
  }
  // Only assumptions of layers that matter for what passes are named.
  for (const l of setLayers) if (l.assumptions.length > 0 && !isEmpty(intersect(possible, subtract(l.possible, l.definite)))) assumptions.push(...l.assumptions);
  if (baseAssumptions.length > 0) definite = NO_TRAFFIC;
  const verdict: Verdict = !isEmpty(definite) ? 'reachable' : !isEmpty(possible) ? 'possibly-reachable' : 'not-reachable';
  const blockers: Blocker[] = [];
  if (verdict === 'not-reachable') {
    for (const l of layers) if (isEmpty(intersect(probe, l.possible))) blockers.push(...l.blockers);
    if (blockers.length === 0) {
      blockers.push({ message: `no traffic from ${sourceName} to ${destId} passes every layer together (each lets some through): ${layers.flatMap((l) => l.blockers.map((b) => b.message)).join('; ')}` });
    }
  }
  const w = witness(!isEmpty(definite) ? definite : possible);
  const path = w ? layers.flatMap((l) => l.hops(w)) : [];
  return { verdict, allowed: definite, possible, path, blockers: dedupeBlockers(blockers), assumptions: verdict === 'not-reachable' ? [] : [...new Set(assumptions)] };
}

function dedupeBlockers(list: Blocker[]): Blocker[] {
  const seen = new Set<string>();
  return list.filter((b) => {
    const k = `${b.file}:${b.line}:${b.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const RANK: Record<Verdict, number> = { reachable: 0, 'possibly-reachable': 1, 'not-reachable': 2 };

/** The most reachable of several answers; allowed/possible are their union. */
export function best(answers: Reach[]): Reach {
  if (answers.length === 0) return { verdict: 'not-reachable', allowed: NO_TRAFFIC, possible: NO_TRAFFIC, path: [], blockers: [], assumptions: [] };
  const sorted = [...answers].sort((a, b) => RANK[a.verdict] - RANK[b.verdict]);
  const top = sorted[0];
  return {
    ...top,
    allowed: unionAll(answers.map((a) => a.allowed)),
    possible: unionAll(answers.map((a) => a.possible)),
    blockers: top.verdict === 'not-reachable' ? dedupeBlockers(answers.flatMap((a) => a.blockers)) : [],
    assumptions: top.verdict === 'reachable' ? top.assumptions : [...new Set(answers.filter((a) => a.verdict !== 'not-reachable').flatMap((a) => a.assumptions))],
  };
}

function worst(a: Verdict, b: Verdict): Verdict {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The first packet of a set, in canonical order (IPv4 first). */
export function witness(set: TrafficSet): Witness | undefined {
  for (const f of FAMILIES) {
    if (set[f].length === 0) continue;
    // Prefer tcp when the set has it: paths read better as "tcp/0" than as "proto-0".
    const tcp = set[f].find((p) => p.lo <= BigInt(TCP) && BigInt(TCP) <= p.hi);
    const p = tcp ?? set[f][0];
    const q = p.sub[0];
    return { family: f, protocol: tcp ? TCP : Number(p.lo), port: Number(q.lo), address: q.sub[0].lo };
  }
  return undefined;
}

function containsWitness(set: TrafficSet, w: Witness): boolean {
  return familyAlgebra(w.family).contains(set[w.family], [BigInt(w.protocol), BigInt(w.port), w.address]);
}

// ---- Routes -----------------------------------------------------------------------------------------

/**
 * Addresses whose longest-prefix route in `table` satisfies `wanted`, exactly; routes with unknown
 * destinations make the addresses they might capture possible only.
 */
function longestPrefix(table: RouteTable, wanted: (r: Route) => boolean, toRange: (text: string) => CidrRange | null): { definite: Addresses; possible: Addresses; assumptions: string[] } {
  const known = table.routes
    .map((r) => ({ r, range: typeof r.destination === 'string' ? toRange(r.destination) : null }))
    .filter((x): x is { r: Route; range: CidrRange } => x.range !== null);
  const prefixLen = (x: (typeof known)[number]) => Number(BigInt(x.range.family === 'ipv4' ? 32 : 128) - BigInt((x.range.range.hi - x.range.range.lo + 1n).toString(2).length - 1));
  known.sort((a, b) => prefixLen(b) - prefixLen(a));
  let covered = NO_ADDRESSES;
  let definite = NO_ADDRESSES;
  for (const x of known) {
    const block: Addresses = x.range.family === 'ipv4' ? { ipv4: [x.range.range], ipv6: iv.EMPTY } : { ipv4: iv.EMPTY, ipv6: [x.range.range] };
    const fresh = subtractAddresses(block, covered);
    if (wanted(x.r)) definite = unionAddresses(definite, fresh);
    covered = unionAddresses(covered, block);
  }
  const unknown = table.routes.filter((r) => typeof r.destination !== 'string' && r.targetKind !== 'local');
  const unknownTargets = table.routes.filter((r) => r.targetKind === 'unknown' && typeof r.destination === 'string');
  let possible = NO_ADDRESSES;
  const assumptions: string[] = [];
  for (const r of unknown) {
    // A route whose destination is not known may be more specific than any other.
    if (wanted(r)) possible = ALL_ADDRESSES;
    else definite = NO_ADDRESSES;
    assumptions.push(`route at ${fmt(r.location)} in ${table.id} has an unknown destination (${r.destination})`);
  }
  for (const r of unknownTargets) {
    const a = addressesOf([r.destination as string], toRange);
    possible = unionAddresses(possible, a);
    definite = subtractAddresses(definite, a);
    assumptions.push(`route ${r.destination} at ${fmt(r.location)} in ${table.id} goes to a target that is not known (${String(r.target)})`);
  }
  if (unknown.length > 0 && unknown.some((r) => !wanted(r))) possible = unionAddresses(possible, ALL_ADDRESSES);
  return { definite, possible: subtractAddresses(possible, definite), assumptions };
}

function routeFor(table: RouteTable, w: Witness, toRange: (text: string) => CidrRange | null): Route | undefined {
  let bestRoute: Route | undefined;
  let bestLen = -1;
  for (const r of table.routes) {
    if (typeof r.destination !== 'string') continue;
    const range = toRange(r.destination);
    if (!range || range.family !== w.family || w.address < range.range.lo || w.address > range.range.hi) continue;
    const len = (range.range.hi - range.range.lo + 1n).toString(2).length;
    if (bestLen === -1 || len < bestLen) {
      bestLen = len;
      bestRoute = r;
    }
  }
  return bestRoute;
}

function describeDest(r: Route): string {
  return typeof r.destination === 'string' ? r.destination : `unknown (${r.destination})`;
}

function targetName(r: Route): string {
  return r.target instanceof ResourceRef ? r.target.address : String(r.target);
}

// ---- NACL helpers -------------------------------------------------------------------------------------

function naclBlocker(n: Nacl, dir: 'ingress' | 'egress', what: string, s: Subnet): Blocker {
  const entries = n[dir];
  if (entries.length === 0) return blockerAt(n.location, `network ACL ${n.id} of subnet ${s.id} has no ${dir} entries, so it denies ${what}`);
  const deny = [...entries].filter((e) => e.action === 'deny').sort((a, b) => Number(a.ruleNumber) - Number(b.ruleNumber))[0];
  if (deny) return blockerAt(deny.location, `network ACL ${n.id} of subnet ${s.id} denies ${what} (${dir} rule ${String(deny.ruleNumber)} deny ${String(deny.cidr)})`);
  return blockerAt(n.location, `network ACL ${n.id} of subnet ${s.id} allows none of the ${what} (implicit deny)`);
}

function naclHops(traffic: (e: NaclEntry) => TrafficSet | null, n: Nacl, dir: 'ingress' | 'egress', w: Witness, port: number, what: string): Hop[] {
  const e = firstMatchEntry(traffic, n[dir], { ...w, port });
  if (!e) return [];
  if (!e.declared) return [hopAt(n.location, `default NACL ${n.id} allows ${what} (${dir} rule ${String(e.ruleNumber)})`)];
  return [hopAt(e.location, `NACL ${n.id} ${dir} rule ${String(e.ruleNumber)} (allow ${String(e.cidr)}) allows ${what}`)];
}

function firstMatchEntry(traffic: (e: NaclEntry) => TrafficSet | null, entries: readonly NaclEntry[], w: Witness): NaclEntry | undefined {
  const sorted = [...entries].filter((e) => typeof e.ruleNumber === 'number').sort((a, b) => (a.ruleNumber as number) - (b.ruleNumber as number));
  for (const e of sorted) {
    const t = traffic(e);
    if (t && containsWitness(t, w)) return e.action === 'allow' ? e : undefined;
  }
  return undefined;
}

// ---- Text ---------------------------------------------------------------------------------------------

function isPortProtocol(p: number): boolean {
  return p === TCP || p === UDP;
}

export function witnessText(w: Witness): string {
  const name = protocolName({ kind: 'number', number: w.protocol });
  if (isPortProtocol(w.protocol)) return `${name}/${w.port}`;
  if (w.protocol === ICMP || w.protocol === ICMPV6) return `${name}/${w.port >> 8}:${w.port & 255}`;
  return name;
}

function firstAddress(a: Addresses, f: Family): bigint {
  return a[f][0]?.lo ?? 0n;
}

function describeAddrs(a: Addresses): string {
  return FAMILIES.flatMap((f) => a[f].map((r) => `${formatAddress(f, r.lo)}-${formatAddress(f, r.hi)}`)).join(', ');
}

function ruleSummary(rule: Rule): string {
  const proto = protocolName(rule.protocol);
  const ports = rule.ports.kind === 'all' && (rule.protocol.kind === 'number' && (rule.protocol.number === TCP || rule.protocol.number === UDP)) ? '/0-65535' : rule.ports.kind === 'range' ? (rule.ports.from === rule.ports.to ? `/${rule.ports.from}` : `/${rule.ports.from}-${rule.ports.to}`) : rule.ports.kind === 'icmp' ? `/${rule.ports.type}:${rule.ports.code}` : '';
  return `${proto}${ports} ${rule.direction === 'ingress' ? 'from' : 'to'} ${describePeer(rule.peer)}`;
}

/** tcp/udp per listener protocol; null when not known. */
function listenerProtocols(p: string | Unknown): number[] | null {
  if (p instanceof Unknown) return null;
  const u = p.toUpperCase();
  if (u === 'UDP') return [UDP];
  if (u === 'TCP_UDP') return [TCP, UDP];
  return [TCP];
}
