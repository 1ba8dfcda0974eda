import type { Model } from '../model/model.js';
import type { Finding } from '../model/check.js';

// CDK users know their infrastructure by construct path ("Stack/Web/Sg"), not by the logical ID
// the synthesizer invented ("WebSg1A2B3C4D"). Findings on CDK output name the construct too.

const CDK_PATH = 'aws:cdk:path';

/** Construct paths by file and address, of groups, rules and resources (in that order: later ones win). */
export type ConstructEntries = [groups: Array<[string, string]>, rules: Array<[string, string]>, resources: Array<[string, string]>];

export function constructEntries(model: Model): ConstructEntries {
  const out: ConstructEntries = [[], [], []];
  const add = (list: Array<[string, string]>, file: string, address: string, metadata: Record<string, string> | undefined) => {
    const p = metadata?.[CDK_PATH];
    if (p) list.push([`${file}\u0000${address}`, p]);
  };
  for (const g of model.groups) add(out[0], g.location.file, g.address, g.metadata);
  for (const r of model.rules) add(out[1], r.location.file, r.resource, r.metadata);
  for (const r of model.resources) add(out[2], r.location.file, r.address, r.metadata);
  return out;
}

/** The construct paths of several units' entries, as one model of them all would give them. */
export function mergeConstructEntries(parts: readonly ConstructEntries[]): ConstructEntries {
  const out: ConstructEntries = [[], [], []];
  for (const k of [0, 1, 2] as const) for (const p of parts) for (const e of p[k]) out[k].push(e);
  return out;
}

/** Adds the construct path of the finding's resource to its message, when the template has one. */
export function nameConstructs(findings: readonly Finding[], model: Model | ConstructEntries): Finding[] {
  const paths = new Map<string, string>();
  for (const list of Array.isArray(model) ? model : constructEntries(model)) for (const [k, p] of list) paths.set(k, p);
  if (paths.size === 0) return [...findings];
  return findings.map((f) => {
    const p = paths.get(`${f.file}\u0000${f.resource}`);
    return p && !f.message.includes(p) ? { ...f, message: `${f.message.replace(/\s+$/, '')} (CDK construct ${p})` } : f;
  });
}
