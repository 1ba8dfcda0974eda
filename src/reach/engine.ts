import * as iv from '../sets/interval.js';
import type { Rule, SecurityGroup } from '../model/model.js';
import { ResourceRef, Unknown } from '../model/value.js';
import type { Endpoint, Fact, Nacl, Network, RouteTable, Subnet, Vpc } from '../network/model.js';
import { ADDRESS_UNIVERSE, cidrRanges, type Family } from '../sets/cidr.js';
import { type Addresses, addressesOf, ALL_ADDRESSES, anyTrafficFrom, covering, meeting, NO_ADDRESSES, noAddresses, readdress, subtractAddresses, unionAddresses } from '../sets/setops.js';
import { PUBLIC_ADDRESSES } from '../sets/public.js';
import { ALL_TRAFFIC, intersect, isEmpty, NO_TRAFFIC, type TrafficSet, union, meets } from '../sets/traffic.js';
import { emptyFacts, type ReachFacts } from './facts.js';
import { DEFAULT_GROUP, GroupRules, type RulesAllowed, UNKNOWN_VPC_DEFAULT_GROUP } from './groups.js';
import { best, blockerAt, combine, compose, dedupeBlockers, hopAt, layer } from './layer.js';
import { frontsOf, type LoadBalancerPaths, listenerLayer, reachThroughLoadBalancers } from './load-balancers.js';
import { NaclLayers } from './nacl-layers.js';
import { opensLayer, servesLayer } from './roles.js';
import { RouteLayers } from './route-layers.js';
import type { Blocker, EngineOptions, Hop, Layer, Membership, Reach, ReachOptions, Source, Witness } from './types.js';
import { firstAddress } from './witness.js';
import { addTo, append } from '../model/arrays.js';

// The reachability engine: for a destination endpoint and a source (the internet, a CIDR, another
// endpoint) the exact traffic that passes every layer, as sets in one space: protocol × destination
// port × SOURCE address. Each layer yields what certainly passes and what passes under named
// assumptions (unknown values); the verdict is three-valued and unknowns never decide silently.

export type { Blocker, EngineOptions, Hop, Reach, ReachOptions, Source, Verdict, Witness } from './types.js';
export { best } from './layer.js';
export { witness, witnessText } from './witness.js';

/** A "no" without blockers (ReachOptions.blockers false). */
const NOT_REACHABLE_UNEXPLAINED: Reach = Object.freeze({ verdict: 'not-reachable', allowed: NO_TRAFFIC, possible: NO_TRAFFIC, path: Object.freeze([]) as unknown as Hop[], blockers: Object.freeze([]) as unknown as Blocker[], assumptions: Object.freeze([]) as unknown as string[] });

export class Engine {
  readonly network: Network;
  readonly facts: ReachFacts;
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly subnets = new Map<string, Subnet>();
  private readonly vpcs = new Map<string, Vpc>();
  private readonly tables = new Map<string, RouteTable>();
  private readonly nacls = new Map<string, Nacl>();
  private readonly groups = new Map<string, SecurityGroup>();
  private readonly rulesByGroup = new Map<string, Rule[]>();
  private readonly members = new Map<string, Endpoint[]>();
  private readonly defaultGroupOf = new Map<string, string>();
  /** A default group is declared in the scan (with rules of its own), for some VPC. */
  private readonly declaresDefaultGroup: boolean;
  /** Layers that depend only on subnets (and the addresses in them), computed once each. */
  private readonly layerCache = new Map<string, Layer | Layer[]>();
  /** Parsed CIDRs and NACL entry sets: parsing dominates the cost otherwise. */
  private readonly cidrMemo = new Map<string, Addresses>();
  /** CIDR text → address range, parsed once per engine. */
  private readonly cidrRange = cidrRanges();
  private readonly addressMemo = new Map<string, { addrs: Addresses; assumptions: string[] }>();
  private readonly addressIds = new WeakMap<Addresses, number>();
  private readonly internetMemo = new Map<string, Addresses>();
  private nextAddressId = 0;
  private readonly groupsMemo = new WeakMap<Endpoint, { ids: string[]; unknown: string[] }>();
  private readonly membershipMemo = new WeakMap<Endpoint, Membership>();
  /** An egress answer in source-address space, by the answer and the addresses at both ends (egressLayer). */
  private readonly egressSets = new WeakMap<RulesAllowed, Map<string, { definite: TrafficSet; possible: TrafficSet }>>();
  private readonly groupRules: GroupRules;
  private readonly naclLayers: NaclLayers;
  private readonly routeLayers: RouteLayers;

