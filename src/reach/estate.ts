import path from 'node:path';
import type { Located } from '../model/location.js';
import { emptyModel, type Model } from '../model/model.js';
import { buildNetwork, networkOf } from '../network/build.js';
import { Engine, type EngineOptions } from './engine.js';
import { factsFromModel } from './facts.js';

// Addresses are unique only within one Terraform root module or one CloudFormation template: two
// roots may both declare aws_vpc.main. So the model is split into such namespaces, each with its
// own network and engine; nothing connects two namespaces (their ids cannot refer across).

export interface EstatePart {
  /** The Terraform root folder, or the CloudFormation template file. */
  root: string;
  model: Model;
  engine: Engine;
}

/** The namespace of a piece: the folder of the root module (outermost module call) or the template. */
export function namespaceOf(item: Located & { format: string }): string {
  const file = item.via?.[0]?.file ?? item.location.file;
  return item.format === 'cloudformation' ? file : path.posix.dirname(file.replace(/\\/g, '/'));
}

export function partitionModel(model: Model): { root: string; model: Model }[] {
  const parts = new Map<string, Model>();
  const part = (root: string) => {
    let m = parts.get(root);
    if (!m) {
      m = emptyModel();
      parts.set(root, m);
    }
    return m;
  };
  const formats = new Map(model.groups.map((g) => [g.address, g.format]));
  for (const g of model.groups) part(namespaceOf(g)).groups.push(g);
  for (const r of model.rules) part(namespaceOf({ location: r.location, via: r.via, format: formats.get(r.group) ?? guessFormat(r.location.file) })).rules.push(r);
  for (const r of model.resources) part(namespaceOf(r)).resources.push(r);
  return [...parts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([root, m]) => ({ root, model: m }));
}

function guessFormat(file: string): string {
  return /\.(tf|tf\.json)$/.test(file) ? 'terraform' : 'cloudformation';
}

export function buildEstate(model: Model, options: EngineOptions = {}): EstatePart[] {
  const parts = partitionModel(model);
  return parts.map(({ root, model: m }) => {
    // One namespace holds everything: the checks' network of the whole model is the same one.
    const network = parts.length === 1 ? networkOf(model) : buildNetwork(m);
    return { root, model: m, engine: new Engine(network, m.groups, m.rules, factsFromModel(m, network), options) };
  });
}
