// A parsed template as a tree whose every node knows its 1-based lines. YAML and JSON both parse to
// this, so the evaluator and the model builder never care which syntax a template was written in.

import { LineIndex } from '../../model/line-index.js';

export interface Span {
  line: number;
  endLine: number;
}

export type Scalar = string | number | boolean | null;

export type PNode =
  | (Span & { kind: 'scalar'; value: Scalar })
  | (Span & { kind: 'seq'; items: PNode[] })
  | (Span & { kind: 'map'; entries: PEntry[] });

export interface PEntry {
  key: string;
  keyLine: number;
  value: PNode;
}

export type PMap = Extract<PNode, { kind: 'map' }>;
export type PSeq = Extract<PNode, { kind: 'seq' }>;

export function entry(node: PNode | undefined, key: string): PEntry | undefined {
  if (!node || node.kind !== 'map') return undefined;
  return node.entries.find((e) => e.key === key);
}

export function child(node: PNode | undefined, key: string): PNode | undefined {
  return entry(node, key)?.value;
}

export function scalarString(node: PNode | undefined): string | undefined {
  if (!node || node.kind !== 'scalar' || node.value === null) return undefined;
  return String(node.value);
}

/** A map with exactly one key: how intrinsic functions (`Ref`, `Fn::If`, ...) are written. */
export function singleKey(node: PNode): PEntry | undefined {
  return node.kind === 'map' && node.entries.length === 1 ? node.entries[0] : undefined;
}

/** Thrown by the parsers; the scanner turns it into a ScanError. */
export class ParseFailure extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

export { LineIndex };
