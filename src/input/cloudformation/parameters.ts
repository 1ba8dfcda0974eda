import type { Domain } from '../../model/value.js';
import { type Constraint, domainOf, patternConstraint, valuesConstraint } from '../constraints.js';
import { type PNode, child, scalarString } from './node.js';

// What a parameter without a value can still hold: its declaration constrains it. AllowedValues,
// AllowedPattern (a Java regex that must match the whole value; for a CommaDelimitedList, each
// element), MinLength/MaxLength (String only), and the AWS-specific types (`AWS::EC2::VPC::Id`,
// `List<AWS::EC2::SecurityGroup::Id>`, `AWS::SSM::Parameter::Value<...>` of those). The domain
// rides on the parameter's Unknown, so a CIDR parameter that admits only /16 to /28 is never taken
// for 0.0.0.0/0.

/** AWS-specific parameter types whose values are ids of a known shape, never a CIDR. */
const TYPED: Record<string, { re: RegExp; one: string; many: string }> = {
  'AWS::EC2::SecurityGroup::Id': { re: /^sg-[0-9A-Za-z]+$/, one: 'a security group id', many: 'security group ids' },
  'AWS::EC2::VPC::Id': { re: /^vpc-[0-9A-Za-z]+$/, one: 'a VPC id', many: 'VPC ids' },
  'AWS::EC2::Subnet::Id': { re: /^subnet-[0-9A-Za-z]+$/, one: 'a subnet id', many: 'subnet ids' },
  'AWS::EC2::Instance::Id': { re: /^i-[0-9A-Za-z]+$/, one: 'an instance id', many: 'instance ids' },
  'AWS::EC2::Image::Id': { re: /^ami-[0-9A-Za-z]+$/, one: 'an AMI id', many: 'AMI ids' },
  'AWS::EC2::Volume::Id': { re: /^vol-[0-9A-Za-z]+$/, one: 'a volume id', many: 'volume ids' },
  'AWS::Route53::HostedZone::Id': { re: /^[A-Z0-9]+$/, one: 'a hosted zone id', many: 'hosted zone ids' },
  'AWS::EC2::AvailabilityZone::Name': { re: /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, one: 'an availability zone', many: 'availability zones' },
  Number: { re: /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/, one: 'a number', many: 'numbers' },
};

/** The type of each value: `List<X>` and `AWS::SSM::Parameter::Value<...>` unwrapped. */
function shapeOf(type: string): { list: boolean; element: string } {
  let t = type.trim();
  const ssm = /^AWS::SSM::Parameter::Value<(.*)>$/.exec(t);
  if (ssm) t = ssm[1].trim();
  const list = /^List<(.*)>$/.exec(t);
  if (list) return { list: true, element: list[1].trim() };
  if (t === 'CommaDelimitedList') return { list: true, element: 'String' };
  return { list: false, element: t };
}

/** The allowed values as strings, when every one is a scalar. */
export function allowedValueList(def: PNode): string[] | undefined {
  const node = child(def, 'AllowedValues');
  if (!node || node.kind !== 'seq' || node.items.length === 0) return undefined;
  const values = node.items.map((i) => (i.kind === 'scalar' && i.value !== null ? String(i.value) : undefined));
  return values.every((v) => v !== undefined) ? [...new Set(values as string[])] : undefined;
}

function lengthOf(def: PNode, key: string): number | undefined {
  const text = scalarString(child(def, key));
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text);
}

/**
 * Domains by declaration: a template's parameters are valued once per branch and per evaluation
 * (each nested stack, each output), and a pattern's domain costs more than the rest of the value.
 */
const domains = new WeakMap<PNode, { name: string; domain: Domain | undefined }>();

/** The domain of parameter `name` as declared by `def`; undefined when nothing constrains it. */
export function parameterDomain(name: string, def: PNode): Domain | undefined {
  const hit = domains.get(def);
  if (hit && hit.name === name) return hit.domain;
  const domain = declaredDomain(name, def);
  domains.set(def, { name, domain });
  return domain;
}

function declaredDomain(name: string, def: PNode): Domain | undefined {
  const type = scalarString(child(def, 'Type')) ?? 'String';
  const { list, element } = shapeOf(type);
  const parts: Constraint[] = [];
  const typed = TYPED[element];
  if (typed) parts.push({ admits: (t) => typed.re.test(t), mayBeWorld: false, description: list ? `a list of ${typed.many}` : typed.one });
  // For an SSM parameter type, the other constraints apply to the name of the SSM parameter, not to its value.
  if (/^AWS::SSM::Parameter::Value</.test(type.trim())) return typed ? domainOf(`parameter ${name}`, parts, list) : undefined;
  const values = allowedValueList(def);
  if (values) parts.push(valuesConstraint(values));
  const source = scalarString(child(def, 'AllowedPattern'));
  if (source !== undefined && element === 'String') {
    const c = patternConstraint(source, 'java', true);
    if (c) parts.push(c);
  }
  if (!list) {
    const min = lengthOf(def, 'MinLength');
    const max = lengthOf(def, 'MaxLength');
    // The shortest spelling of the world is "0/0"; longer ones have no bound ("000.000.000.000/0").
    if (min !== undefined || max !== undefined) {
      parts.push({ admits: (t) => (min === undefined || t.length >= min) && (max === undefined || t.length <= max), mayBeWorld: max === undefined || max >= 3 });
    }
  }
  if (parts.length === 0) return undefined;
  return domainOf(`parameter ${name}`, parts, list);
}
