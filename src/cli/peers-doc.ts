import type { Check, PeerIds } from '../model/check.js';
import { ruleDocFileName } from './rule-docs.js';

// docs/peers.md is generated from data/peer-checks.json (every Checkov, KICS, cfn_nag and Trivy check
// of AWS security groups and NACLs) and the checks' meta.equivalents / meta.strictEquivalents: which
// sgscan check covers a peer check, in which preset, or the AWS reason none does. A peer id is covered
// or has a reason, never both, so the page cannot claim coverage it does not have.

export const PEER_TOOLS = ['checkov', 'kics', 'cfnNag', 'trivy'] as const;
export type PeerTool = (typeof PEER_TOOLS)[number];
export const PEER_TOOL_NAMES: Record<PeerTool, string> = { checkov: 'Checkov', kics: 'KICS', cfnNag: 'cfn_nag', trivy: 'Trivy' };

/** A reason that starts so names a check planned on branch strict18; the page calls it planned. */
export const PENDING_PREFIX = 'PENDING strict18:';
/** Issue 18's floor for the catalog. */
export const MIN_PEER_IDS = 60;

export interface PeerCheck {
  tool: PeerTool;
  /** Checkov/cfn_nag/Trivy id; KICS query UUID. */
  id: string;
  title: string;
  /** What the peer really checks, read from its source. */
  checks: string;
  source: string;
  /** Where sgscan's coverage differs from the peer's, and the AWS fact behind it. */
  differs?: string;
}

export interface PeerCatalog {
  checks: PeerCheck[];
  /** `tool:id` -> why no sgscan check covers it (an AWS fact), or a PENDING_PREFIX plan. */
  notCovered: Record<string, string>;
}

export interface Coverage {
  check: Check;
  preset: 'recommended' | 'strict';
}

export function peerKey(tool: string, id: string): string {
  return `${tool}:${id}`;
}

function idsOf(ids: PeerIds | undefined): [string, string][] {
  return Object.entries(ids ?? {}).flatMap(([tool, list]) => (list ?? []).map((id): [string, string] => [tool, id]));
}

/** The sgscan checks that cover each peer id (`tool:id`), in check id order. */
export function coverageOf(checks: readonly Check[]): Map<string, Coverage[]> {
  const out = new Map<string, Coverage[]>();
  const add = (key: string, c: Coverage) => {
    const list = out.get(key);
    if (list) list.push(c);
    else out.set(key, [c]);
  };
  for (const check of [...checks].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1))) {
    const own = check.meta.preset ?? 'recommended';
    for (const [tool, id] of idsOf(check.meta.equivalents)) add(peerKey(tool, id), { check, preset: own });
    for (const [tool, id] of idsOf(check.meta.strictEquivalents)) add(peerKey(tool, id), { check, preset: 'strict' });
  }
  return out;
}

/** Everything that makes the catalog untrue or incomplete; empty when it is consistent. */
export function catalogProblems(checks: readonly Check[], catalog: PeerCatalog): string[] {
  const problems: string[] = [];
  const listed = new Set<string>();
  for (const p of catalog.checks) {
    const key = peerKey(p.tool, p.id);
    if (!(PEER_TOOLS as readonly string[]).includes(p.tool)) problems.push(`${key}: unknown tool ${p.tool}`);
    if (listed.has(key)) problems.push(`${key}: listed twice`);
    listed.add(key);
    if (!p.checks.trim() || !p.source.trim()) problems.push(`${key}: says neither what it checks nor where its source is`);
  }
  if (listed.size < MIN_PEER_IDS) problems.push(`only ${listed.size} peer ids; the catalog lists at least ${MIN_PEER_IDS}`);
  const covered = coverageOf(checks);
  for (const [key, by] of covered) {
    if (!listed.has(key)) problems.push(`${key}: named as an equivalent by ${by.map((c) => c.check.meta.id).join(', ')} but not in data/peer-checks.json`);
  }
  for (const key of Object.keys(catalog.notCovered)) {
    if (!listed.has(key)) problems.push(`${key}: has a not-covered reason but is not in the peer list`);
  }
  for (const key of listed) {
    const reason = catalog.notCovered[key];
    const by = covered.get(key);
    if (by && reason !== undefined) problems.push(`${key}: covered by ${by.map((c) => c.check.meta.id).join(', ')} and also given a not-covered reason (stale?)`);
    if (!by && reason === undefined) problems.push(`${key}: neither covered by a check's equivalents nor given an AWS reason`);
    if (reason !== undefined && reason.replace(PENDING_PREFIX, '').trim().length < 20) problems.push(`${key}: the not-covered reason says too little`);
  }
  return problems;
}

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function idCell(p: PeerCheck): string {
  const label = p.tool === 'kics' ? `${esc(p.title)} \`${p.id}\`` : `\`${p.id}\``;
  return `[${label}](${p.source})`;
}

