// AWS-managed prefix lists: their entries are AWS's to change, but their character is known. They
// hold public, AWS-owned addresses: CloudFront's origin-facing servers (which connect to origins
// over HTTP and HTTPS, for anyone who creates a distribution), Route 53 health checkers, or the
// addresses of AWS services such as S3 and DynamoDB (which never open connections to a VPC).
// A rule naming one admits that source, never "the whole internet".

export interface ManagedPrefixList {
  /** "com.amazonaws.global.cloudfront.origin-facing", "com.amazonaws.us-east-1.s3". */
  name: string;
  /** Words for messages: "CloudFront", "Amazon S3". */
  label: string;
  service: 'cloudfront' | 's3' | 's3express' | 'dynamodb' | 'route53-healthchecks' | 'other';
  /** Whether hosts at these addresses open connections to a VPC (S3 and DynamoDB do not). */
  opensConnections: boolean;
}

/** CloudFront origin-facing list ids by region, as AWS publishes them. */
const CLOUDFRONT_IDS: ReadonlySet<string> = new Set([
  'pl-58a04531', // ap-northeast-1
  'pl-22a6434b', // ap-northeast-2
  'pl-9aa247f3', // ap-south-1
  'pl-31a34658', // ap-southeast-1
  'pl-b8a742d1', // ap-southeast-2
  'pl-38a64351', // ca-central-1
  'pl-a3a144ca', // eu-central-1
  'pl-fab65393', // eu-north-1
  'pl-4fa04526', // eu-west-1
  'pl-93a247fa', // eu-west-2
  'pl-75b1541c', // eu-west-3
  'pl-5da64334', // sa-east-1
  'pl-3b927c52', // us-east-1
  'pl-b6a144df', // us-east-2
  'pl-4ea04527', // us-west-1
  'pl-82a045eb', // us-west-2
]);

export const CLOUDFRONT_ORIGIN_FACING = 'com.amazonaws.global.cloudfront.origin-facing';

/** The managed list a name stands for; undefined for a name that is not AWS's (a customer list). */
export function managedByName(name: string): ManagedPrefixList | undefined {
  const n = name.trim().toLowerCase();
  if (!n.startsWith('com.amazonaws.')) return undefined;
  if (n === CLOUDFRONT_ORIGIN_FACING) return { name: n, label: 'CloudFront', service: 'cloudfront', opensConnections: true };
  const last = n.split('.').at(-1) ?? '';
  if (last === 's3') return { name: n, label: 'Amazon S3', service: 's3', opensConnections: false };
  if (last === 's3express') return { name: n, label: 'Amazon S3 Express', service: 's3express', opensConnections: false };
  if (last === 'dynamodb') return { name: n, label: 'Amazon DynamoDB', service: 'dynamodb', opensConnections: false };
  if (last === 'route53-healthchecks') return { name: n, label: 'Route 53 health checkers', service: 'route53-healthchecks', opensConnections: true };
  return { name: n, label: `AWS-managed prefix list ${n}`, service: 'other', opensConnections: true };
}

/** A literal pl-… id AWS publishes for a managed list (CloudFront origin-facing). */
export function managedById(id: string): ManagedPrefixList | undefined {
  return CLOUDFRONT_IDS.has(id.trim()) ? managedByName(CLOUDFRONT_ORIGIN_FACING) : undefined;
}
