import { withFolded, type Finding } from '../model/check.js';
import { bySeverityFirst, stepLocation } from './common.js';
import { addTo } from '../model/arrays.js';

/**
 * A Mermaid flowchart of the internet exposures: internet → each hop of the path → the exposed
 * resource. Hops shared by several paths (one internet gateway, one route table) are one node, so
 * the picture shows where exposures converge. Possibly-reachable paths are drawn dotted.
 *
 * Node ids are assigned in order of first appearance over findings sorted most severe first, so the
 * same scan always gives the same text. Labels are user content (resource names, descriptions) and
 * are escaped with Mermaid entity codes, so no label can end its node, open a link or inject markup.
 */
export interface ExposureDiagram {
  /** The flowchart source, without the ``` fence. Empty when there is nothing to draw. */
  source: string;
  /** Exposures drawn, and how many there were in all (more than drawn when the diagram was cut). */
  drawn: number;
  total: number;
}

/** GitHub renders with Mermaid's defaults: maxTextSize 50,000 characters and maxEdges 500. */
export const MAX_DIAGRAM_CHARS = 40_000;
const MAX_DIAGRAM_EDGES = 400;
/** Hop labels are cut at this length; the report's table has the whole text. */
const MAX_LABEL = 90;

export function isDrawnExposure(f: Finding): boolean {
  return (
    f.ruleId === 'SGS040' &&
    (f.reachability === 'reachable' || f.reachability === 'possibly-reachable') &&
    (f.path?.length ?? 0) > 0
  );
}

export function exposureDiagram(findings: readonly Finding[], maxChars = MAX_DIAGRAM_CHARS): ExposureDiagram {
  // Exposures told at the rule that opens them are drawn as exposures too.
  const exposures = withFolded(findings).filter(isDrawnExposure).sort(bySeverityFirst);
  if (exposures.length === 0) return { source: '', drawn: 0, total: 0 };

  const ids = new Map<string, string>();
  const nodes: string[] = ['  internet(("Internet"))'];
  const edges: string[] = [];
  const edgeKeys = new Set<string>();
  const severityOf = new Map<string, string>();
  let drawn = 0;

  const header = 'flowchart LR';
  const footer = [
    '  classDef hop fill:#f6f8fa,stroke:#8c959f,color:#1f2328',
    '  classDef critical fill:#ffebe9,stroke:#cf222e,stroke-width:2px,color:#1f2328',
    '  classDef high fill:#fff1e5,stroke:#bc4c00,stroke-width:2px,color:#1f2328',
    '  classDef other fill:#fff8c5,stroke:#9a6700,color:#1f2328',
  ];
  const size = () => [header, ...nodes, ...edges, ...footer, ...classLines(ids, severityOf)].join('\n').length;

  for (const f of exposures) {
    // Try the whole path; keep it only if the diagram stays within its limits.
    const saved = { ids: new Map(ids), nodes: nodes.length, edges: edges.length, keys: new Set(edgeKeys), sev: new Map(severityOf) };
    const chain: string[] = ['internet'];
    for (const step of f.path!) {
      const key = `hop\u0000${step.file}\u0000${step.line}\u0000${step.message}`;
      chain.push(nodeId(key, `${label(step.message)}<br/><small>${escapeLabel(stepLocation(step, f.file))}</small>`, ids, nodes, 'h'));
    }
    const resKey = `res\u0000${f.file}\u0000${f.resource}`;
    const res = nodeId(resKey, `<b>${label(f.resource || f.file)}</b><br/><small>${escapeLabel(`${f.file}:${f.line}`)}</small>`, ids, nodes, 'r');
    const rank = severityOf.get(res);
    if (!rank || severityWeight(f.severity) < severityWeight(rank)) severityOf.set(res, f.severity);
    chain.push(res);
    const arrow = f.reachability === 'possibly-reachable' ? '-.->' : '-->';
    const service = serviceOf(f);
    for (let i = 0; i + 1 < chain.length; i++) {
      const [a, b] = [chain[i], chain[i + 1]];
      if (a === b) continue;
      const text = i + 2 === chain.length && service ? `${arrow}|"${escapeLabel(service)}"|` : arrow;
      const k = `${a}${text}${b}`;
      if (edgeKeys.has(k)) continue;
      edgeKeys.add(k);
      edges.push(`  ${a} ${text} ${b}`);
    }
    if (size() > maxChars || edges.length > MAX_DIAGRAM_EDGES) {
      ids.clear();
      for (const [k, v] of saved.ids) ids.set(k, v);
      nodes.length = saved.nodes;
      edges.length = saved.edges;
      edgeKeys.clear();
      for (const k of saved.keys) edgeKeys.add(k);
      severityOf.clear();
      for (const [k, v] of saved.sev) severityOf.set(k, v);
      break;
    }
    drawn++;
  }
  if (drawn === 0) return { source: '', drawn: 0, total: exposures.length };
  const source = [header, ...nodes, ...edges, ...footer, ...classLines(ids, severityOf)].join('\n');
  return { source, drawn, total: exposures.length };
}

function nodeId(key: string, text: string, ids: Map<string, string>, nodes: string[], prefix: string): string {
  let id = ids.get(key);
  if (!id) {
    id = `${prefix}${ids.size + 1}`;
    ids.set(key, id);
    nodes.push(`  ${id}["${text}"]`);
  }
  return id;
}

function classLines(ids: Map<string, string>, severityOf: Map<string, string>): string[] {
  const hops = [...ids.values()].filter((id) => id.startsWith('h'));
  const byClass = new Map<string, string[]>();
  for (const id of ids.values()) {
    if (!id.startsWith('r')) continue;
    const sev = severityOf.get(id) ?? 'other';
    const cls = sev === 'critical' || sev === 'high' ? sev : 'other';
    addTo(byClass, cls, id);
  }
  const lines = hops.length > 0 ? [`  class ${hops.join(',')} hop`] : [];
  for (const cls of ['critical', 'high', 'other']) {
    const list = byClass.get(cls);
    if (list) lines.push(`  class ${list.join(',')} ${cls}`);
  }
  return lines;
}

function severityWeight(s: string): number {
  return ['critical', 'high', 'medium', 'low', 'info'].indexOf(s);
}

/** "tcp/443 (HTTPS)" from "... reachable from the internet on tcp/443 (HTTPS) ...", when the message says. */
function serviceOf(f: Finding): string | undefined {
  return /\bfrom the internet on ([a-z0-9-]+\/[0-9*-]+(?: \([A-Za-z0-9 -]+\))?)/i.exec(f.message)?.[1];
}

function label(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return escapeLabel(t.length > MAX_LABEL ? `${t.slice(0, MAX_LABEL - 1)}…` : t);
}

/**
 * Text for inside a quoted Mermaid label. Mermaid entity codes (#NN;) stand for every character that
 * could end the string, the node or the edge label (" ] } |), start markup or a Markdown string
 * (< > ` &) or be read as an entity itself (#). Parentheses and semicolons are safe inside quotes and
 * stay readable. Newlines and other control characters become spaces: a label is one line.
 */
export function escapeLabel(s: string): string {
  return s
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/[#"<>&|[\]{}`]/g, (ch) => `#${ch.charCodeAt(0)};`);
}
