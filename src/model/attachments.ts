import cloudformation from '../../data/cloudformation-attachments.json' with { type: 'json' };
import defaultGroup from '../../data/default-group-when-none.json' with { type: 'json' };
import terraform from '../../data/terraform-attachments.json' with { type: 'json' };
import type { NetworkResource } from './model.js';
import { type Value, isObject } from './value.js';

// Which attributes attach security groups, subnets and public addresses, per resource type, as the
// provider and CloudFormation schemas say (data/*-attachments.json, made by scripts/schemas/). A
// path is dotted through nested blocks and lists of objects: `vpc_options.security_group_ids`.

export interface AttachmentPaths {
  securityGroups: readonly string[];
  subnets: readonly string[];
  publicAddress: readonly string[];
}

const TABLE: Readonly<Record<string, AttachmentPaths>> = { ...terraform.resources, ...cloudformation.resources };
const DEFAULT_GROUP: Readonly<Record<string, { placedBy: string; what: string }>> = defaultGroup.resources;

/** The schema's attachment paths of a resource type; undefined when the type takes no security group. */
export function attachmentPaths(type: string): AttachmentPaths | undefined {
  return Object.hasOwn(TABLE, type) ? TABLE[type] : undefined;
}

export function takesSecurityGroups(type: string): boolean {
  return attachmentPaths(type) !== undefined;
}

/** Every resource type in the tables, sorted (for tests and docs). */
export function attachmentTypes(): string[] {
  return Object.keys(TABLE).sort();
}

/**
 * The block that places a resource in a VPC, for types that then land in the default group when it
 * names no group (AWS behaviour, data/default-group-when-none.json).
 */
export function defaultGroupPlacement(type: string): { placedBy: string; what: string } | undefined {
  return Object.hasOwn(DEFAULT_GROUP, type) ? DEFAULT_GROUP[type] : undefined;
}

/** A value found at a path, with the attributeLines key it was written under (`vpc_options[0].subnet_ids`). */
export interface Found {
  value: Value;
  key: string;
}

/** The values at a dotted path; through lists of objects each item is followed. */
export function valuesAt(attributes: Record<string, Value>, path: string): Found[] {
  let here: Found[] = [{ value: attributes, key: '' }];
  for (const name of path.split('.')) {
    const next: Found[] = [];
    for (const f of here) {
      const holders: Found[] = Array.isArray(f.value) ? f.value.map((v, i) => ({ value: v, key: `${f.key}[${i}]` })) : [f];
      for (const h of holders) {
        if (!isObject(h.value) || h.value[name] === undefined) continue;
        next.push({ value: h.value[name], key: h.key === '' ? name : `${h.key}.${name}` });
      }
    }
    here = next;
  }
  return here.filter((f) => f.value !== null);
}

/** The groups a resource names through any of its schema's group paths (each value as written). */
export function groupValues(r: NetworkResource): Found[] {
  const paths = attachmentPaths(r.resourceType);
  return paths ? paths.securityGroups.flatMap((p) => valuesAt(r.attributes, p)) : [];
}
