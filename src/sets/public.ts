import { addressesOf, ALL_ADDRESSES, type Addresses, subtractAddresses } from './setops.js';

// The public address space: where an internet client can be. Private (RFC 1918), shared (RFC 6598),
// loopback, "this network", link-local, multicast and reserved IPv4 space, and IPv6 loopback,
// unspecified, unique-local, link-local and multicast space are never the source of a connection
// from the internet: a packet from 10.0.0.5 does not arrive through an internet gateway. The
// documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) stay public:
// examples and tests use them as public clients.

export const NON_PUBLIC_CIDRS: readonly string[] = [
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8', // RFC 1918
  '100.64.0.0/10', // shared address space (carrier-grade NAT), RFC 6598
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local
  '172.16.0.0/12', // RFC 1918
  '192.168.0.0/16', // RFC 1918
  '224.0.0.0/3', // multicast, reserved, broadcast
  '::/128', // unspecified
  '::1/128', // loopback
  'fc00::/7', // unique local
  'fe80::/10', // link-local
  'ff00::/8', // multicast
];

export const NON_PUBLIC_ADDRESSES: Addresses = addressesOf(NON_PUBLIC_CIDRS);

/** Every address an internet client may have. */
export const PUBLIC_ADDRESSES: Addresses = subtractAddresses(ALL_ADDRESSES, NON_PUBLIC_ADDRESSES);
