// What a possible internet exposure depends on, as a reviewer would say it: "if parameter SubnetId
// names a public subnet", not the engine's list of unknowns ("a subnet of X is not known (parameter
// SubnetId has no value); the route ... is not known (no subnet); the network ACL ... is not known").
// Pure wording: the engine's assumptions stay as they are in the finding's `assumptions`.

export interface Conditions {
  /** "parameter SubnetId names a public subnet", "its security groups (var.sg) admit it". */
  ifs: string[];
  /** Other unknowns, in the engine's words (internal phrases reworded). */
  rest: string[];
}

/** "var.subnet_id has no value" → "var.subnet_id"; other reasons as written. */
export function subjectOf(reason: string): string | undefined {
  const m =
    /^(var\.[\w-]+) has no value$/.exec(reason) ??
    /^(parameter [\w:]+) (?:has no value|is read from SSM parameter .*)$/.exec(reason) ??
    /^(imported from another stack: .+)$/.exec(reason) ??
    /^(\S+) is (?:known only|only known) after (?:deployment|apply)$/.exec(reason) ??
    /^(\S+) depends on (parameter [\w:]+)/.exec(reason);
  if (!m) return undefined;
  return m[2] ?? m[1];
}

/** An internal phrase in a reviewer's words ("parameter X has no value" → "parameter X is not given"). */
export function reword(text: string): string {
  return text
    .replace(/\b((?:parameter [\w:]+)|(?:var\.[\w-]+)) has no value\b/g, '$1 is not set in the scan')
    .replace(/ is not modelled\b/g, ' is not known to sgscan')
    // "InstanceSecurityGroup at ../corpus/x.json:70: ..." : the finding's path already points there.
    .replace(/(\S+) at \S+:\d+: /g, '$1: ');
}

export function conditionsOf(id: string, assumptions: readonly string[]): Conditions {
  const subnets: string[] = [];
  const ifs: string[] = [];
  const rest: string[] = [];
  let subnetKnownToBeUnknown = false;
  for (const a of assumptions) {
    let m: RegExpExecArray | null;
    if ((m = /^a subnet of (.+?) is not known \((.*)\)$/.exec(a)) && m[1] === id) {
      subnetKnownToBeUnknown = true;
      const who = subjectOf(m[2]);
      if (who) subnets.push(who);
      else ifs.push(`its subnet is public (${reword(m[2])})`);
    } else if ((m = /^subnet (\S+) of (.+?) is not in the scan$/.exec(a)) && m[2] === id) {
      subnetKnownToBeUnknown = true;
      ifs.push(`${m[1].startsWith('subnet-') ? m[1] : `subnet ${m[1]}`} (not in the scan) is public`);
    } else if (a === `${id} names no subnet`) {
      subnetKnownToBeUnknown = true;
      ifs.push(`${id} launches in a public subnet (it names none, so the default VPC's)`);
    } else if ((m = /^(\S+) at \S+: the source is not known \((.*)\)$/.exec(a))) {
      // A rule whose source is a value the scan cannot see: the exposure is its, if it admits the internet.
      const who = subjectOf(m[2]);
      ifs.push(who ? `${who} admits internet addresses (the source of a rule of ${m[1]})` : `the source of a rule of ${m[1]} admits internet addresses (${reword(m[2])})`);
    } else if ((m = /^the security groups of (.+?) are not known \((.*)\)$/.exec(a)) && m[1] === id) {
      ifs.push(`its security groups (${subjectOf(m[2]) ?? reword(m[2])}) admit it`);
    } else rest.push(a);
  }
  if (subnets.length) ifs.unshift(`${[...new Set(subnets)].join(' or ')} ${subnets.length > 1 ? 'name' : 'names'} a public subnet`);
  // What follows from a subnet that is not known goes without saying once that condition is named.
  const implied = (a: string) =>
    subnetKnownToBeUnknown &&
    (a === `the route to the internet from ${id} is not known (no subnet)` ||
      a === `the network ACL of ${id}'s subnet is not known (the subnet is not known)` ||
      (a.startsWith(`${id} has a public IPv4 address (`) && /the subnet default is not known|no subnet|names no subnet/.test(a)));
  const dedupedIfs = [...new Set(ifs)];
  const others = rest.filter((a) => !implied(a)).map((a) => {
    const pub = a.startsWith(`${id} has a public IPv4 address (`) ? `${id} has a public IPv4 address` : undefined;
    if (pub) {
      dedupedIfs.push(`it has a public IPv4 address (${reword(a.slice(pub.length + 2, -1))})`);
      return undefined;
    }
    return reword(a);
  });
  return { ifs: dedupedIfs, rest: others.filter((a): a is string => a !== undefined) };
}

/** ", if A and B" (+ "; not known: C") for a message, or "" when nothing is assumed. */
export function conditionText(id: string, assumptions: readonly string[]): string {
  const c = conditionsOf(id, assumptions);
  const ifs = c.ifs.length ? `, if ${c.ifs.join(' and ')}` : '';
  const rest = c.rest.length ? `${ifs ? '; also' : ','} not known: ${c.rest.join('; ')}` : '';
  return ifs + rest;
}
