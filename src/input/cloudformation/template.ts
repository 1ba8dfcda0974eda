import { LineIndex, ParseFailure, type PEntry, type PNode, child, scalarString } from './node.js';
import { parseJson } from './parse-json.js';
import { type ParseWarning, parseYaml } from './parse-yaml.js';

// Reading a file into a template: syntax (JSON or YAML), then "is this CloudFormation at all?".

export interface Template {
  root: PNode;
  parameters: Map<string, PEntry>;
  mappings: PNode | undefined;
  conditions: Map<string, PEntry>;
  resources: Map<string, PEntry>;
  /** SAM `Globals` section. */
  globals: PNode | undefined;
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parse JSON or YAML; JSON is chosen by content so `.template` files of either kind work. */
export function parseTemplateText(text: string, path: string, warnings: ParseWarning[] = []): PNode {
  const first = /\S/.exec(text)?.[0];
  if (first === '{') {
    try {
      return parseJson(text);
    } catch (e) {
      // A YAML flow mapping can start with "{" too.
      if (/\.json$/i.test(path) || !(e instanceof ParseFailure)) throw e;
      try {
        return parseYaml(text, warnings);
      } catch {
        throw e;
      }
    }
  }
  return parseYaml(text, warnings);
}

/** Text that is probably a template even though it does not parse. */
export function mentionsCloudFormation(text: string): boolean {
  return text.includes('AWSTemplateFormatVersion') || text.includes('AWS::');
}

function typeOf(resource: PNode): string | undefined {
  return scalarString(child(resource, 'Type'));
}

export function isTemplate(root: PNode): boolean {
  if (root.kind !== 'map') return false;
  if (child(root, 'AWSTemplateFormatVersion') !== undefined) return true;
  const resources = child(root, 'Resources');
  if (!resources || resources.kind !== 'map') return false;
  return resources.entries.some((e) => {
    // A Fn::ForEach loop of AWS::LanguageExtensions generates resources.
    if (e.key.startsWith('Fn::ForEach::')) return true;
    const t = typeOf(e.value);
    return t !== undefined && (t.startsWith('AWS::') || t.startsWith('Custom::'));
  });
}

function section(root: PNode, name: string): Map<string, PEntry> {
  const node = child(root, name);
  const map = new Map<string, PEntry>();
  if (node?.kind === 'map') for (const e of node.entries) map.set(e.key, e);
  return map;
}

export function toTemplate(root: PNode): Template {
  return {
    root,
    parameters: section(root, 'Parameters'),
    mappings: child(root, 'Mappings'),
    conditions: section(root, 'Conditions'),
    resources: section(root, 'Resources'),
    globals: child(root, 'Globals'),
  };
}

export function resourceType(e: PEntry): string | undefined {
  return typeOf(e.value);
}

export { LineIndex };
