// Well-known services behind ports that checks name in messages ("SSH (tcp/22)"). Only for display:
// a port is matched by number, never by name.

const SERVICE_NAMES: Record<number, string> = {
  20: 'FTP data',
  21: 'FTP',
  22: 'SSH',
  23: 'Telnet',
  25: 'SMTP',
  53: 'DNS',
  80: 'HTTP',
  110: 'POP3',
  135: 'MSRPC',
  139: 'NetBIOS',
  143: 'IMAP',
  443: 'HTTPS',
  445: 'SMB',
  1433: 'SQL Server',
  1434: 'SQL Server Browser',
  1521: 'Oracle',
  2375: 'Docker API',
  2376: 'Docker API (TLS)',
  2379: 'etcd',
  2380: 'etcd peer',
  3306: 'MySQL',
  3389: 'RDP',
  4333: 'mSQL',
  5432: 'PostgreSQL',
  5500: 'VNC',
  5601: 'Kibana',
  5900: 'VNC',
  5984: 'CouchDB',
  6379: 'Redis',
  7000: 'Cassandra',
  7001: 'Cassandra (TLS)',
  8020: 'HDFS NameNode',
  8086: 'InfluxDB',
  8888: 'HTTP alt',
  9042: 'Cassandra CQL',
  9092: 'Kafka',
  9200: 'Elasticsearch',
  9300: 'Elasticsearch transport',
  11211: 'Memcached',
  27017: 'MongoDB',
  27018: 'MongoDB',
};

/** Remote administration: SSH and RDP over tcp; RDP also runs over udp 3389 (RDP 8.0 UDP transport). */
export const ADMIN_TCP_PORTS: readonly number[] = [22, 3389];
export const ADMIN_UDP_PORTS: readonly number[] = [3389];

/**
 * Databases, caches, message brokers, file sharing, remote desktops and cleartext protocols that are
 * routinely scanned for. SSH and RDP are in the admin lists above.
 */
export const HIGH_RISK_TCP_PORTS: readonly number[] = [
  20, 21, 23, 25, 110, 135, 139, 143, 445, 1433, 1434, 1521, 2375, 2376, 2379, 2380, 3306, 4333, 5432, 5500,
  5601, 5900, 5984, 6379, 7000, 7001, 8020, 8086, 8888, 9042, 9092, 9200, 9300, 11211, 27017, 27018,
];
/** SQL Server Browser and memcached answer on udp too (the latter a known amplification vector). */
export const HIGH_RISK_UDP_PORTS: readonly number[] = [1434, 11211];

export function serviceName(port: number): string | undefined {
  return SERVICE_NAMES[port];
}

/** One protocol/port pair that a rule admits. */
export interface ServicePort {
  protocol: 'tcp' | 'udp';
  port: number;
}

/** "SSH (tcp/22)", "RDP (tcp/3389, udp/3389)", "tcp/8443": ports in order, protocols grouped per port. */
export function describeServices(list: readonly ServicePort[]): string {
  const byPort = new Map<number, string[]>();
  for (const s of [...list].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol))) {
    const protos = byPort.get(s.port) ?? [];
    if (!protos.includes(s.protocol)) protos.push(s.protocol);
    byPort.set(s.port, protos);
  }
  const parts = [...byPort].map(([port, protos]) => {
    const pp = protos.map((p) => `${p}/${port}`).join(', ');
    const name = serviceName(port);
    return name ? `${name} (${pp})` : pp;
  });
  return joinList(parts);
}

/** "a", "a and b", "a, b and c". */
export function joinList(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
