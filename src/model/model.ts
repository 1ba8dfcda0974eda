import type { SourceLocation } from './location.js';
import type { Peer } from './peer.js';
import type { PortSpec } from './ports.js';
import type { Protocol } from './protocol.js';
import type { Unknown, Value } from './value.js';
import { append } from './arrays.js';

// The shared rule model. Both front ends produce exactly this; checks and reachability read only this.

export type Direction = 'ingress' | 'egress';
export type SourceFormat = 'terraform' | 'terraform-plan' | 'cloudformation';

export interface SecurityGroup {
  /**
   * The root module folder or template file this belongs to. Addresses and logical IDs are unique
   * only within one scope (two templates may both define `WebSG`), so lookups key on scope + address.
   * Set by the pipeline.
   */
  scope?: string;
  /** Terraform address (`module.web.aws_security_group.this[0]`) or CloudFormation logical ID. */
  address: string;
  format: SourceFormat;
  /** `aws_security_group`, `aws_default_security_group`, `AWS::EC2::SecurityGroup`, ... */
  resourceType: string;
  name?: string | Unknown;
  namePrefix?: string | Unknown;
  description?: string | Unknown;
  /** VPC reference or id, when given. */
  vpc?: Value;
  /** The VPC's default group (aws_default_security_group). */
  isDefault: boolean;
  location: SourceLocation;
  /** Terraform module call chain, outermost first; empty at the root. */
  via: SourceLocation[];
  /** Lines of attributes checks may point at (`description`, `name`, `egress`, ...). */
  attributeLines: Record<string, number>;
  /** Rules were written both inline and as standalone resources (Terraform warns the two fight). */
  mixesInlineAndStandalone: boolean;
  /** Set when the group exists only under a condition (unknown count/for_each, CloudFormation Condition). */
  condition?: Unknown;
  /** Extra facts per front end, e.g. `{ "aws:cdk:path": "Stack/Web/SG" }`. */
  metadata: Record<string, string>;
}

export interface Rule {
  /**
   * The root module folder or template file this belongs to. Addresses and logical IDs are unique
   * only within one scope (two templates may both define `WebSG`), so lookups key on scope + address.
   * Set by the pipeline.
   */
  scope?: string;
  /** Unique id in the model: `${group}/ingress/0`, or the standalone rule's address (+ `#n` per peer). */
  id: string;
  /** Address of the group the rule belongs to (may name a group not in the scan). */
  group: string;
  direction: Direction;
  protocol: Protocol;
  ports: PortSpec;
  peer: Peer;
  description?: string | Unknown;
  /** Raw from/to as written, for hygiene checks and messages. */
  fromPort?: Value;
  toPort?: Value;
  /** How it was written. `implicit` is the platform's default allow-all egress. */
  origin: 'inline' | 'standalone' | 'implicit';
  /** Address of the resource that declares the rule (the group for inline rules). */
  resource: string;
  resourceType: string;
  location: SourceLocation;
  via: SourceLocation[];
  /** Lines of attributes inside the rule (`cidr_blocks`, `from_port`, `CidrIp`, ...). */
  attributeLines: Record<string, number>;
  condition?: Unknown;
  /**
   * The choices under which this rule exists, when the front end evaluated several (a parameter's
   * AllowedValues, an undecided condition): e.g. ["AdminCidr = 0.0.0.0/0", "condition IsProd is true"].
   * Absent when the rule exists whatever is chosen.
   */
  assumptions?: string[];
  /** Extra facts per front end, e.g. `{ "aws:cdk:path": "Stack/Web/SG/Resource" }`. */
  metadata?: Record<string, string>;
}

/** Anything else the reachability engine needs (VPCs, subnets, instances, load balancers, ...). */
export interface NetworkResource {
  /**
   * The root module folder or template file this belongs to. Addresses and logical IDs are unique
   * only within one scope (two templates may both define `WebSG`), so lookups key on scope + address.
   * Set by the pipeline.
   */
  scope?: string;
  address: string;
  format: SourceFormat;
  resourceType: string;
  location: SourceLocation;
  via: SourceLocation[];
  /** Evaluated attributes as far as they are known. */
  attributes: Record<string, Value>;
  /**
   * 1-based lines of attributes, by key. A top-level attribute or nested block by its name
   * (`cidr_block`; `route` is the first `route` block). Items of a nested block list or of a list
   * of objects, when the front end knows them: `route[1]` (the item at index 1 of
   * `attributes.route`), `route[1].cidr_block` (an attribute inside it), nesting further the same
   * way (`vpc_config[0].subnet_ids`). Absent keys fall back to the shorter one, then the resource.
   */
  attributeLines: Record<string, number>;
  condition?: Unknown;
  metadata: Record<string, string>;
}

/**
 * resourceType of a NetworkResource that records a value exported out of the scan: a root module
 * `output` (address `output.NAME`), a CloudFormation output (address `Outputs.NAME`, with or without
 * Export). Its attributes hold the exported value (`value` / `Value`), whose ResourceRefs name what
 * is used outside the scan, e.g. a security group that SGS022 must then not call unattached.
 * Front ends add one only when the value names a security group of the scan.
 */
export const OUTPUT_RESOURCE_TYPE = 'output';

export interface ScanError {
  file: string;
  /** 1-based line, when known. */
  line?: number;
  message: string;
}

/** Something the scan could not fully understand; not an error, but never silent. */
export interface CoverageNotice {
  file: string;
  line?: number;
  message: string;
}

export interface Model {
  groups: SecurityGroup[];
  rules: Rule[];
  resources: NetworkResource[];
  errors: ScanError[];
  notices: CoverageNotice[];
  /** Files that were read, relative paths. */
  files: string[];
  /**
   * Files read whose text never says "sgscan", so holds no inline suppression: suppression need not
   * read them again (absent: it reads every file).
   */
  quiet?: string[];
}

export function emptyModel(): Model {
  return { groups: [], rules: [], resources: [], errors: [], notices: [], files: [] };
}

/** Key of an item within the whole scan: scope and address (see `scope`). */
export function scopedKey(scope: string | undefined, address: string): string {
  return `${scope ?? ''}\u0000${address}`;
}

/** Stamp the scope on everything a front end produced for one root module or template. */
export function withScope(m: Model, scope: string): Model {
  for (const g of m.groups) g.scope ??= scope;
  for (const r of m.rules) r.scope ??= scope;
  for (const x of m.resources) x.scope ??= scope;
  return m;
}

/** Merge per-file or per-module results into one model (order preserved). */
export function mergeModels(parts: Model[]): Model {
  const m = emptyModel();
  for (const p of parts) {
    append(m.groups, p.groups);
    append(m.rules, p.rules);
    append(m.resources, p.resources);
    append(m.errors, p.errors);
    append(m.notices, p.notices);
    append(m.files, p.files);
    if (p.quiet) append((m.quiet ??= []), p.quiet);
  }
  return m;
}
