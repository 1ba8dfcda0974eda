import type { Check, PeerIds } from '../model/check.js';

// docs/rules/ is generated from each check's metadata (like ESLint's rule docs): one page per check
// and a catalog. scripts/gen-rule-docs.mjs writes the files; a test keeps them in step.

const PEER_NAMES: Record<string, string> = { checkov: 'Checkov', trivy: 'Trivy', kics: 'KICS', cfnNag: 'cfn_nag' };

export function ruleDocFileName(c: Check): string {
  return `${c.meta.id}-${c.meta.name}.md`;
}

function peerList(ids: PeerIds | undefined): string {
  return Object.entries(ids ?? {})
    .flatMap(([tool, list]) => (list ?? []).map((id) => `${PEER_NAMES[tool] ?? tool} ${id}`))
    .join(', ');
}

/** The peers' ids, then those covered only with the strict preset's options (SGS023's FTP ports). */
function equivalents(c: Check): string {
  const own = peerList(c.meta.equivalents);
  const strict = peerList(c.meta.strictEquivalents);
  if (!strict) return own;
  return own ? `${own}; with the strict preset: ${strict}` : `with the strict preset: ${strict}`;
}

function link(ref: string): string {
  return /^https?:\/\//.test(ref) ? `<${ref}>` : ref;
}

/** One page per check: what it finds, why it matters, how to fix it in both formats, references. */
export function renderRuleDoc(c: Check, all: readonly Check[] = [c]): string {
  const m = c.meta;
  const out = [
    `# ${m.id} ${m.name}`,
    '',
    `**Severity:** ${m.severity} · **Preset:** ${m.preset ?? 'recommended'} · **Tags:** ${m.tags.join(', ')}`,
    '',
    `> ${m.shortDescription}`,
    '',
    '## What it finds',
    '',
    m.fullDescription,
    '',
    '## How to fix it',
    '',
    m.remediation,
    '',
  ];
  if (m.remediationTerraform) out.push('Terraform:', '', '```hcl', m.remediationTerraform, '```', '');
  if (m.remediationCloudFormation) out.push('CloudFormation:', '', '```yaml', m.remediationCloudFormation, '```', '');
  const told = toldTogether(c, all);
  if (told) out.push('## One finding per problem', '', told, '');
  const eq = equivalents(c);
  if (eq) out.push('## Equivalent checks in other tools', '', eq, '');
  if (m.references.length) out.push('## References', '', ...m.references.map((r) => `- ${link(r)}`), '');
  out.push(
    '## Silencing it',
    '',
    `Terraform: a comment \`# sgscan:ignore ${m.id} <reason>\` on or above the block. CloudFormation: ` +
      `\`Metadata: { sgscan: { ignore: [{ id: ${m.id}, reason: "..." }] } }\` on the resource. ` +
      `Centrally: \`rules: { ${m.id}: off }\` or a \`suppressions\` entry in \`.sgscan.yml\`.`,
    '',
    '<!-- Generated from the check metadata in rules/ by scripts/gen-rule-docs.mjs; do not edit. -->',
    '',
  );
  return out.join('\n');
}

/** How the report folds this check's findings with others' (src/pipeline/fold.ts). */
function toldTogether(c: Check, all: readonly Check[]): string | undefined {
  const m = c.meta;
  if (m.foldsIntoRule) {
    return 'An exposure that one rule open to the world explains is told in that rule\'s finding ("Reachable from the internet: ...", ' +
      'with this path) and kept in the JSON report\'s `folded`; an exposure that no single rule explains (a route or NACL change) is a finding of its own.';
  }
  if (!m.overlaps) return undefined;
  const family = all.filter((x) => x.meta.overlaps?.family === m.overlaps!.family).sort((a, b) => a.meta.overlaps!.rank - b.meta.overlaps!.rank);
  if (family.length < 2) return undefined;
  const ids = family.map((x) => x.meta.id);
  const list = ids.length > 1 ? `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}` : ids[0];
  return `${list} can report the same ${m.overlaps.family === 'nacl-entry' ? 'NACL entry' : 'rule'}. The report shows one finding for it: ` +
    `the first of them in that order that applies, with the worst of their severities; the others are kept in the JSON report's \`folded\` ` +
    `(turning one of them off or suppressing it leaves the others to speak).`;
}

/** The catalog page: every check with severity and peers' ids, linking to its page. */
export function renderRuleCatalog(checks: readonly Check[]): string {
  const sorted = [...checks].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '# sgscan rules',
    '',
    'Every Checkov, KICS, cfn_nag and Trivy check of security groups and NACLs, and the sgscan check and preset that cover it: [peers.md](../peers.md).',
    '',
    'A check of the `recommended` preset runs by default; `strict` ones with `--preset strict` or `extends: strict`.',
    '',
    '| id | name | severity | preset | what it finds | equivalents |',
    '| --- | --- | --- | --- | --- | --- |',
    ...sorted.map((c) => `| [${c.meta.id}](${ruleDocFileName(c)}) | ${c.meta.name} | ${c.meta.severity} | ${c.meta.preset ?? 'recommended'} | ${esc(c.meta.shortDescription)} | ${esc(equivalents(c))} |`),
    '',
    '<!-- Generated from the check metadata in rules/ by scripts/gen-rule-docs.mjs; do not edit. -->',
    '',
  ].join('\n');
}
