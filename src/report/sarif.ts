import path from 'node:path';
import type * as Sarif from 'sarif';
import type { CheckMeta, Finding, PathStep, PeerIds, Severity } from '../model/check.js';
import type { SourceLocation } from '../model/location.js';
import { bySeverityFirst, cmp, orderedCoverage, orderedDiagnostics, orderedFindings, plural, type Diagnostic } from './common.js';
import type { Coverage, ScanResult } from '../model/scan-result.js';
import type { SarifOptions } from './options.js';

/** Placeholder project home, used for driver.informationUri; the one place to change it. */
export const INFORMATION_URI = 'https://github.com/sgscan/sgscan';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const DEFAULT_CATEGORY = 'sgscan/';
/** GitHub code scanning shows at most 5000 results per run, keeping the most severe. */
export const DEFAULT_MAX_RESULTS = 5000;
/**
 * GitHub code scanning's documented SARIF limits ("SARIF results exceed limits", docs.github.com
 * code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit): thread flow
 * locations per result, at most 10,000 accepted and only the top 1,000 displayed; locations per result,
 * at most 1,000 accepted and only 100 displayed; tags per rule, 20 accepted, 10 displayed. We stay
 * within the display limits so GitHub keeps and shows every step we write.
 */
export const MAX_THREAD_FLOW_LOCATIONS = 1000;
export const MAX_RELATED_LOCATIONS = 100;
/** Step messages are short labels; a longer one is cut (a hostile name cannot bloat the log). */
const MAX_STEP_MESSAGE = 200;
/** partialFingerprints key; bump the version if the fingerprint recipe ever changes. */
export const FINGERPRINT_KEY = 'sgscan/v1';
/** The base every relative artifact URI is written against: the repository root. */
export const SRCROOT = '%SRCROOT%';

export function sarifLevel(s: Severity): Sarif.ReportingConfiguration.level {
  return s === 'critical' || s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'note';
}

/**
 * GitHub maps security-severity to its bands: >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
 * Each value sits well inside its band so rounding can never move it. GitHub has no band below low, so
 * info is a small positive score (shown as low) rather than 0.0, whose handling GitHub leaves undefined.
 */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
  info: '0.5',
};

const NOTIFICATION_SCAN_ERROR = 'scan-error';
const NOTIFICATION_COVERAGE = 'coverage-notice';
const NOTIFICATION_TRUNCATED = 'results-truncated';

/** SARIF 2.1.0 log with one run, for GitHub code scanning and other SARIF viewers. */
export function renderSarif(result: ScanResult, options: SarifOptions = {}): string {
  return `${JSON.stringify(buildSarif(result, options), null, 2)}\n`;
}

export function buildSarif(result: ScanResult, options: SarifOptions = {}): Sarif.Log {
  const maxResults = Math.max(0, options.maxResults ?? DEFAULT_MAX_RESULTS);
  const reported = options.includeSuppressed ? result.findings : result.findings.filter((f) => !f.suppression);
  const kept = orderedFindings([...reported].sort(bySeverityFirst).slice(0, maxResults));
  const cut = reported.length - kept.length;
  const rules = ruleCatalog(result, kept);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const at = artifactLocator(options.pathPrefix);

  const notifications: Sarif.Notification[] = [
    ...orderedDiagnostics(result.errors).map((e) => notification(e, 'error', NOTIFICATION_SCAN_ERROR, 0, at)),
    ...orderedDiagnostics(result.notices).map((n) => notification(n, 'warning', NOTIFICATION_COVERAGE, 1, at)),
  ];
  if (cut > 0) {
    notifications.push({
      level: 'warning',
      message: {
        text: `${plural(cut, 'result')} omitted: only the ${maxResults} most severe of ${reported.length} are reported.`,
      },
      descriptor: { id: NOTIFICATION_TRUNCATED, index: 2 },
    });
  }

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'sgscan',
        fullName: 'sgscan: static analyzer for AWS security groups',
        version: result.tool.version,
        semanticVersion: result.tool.version,
        informationUri: INFORMATION_URI,
        rules,
        notifications: notificationDescriptors(),
      },
    },
    automationDetails: { id: category(options.category) },
    // No absolute uri: the log must not depend on where the repository was checked out (same input,
    // same bytes); GitHub reads the URIs as relative to the repository root, which they are.
    originalUriBaseIds: { [SRCROOT]: { description: { text: 'The repository root: the git top level, else the working folder, or --sarif-root.' } } },
    columnKind: 'utf16CodeUnits',
    invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
    results: kept.map((f) => sarifResult(f, ruleIndex.get(f.ruleId) ?? -1, at)),
    // Coverage honesty: how many files were found, parsed, partly understood, skipped (and why), failed.
    ...(result.summary.coverage ? { properties: { coverage: orderedCoverage(result.summary.coverage) } } : {}),
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}


