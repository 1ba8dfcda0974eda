import { cmp, headline, orderedDiagnostics, orderedFindings, type Diagnostic } from './common.js';
import type { ScanResult } from '../model/scan-result.js';
import { xmlOpen, xmlText } from './xml.js';

// Types taken from ScanResult itself, so this file depends on one type module only.
type Finding = ScanResult['findings'][number];
type CheckMeta = ScanResult['checks'][number]['meta'];

/** Test names longer than this are cut (the failure body keeps the whole message). */
export const MAX_NAME = 300;
/** Suite names for what is not a check. */
export const ERRORS_SUITE = 'sgscan: files that could not be scanned';
export const NOTICES_SUITE = 'sgscan: files only partly analysed';

/**
 * JUnit XML for CI test tabs (GitLab `artifacts:reports:junit`, Jenkins `junit`, Azure Pipelines
 * `PublishTestResults`). Valid against the Jenkins xUnit plugin's junit-10.xsd
 * (schemas/third-party/junit-10.xsd), the strictest schema these consumers share.
 *
 * Layout: one `<testsuite>` per check (by rule id, the way the checks are documented), because every
 * check then has a place: a check without findings is one passing testcase, so the tab reads
 * "34 checks, 2 failing" rather than only listing failures. Each finding is a failed testcase:
 * - `classname` "sgscan.SGS001": Jenkins groups it as package "sgscan", class "SGS001";
 * - `name` "severity: file: message": no line number, so the same finding keeps its name when
 *   unrelated edits move it, and GitLab's "new failures" / Jenkins' "failing since" stay right;
 * - `<failure type="critical" message="…">` with the file:line, resource, certainty, path and
 *   remediation in the body.
 * Suppressed findings are skipped testcases (the reason as the message); files that could not be
 * parsed are `<error>` testcases in their own suite; coverage notices are skipped testcases in another.
 *
 * Deterministic: no timestamps or host names, `time="0"` everywhere, everything sorted.
 */
