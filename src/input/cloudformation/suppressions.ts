import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import { type DirectiveProblem, mayHoldDirective, type RawResourceDirective } from '../../model/directive.js';

// Inline suppressions in CloudFormation: on the resource,
//   Metadata:
//     sgscan:
//       ignore:
//         - id: SGS001
//           reason: reached only through the VPN
// Read here from the template text (YAML or JSON; YAML parses both) with positions, independently of
// the CloudFormation front end. Intrinsic tags (!Ref, !Sub) are left unresolved, which is harmless:
// only Metadata is read.

const EXAMPLE = 'Metadata: { sgscan: { ignore: [ { id: SGS001, reason: "..." } ] } }';

export function parseCloudFormationDirectives(
  file: string,
  text: string,
): { directives: RawResourceDirective[]; problems: DirectiveProblem[] } {
  const directives: RawResourceDirective[] = [];
  const problems: DirectiveProblem[] = [];
  if (!mayHoldDirective(text)) return { directives, problems };
  const lines = new LineCounter();
  let root: unknown;
  try {
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
    if (doc.errors.length > 0) return { directives, problems }; // the front end reports the template itself
    root = doc.contents;
  } catch {
    return { directives, problems };
  }
  const lineOf = (n: unknown, fallback: number) => {
    const r = (n as Node | null)?.range;
    return r ? lines.linePos(r[0]).line : fallback;
  };

  const resources = get(root, 'Resources');
  if (!isMap(resources)) return { directives, problems };
  for (const pair of resources.items) {
    if (!isScalar(pair.key)) continue;
    const resource = String(pair.key.value);
    const sgscan = get(get(pair.value, 'Metadata'), 'sgscan');
    if (sgscan === undefined) continue;
    const ignore = get(sgscan, 'ignore');
    const where = lineOf(ignore ?? sgscan, lineOf(pair.key, 1));
    if (!isSeq(ignore)) {
      problems.push({ file, line: where, message: `Metadata.sgscan of ${resource} needs an ignore list (${EXAMPLE}); nothing is suppressed` });
      continue;
    }
    for (const item of ignore.items) {
      const line = lineOf(item, where);
      const id = scalarText(get(item, 'id'));
      const reason = scalarText(get(item, 'reason'));
      if (!isMap(item) || id === '') {
        problems.push({ file, line, message: `Metadata.sgscan.ignore entry of ${resource} has no id and is not applied (${EXAMPLE})` });
      } else if (reason === '') {
        problems.push({ file, line, message: `Metadata.sgscan.ignore entry ${id} of ${resource} has no reason and is not applied; say why the finding is accepted` });
      } else {
        const rules = id.split(',').map((s) => s.trim()).filter((s) => s !== '');
        directives.push({ file, line, resource, rules, reason });
      }
    }
  }
  return { directives, problems };
}

function get(node: unknown, key: string): unknown {
  if (!isMap(node)) return undefined;
  const pair = (node as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === key);
  return pair ? (pair.value ?? null) : undefined;
}

function scalarText(n: unknown): string {
  if (!isScalar(n) || n.value === null || n.value === undefined) return '';
  return String(n.value).trim();
}
