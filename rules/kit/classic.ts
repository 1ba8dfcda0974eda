import type { NetworkResource } from '../../src/model/model.js';
import { type Value, isObject } from '../../src/model/value.js';
import { field, items } from '../../src/network/resolve.js';
import { at, type SourceLocation } from '../../src/model/location.js';

// EC2-Classic security groups (RDS DB security groups, Redshift cluster security groups, ElastiCache
// cache security groups): AWS retired EC2-Classic on 2023-08-15, the APIs that create them fail in
// every account (all are VPC-only), and the Terraform AWS provider removed the resources in v5.0.

export interface ClassicType {
  /** "an RDS DB security group" */
  what: string;
  /** The VPC replacement to name in messages. */
  instead: string;
  /** A standalone ingress resource: the property naming its group. */
  groupProperty?: string;
  /** The ingress items: list property (group) or the resource itself (standalone ingress). */
  ingress: 'self' | string;
  /** The CIDR field of an ingress item. */
  cidr: string;
}

export const CLASSIC_TYPES: Readonly<Record<string, ClassicType>> = {
  aws_db_security_group: { what: 'an RDS DB security group', instead: 'an aws_security_group in vpc_security_group_ids', ingress: 'ingress', cidr: 'cidr' },
  aws_redshift_security_group: { what: 'a Redshift cluster security group', instead: 'an aws_security_group in vpc_security_group_ids', ingress: 'ingress', cidr: 'cidr' },
  aws_elasticache_security_group: { what: 'an ElastiCache cache security group', instead: 'an aws_security_group in security_group_ids', ingress: 'none', cidr: 'cidr' },
  'AWS::RDS::DBSecurityGroup': { what: 'an RDS DB security group', instead: 'an AWS::EC2::SecurityGroup in VPCSecurityGroups', ingress: 'DBSecurityGroupIngress', cidr: 'CIDRIP' },
  'AWS::RDS::DBSecurityGroupIngress': { what: 'an RDS DB security group ingress', instead: 'an AWS::EC2::SecurityGroupIngress', groupProperty: 'DBSecurityGroupName', ingress: 'self', cidr: 'CIDRIP' },
  'AWS::Redshift::ClusterSecurityGroup': { what: 'a Redshift cluster security group', instead: 'an AWS::EC2::SecurityGroup in VpcSecurityGroupIds', ingress: 'none', cidr: 'CIDRIP' },
  'AWS::Redshift::ClusterSecurityGroupIngress': { what: 'a Redshift cluster security group ingress', instead: 'an AWS::EC2::SecurityGroupIngress', groupProperty: 'ClusterSecurityGroupName', ingress: 'self', cidr: 'CIDRIP' },
  'AWS::ElastiCache::SecurityGroup': { what: 'an ElastiCache cache security group', instead: 'an AWS::EC2::SecurityGroup in VpcSecurityGroupIds', ingress: 'none', cidr: 'CIDRIP' },
  'AWS::ElastiCache::SecurityGroupIngress': { what: 'an ElastiCache cache security group ingress', instead: 'an AWS::EC2::SecurityGroupIngress', groupProperty: 'CacheSecurityGroupName', ingress: 'self', cidr: 'CIDRIP' },
};

export interface ClassicIngress {
  cidr: Value | undefined;
  location: SourceLocation;
  /** "ingress[0]", or "" for a standalone ingress resource. */
  path: string;
}

/** The ingress items of a Classic group or standalone ingress resource, with their lines. */
export function classicIngress(r: NetworkResource, t: ClassicType): ClassicIngress[] {
  const line = (key: string) => r.attributeLines[key];
  const loc = (l: number | undefined) => (l === undefined ? r.location : at(r.location.file, l));
  if (t.ingress === 'self') return [{ cidr: r.attributes[t.cidr], location: loc(line(t.cidr)), path: '' }];
  if (t.ingress === 'none') return [];
  return items(r.attributes[t.ingress])
    .filter((x): x is Record<string, Value> => isObject(x))
    .map((x, i) => ({
      cidr: field(x, t.cidr),
      location: loc(line(`${t.ingress}[${i}].${t.cidr}`) ?? line(`${t.ingress}[${i}]`) ?? line(t.ingress)),
      path: `${t.ingress}[${i}]`,
    }));
}
