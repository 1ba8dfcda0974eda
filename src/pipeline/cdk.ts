import type { Model } from '../model/model.js';
import type { Finding } from '../model/check.js';

// CDK users know their infrastructure by construct path ("Stack/Web/Sg"), not by the logical ID
// the synthesizer invented ("WebSg1A2B3C4D"). Findings on CDK output name the construct too.

const CDK_PATH = 'aws:cdk:path';

/** Adds the construct path of the finding's resource to its message, when the template has one. */
export function nameConstructs(findings: readonly Finding[], model: Model): Finding[] {
  const paths = new Map<string, string>();
  const add = (file: string, address: string, metadata: Record<string, string> | undefined) => {
    const p = metadata?.[CDK_PATH];
    if (p) paths.set(`${file}\u0000${address}`, p);
  };
  for (const g of model.groups) add(g.location.file, g.address, g.metadata);
  for (const r of model.rules) add(r.location.file, r.resource, r.metadata);
  for (const r of model.resources) add(r.location.file, r.address, r.metadata);
  if (paths.size === 0) return [...findings];
  return findings.map((f) => {
    const p = paths.get(`${f.file}\u0000${f.resource}`);
    return p && !f.message.includes(p) ? { ...f, message: `${f.message.replace(/\s+$/, '')} (CDK construct ${p})` } : f;
  });
}
