import type { SourceLocation } from '../model/location.js';
import type { Rule, SecurityGroup } from '../model/model.js';
import { describePeer, unknownGroupName } from '../model/peer.js';
import { protocolName, TCP, UDP } from '../model/protocol.js';
import { ResourceRef, Unknown } from '../model/value.js';
import { managedById, managedByName, type ManagedPrefixList } from '../network/managed-prefix-lists.js';
import type { Network, PrefixList, Vpc } from '../network/model.js';
import { type Addresses, ALL_ADDRESSES, anyTrafficFrom, intersectAddresses, NO_ADDRESSES, noAddresses, serviceFrom, subtractAddresses } from '../sets/setops.js';
import { PUBLIC_ADDRESSES } from '../sets/public.js';
import { ALL_TRAFFIC, intersect, isEmpty, NO_TRAFFIC, PORT_UNIVERSE, portDimension, type TrafficSet, unionAll } from '../sets/traffic.js';
import { fmt, hopAt } from './layer.js';
import type { Hop, Membership, Witness } from './types.js';
import { containsWitness } from './witness.js';
import { append } from '../model/arrays.js';

// The security-group layer: what the rules of a set of groups admit, as exact traffic sets, with the
// rule that admits each packet. Memoized per group, direction, peer addresses and membership.

export const DEFAULT_GROUP = (vpc: string) => `default-sg(${vpc})`;
/**
 * The default group of a VPC that is not known, when the scan declares no default group: whichever
 * VPC it is, its default group has AWS's rules (inbound from members only, all outbound).
 */
export const UNKNOWN_VPC_DEFAULT_GROUP = DEFAULT_GROUP('a VPC that is not known');

/** What the group layer needs to know of the estate. */
export interface GroupContext {
  groups: ReadonlyMap<string, SecurityGroup>;
  vpcs: ReadonlyMap<string, Vpc>;
  rulesByGroup: ReadonlyMap<string, Rule[]>;
  network: Network;
  addrs(cidrs: readonly string[]): Addresses;
  addrId(a: Addresses): string;
}

/** What the rules of some groups allow in one direction, and the rule that admits a packet. */
export interface RulesAllowed {
  definite: TrafficSet;
  possible: TrafficSet;
  assumptions: string[];
  hops: (w: Witness) => Hop[];
}

type GroupAllowed = { definite: TrafficSet; possible: TrafficSet; assumptions: string[]; admitted: { rule: Rule; group: string; set: TrafficSet }[] };

/** One group's rules of one direction, the groups they name, and their answers by peer addresses and memberships. */
interface GroupDirection {
  rules: Rule[];
  named: string[];
  unknownNamed: boolean;
  byPeer: WeakMap<Addresses, Map<string, GroupAllowed>>;
  whoKeys: WeakMap<Membership, string>;
}

export class GroupRules {
  private readonly groupRules = new Map<SecurityGroup, Partial<Record<'ingress' | 'egress', GroupDirection>>>();
  private readonly shapeMemo = new Map<Rule, { shape: TrafficSet; known: boolean; why?: string } | null>();

  constructor(private readonly ctx: GroupContext) {}

  /** A prefix list's known entries as one address set, built once per list (not per question). */
  private readonly listAddresses = new Map<PrefixList, Addresses>();

  private entriesOf(pl: PrefixList): Addresses {
    let a = this.listAddresses.get(pl);
    if (!a) this.listAddresses.set(pl, (a = this.ctx.addrs(pl.entries.filter((e): e is string => typeof e === 'string'))));
    return a;
  }

  /** Unions of groups' answers, by the answers' ids in order (see rulesAllow). */
  private readonly unions = new Map<string, RulesAllowed>();
  private readonly allowedIds = new WeakMap<GroupAllowed, number>();
  private nextAllowedId = 0;

  /** The union over groups of what their rules of one direction allow, to/from `peer` addresses. */
  rulesAllow(groupIds: readonly string[], direction: 'ingress' | 'egress', peer: Addresses, who: Membership): RulesAllowed {
    // Groups of the scan only (the common case): the union of their cached answers is cached too, by
    // which answers they are. Asked for both ends of every east-west question (60,000 on a 10,000-group
    // estate), and most ends share their groups' answers.
    let key = '';
    for (const id of groupIds) {
      const group = this.ctx.groups.get(id);
      if (!group) return this.computeRulesAllow(groupIds, direction, peer, who);
      const g = this.groupAllows(group, direction, peer, who);
      let n = this.allowedIds.get(g);
      if (n === undefined) this.allowedIds.set(g, (n = this.nextAllowedId++));
      key = key === '' ? String(n) : `${key},${n}`;
    }
    let hit = this.unions.get(key);
    if (!hit) this.unions.set(key, (hit = this.computeRulesAllow(groupIds, direction, peer, who)));
    return hit;
  }

