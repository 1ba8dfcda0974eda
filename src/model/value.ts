// Values as the front ends evaluate them. Terraform and CloudFormation share this representation so
// that "unknown" is carried the same way through both: a value that cannot be resolved statically is
// an `Unknown` with the reasons why, never silently dropped or guessed.

/**
 * What a value that is not known can still be, when its declaration constrains it: a CloudFormation
 * parameter's type, AllowedValues, AllowedPattern, MinLength/MaxLength; a Terraform variable's
 * validation. The front ends build it; checks and the engine only ask it.
 */
export interface Domain {
  /** Whose value it is, for messages: "parameter PeerVpcCidr", "var.peer_cidr". */
  readonly subject: string;
  /** The constraint in a reviewer's words ("a /16 to /28 range", "a security group id"), when there are short ones. */
  readonly description?: string;
  /** The value is a list, and the constraint holds for each element (`!Select` of it keeps the domain). */
  readonly list: boolean;
  /** Can the value (each element, for a list) be this text? */
  admits(text: string): boolean;
  /** Can it be a CIDR of the whole address space, 0.0.0.0/0 or ::/0, in any spelling? */
  readonly mayBeWorld: boolean;
}

/** A value that cannot be known before deployment, with every reason that made it so. */
export class Unknown {
  readonly reasons: readonly string[];
  constructor(
    reasons: string | readonly string[],
    /** What it can still be; absent: anything. Lost when unknowns are combined. */
    readonly domain?: Domain,
  ) {
    const list = typeof reasons === 'string' ? [reasons] : reasons;
    this.reasons = [...new Set(list)];
  }
  /** Combine the reasons of several unknowns (e.g. both operands of `a + b`); the result may be anything. */
  static merge(...parts: Unknown[]): Unknown {
    return new Unknown(parts.flatMap((p) => p.reasons));
  }
  toString(): string {
    return this.reasons.join('; ');
  }
}

/**
 * The identity of a resource declared in the scanned code: `aws_security_group.web.id` or
 * `!GetAtt WebSG.GroupId` both become a ResourceRef, so that a rule naming it is a group-to-group rule.
 */
export class ResourceRef {
  constructor(
    /** Terraform address (`module.x.aws_security_group.web[0]`) or CloudFormation logical ID. */
    readonly address: string,
    /** Attribute that was referenced (`id`, `arn`, `name`, `GroupId`, ...); empty for the resource itself. */
    readonly attribute: string = '',
  ) {}
  toString(): string {
    return this.attribute ? `${this.address}.${this.attribute}` : this.address;
  }
}

export type Value =
  | null
  | boolean
  | number
  | string
  | Unknown
  | ResourceRef
  | Value[]
  | { [key: string]: Value };

/**
 * The name a reviewer knows an unknown by: "var.sg_id", "parameter BastionSg", "data.aws_security_group.x",
 * "Lb.SourceSecurityGroup.GroupName", else its reasons ("imported from another stack: shared-sg").
 */
export function nameOfUnknown(u: Unknown): string {
  if (u.domain) return u.domain.subject;
  if (u.reasons.length === 1) {
    const r = u.reasons[0];
    const m =
      /^(var\.[\w-]+) has no value$/.exec(r) ??
      /^(parameter [\w:]+) (?:has no value|is read from SSM parameter .*)$/.exec(r) ??
      /^data source (data\.[\w-]+\.[\w-]+) is read at apply time$/.exec(r) ??
      /^(\S+) is (?:known only|only known) after (?:deployment|apply)$/.exec(r);
    if (m) return m[1];
  }
  return u.toString();
}

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

export function isRef(v: unknown): v is ResourceRef {
  return v instanceof ResourceRef;
}

export function isObject(v: unknown): v is { [key: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof ResourceRef);
}

/** Human-readable rendering of a value for messages ("0.0.0.0/0", "unknown (var.x has no value)"). */
export function describeValue(v: Value): string {
  if (v instanceof Unknown) return `unknown (${v.toString()})`;
  if (v instanceof ResourceRef) return v.toString();
  if (typeof v === 'string') return v;
  return JSON.stringify(v, (_k, x) => (x instanceof Unknown || x instanceof ResourceRef ? String(x) : x));
}

/**
 * A condition's reason as the clause after "exists only if": "NumberOfSubnets is 2", not "only when
 * NumberOfSubnets is 2" (the branch enumerator words it for being read alone).
 */
export function onlyIf(reason: string): string {
  return reason.replace(/^only (?:when|if) /, '');
}