export function renderJunit(result: ScanResult): string {
  const metas = new Map<string, CheckMeta>();
  for (const c of result.checks) metas.set(c.meta.id, c.meta);
  const byRule = new Map<string, Finding[]>();
  for (const f of orderedFindings(result.findings)) {
    const list = byRule.get(f.ruleId);
    if (list) list.push(f);
    else byRule.set(f.ruleId, [f]);
  }
  const ids = [...new Set([...metas.keys(), ...byRule.keys()])].sort(cmp);

  const suites: Suite[] = ids.map((id) => ruleSuite(id, metas.get(id), byRule.get(id) ?? []));
  if (result.errors.length > 0) suites.push(diagnosticSuite(ERRORS_SUITE, 'sgscan.scan-errors', result.errors, 'error'));
  if (result.notices.length > 0) suites.push(diagnosticSuite(NOTICES_SUITE, 'sgscan.coverage', result.notices, 'skipped'));

  const total = (k: 'tests' | 'failures' | 'errors') => suites.reduce((n, s) => n + s[k], 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `${xmlOpen('testsuites', [
      ['name', `sgscan ${result.tool.version}`],
      ['tests', total('tests')],
      ['failures', total('failures')],
      ['errors', total('errors')],
      ['time', '0'],
    ])}>`,
  ];
  for (const s of suites) {
    out.push(
      `  ${xmlOpen('testsuite', [
        ['name', s.name],
        ['tests', s.tests],
        ['failures', s.failures],
        ['errors', s.errors],
        ['skipped', s.skipped],
        ['time', '0'],
      ])}>`,
    );
    for (const c of s.cases) out.push(renderCase(c));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

interface Case {
  classname: string;
  name: string;
  outcome?: { kind: 'failure' | 'error' | 'skipped'; type: string; message: string; body: string };
}

interface Suite {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  cases: Case[];
}

function suite(name: string, cases: Case[]): Suite {
  const count = (k: 'failure' | 'error' | 'skipped') => cases.filter((c) => c.outcome?.kind === k).length;
  return { name, tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped'), cases: uniqueNames(cases) };
}

function ruleSuite(id: string, meta: CheckMeta | undefined, findings: Finding[]): Suite {
  const ruleName = meta?.name ?? findings[0]?.ruleName ?? id;
  const classname = `sgscan.${id}`;
  const cases: Case[] =
    findings.length === 0
      ? [{ classname, name: `${id} ${ruleName}: no findings` }]
      : findings.map((f) => findingCase(f, classname, meta));
  return suite(`${id} ${ruleName}`, cases);
}

function findingCase(f: Finding, classname: string, meta: CheckMeta | undefined): Case {
  const name = oneLine(`${f.severity}: ${f.file}: ${headline(f)}`);
  const where = f.endLine > f.line ? `${f.file}:${f.line}-${f.endLine}` : `${f.file}:${f.line}`;
  const body = findingBody(f, where, meta);
  if (f.suppression) {
    const s = f.suppression;
    const message = `suppressed (${s.kind === 'inline' ? 'inline' : 'configuration'}): ${s.reason}${s.expires ? ` (until ${s.expires})` : ''}`;
    return { classname, name, outcome: { kind: 'skipped', type: 'suppressed', message: oneLine(message), body } };
  }
  return {
    classname,
    name,
    outcome: { kind: 'failure', type: f.severity, message: oneLine(`[${f.severity}] ${f.ruleId} ${where}: ${headline(f)}`), body },
  };
}

function findingBody(f: Finding, where: string, meta: CheckMeta | undefined): string {
  const lines = [`${f.severity} ${f.ruleId} ${f.ruleName}`, headline(f), `at ${where}`, `resource: ${f.resource}`];
  if (f.certainty === 'possible') {
    lines.push(`certainty: possible${f.assumptions.length ? ` (${f.assumptions.join('; ')})` : ''}`);
  }
  if (f.reachability) lines.push(`reachability: ${f.reachability}`);
  for (const v of f.via) lines.push(`via: ${v.file}:${v.line}`);
  if (f.path && f.path.length > 0) {
    lines.push('path:');
    for (const step of f.path) lines.push(`  ${step.file}:${step.line}  ${step.message}`);
  }
  if (f.suppression) {
    lines.push(`suppressed at ${f.suppression.file}:${f.suppression.line}: ${f.suppression.reason}`);
  }
  if (meta) lines.push(`remediation: ${meta.remediation.trim()}`);
  lines.push(`fingerprint: ${f.fingerprint}`);
  return lines.join('\n');
}

function diagnosticSuite(name: string, classname: string, ds: readonly Diagnostic[], kind: 'error' | 'skipped'): Suite {
  const cases = orderedDiagnostics(ds).map((d): Case => {
    const where = d.line !== undefined ? `${d.file}:${d.line}` : d.file;
    return {
      classname,
      name: oneLine(`${d.file}: ${d.message}`),
      outcome: {
        kind,
        type: kind === 'error' ? 'scan-error' : 'coverage-notice',
        message: oneLine(`${where}: ${d.message}`),
        body: `${where}\n${d.message}`,
      },
    };
  });
  return suite(name, cases);
}

/** Two testcases of one class with one name would be merged or hidden by some consumers: number them. */
function uniqueNames(cases: Case[]): Case[] {
  const taken = new Set<string>();
  return cases.map((c) => {
    let name = c.name;
    for (let n = 2; taken.has(name); n++) name = `${c.name} (${n})`;
    taken.add(name);
    return name === c.name ? c : { ...c, name };
  });
}

/** Names and messages are one line: whitespace runs (newlines included) collapse, long text is cut. */
function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  if (flat.length <= MAX_NAME) return flat;
  // Never cut between the two halves of a surrogate pair.
  const end = /[\uD800-\uDBFF]/.test(flat[MAX_NAME - 2]!) ? MAX_NAME - 2 : MAX_NAME - 1;
  return `${flat.slice(0, end)}…`;
}

function renderCase(c: Case): string {
  const open = xmlOpen('testcase', [
    ['name', c.name],
    ['classname', c.classname],
    ['time', '0'],
  ]);
  if (!c.outcome) return `    ${open}/>`;
  const o = c.outcome;
  return [
    `    ${open}>`,
    `      ${xmlOpen(o.kind, [['type', o.type], ['message', o.message]])}>${xmlText(o.body)}</${o.kind}>`,
    '    </testcase>',
  ].join('\n');
}