  private computeRulesAllow(groupIds: readonly string[], direction: 'ingress' | 'egress', peer: Addresses, who: Membership): RulesAllowed {
    const definite: TrafficSet[] = [];
    const possible: TrafficSet[] = [];
    const assumptions: string[] = [];
    const admitted: { rule: Rule | undefined; group: string; set: TrafficSet; location?: SourceLocation }[] = [];
    for (const id of groupIds) {
      const group = this.ctx.groups.get(id);
      if (!group && id.startsWith('default-sg(')) {
        // AWS's default group: members talk to each other; everything out.
        const vpc = id.slice('default-sg('.length, -1);
        const set = direction === 'egress' ? anyTrafficFrom(peer) : who.groups.has(id) ? anyTrafficFrom(peer) : NO_TRAFFIC;
        if (id === UNKNOWN_VPC_DEFAULT_GROUP && direction === 'ingress' && who.groups.has(id)) {
          // Two endpoints in "the" default group of VPCs that are not known may be in different VPCs.
          possible.push(set);
          assumptions.push(`the endpoints in the default group of a VPC that is not known are in the same VPC`);
        } else definite.push(set);
        admitted.push({ rule: undefined, group: id, set, location: this.ctx.vpcs.get(vpc)?.location });
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
      append(assumptions, g.assumptions);
      append(admitted, g.admitted);
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
        return [{ ...hopAt(rule.location, `sg rule ${rule.resource} ${rule.direction} (${ruleSummary(rule, this.ctx.network)})`), rule }];
      },
    };
  }

  /**
   * One group's rules of one direction, cached by what they can depend on: the peer addresses and
   * which of the groups its rules name the other end is a member of.
   */
  groupAllows(group: SecurityGroup, direction: 'ingress' | 'egress', peer: Addresses, who: Membership): { definite: TrafficSet; possible: TrafficSet; assumptions: string[]; admitted: { rule: Rule; group: string; set: TrafficSet }[] } {
    // Keyed by objects, and per group by a short key of what the other end's memberships change:
    // these are asked for every pair of endpoints, and string keys built per question were garbage.
    let byDirection = this.groupRules.get(group);
    if (!byDirection) this.groupRules.set(group, (byDirection = {}));
    let gr = byDirection[direction];
    if (!gr) {
      const list = (this.ctx.rulesByGroup.get(group.address) ?? []).filter((r) => r.direction === direction);
      const named: string[] = [];
      let unknownNamed = false;
      for (const r of list) {
        if (r.peer.kind !== 'securityGroup') continue;
        if (r.peer.ref instanceof Unknown) unknownNamed = true;
        else named.push(r.peer.self ? r.group : r.peer.ref instanceof ResourceRef ? r.peer.ref.address : r.peer.ref);
      }
      gr = { rules: list, named, unknownNamed, byPeer: new WeakMap(), whoKeys: new WeakMap() };
      byDirection[direction] = gr;
    }
    const { rules, named, unknownNamed } = gr;
    let key = gr.whoKeys.get(who);
    if (key === undefined) {
      key = `${named.filter((n) => who.groups.has(n)).join(',')}\u0000${named.length && who.unknown.length ? who.unknown.join(';') : ''}\u0000${who.lists ? [...who.lists].join(',') : ''}\u0000${unknownNamed && isEndpoint(who) ? 'endpoint' : ''}`;
      gr.whoKeys.set(who, key);
    }
    let memo = gr.byPeer.get(peer);
    if (!memo) gr.byPeer.set(peer, (memo = new Map()));
    const hit = memo.get(key);
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
        append(assumptions, r.assumptions);
        admitted.push({ rule, group: group.address, set: r.possible });
      }
    }
    const out = { definite: unionAll(definite), possible: unionAll(possible), assumptions, admitted };
    memo.set(key, out);
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
    if (rule.assumptions) append(assumptions, rule.assumptions);
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
        addrs = intersectAddresses(this.ctx.addrs([p.cidr]), peer);
        break;
      case 'securityGroup': {
        if (p.ref instanceof Unknown) {
          // Only members of some group: never the internet or an outside CIDR; an endpoint of the
          // scan (it has groups) may be in that one.
          if (!isEndpoint(who)) return { assumptions: [] };
          peerKnown = false;
          addrs = peer;
          assumptions.push(`${rule.resource} at ${fmt(rule.location)}: the ${rule.direction === 'ingress' ? 'source' : 'destination'} is a member of ${unknownGroupName(p.ref)}`);
          break;
        }
        const target = p.self ? rule.group : p.ref instanceof ResourceRef ? p.ref.address : p.ref;
        if (who.groups.has(target)) addrs = peer;
        else if (who.unknown.length > 0) {
          peerKnown = false;
          addrs = peer;
          append(assumptions, who.unknown.map((u) => `${u}, so it may be in ${target}`));
        }
        break;
      }
      case 'prefixList': {
        const managed = managedListOf(p, this.ctx.network);
        if (managed) {
          // A named source (CloudFront, S3, ...): it admits that source, whatever its addresses.
          if (!who.lists?.has(managed.name)) return { assumptions: [] };
          addrs = peer;
          break;
        }
        if (p.ref instanceof Unknown) {
          // Some prefix list: its entries, whatever they are, may be the other end.
          peerKnown = false;
          addrs = peer;
          assumptions.push(`${rule.resource} at ${fmt(rule.location)}: the ${rule.direction === 'ingress' ? 'source' : 'destination'} is ${describePeer(p)}, whose entries may include it`);
          break;
        }
        const id = p.ref instanceof ResourceRef ? p.ref.address : p.ref;
        const pl = this.ctx.network.prefixLists.find((x) => x.id === id);
        if (!pl) {
          peerKnown = false;
          addrs = peer;
          assumptions.push(`the entries of prefix list ${id} are not in the scan`);
        } else {
          addrs = intersectAddresses(this.entriesOf(pl), peer);
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
      case 'unknown': {
        peerKnown = false;
        addrs = peer;
        const end = rule.direction === 'ingress' ? 'source' : 'destination';
        const d = p.unknown.domain;
        if (d?.description) {
          // "its source, parameter PeerVpcCidr (a /16 to /28 range), is public" for the internet;
          // "... covers the source" for a CIDR or an endpoint.
          // The internet (public addresses, less the VPC's own) is asked as public addresses only.
          const what = noAddresses(subtractAddresses(peer, PUBLIC_ADDRESSES)) ? 'is public' : `covers the ${rule.direction === 'ingress' ? 'source' : 'destination'}`;
          assumptions.push(`${rule.resource} at ${fmt(rule.location)}: its ${end}, ${d.subject} (${d.description}), ${what}`);
        } else assumptions.push(`${rule.resource} at ${fmt(rule.location)}: the ${end} is not known (${p.unknown})`);
        break;
      }
      case 'invalid':
        return { assumptions: [] };
    }
    if (noAddresses(addrs)) return { assumptions: [] };
    const set = intersect(shape, anyTrafficFrom(addrs));
    if (isEmpty(set)) return { assumptions: [] };
    return shapeKnown && peerKnown && assumptions.length === 0 ? { definite: set, assumptions } : { possible: set, assumptions };
  }
}

