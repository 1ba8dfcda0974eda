import type { Model } from '../model/model.js';
import { describe } from '../sets/describe.js';
import { eastWestReach } from '../reach/east-west.js';
import { internetExposures, reachContext, type ReachContext } from '../reach/exposure.js';
import { ALL_TRAFFIC } from '../sets/traffic.js';

// `sgscan graph --format mermaid|dot|json`: who can reach whom. Nodes are the internet and the
// endpoints; edges are internet exposures, endpoint-to-endpoint reach (any traffic), and load
// balancer listeners to their targets. Pure over the model; output is sorted, so stable.

export type GraphFormat = 'mermaid' | 'dot' | 'json';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['mermaid', 'dot', 'json'];

export interface GraphNode {
  id: string;
  kind: string;
  file?: string;
  line?: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  verdict: 'reachable' | 'possibly-reachable';
  /** "tcp/22", "tcp/443 (listener)", ... */
  label: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function buildGraph(input: Model | ReachContext): Graph {
  const ctx = 'parts' in input ? input : reachContext(input);
  const nodes: GraphNode[] = [{ id: 'internet', kind: 'internet' }];
  const edges: GraphEdge[] = [];
  // Ids are unique within a namespace; qualify them with it when two namespaces share one.
  const counts = new Map<string, number>();
  for (const p of ctx.parts) for (const e of p.engine.network.endpoints) counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
  for (const { root, engine } of ctx.parts) {
    const name = (id: string) => ((counts.get(id) ?? 0) > 1 ? `${root}:${id}` : id);
    for (const e of engine.network.endpoints) nodes.push({ id: name(e.id), kind: e.kind, file: e.location.file, line: e.location.line });
    const exposures = new Map<string, { labels: string[]; definite: boolean }>();
    for (const x of internetExposures(engine)) {
      const entry = exposures.get(x.endpoint.id) ?? { labels: [], definite: false };
      entry.labels.push(x.service.label);
      entry.definite ||= x.verdict === 'reachable';
      exposures.set(x.endpoint.id, entry);
    }
    for (const [id, x] of exposures) edges.push({ from: 'internet', to: name(id), verdict: x.definite ? 'reachable' : 'possibly-reachable', label: x.labels.join(', ') });
    for (const { source, dest, reach } of eastWestReach(engine, ALL_TRAFFIC)) {
      const set = reach.verdict === 'reachable' ? reach.allowed : reach.possible;
      edges.push({ from: name(source.id), to: name(dest.id), verdict: reach.verdict as GraphEdge['verdict'], label: portsOnly(describe(set)) });
    }
    for (const e of engine.network.endpoints) {
      for (const l of e.listeners) {
        for (const t of l.targets) if (typeof t === 'string' && engine.endpoint(t)) edges.push({ from: name(e.id), to: name(t), verdict: 'reachable', label: `listener ${String(l.port)}` });
      }
    }
  }
  const seen = new Set<string>();
  const unique = edges.filter((x) => {
    const k = `${x.from}\u0000${x.to}\u0000${x.label}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  unique.sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.label, b.label));
  return { nodes, edges: unique };
}

/** "tcp/22 from 10.0.0.0/24; ..." → "tcp/22" (addresses are the source's subnet, not news). */
function portsOnly(text: string): string {
  return [...new Set(text.split('; ').map((c) => c.replace(/ from .*$/, '')))].join(', ');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function runGraph(input: Model | ReachContext, format: GraphFormat): string {
  const g = buildGraph(input);
  if (format === 'json') return `${JSON.stringify(g, null, 2)}\n`;
  const ids = new Map(g.nodes.map((n, i) => [n.id, n.id === 'internet' ? 'internet' : `n${i}`]));
  if (format === 'mermaid') {
    const lines = ['flowchart LR'];
    for (const n of g.nodes) lines.push(`  ${ids.get(n.id)}${n.id === 'internet' ? '((internet))' : `["${esc(n.id)}<br/>${n.kind}"]`}`);
    for (const e of g.edges) lines.push(`  ${ids.get(e.from)} ${e.verdict === 'reachable' ? '-->' : '-.->'}|"${esc(e.label)}"| ${ids.get(e.to)}`);
    return `${lines.join('\n')}\n`;
  }
  const lines = ['digraph sgscan {', '  rankdir=LR;', '  internet [shape=doublecircle];'];
  for (const n of g.nodes) if (n.id !== 'internet') lines.push(`  ${ids.get(n.id)} [label=${dotString(`${n.id}\n${n.kind}`)}, shape=box];`);
  for (const e of g.edges) lines.push(`  ${ids.get(e.from)} -> ${ids.get(e.to)} [label=${dotString(e.label)}${e.verdict === 'reachable' ? '' : ', style=dashed'}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function esc(s: string): string {
  return s.replace(/"/g, '#quot;');
}

function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