/** A category must end in "/": GitHub reads what follows the last "/" as a run id, not the category. */
function category(c: string | undefined): string {
  const id = (c ?? DEFAULT_CATEGORY).trim() || DEFAULT_CATEGORY;
  return id.endsWith('/') ? id : `${id}/`;
}

/**
 * The most severe of a rule's results in this log. GitHub documents security-severity on the rule only
 * (reportingDescriptor) and applies it to every alert of the rule, so the rule's value is that of its
 * worst result: a rule whose every finding was re-ranked low is shown low, never as the catalog's
 * critical. Each result carries its own value and level too, for viewers that read them.
 */
function worstResultSeverity(results: readonly Finding[]): Map<string, Severity> {
  const worst = new Map<string, Severity>();
  for (const f of [...results].sort(bySeverityFirst)) if (!worst.has(f.ruleId)) worst.set(f.ruleId, f.severity);
  return worst;
}

/** Every check that ran, plus any rule a finding names that is not among them; sorted by id. */
function ruleCatalog(result: ScanResult, results: readonly Finding[]): Sarif.ReportingDescriptor[] {
  const worst = worstResultSeverity(results);
  const metas = new Map<string, CheckMeta>();
  for (const c of result.checks) metas.set(c.meta.id, c.meta);
  const orphans = new Map<string, Finding>();
  for (const f of [...result.findings].sort(bySeverityFirst)) {
    if (!metas.has(f.ruleId) && !orphans.has(f.ruleId)) orphans.set(f.ruleId, f);
  }
  const ids = [...new Set([...metas.keys(), ...orphans.keys()])].sort(cmp);
  return ids.map((id) => {
    const meta = metas.get(id);
    return meta ? ruleDescriptor(meta, worst.get(id) ?? meta.severity) : orphanDescriptor(orphans.get(id)!, worst.get(id));
  });
}

function ruleDescriptor(meta: CheckMeta, shown: Severity): Sarif.ReportingDescriptor {
  const helpUri = meta.references.find((r) => /^https?:\/\//.test(r));
  return {
    id: meta.id,
    name: meta.name,
    shortDescription: { text: fitDescription(sentence(meta.shortDescription)) },
    fullDescription: { text: fitDescription(sentence(meta.fullDescription)) },
    help: { text: helpText(meta), markdown: helpMarkdown(meta) },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: sarifLevel(meta.severity) },
    properties: {
      tags: ruleTags(meta.tags),
      precision: precisionOf(meta),
      'security-severity': SECURITY_SEVERITY[shown],
    },
  };
}

/** GitHub code scanning keeps at most this many characters of a rule's short and full description. */
export const MAX_DESCRIPTION = 1024;

/**
 * A description within GitHub's limit, cut after the last whole sentence that fits (the help, shown in
 * full, still starts with the whole text); a single overlong sentence is cut with an ellipsis.
 */
export function fitDescription(text: string, max = MAX_DESCRIPTION): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const end = Math.max(head.lastIndexOf('. '), head.lastIndexOf('.\n'));
  return end > 0 ? head.slice(0, end + 1) : `${head.slice(0, max - 1).trimEnd()}…`;
}

