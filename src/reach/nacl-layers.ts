import { Unknown } from '../model/value.js';
import type { Endpoint, Nacl, NaclEntry, Subnet } from '../network/model.js';
import type { IntervalSet } from '../sets/interval.js';
import { allowedByNacl } from '../sets/nacl.js';
import { type Addresses, ALL_ADDRESSES, anyTrafficFrom, covering, meeting, readdress, withReturnLeg } from '../sets/setops.js';
import { ALL_TRAFFIC, NO_TRAFFIC, trafficOf, type TrafficSet } from '../sets/traffic.js';
import { fmt, layer } from './layer.js';
import { naclBlocker, naclHops } from './nacl-hops.js';
import type { Layer } from './types.js';
import { firstAddress, isPortProtocol, witnessText } from './witness.js';
import { append } from '../model/arrays.js';

// The network-ACL layers of a question, one per subnet boundary and direction. NACLs are stateless:
// a request crosses one direction of each subnet's ACL on its way, and the reply the other.
// Sets are in the engine's space (protocol × destination port × the address the question speaks of).

export class NaclLayers {
  private readonly cache = new Map<string, { set: TrafficSet; problems: string[] }>();
  private readonly entryMemo = new Map<NaclEntry, TrafficSet | null>();

  constructor(
    private readonly nacls: ReadonlyMap<string, Nacl>,
    /** Client ports replies go back to. */
    readonly ephemeral: IntervalSet,
  ) {}

  /** "1024-65535". */
  get ephemeralText(): string {
    return `${this.ephemeral[0]?.lo}-${this.ephemeral[0]?.hi}`;
  }

  private get replyPort(): number {
    return Number(this.ephemeral[0]?.lo ?? 1024n);
  }

  readonly entryTraffic = (e: NaclEntry): TrafficSet | null => {
    let t = this.entryMemo.get(e);
    if (t === undefined) {
      const x = typeof e.cidr === 'string' ? trafficOf(e.protocol, e.ports, e.cidr) : null;
      t = x && !('notAddressSet' in x) ? x : null;
      this.entryMemo.set(e, t);
    }
    return t;
  };

  of(s: Subnet | undefined): Nacl | Unknown {
    if (!s) return new Unknown('the subnet is not known');
    if (typeof s.nacl !== 'string') return s.nacl;
    return this.nacls.get(s.nacl) ?? new Unknown(`network ACL ${s.nacl} is not in the scan`);
  }

