import type { Check } from '../model/check.js';

// docs/rules/ is generated from each check's metadata (like ESLint's rule docs): one page per check
// and a catalog. scripts/gen-rule-docs.mjs writes the files; a test keeps them in step.

const PEER_NAMES: Record<string, string> = { checkov: 'Checkov', trivy: 'Trivy', kics: 'KICS', cfnNag: 'cfn_nag' };

export function ruleDocFileName(c: Check): string {
  return `${c.meta.id}-${c.meta.name}.md`;
}

function equivalents(c: Check): string {
  return Object.entries(c.meta.equivalents ?? {})
    .flatMap(([tool, ids]) => (ids ?? []).map((id) => `${PEER_NAMES[tool] ?? tool} ${id}`))
    .join(', ');
}

function link(ref: string): string {
  return /^https?:\/\//.test(ref) ? `<${ref}>` : ref;
}

/** One page per check: what it finds, why it matters, how to fix it in both formats, references. */
export function renderRuleDoc(c: Check): string {
  const m = c.meta;
  const out = [
    `# ${m.id} ${m.name}`,
    '',
    `**Severity:** ${m.severity} · **Tags:** ${m.tags.join(', ')}`,
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

/** The catalog page: every check with severity and peers' ids, linking to its page. */
export function renderRuleCatalog(checks: readonly Check[]): string {
  const sorted = [...checks].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '# sgscan rules',
    '',
    '| id | name | severity | what it finds | equivalents |',
    '| --- | --- | --- | --- | --- |',
    ...sorted.map((c) => `| [${c.meta.id}](${ruleDocFileName(c)}) | ${c.meta.name} | ${c.meta.severity} | ${esc(c.meta.shortDescription)} | ${esc(equivalents(c))} |`),
    '',
    '<!-- Generated from the check metadata in rules/ by scripts/gen-rule-docs.mjs; do not edit. -->',
    '',
  ].join('\n');
}