/** A finding whose check is not in the list (should not happen): describe it from the finding. */
function orphanDescriptor(f: Finding, shown: Severity = f.severity): Sarif.ReportingDescriptor {
  const text = sentence(f.ruleName);
  return {
    id: f.ruleId,
    name: f.ruleName,
    shortDescription: { text },
    fullDescription: { text },
    help: { text, markdown: text },
    defaultConfiguration: { level: sarifLevel(f.severity) },
    properties: {
      tags: ['security'],
      precision: 'medium',
      'security-severity': SECURITY_SEVERITY[shown],
    },
  };
}

/** "security" first (GitHub files such rules as security alerts), no duplicates, at most 10. */
function ruleTags(tags: readonly string[]): string[] {
  return [...new Set(['security', ...tags.map((t) => t.trim()).filter((t) => t !== '')])].slice(0, 10);
}

/**
 * Our checks decide from the parsed configuration, not from heuristics, so "high" by default; a check
 * may declare otherwise in its metadata. Anything but SARIF's four values falls back to the default.
 */
function precisionOf(meta: CheckMeta): NonNullable<CheckMeta['precision']> {
  const p: unknown = meta.precision;
  return p === 'very-high' || p === 'high' || p === 'medium' || p === 'low' ? p : 'high';
}

function helpText(meta: CheckMeta): string {
  const parts = [meta.remediation.trim()];
  if (meta.remediationTerraform) parts.push(`Terraform:\n${meta.remediationTerraform.trimEnd()}`);
  if (meta.remediationCloudFormation) parts.push(`CloudFormation:\n${meta.remediationCloudFormation.trimEnd()}`);
  const eq = equivalents(meta);
  if (eq) parts.push(`Equivalent checks: ${eq}.`);
  if (meta.references.length > 0) parts.push(`References:\n${meta.references.map((r) => `- ${r}`).join('\n')}`);
  return parts.join('\n\n');
}

