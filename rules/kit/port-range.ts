import { conditionOf, describeRuleTraffic, groupsByAddress, ruleKey, ruleSubject } from './security-group.js';
import type { Report } from '../../src/model/check.js';
import type { Direction, Model } from '../../src/model/model.js';
import { hasPorts, protocolName } from '../../src/model/protocol.js';
import { describePeer } from '../../src/model/peer.js';

// SGS044 (ingress) and SGS045 (egress): cfn_nag's W27 and W29. A tcp or udp rule for more than one
// port. Protocol -1 is not a port range but all traffic (SGS002, SGS013, SGS009 report it), and ICMP
// or port-less protocols have no ports at all: cfn_nag compares FromPort with ToPort whatever the
// protocol (an ICMP rule with type 8 and code 0 is a "range" to it), which AWS does not read as ports.

/** Port-range findings of one direction: every tcp/udp rule written for more than one port. */
export function portRangeReports(model: Model, direction: Direction): Report[] {
  const groups = groupsByAddress(model);
  const reports: Report[] = [];
  for (const rule of model.rules) {
    if (rule.direction !== direction || rule.origin === 'implicit') continue;
    const p = rule.protocol;
    // A protocol that is not known may be tcp: its range as written counts, said to depend on it.
    const unknownProtocol = p.kind === 'unknown';
    if (!unknownProtocol && !hasPorts(p)) continue;
    const assumptions = [...conditionOf(rule, groups.of(rule)).assumptions];
    if (unknownProtocol) assumptions.push(`the protocol is unknown: ${p.unknown}`);
    const ports = rule.ports;
    if (ports.kind === 'range' && ports.from === ports.to) continue;
    if (ports.kind === 'icmp' || ports.kind === 'invalid') continue;
    if (ports.kind === 'unknown') assumptions.push(`the port range is unknown: ${ports.unknown}`);
    const count = ports.kind === 'range' ? ports.to - ports.from + 1 : ports.kind === 'all' ? 65536 : undefined;
    const toFrom = direction === 'ingress' ? 'from' : 'to';
    const what = unknownProtocol ? `protocol ${protocolName(p)} with ${ports.kind === 'range' ? `ports ${ports.from}-${ports.to}` : 'unknown ports'}` : describeRuleTraffic(rule);
    reports.push({
      message:
        `${ruleSubject(rule)} allows ${what} ${toFrom} ${describePeer(rule.peer)}: ` +
        (count === undefined ? 'possibly a port range' : `a range of ${count} ports`) +
        ` instead of the ${direction === 'ingress' ? 'ports the service listens on' : 'ports the destination serves'}.`,
      location: rule.location,
      via: rule.via,
      resource: rule.resource,
      key: ruleKey(rule),
      certainty: assumptions.length ? 'possible' : 'definite',
      assumptions,
    });
  }
  return reports;
}
