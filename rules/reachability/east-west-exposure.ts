import type { Check, Report } from '../../src/model/check.js';
import { compactServices, eastWestExposures } from '../../src/reach/east-west.js';
import type { Endpoint } from '../../src/network/model.js';
import { reachContext, pathText } from '../../src/reach/exposure.js';

/** A kind sgscan does not know says so, wherever it is named. */
function named(e: Endpoint): string {
  return e.role.serves.kind === 'unknown' ? `${e.id} (${e.role.what})` : e.id;
}

export const check: Check = {
  meta: {
    id: 'SGS041',
    name: 'east-west-exposure',
    severity: 'info',
    shortDescription: 'Which resources can reach which on administration and database ports inside the network',
    fullDescription:
      'For every resource that answers on an administration port (SSH, RDP) or a database or cache port, the ' +
      'other resources in the scan that can open a connection to it: security group membership (a rule naming a ' +
      "group admits that group's members), the source's egress rules, NACLs both ways between different " +
      'subnets, and routes (same VPC, or a peering connection joining the two VPCs; peering is not transitive). ' +
      'Only administration ports (SSH tcp/22, RDP tcp/udp 3389) and database or cache ports (SQL Server, ' +
      'Oracle, MySQL, PostgreSQL, Redis, Memcached, MongoDB, Cassandra, Elasticsearch, etcd, ...) are reported; ' +
      'a database or other data store is asked about on its own port (its port setting, else its engine: ' +
      'aurora-postgresql 5432, aurora-mysql 3306, ...). Only resources that open connections are sources (not ' +
      'databases, interface VPC endpoints or Lambda as servers; a load balancer only to its targets, an EC2 ' +
      'Instance Connect Endpoint only SSH/RDP to its VPC), and a DB cluster stands for its member instances. ' +
      'the message names at most three of them ("tcp/22 (SSH), tcp/5432 (PostgreSQL) and 12 more"). ' +
      'Informational: it maps lateral movement paths, it does not judge them.',
    remediation: 'Narrow the group references so only the resources that need a database or shell can open one.',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "db_from_app" {',
      '  security_group_id            = aws_security_group.db.id',
      '  referenced_security_group_id = aws_security_group.app.id # only the app tier',
      '  ip_protocol                  = "tcp"',
      '  from_port                    = 5432',
      '  to_port                      = 5432',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'DbFromApp:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref DbSecurityGroup',
      '    SourceSecurityGroupId: !Ref AppSecurityGroup # only the app tier',
      '    IpProtocol: tcp',
      '    FromPort: 5432',
      '    ToPort: 5432',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'lateral-movement', 'reachability'],
    references: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
  },
  run(model) {
    const reach = reachContext(model);
    return reach.parts.flatMap((p) => eastWestExposures(p.engine)).map(
      (x): Report => ({
        message: `${named(x.source)} ${x.verdict === 'reachable' ? 'can' : 'may'} reach ${named(x.dest)} on ${compactServices(x.services)}${x.path.length ? `; path: ${pathText(x.path)}` : ''}`,
        location: x.dest.location,
        via: x.dest.via,
        resource: x.dest.id,
        key: `from ${x.source.id} ${x.service}`,
        certainty: x.verdict === 'reachable' ? 'definite' : 'possible',
        assumptions: x.assumptions,
        path: x.path,
      }),
    );
  },
};