function helpMarkdown(meta: CheckMeta): string {
  const parts = [`${meta.fullDescription.trim()}`, '## Remediation', meta.remediation.trim()];
  if (meta.remediationTerraform) parts.push('### Terraform', fenced(meta.remediationTerraform, 'hcl'));
  if (meta.remediationCloudFormation) parts.push('### CloudFormation', fenced(meta.remediationCloudFormation, 'yaml'));
  const eq = equivalents(meta);
  if (eq) parts.push(`Equivalent checks: ${eq}.`);
  if (meta.references.length > 0) {
    parts.push('## References', meta.references.map((r) => (/^https?:\/\//.test(r) ? `- <${r}>` : `- ${r}`)).join('\n'));
  }
  return parts.join('\n\n');
}

function equivalents(meta: CheckMeta): string {
  const own = peerIds(meta.equivalents);
  const strict = peerIds(meta.strictEquivalents);
  if (!strict) return own;
  return own ? `${own}; with the strict preset: ${strict}` : `with the strict preset: ${strict}`;
}

function peerIds(eq: PeerIds = {}): string {
  const tools: [string, string[] | undefined][] = [
    ['Checkov', eq.checkov],
    ['Trivy', eq.trivy],
    ['KICS', eq.kics],
    ['cfn_nag', eq.cfnNag],
  ];
  return tools
    .filter(([, ids]) => ids && ids.length > 0)
    .map(([tool, ids]) => `${tool} ${ids!.join(', ')}`)
    .join('; ');
}

/** A fence longer than any backtick run in the code, so examples can never close it early. */
function fenced(code: string, lang: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${code.trimEnd()}\n${fence}`;
}

function sarifResult(f: Finding, ruleIndex: number, at: Locator): Sarif.Result {
  const result: Sarif.Result = {
    ruleId: f.ruleId,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: sarifLevel(f.severity),
    message: { text: resultMessage(f) },
    locations: [
      {
        physicalLocation: { artifactLocation: at(f.file), region: region(f) },
        ...(f.resource ? { logicalLocations: [{ fullyQualifiedName: f.resource, kind: 'resource' }] } : {}),
      },
    ],
    // Line-independent on purpose: the fingerprint is rule, file identity, resource and key, never lines.
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    properties: {
      // The finding's own (re-ranked) severity: the rule's catalog value is only its default.
      'security-severity': SECURITY_SEVERITY[f.severity],
      ...(f.reachability ? { reachability: f.reachability } : {}),
      certainty: f.certainty,
      assumptions: [...f.assumptions],
    },
  };
  const flow = codeFlow(f, at);
  if (flow) result.codeFlows = [flow];
  if (f.suppression) {
    result.suppressions = [
      { kind: f.suppression.kind === 'inline' ? 'inSource' : 'external', justification: f.suppression.reason },
    ];
  }
  if (f.via.length > 0) {
    result.relatedLocations = f.via.slice(0, MAX_RELATED_LOCATIONS).map((l, i) => ({
      id: i + 1,
      physicalLocation: { artifactLocation: at(l.file), region: region(l) },
      message: { text: `Module call ${i + 1} of ${f.via.length}.` },
    }));
  }
  return result;
}

/**
 * A finding's path as one code flow with one thread flow: each step a location with its own message,
 * outermost first, as SARIF viewers (GitHub's "Show paths") walk them. Steps without a usable line are
 * left out; the flow is cut at GitHub's display limit, the last location saying how many steps were cut.
 */
function codeFlow(f: Finding, at: Locator): Sarif.CodeFlow | undefined {
  const steps = (f.path ?? []).filter((s) => s.file !== '' && Number.isInteger(s.line) && s.line >= 1);
  if (steps.length === 0) return undefined;
  const kept = steps.slice(0, MAX_THREAD_FLOW_LOCATIONS);
  const cut = steps.length - kept.length;
  const locations: Sarif.ThreadFlowLocation[] = kept.map((step, i) => {
    const more = cut > 0 && i === kept.length - 1 ? ` (${plural(cut, 'further step')} not shown)` : '';
    return {
      location: {
        physicalLocation: { artifactLocation: at(step.file), region: stepRegion(step) },
        message: { text: sentence(`${escapeLinkText(shorten(step.message, MAX_STEP_MESSAGE))}${more}`) },
      },
      nestingLevel: 0,
      executionOrder: i + 1,
    };
  });
  return {
    message: { text: sentence(escapeLinkText(`${flowSource(f, steps[0])} → ${f.target ?? (f.resource || f.file)}`)) },
    threadFlows: [{ locations }],
  };
}

/** Where the flow starts: the internet for exposure findings, else the first step. */
function flowSource(f: Finding, first: PathStep): string {
  return f.reachability ? 'internet' : shorten(first.message, 80);
}

function stepRegion(step: PathStep): Sarif.Region {
  return { startLine: step.line, endLine: Math.max(step.line, step.endLine ?? step.line) };
}

function shorten(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * The finding's own message first, so its first sentence stands alone (GitHub shows it as the alert
 * title); then the module call chain as embedded links to relatedLocations, then any assumptions.
 */
function resultMessage(f: Finding): string {
  const parts = [sentence(escapeLinkText(f.message))];
  if (f.via.length > 0) {
    const chain = f.via.slice(0, MAX_RELATED_LOCATIONS).map((l, i) => `[${linkLabel(l)}](${i + 1})`).join(' → ');
    parts.push(`Reached through module ${f.via.length === 1 ? 'call' : 'calls'} ${chain}.`);
  }
  if (f.certainty === 'possible') {
    const why = f.assumptions.length > 0 ? `: ${f.assumptions.map(escapeLinkText).join('; ')}` : '';
    parts.push(sentence(`Possible, depending on values unknown statically${why}`));
  }
  return parts.join(' ');
}

/** Link text may not contain brackets; they are escaped, as SARIF's message syntax requires. */
function linkLabel(l: SourceLocation): string {
  return `${l.file}:${l.line}`.replace(/[[\]\\]/g, (ch) => `\\${ch}`);
}

/**
 * SARIF message text treats `[text](target)` as a link: brackets in our own text that could be read
 * so are escaped with a backslash (SARIF 2.1.0 §3.11.6); others are left readable.
 */
function escapeLinkText(s: string): string {
  return /\[[^\]]*\]\(/.test(s) ? s.replace(/[[\]]/g, (ch) => `\\${ch}`) : s;
}

function sentence(s: string): string {
  const t = s.trim();
  return t === '' || /[.!?]$/.test(t) ? t : `${t}.`;
}

function region(l: SourceLocation): Sarif.Region {
  const startLine = Math.max(1, l.line);
  return { startLine, endLine: Math.max(startLine, l.endLine) };
}

type Locator = (file: string) => Sarif.ArtifactLocation;

/**
 * Report paths are relative to the working folder; SARIF's are relative to the repository root
 * (SRCROOT), `prefix` being the path from that root to the working folder ("infra/" when scanning
 * from infra/). A path that stays absolute (a caller bug) is a file: URI without a base.
 */
function artifactLocator(prefix: string | undefined): Locator {
  const base = (prefix ?? '').replace(/\\/g, '/');
  return (file) => {
    const f = file.replace(/\\/g, '/');
    const joined = base === '' || path.posix.isAbsolute(f) || /^[A-Za-z]:\//.test(f) ? f : path.posix.normalize(path.posix.join(base, f));
    const uri = artifactUri(joined);
    return uri.startsWith('file:') ? { uri } : { uri, uriBaseId: SRCROOT };
  };
}

/**
 * A relative URI reference for a report path: forward slashes, no leading "./", each segment
 * percent-encoded (spaces, "#", "?" and ":" would otherwise change the URI's meaning). Callers pass
 * paths relative to the repository root; an absolute path (a caller bug) becomes a file: URI so the
 * log stays valid.
 */
export function artifactUri(file: string): string {
  let p = file.replace(/\\/g, '/').replace(/\/{2,}/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/\/(?:\.\/)+/g, '/');
  const encode = (path: string) => path.split('/').map(encodeURIComponent).join('/');
  const drive = /^([A-Za-z]):\//.exec(p);
  if (drive) return `file:///${drive[1]}:/${encode(p.slice(3))}`;
  if (p.startsWith('/')) return `file://${encode(p)}`;
  return encode(p);
}

function notification(
  d: Diagnostic,
  level: Sarif.Notification.level,
  descriptorId: string,
  descriptorIndex: number,
  at: Locator,
): Sarif.Notification {
  return {
    level,
    message: { text: sentence(d.message) },
    descriptor: { id: descriptorId, index: descriptorIndex },
    ...(d.file
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: at(d.file),
                ...(d.line !== undefined && d.line >= 1 ? { region: { startLine: d.line } } : {}),
              },
            },
          ],
        }
      : {}),
  };
}

