import { at } from '../../src/model/location.js';
import type { Rule } from '../../src/model/model.js';
import { parseCidr } from '../../src/model/peer.js';
import { parsePorts } from '../../src/model/ports.js';
import { parseProtocol } from '../../src/model/protocol.js';

/** A minimal ingress rule as a front end would produce it. */
export function rule(protocol: unknown, from: unknown, to: unknown, cidr: string): Rule {
  const p = parseProtocol(protocol);
  return {
    id: 'sg/ingress/0',
    group: 'aws_security_group.sg',
    direction: 'ingress',
    protocol: p,
    ports: parsePorts(p, from, to),
    peer: parseCidr(cidr),
    origin: 'inline',
    resource: 'aws_security_group.sg',
    resourceType: 'aws_security_group',
    location: at('main.tf', 1),
    via: [],
    attributeLines: {},
  };
}
