// Values as the front ends evaluate them. Terraform and CloudFormation share this representation so
// that "unknown" is carried the same way through both: a value that cannot be resolved statically is
// an `Unknown` with the reasons why, never silently dropped or guessed.

/** A value that cannot be known before deployment, with every reason that made it so. */
export class Unknown {
  readonly reasons: readonly string[];
  constructor(reasons: string | readonly string[]) {
    const list = typeof reasons === 'string' ? [reasons] : reasons;
    this.reasons = [...new Set(list)];
  }
  /** Combine the reasons of several unknowns (e.g. both operands of `a + b`). */
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