/**
 * Indexes match the `index` given in notification(); keep the order. Full metadata because GitHub's and
 * Azure DevOps' ingestion rules (multitool GH2012, GHAzDO2012) apply to every reportingDescriptor.
 */
function notificationDescriptors(): Sarif.ReportingDescriptor[] {
  const descriptor = (id: string, name: string, short: string, full: string, help: string) => ({
    id,
    name,
    shortDescription: { text: short },
    fullDescription: { text: full },
    help: { text: help, markdown: help },
  });
  return [
    descriptor(
      NOTIFICATION_SCAN_ERROR,
      'ScanError',
      'A file could not be read or parsed.',
      'A file could not be read or parsed; its security groups were not checked, the rest of the scan went on.',
      'Fix the syntax error at the location given, or exclude the file from the scan.',
    ),
    descriptor(
      NOTIFICATION_COVERAGE,
      'CoverageNotice',
      'Part of a file could not be fully analysed.',
      'Part of a file could not be fully analysed (for example a dynamic block over unknown values); findings there may be missing.',
      'Give the values the scan needs (variables files, module sources) or review that part by hand.',
    ),
    descriptor(
      NOTIFICATION_TRUNCATED,
      'ResultsTruncated',
      'Results were cut to the most severe.',
      'More results were found than the result limit; only the most severe were kept.',
      'Fix or suppress the reported results, or raise the limit, to see the rest.',
    ),
  ];
}
