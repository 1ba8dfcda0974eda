import { at } from '../../model/location.js';
import { type NetworkResource, OUTPUT_RESOURCE_TYPE } from '../../model/model.js';
import { ResourceRef } from '../../model/value.js';
import { type PNode, child, scalarString, singleKey } from './node.js';
import { type Template, resourceType } from './template.js';

// An output (or export) that names a security group hands the group to other stacks, so the group
// is used even when nothing in this template attaches it. Recorded like Terraform root outputs, as
// NetworkResources of type `output`, which SGS022 counts as references.

export function outputResources(template: Template, file: string, via: NetworkResource['via']): NetworkResource[] {
  const outputs = child(template.root, 'Outputs');
  if (!outputs || outputs.kind !== 'map') return [];
  const groups = new Set(
    [...template.resources.entries()].filter(([, e]) => resourceType(e) === 'AWS::EC2::SecurityGroup').map(([id]) => id),
  );
  const out: NetworkResource[] = [];
  for (const o of outputs.entries) {
    const value = child(o.value, 'Value');
    const named = value ? groupsNamed(value, groups) : [];
    if (named.length === 0) continue;
    out.push({
      address: `Outputs.${o.key}`,
      format: 'cloudformation',
      resourceType: OUTPUT_RESOURCE_TYPE,
      location: at(file, o.keyLine, o.value.endLine),
      via,
      attributes: { Value: named.length === 1 ? named[0] : named },
      attributeLines: value ? { Value: value.line } : {},
      metadata: {},
    });
  }
  return out;
}

/** `!Ref G`, `!GetAtt G.GroupId` (both forms) and `!Sub "${G}"` naming a group, anywhere in the value. */
function groupsNamed(node: PNode, groups: ReadonlySet<string>, found: ResourceRef[] = []): ResourceRef[] {
  const single = singleKey(node);
  if (single?.key === 'Ref') {
    const id = scalarString(single.value);
    if (id && groups.has(id)) found.push(new ResourceRef(id));
  } else if (single?.key === 'Fn::GetAtt') {
    const v = single.value;
    const id = v.kind === 'scalar' ? scalarString(v)?.split('.')[0] : v.kind === 'seq' ? scalarString(v.items[0]) : undefined;
    if (id && groups.has(id)) found.push(new ResourceRef(id, 'GroupId'));
  } else if (single?.key === 'Fn::Sub') {
    const text = single.value.kind === 'seq' ? scalarString(single.value.items[0]) : scalarString(single.value);
    for (const m of (text ?? '').matchAll(/\$\{([A-Za-z0-9]+)(?:\.GroupId)?\}/g)) if (groups.has(m[1])) found.push(new ResourceRef(m[1]));
  }
  if (node.kind === 'map') for (const e of node.entries) groupsNamed(e.value, groups, found);
  else if (node.kind === 'seq') for (const x of node.items) groupsNamed(x, groups, found);
  return found;
}
