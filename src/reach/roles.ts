import * as iv from '../sets/interval.js';
import { TCP, UDP } from '../model/protocol.js';
import type { Endpoint, PortRange } from '../network/model.js';
import { portsText } from '../network/kinds.js';
import { ALL_ADDRESSES, serviceFrom } from '../sets/setops.js';
import { ALL_TRAFFIC, NO_TRAFFIC, type TrafficSet, unionAll } from '../sets/traffic.js';
import { blockerAt, layer } from './layer.js';
import type { Layer } from './types.js';

// The destination's and the source's kinds as layers (src/network/kinds.ts): a database answers on
// its engine port only, an EC2 Instance Connect Endpoint on none; an interface VPC endpoint opens no
// connection, a load balancer opens them to its targets only.

/** Ports as traffic from every address. */
export function portsTraffic(ports: readonly PortRange[]): TrafficSet {
  return unionAll(ports.map((p) => serviceFrom(p.protocol === 'tcp' ? TCP : UDP, iv.range(p.from, p.to), ALL_ADDRESSES)));
}

/** What the destination answers on; undefined when whatever its groups admit (or its listeners). */
export function servesLayer(dest: Endpoint): Layer | undefined {
  const s = dest.role.serves;
  switch (s.kind) {
    case 'any':
    case 'listeners':
      return undefined;
    case 'none':
      return layer(NO_TRAFFIC, NO_TRAFFIC, [], [blockerAt(dest.location, `${dest.id} is ${dest.role.what}: it accepts no connections`)]);
    case 'unknown':
      return layer(NO_TRAFFIC, ALL_TRAFFIC, [`${dest.id} answers on the port (it is ${dest.role.what})`]);
    case 'ports': {
      const t = portsTraffic(s.ports);
      const blocker = blockerAt(dest.location, `${dest.id} (${s.service}) answers on ${portsText(s.ports)} only (${s.reason})`);
      return s.known ? layer(t, NO_TRAFFIC, [], [blocker]) : layer(NO_TRAFFIC, t, [`${dest.id} answers on the port (${s.reason})`], [blocker]);
    }
  }
}

/** Whether the source opens connections to the destination; undefined when it opens any. */
export function opensLayer(src: Endpoint, dest: Endpoint): Layer | undefined {
  const o = src.role.opens;
  switch (o.kind) {
    case 'any':
      return undefined;
    case 'none':
      return layer(NO_TRAFFIC, NO_TRAFFIC, [], [blockerAt(src.location, `${src.id} is ${src.role.what}: it opens no connections`)]);
    case 'unknown':
      return layer(NO_TRAFFIC, ALL_TRAFFIC, [`${src.id} opens connections (it is ${src.role.what})`]);
    case 'databases':
      return dest.kind === 'db' || dest.kind === 'db-cluster' ? undefined : layer(NO_TRAFFIC, NO_TRAFFIC, [], [blockerAt(src.location, `${src.id} is ${src.role.what}: it opens connections only to its databases`)]);
    case 'targets': {
      const targets = src.listeners.flatMap((l) => l.targets);
      if (targets.includes(dest.id)) return undefined;
      const maybe = targets.some((t) => typeof t !== 'string');
      const blocker = blockerAt(src.location, `${src.id} is ${src.role.what}: it opens connections only to its targets, and ${dest.id} is not one`);
      return maybe ? layer(NO_TRAFFIC, ALL_TRAFFIC, [`${dest.id} is a target of ${src.id} (a target is not known)`], [blocker]) : layer(NO_TRAFFIC, NO_TRAFFIC, [], [blocker]);
    }
    case 'vpc': {
      const t = portsTraffic(o.ports);
      const blocker = blockerAt(src.location, `${src.id} is ${src.role.what}: it opens ${portsText(o.ports)} only, to resources in its own VPC`);
      if (typeof src.vpc === 'string' && typeof dest.vpc === 'string') return src.vpc === dest.vpc ? layer(t, NO_TRAFFIC, [], [blocker]) : layer(NO_TRAFFIC, NO_TRAFFIC, [], [blocker]);
      return layer(NO_TRAFFIC, t, [`${dest.id} is in the VPC of ${src.id}`], [blocker]);
    }
  }
}