/** The AWS-managed list a rule's prefix-list peer names (by data source, gateway endpoint or published id). */
export function managedListOf(peer: Rule['peer'], network: Network): ManagedPrefixList | undefined {
  if (peer.kind !== 'prefixList') return undefined;
  // One of several values (a list id per region): managed when every one is the same managed list.
  if (peer.ref instanceof Unknown) {
    const lists = peer.ref.domain?.values?.map((v) => managedById(v) ?? managedByName(v));
    const first = lists?.[0];
    return first && lists.every((l) => l?.name === first.name) ? first : undefined;
  }
  const id = peer.ref instanceof ResourceRef ? peer.ref.address : peer.ref;
  return network.prefixLists.find((x) => x.id === id)?.managed ?? (typeof peer.ref === 'string' ? managedById(peer.ref) : undefined);
}

/** The other end is an endpoint of the scan: it is in some group (known or not). The internet and outside CIDRs are in none. */
function isEndpoint(who: Membership): boolean {
  return who.groups.size > 0 || who.unknown.length > 0;
}

/**
 * "tcp/22 from 0.0.0.0/0". With the network, a prefix list whose id is one of several (a row per
 * region) that all are one managed list reads as that list, not as "a prefix list that is not known".
 */
export function ruleSummary(rule: Rule, network?: Network, words: 'message' | 'key' = 'message'): string {
  const proto = protocolName(rule.protocol);
  const ports = rule.ports.kind === 'all' && (rule.protocol.kind === 'number' && (rule.protocol.number === TCP || rule.protocol.number === UDP)) ? '/0-65535' : rule.ports.kind === 'range' ? (rule.ports.from === rule.ports.to ? `/${rule.ports.from}` : `/${rule.ports.from}-${rule.ports.to}`) : rule.ports.kind === 'icmp' ? `/${rule.ports.type}:${rule.ports.code}` : '';
  const managed = network && rule.peer.kind === 'prefixList' && rule.peer.ref instanceof Unknown ? managedListOf(rule.peer, network) : undefined;
  // In keys (fingerprints) a CIDR is the CIDR: where it comes from is wording, not identity.
  const peer = managed ? `prefix list ${managed.name}` : words === 'key' && rule.peer.kind === 'cidr' ? rule.peer.cidr : describePeer(rule.peer);
  return `${proto}${ports} ${rule.direction === 'ingress' ? 'from' : 'to'} ${peer}`;
}