  constructor(network: Network, groups: readonly SecurityGroup[], rules: readonly Rule[], facts: ReachFacts = emptyFacts(), options: EngineOptions = {}) {
    this.network = network;
    this.facts = facts;
    const eph = options.ephemeralPorts ?? { from: 1024, to: 65535 };
    for (const e of network.endpoints) if (!this.endpoints.has(e.id)) this.endpoints.set(e.id, e);
    for (const s of network.subnets) this.subnets.set(s.id, s);
    for (const v of network.vpcs) this.vpcs.set(v.id, v);
    for (const t of network.routeTables) this.tables.set(t.id, t);
    for (const n of network.nacls) this.nacls.set(n.id, n);
    for (const g of groups) if (!this.groups.has(g.address)) this.groups.set(g.address, g);
    for (const r of rules) addTo(this.rulesByGroup, r.group, r);
    // The declared default group of each VPC (aws_default_security_group, a default group by VPC).
    this.declaresDefaultGroup = groups.some((g) => g.isDefault);
    for (const g of groups) {
      if (!g.isDefault) continue;
      const vpc = g.vpc instanceof ResourceRef ? g.vpc.address : typeof g.vpc === 'string' ? g.vpc : network.vpcs.length === 1 ? network.vpcs[0].id : undefined;
      if (vpc && !this.defaultGroupOf.has(vpc)) this.defaultGroupOf.set(vpc, g.address);
    }
    for (const e of network.endpoints) for (const g of this.groupsOf(e).ids) addTo(this.members, g, e);
    this.naclLayers = new NaclLayers(this.nacls, iv.range(eph.from, eph.to));
    this.routeLayers = new RouteLayers({ network, facts, vpcs: this.vpcs, tables: this.tables, subnets: this.subnets, nacls: this.naclLayers, cidrRange: this.cidrRange });
    this.groupRules = new GroupRules({ groups: this.groups, vpcs: this.vpcs, rulesByGroup: this.rulesByGroup, network, addrs: (c) => this.addrs(c), addrId: (a) => this.addrId(a) });
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
    // Many blocks (a prefix list of thousands of entries) merge in one sort, not one union each.
    if (cidrs.length === 0) return NO_ADDRESSES;
    if (cidrs.length !== 1) {
      const each = cidrs.map((c) => this.addrs([c]));
      return { ipv4: iv.fromRanges(each.flatMap((a) => a.ipv4)), ipv6: iv.fromRanges(each.flatMap((a) => a.ipv6)) };
    }
    let a = this.cidrMemo.get(cidrs[0]);
    if (!a) {
      a = addressesOf(cidrs, this.cidrRange);
      this.cidrMemo.set(cidrs[0], a);
    }
    return a;
  }

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
    // Asked for every question about an endpoint: computed once per endpoint (frozen: it is shared),
    // so the group layer's caches can key on the arrays' identity.
    let hit = this.groupsMemo.get(e);
    if (!hit) {
      hit = this.computeGroupsOf(e);
      Object.freeze(hit.ids);
      Object.freeze(hit.unknown);
      this.groupsMemo.set(e, Object.freeze(hit));
    }
    return hit;
  }

  private computeGroupsOf(e: Endpoint): { ids: string[]; unknown: string[] } {
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

  /** @internal (load balancers) */
  subnetsOf(e: Endpoint): { subnets: Subnet[]; unknown: string[] } {
    const subnets: Subnet[] = [];
    const unknown: string[] = [];
    for (const s of e.subnets) {
      const found = typeof s === 'string' ? this.subnets.get(s) : undefined;
      if (found) subnets.push(found);
      else unknown.push(s instanceof Unknown ? `a subnet of ${e.id} is not known (${s})` : `subnet ${s} of ${e.id} is not in the scan`);
    }
    return { subnets, unknown };
  }

  /**
   * The addresses an internet client of (or server for) an endpoint may have: the public address
   * space, less the endpoint's own VPC (its addresses are routed locally, never through a gateway).
   */
  internetFor(endpointId: string): Addresses {
    const e = this.endpoints.get(endpointId);
    const vpc = e && typeof e.vpc === 'string' ? this.vpcs.get(e.vpc) : undefined;
    if (!vpc) return PUBLIC_ADDRESSES;
    let hit = this.internetMemo.get(vpc.id);
    if (!hit) {
      const own = [...vpc.cidrs.ipv4, ...vpc.cidrs.ipv6].filter((c): c is string => typeof c === 'string');
      hit = own.length ? subtractAddresses(PUBLIC_ADDRESSES, this.addrs(own)) : PUBLIC_ADDRESSES;
      this.internetMemo.set(vpc.id, hit);
    }
    return hit;
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
    // What the destination is (kinds.ts): the ports it answers on, and whether the source opens connections.
    const srcEndpoint = source.kind === 'endpoint' ? this.endpoints.get(source.id) : undefined;
    const kindLayers = [servesLayer(dest), srcEndpoint ? opensLayer(srcEndpoint, dest) : undefined].filter((l): l is Layer => l !== undefined);
    const stop = kindLayers.find((l) => !meets(probe, l.possible));
    if (stop) return { verdict: 'not-reachable', allowed: NO_TRAFFIC, possible: NO_TRAFFIC, path: [], blockers: stop.blockers, assumptions: [] };
    const { subnets, unknown } = this.subnetsOf(dest);
    const answers: Reach[] = [];
    for (const s of subnets) answers.push(this.reachIn(source, dest, s, probe, [], options, kindLayers));
    if (subnets.length === 0 || unknown.length > 0) answers.push(this.reachIn(source, dest, undefined, probe, unknown.length ? unknown : [`${dest.id} names no subnet`], options, kindLayers));
    return best(answers);
  }

  private reachIn(source: Source, dest: Endpoint, s: Subnet | undefined, probe: TrafficSet, unknownSubnet: string[], options: ReachOptions, kindLayers: Layer[]): Reach {
    const layers: Layer[] = [...kindLayers];
    const srcEndpoint = source.kind === 'endpoint' ? this.endpoints.get(source.id) : undefined;
    if (source.kind === 'endpoint' && !srcEndpoint) {
      return { verdict: 'not-reachable', allowed: NO_TRAFFIC, possible: NO_TRAFFIC, path: [], blockers: [{ message: `${source.id} is not an endpoint in the scan` }], assumptions: [] };
    }
    const dstAddrs = this.addressesIn(dest, s);
    // Where the source sits: outside (internet or an outside CIDR) or in a subnet of the scan.
    let srcAddrs: Addresses;
    let srcSubnets: (Subnet | undefined)[] = [];
    let inside = false;
    const sourceName = source.kind === 'internet' ? 'the internet' : source.kind === 'cidr' ? source.cidr : source.kind === 'prefix-list' ? source.label : source.id;
    // A managed prefix list's hosts have public addresses, which ones is AWS's to say.
    if (source.kind === 'internet' || source.kind === 'prefix-list') srcAddrs = this.internetFor(dest.id);
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
    const explainNo = options.explain !== false || options.blockers !== false;
    for (const ss of inside ? srcSubnets : [undefined]) {
      const layersHere = [...layers];
      let from = srcAddrs;
      const assumptions = [...unknownSubnet, ...dstAddrs.assumptions];
      if (srcEndpoint) {
        const a = this.addressesIn(srcEndpoint, ss);
        from = a.addrs;
        append(assumptions, a.assumptions);
      }
      const question = intersect(probe, anyTrafficFrom(from));
      // The source's egress comes first on the path. When no blockers are wanted, it is asked first too:
      // most east-west questions stop there (48,000 of 99,000 on a 10,000-group estate), before the
      // destination's groups and the network are worked out.
      const egressOut = () => (srcEndpoint ? this.egressLayer(srcEndpoint, dest, dstAddrs.addrs, from) : undefined);
      let egress = explainNo ? undefined : egressOut();
      if (egress && !meets(question, egress.possible)) {
        results.push(NOT_REACHABLE_UNEXPLAINED);
        continue;
      }
      const groupLayer = this.groupLayer(dest, from, srcEndpoint ? this.membership(srcEndpoint) : { groups: new Set(), unknown: [], ...(source.kind === 'prefix-list' ? { lists: new Set([source.name]) } : {}) }, sourceName);
      // Scans ask many questions whose answer is no: the groups decide most of them, cheaply.
      if (options.explain === false && !meets(question, groupLayer.possible)) {
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
      const sourceNacls = inside && !sameSubnet ? this.cached(pairKey && `srcnacl\u0000${pairKey}`, () => this.naclLayers.leavingLayers(ss, dstAddrs.addrs, from, 'the source subnet')) : [];
      const publicAddress = inside ? undefined : this.publicAddressLayer(dest);
      const listener = dest.kind === 'lb' ? listenerLayer(dest, from) : undefined;
      if (sourceNacls.length) layersHere.push(shared(pairKey && `srcnaclout\u0000${pairKey}`, () => sourceNacls[0]));
      if (publicAddress) {
        layersHere.push(publicAddress);
        layersHere.push(shared(s && `igw\u0000${s.id}`, () => this.routeLayers.internetRoute(dest, s)));
      } else {
        layersHere.push(shared(pairKey && `route\u0000${pairKey}`, () => this.routeLayers.internalRoute(ss, s, from, dstAddrs.addrs, sourceName, dest)));
      }
      if (!sameSubnet) layersHere.push(shared(s && `naclin\u0000${s.id}`, () => this.naclLayers.inLayer(s, dest)));
      layersHere.push(groupLayer);
      if (listener) layersHere.push(listener);
      if (!sameSubnet) layersHere.push(shared(s && `naclret\u0000${s.id}`, () => this.naclLayers.returnLayer(s, dest)));
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
      if (explainNo) egress = egressOut();
      if (egress) layersHere.unshift(egress);
      if (composite) setLayers = [...kindLayers, egress, publicAddress, groupLayer, listener, composite].filter((l): l is Layer => l !== undefined);
      results.push(combine(layersHere, question, assumptions, srcEndpoint || source.kind === 'prefix-list' ? from : undefined, sourceName, dest.id, setLayers, explainNo));
    }
    return best(results);
  }

  private membership(e: Endpoint): Membership {
    // One object per endpoint: the group layer caches on its identity.
    let m = this.membershipMemo.get(e);
    if (!m) {
      const g = this.groupsOf(e);
      m = { groups: new Set(g.ids), unknown: g.unknown };
      this.membershipMemo.set(e, m);
    }
    return m;
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
    const question = intersect(probe, anyTrafficFrom(to));
    const answers: Reach[] = [];
    for (const s of subnets.length ? subnets : [undefined]) {
      const layers: Layer[] = [];
      const g = this.groupsOf(src);
      if (g.ids.length || g.unknown.length) {
        const r = this.rulesAllow(g.ids, 'egress', to, { groups: new Set(), unknown: [] });
        layers.push(layer(r.definite, g.unknown.length ? ALL_TRAFFIC : r.possible, [...g.unknown, ...r.assumptions], [blockerAt(src.location, `no egress rule of ${src.id} (${g.ids.join(', ')}) lets the traffic out`, src.securityGroupsLine)], r.hops));
      }
      append(layers, this.naclLayers.outboundLayers(s, undefined, `${src.id}'s subnet`));
      if (!s) {
        layers.push(layer(NO_TRAFFIC, ALL_TRAFFIC, [`the route out of ${src.id} is not known (no subnet)`]));
        answers.push(combine(layers, question, unknown, undefined, src.id, 'the internet'));
        continue;
      }
      // Each way out (internet gateway, egress-only gateway, each NAT gateway) is a path of its own.
      const paths = this.routeLayers.outboundPaths(src, s, this.addressesIn(src, s).addrs);
      if (!Array.isArray(paths)) answers.push(combine([...layers, paths], question, unknown, undefined, src.id, 'the internet'));
      else for (const p of paths) answers.push(combine([...layers, ...p.layers], question, unknown, undefined, src.id, 'the internet'));
    }
    return best(answers);
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
      // An address that is not known is not stated as a fact on the path.
      const has = fact.value instanceof Unknown ? 'may have' : 'has';
      return [hopAt({ ...dest.location, line: fact.line ?? dest.location.line, endLine: fact.line ?? dest.location.endLine }, `${dest.id} ${has} ${w.family === 'ipv4' ? 'a public IPv4' : 'an IPv6'} address (${fact.reason})`)];
    });
  }

  // ---- Layers: network ACLs (nacl-layers.ts) --------------------------------------------------

  /** @internal (load balancers) */
  naclInLayer(s: Subnet | undefined, dest: Endpoint): Layer {
    return this.naclLayers.inLayer(s, dest);
  }

  /** @internal (load balancers) */
  naclReturnLayer(s: Subnet | undefined, dest: Endpoint): Layer {
    return this.naclLayers.returnLayer(s, dest);
  }

  // ---- Layers: security groups ----------------------------------------------------------------

  /** Ingress of the destination's groups, from `from` addresses with the source's memberships. */
  /** @internal (load balancers) */
  groupLayer(dest: Endpoint, from: Addresses, who: Membership, sourceName: string): Layer {
    const g = this.groupsOf(dest);
    const noGroups = g.ids.length === 0 && g.unknown.length === 0;
    if (noGroups) {
      // NLBs without groups and resources that take none: no group filters the traffic. A group AWS
      // provides (a Classic ELB's default_elb) admits what the resource listens on, no more.
      const why = dest.providedGroup ? `${dest.id} is in ${dest.providedGroup}` : `${dest.id} has no security groups (no filtering)`;
      return layer(ALL_TRAFFIC, NO_TRAFFIC, [], [], () => [hopAt(dest.location, why)]);
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
    // The same groups' answer between the same addresses turns into the same sets: made once.
    let byAddresses = this.egressSets.get(r);
    if (!byAddresses) this.egressSets.set(r, (byAddresses = new Map()));
    const k = `${this.addrId(dstAddrs)}\u0000${this.addrId(srcAddrs)}`;
    let sets = byAddresses.get(k);
    if (!sets) byAddresses.set(k, (sets = { definite: readdress(r.definite, covering(dstAddrs), srcAddrs), possible: readdress(r.possible, meeting(dstAddrs), srcAddrs) }));
    const definite = sets.definite;
    const possible = g.unknown.length ? ALL_TRAFFIC : sets.possible;
    const blocker = blockerAt(src.location, `no egress rule of ${src.id} (${g.ids.join(', ')}) lets the traffic out to ${dest.id}`, src.securityGroupsLine);
    return layer(definite, possible, [...g.unknown, ...r.assumptions], [blocker], (w) => r.hops({ ...w, address: firstAddress(dstAddrs, w.family) }));
  }

  /** The union over groups of what their rules of one direction allow, to/from `peer` addresses. */
  rulesAllow(groupIds: readonly string[], direction: 'ingress' | 'egress', peer: Addresses, who: Membership): RulesAllowed {
    return this.groupRules.rulesAllow(groupIds, direction, peer, who);
  }

  /** A rule's protocol × ports over every address, or why it is not exact (memoized). */
  shapeOf(rule: Rule): { shape: TrafficSet; known: boolean; why?: string } | null {
    return this.groupRules.shapeOf(rule);
  }

  /** Load balancers whose listeners forward to `targetId`, with the listener and target group. */
  frontsOf(targetId: string): { lb: Endpoint; listener: Endpoint['listeners'][number] }[] {
    return frontsOf(this.network, targetId);
  }

  /** The internet (or an outside CIDR) to a target through the load balancers in front of it. */
  reachThroughLoadBalancers(source: Source, targetId: string, probe: TrafficSet = ALL_TRAFFIC, paths: LoadBalancerPaths = {}): Reach[] {
    return reachThroughLoadBalancers(this, source, targetId, probe, paths);
  }
}
