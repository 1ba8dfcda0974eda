import type { CoverageNotice } from '../../model/model.js';
import { describeValue } from '../../model/value.js';
import { type EvalContext, NO_VALUE, evaluate } from './intrinsics.js';
import { type PEntry, type PNode, scalarString, singleKey } from './node.js';
import { append } from '../../model/arrays.js';

// Fn::ForEach (AWS::LanguageExtensions): `Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue}]`
// is replaced by one copy of the fragment per collection item, with `${Identifier}` (the item) and
// `&{Identifier}` (the item without non-alphanumeric characters) substituted in keys and strings, and
// `Ref: Identifier` replaced by the item. Copies keep the lines of the fragment, so findings point
// at the loop body.

const PREFIX = 'Fn::ForEach::';
/** Generated entries per template, against loop bombs. */
export const MAX_GENERATED = 2000;

const SECTIONS = new Set(['Resources', 'Conditions', 'Outputs']);

export function expandForEach(root: PNode, ctx: EvalContext, file: string): { root: PNode; notices: CoverageNotice[] } {
  const notices: CoverageNotice[] = [];
  if (root.kind !== 'map' || !mentionsForEach(root, 0)) return { root, notices };
  const budget = { left: MAX_GENERATED };
  const entries = root.entries.map((e) => (SECTIONS.has(e.key) ? { ...e, value: expand(e.value, ctx, file, notices, budget, 0) } : e));
  return { root: { ...root, entries }, notices };
}

function mentionsForEach(node: PNode, depth: number): boolean {
  if (depth > 100) return false;
  if (node.kind === 'seq') return node.items.some((i) => mentionsForEach(i, depth + 1));
  if (node.kind === 'map') return node.entries.some((e) => e.key.startsWith(PREFIX) || mentionsForEach(e.value, depth + 1));
  return false;
}

function expand(node: PNode, ctx: EvalContext, file: string, notices: CoverageNotice[], budget: { left: number }, depth: number): PNode {
  if (depth > 100) return node;
  if (node.kind === 'seq') return { ...node, items: node.items.map((i) => expand(i, ctx, file, notices, budget, depth + 1)) };
  if (node.kind !== 'map') return node;
  const out: PEntry[] = [];
  for (const e of node.entries) {
    if (!e.key.startsWith(PREFIX)) {
      out.push({ ...e, value: expand(e.value, ctx, file, notices, budget, depth + 1) });
      continue;
    }
    const loop = e.value.kind === 'seq' && e.value.items.length === 3 ? e.value.items : undefined;
    const identifier = loop ? scalarString(loop[0]) : undefined;
    if (!loop || identifier === undefined || loop[2].kind !== 'map') {
      notices.push({ file, line: e.keyLine, message: `${e.key} is not [Identifier, Collection, {OutputKey: OutputValue}]; what it generates is not scanned` });
      continue;
    }
    const collection = evaluate(loop[1], ctx);
    const items = Array.isArray(collection) && collection.every((x) => ['string', 'number', 'boolean'].includes(typeof x)) ? collection.map(String) : undefined;
    if (!items) {
      const shown = collection === NO_VALUE ? 'AWS::NoValue' : describeValue(collection);
      notices.push({ file, line: e.keyLine, message: `${e.key} loops over ${shown}, which is not a static list; what it generates is not scanned` });
      continue;
    }
    const fragment = loop[2];
    for (const item of items) {
      if ((budget.left -= fragment.entries.length) < 0) {
        notices.push({ file, line: e.keyLine, message: `${e.key}: Fn::ForEach generates more than ${MAX_GENERATED} entries; the rest is not scanned` });
        break;
      }
      const copy = substitute(fragment, identifier, item, 0);
      // The copy may hold loops of its own (over the identifier, too).
      const expanded = expand(copy, ctx, file, notices, budget, depth + 1);
      if (expanded.kind === 'map') append(out, expanded.entries);
    }
  }
  return { ...node, entries: out };
}

function replaceIn(text: string, identifier: string, item: string): string {
  return text.split('${' + identifier + '}').join(item).split('&{' + identifier + '}').join(item.replace(/[^A-Za-z0-9]/g, ''));
}

function substitute(node: PNode, identifier: string, item: string, depth: number): PNode {
  if (depth > 100) return node;
  if (node.kind === 'scalar') return typeof node.value === 'string' ? { ...node, value: replaceIn(node.value, identifier, item) } : node;
  if (node.kind === 'seq') return { ...node, items: node.items.map((i) => substitute(i, identifier, item, depth + 1)) };
  const ref = singleKey(node);
  if (ref?.key === 'Ref' && scalarString(ref.value) === identifier) return { kind: 'scalar', value: item, line: node.line, endLine: node.endLine };
  return { ...node, entries: node.entries.map((e) => ({ ...e, key: replaceIn(e.key, identifier, item), value: substitute(e.value, identifier, item, depth + 1) })) };
}