function ruleLink(c: Check): string {
  return `[${c.meta.id}](rules/${ruleDocFileName(c)}) ${c.meta.name}`;
}

/** docs/peers.md: one row per peer id, with the covering check and preset or the reason there is none. */
export function renderPeersDoc(checks: readonly Check[], catalog: PeerCatalog): string {
  const covered = coverageOf(checks);
  const rows: string[] = [];
  const count = { total: 0, recommended: 0, strict: 0, planned: 0, notCovered: 0 };
  for (const tool of PEER_TOOLS) {
    for (const p of catalog.checks.filter((x) => x.tool === tool)) {
      const key = peerKey(p.tool, p.id);
      const by = covered.get(key);
      const reason = catalog.notCovered[key];
      let rule: string;
      let preset: string;
      count.total++;
      if (by) {
        rule = by.map((c) => (c.preset === 'strict' && (c.check.meta.preset ?? 'recommended') !== 'strict' ? `${ruleLink(c.check)} (with strict's options)` : ruleLink(c.check))).join('<br>');
        preset = by.some((c) => c.preset === 'recommended') ? 'recommended' : 'strict';
        count[preset === 'recommended' ? 'recommended' : 'strict']++;
      } else if (reason?.startsWith(PENDING_PREFIX)) {
        rule = `planned (strict18): ${esc(reason.slice(PENDING_PREFIX.length).trim())}`;
        preset = 'strict (planned)';
        count.planned++;
      } else {
        rule = `not covered: ${esc(reason ?? '')}`;
        preset = '—';
        count.notCovered++;
      }
      rows.push(`| ${PEER_TOOL_NAMES[tool]} | ${idCell(p)} | ${esc(p.checks)} | ${rule} | ${preset} | ${esc(p.differs ?? '')} |`);
    }
  }
  return [
    '# Peer checks and sgscan',
    '',
    'Every Checkov, KICS, cfn_nag and Trivy check of AWS security groups and network ACLs (and the public-address checks ' +
      'that sgscan checks name as equivalents), with the sgscan check that covers it and the preset that turns that check on ' +
      '(`recommended` is the default; `strict` is `extends: strict` in `.sgscan.yml` or `--preset strict`), or the AWS fact ' +
      'that makes the peer check wrong to copy. "What it checks" is read from each check\'s source, not its title.',
    '',
    `${count.total} peer checks: ${count.recommended} covered in recommended, ${count.strict} only in strict, ` +
      `${count.planned} planned for strict, ${count.notCovered} not covered for an AWS reason.`,
    '',
    '| tool | id | what it checks | sgscan check | preset | where sgscan differs |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'Covered means the sgscan check reports what the peer reports, at the line to fix; "where sgscan differs" names what it ' +
      'deliberately leaves out and why. KICS ids are query UUIDs (Terraform and CloudFormation queries have their own).',
    '',
    '<!-- Generated from data/peer-checks.json and the check metadata in rules/ by scripts/gen-rule-docs.mjs; do not edit. -->',
    '',
  ].join('\n');
}