  /** First-match allowed set of one direction, with problems (unknown entries) named. */
  set(n: Nacl, dir: 'ingress' | 'egress'): { set: TrafficSet; problems: string[] } {
    const k = `${n.id}\u0000${dir}`;
    const cached = this.cache.get(k);
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
      append(problems, r.problems.map((p) => `${dir} rule ${p.ruleNumber} of ${n.id}: ${p.reason}`));
      r = allowedByNacl(entries.filter((e) => !bad.has(e.ruleNumber)));
    }
    const result = { set: r.ok ? r.allowed : NO_TRAFFIC, problems };
    this.cache.set(k, result);
    return result;
  }

  /** Requests into the destination's subnet, from the client addresses. */
  inLayer(s: Subnet | undefined, dest: Endpoint): Layer {
    const n = this.of(s);
    if (n instanceof Unknown) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the network ACL of ${dest.id}'s subnet is not known (${n})`]);
    const { set, problems } = this.set(n, 'ingress');
    return layer(problems.length ? NO_TRAFFIC : set, problems.length ? ALL_TRAFFIC : NO_TRAFFIC, problems, [naclBlocker(n, 'ingress', 'inbound traffic', s!)], (w) =>
      naclHops(this.entryTraffic, n, 'ingress', w, w.port, `inbound ${witnessText(w)}`),
    );
  }

  /** Replies leave the destination's subnet towards the client's ephemeral ports. */
  returnLayer(s: Subnet | undefined, dest: Endpoint): Layer {
    const n = this.of(s);
    if (n instanceof Unknown) return layer(NO_TRAFFIC, ALL_TRAFFIC, [`the network ACL of ${dest.id}'s subnet is not known (${n})`]);
    const { set, problems } = this.set(n, 'egress');
    const definite = problems.length ? NO_TRAFFIC : withReturnLeg(ALL_TRAFFIC, set, this.ephemeral);
    return layer(definite, problems.length ? ALL_TRAFFIC : NO_TRAFFIC, problems, [naclBlocker(n, 'egress', `replies to client ports ${this.ephemeralText}`, s!)], (w) =>
      naclHops(this.entryTraffic, n, 'egress', w, isPortProtocol(w.protocol) ? this.replyPort : w.port, `replies${isPortProtocol(w.protocol) ? ` to client ports ${this.ephemeralText}` : ''}`),
    );
  }

  /**
   * A subnet the traffic leaves, towards `far` (the other end's addresses), seen from `near` (the
   * addresses of the question's space): requests out of the subnet, replies back in. `label` names
   * the subnet's role in hops and blockers ("the source subnet", "the NAT subnet").
   */
  leavingLayers(s: Subnet | undefined, far: Addresses, near: Addresses, label: string): Layer[] {
    const n = this.of(s);
    if (n instanceof Unknown) return [layer(NO_TRAFFIC, ALL_TRAFFIC, [`the network ACL of ${label} is not known (${n})`])];
    const out = this.set(n, 'egress');
    const back = this.set(n, 'ingress');
    const outLayer = out.problems.length
      ? layer(NO_TRAFFIC, ALL_TRAFFIC, out.problems)
      : layer(readdress(out.set, covering(far), near), readdress(out.set, meeting(far), near), [], [naclBlocker(n, 'egress', label === 'the source subnet' ? 'outbound requests' : `outbound requests from ${label}`, s!)], (w) =>
          naclHops(this.entryTraffic, n, 'egress', { ...w, address: firstAddress(far, w.family) }, w.port, `outbound ${witnessText(w)} from ${label}`),
        );
    const ok = withReturnLeg(anyTrafficFrom(far), back.set, this.ephemeral);
    const backLayer = back.problems.length
      ? layer(NO_TRAFFIC, ALL_TRAFFIC, back.problems)
      : layer(readdress(ok, covering(far), near), readdress(ok, meeting(far), near), [], [naclBlocker(n, 'ingress', label === 'the source subnet' ? 'replies coming back' : `replies coming back into ${label}`, s!)], (w) =>
          naclHops(this.entryTraffic, n, 'ingress', { ...w, address: firstAddress(far, w.family) }, isPortProtocol(w.protocol) ? this.replyPort : w.port, `replies back into ${label}`),
        );
    return [outLayer, backLayer];
  }

  /**
   * Out of a subnet towards outside addresses, in destination-address space: requests out, replies
   * back in to the client ports.
   */
  outboundLayers(s: Subnet | undefined, label: string | undefined, unknownLabel: string): Layer[] {
    const n = this.of(s);
    if (n instanceof Unknown) return [layer(NO_TRAFFIC, ALL_TRAFFIC, [`the network ACL of ${unknownLabel} is not known (${n})`])];
    const out = this.set(n, 'egress');
    const back = this.set(n, 'ingress');
    const of = label ? ` from ${label}` : '';
    return [
      layer(out.problems.length ? NO_TRAFFIC : out.set, out.problems.length ? ALL_TRAFFIC : NO_TRAFFIC, out.problems, [naclBlocker(n, 'egress', `outbound traffic${of}`, s!)], (w) =>
        naclHops(this.entryTraffic, n, 'egress', w, w.port, `outbound ${witnessText(w)}${of}`),
      ),
      layer(back.problems.length ? NO_TRAFFIC : withReturnLeg(ALL_TRAFFIC, back.set, this.ephemeral), back.problems.length ? ALL_TRAFFIC : NO_TRAFFIC, back.problems, [naclBlocker(n, 'ingress', `replies coming back${label ? ` into ${label}` : ''}`, s!)], (w) =>
        naclHops(this.entryTraffic, n, 'ingress', w, isPortProtocol(w.protocol) ? this.replyPort : w.port, `replies back in${label ? `to ${label}` : ''}`),
      ),
    ];
  }

  /**
   * A subnet traffic enters from `near` addresses (a NAT gateway's subnet, entered by the source's
   * requests): requests in, replies out to `near`'s ephemeral ports; in destination-address space.
   */
  enteringLayers(s: Subnet | undefined, near: Addresses, label: string): Layer[] {
    const n = this.of(s);
    if (n instanceof Unknown) return [layer(NO_TRAFFIC, ALL_TRAFFIC, [`the network ACL of ${label} is not known (${n})`])];
    const inn = this.set(n, 'ingress');
    const out = this.set(n, 'egress');
    const inLayer = inn.problems.length
      ? layer(NO_TRAFFIC, ALL_TRAFFIC, inn.problems)
      : layer(readdress(inn.set, covering(near), ALL_ADDRESSES), readdress(inn.set, meeting(near), ALL_ADDRESSES), [], [naclBlocker(n, 'ingress', `requests into ${label}`, s!)], (w) =>
          naclHops(this.entryTraffic, n, 'ingress', { ...w, address: firstAddress(near, w.family) }, w.port, `${witnessText(w)} into ${label}`),
        );
    const ok = withReturnLeg(anyTrafficFrom(near), out.set, this.ephemeral);
    const outLayer = out.problems.length
      ? layer(NO_TRAFFIC, ALL_TRAFFIC, out.problems)
      : layer(readdress(ok, covering(near), ALL_ADDRESSES), readdress(ok, meeting(near), ALL_ADDRESSES), [], [naclBlocker(n, 'egress', `replies out of ${label}`, s!)], (w) =>
          naclHops(this.entryTraffic, n, 'egress', { ...w, address: firstAddress(near, w.family) }, isPortProtocol(w.protocol) ? this.replyPort : w.port, `replies out of ${label}`),
        );
    return [inLayer, outLayer];
  }
}
