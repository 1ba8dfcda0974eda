import path from 'node:path';
import type { Check, Finding, PathStep, Severity } from '../model/check.js';
import { severityRank } from '../model/check.js';
import { joinList } from '../model/services.js';
import type { Rule } from '../model/model.js';
import { sortFindings } from './runner.js';
import { conditionText } from '../reach/conditions.js';
import { append } from '../model/arrays.js';

// One finding per thing to fix. Several checks look at one rule from different angles (all traffic,
// SSH, a high-risk port, an unlisted port); reachability finds the same rule again as the way in to
// each endpoint it exposes. A reviewer fixes the rule once, so the report tells it once: at the
// rule, at the most severe of the severities, with what it exposes and the path. What was folded is
// kept on the finding (`folded`) for PR mode and diagrams, which count exposures, not findings.

/** Most endpoints named in a folded finding's message; the JSON and SARIF reports list them all. */
const MAX_NAMED_TARGETS = 3;

/**
 * Fold overlapping findings. Suppressed findings are left alone (accepting one check's finding
 * does not accept another's), and only findings that are reported fold into each other.
 */
export function foldFindings(findings: readonly Finding[], checks: readonly Check[]): Finding[] {
  const meta = new Map(checks.map((c) => [c.meta.id, c.meta]));
  const active = findings.filter((f) => !f.suppression);
  const kept = new Set<Finding>(findings);

  // 1. Overlapping checks of one family on one subject: the lowest rank speaks for all.
  const bySubject = new Map<string, Finding[]>();
  for (const f of active) {
    const family = meta.get(f.ruleId)?.overlaps?.family;
    if (!family) continue;
    const k = `${family}\u0000${subjectOf(f)}`;
    const list = bySubject.get(k);
    if (list) list.push(f);
    else bySubject.set(k, [f]);
  }
  const replaced = new Map<Finding, Finding>();
  for (const list of bySubject.values()) {
    if (list.length < 2) continue;
    const rank = (f: Finding) => meta.get(f.ruleId)?.overlaps?.rank ?? 0;
    // A check that names the port's service ("SMB") does not head a finding whose members answer on
    // that port only with a listener (HTTPS on 445): one that names the ports does.
    const misnames = (f: Finding) => (f.servedByListeners && meta.get(f.ruleId)?.overlaps?.namesService && list.some((g) => !meta.get(g.ruleId)?.overlaps?.namesService) ? 1 : 0);
    const [lead, ...rest] = [...list].sort((a, b) => misnames(a) - misnames(b) || rank(a) - rank(b) || severityRank(a.severity) - severityRank(b.severity));
    const merged: Finding = { ...lead, severity: worst(list.map((f) => f.severity)), folded: [...(lead.folded ?? []), ...rest] };
    for (const f of list) kept.delete(f);
    kept.add(merged);
    for (const f of list) replaced.set(f, merged);
  }

  // 2. Exposures that one world-open rule opens are told at that rule's finding.
  const atRule = new Map<Rule, Finding>();
  // A rule finding that re-ranking found unreachable keeps its own words (no exposure can be through it).
  for (const f of kept) if (f.exposes && !f.suppression && f.reachability !== 'not-reachable') atRule.set(f.exposes, f);
  const exposuresOf = new Map<Finding, Finding[]>();
  for (const f of active) {
    if (!meta.get(f.ruleId)?.foldsIntoRule) continue;
    const rule = admittingRule(f.path);
    const host = rule && atRule.get(rule);
    if (!host) continue;
    const list = exposuresOf.get(host);
    if (list) list.push(f);
    else exposuresOf.set(host, [f]);
    kept.delete(f);
  }
  for (const [host, exposures] of exposuresOf) {
    kept.delete(host);
    kept.add(withExposures(host, exposures));
  }
  return sortFindings(foldInstances([...kept]));
}

/**
 * 3. One module called several times with the same inputs gives the same finding once per instance, at
 * one line: the line to fix is one, so is the finding ("… and in 3 other instances of the module").
 * Findings fold only when they say the same thing but for the instance's module address.
 */
function foldInstances(findings: Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  const out: Finding[] = [];
  for (const f of findings) {
    const prefix = modulePrefix(f.resource);
    if (!prefix || f.suppression) {
      out.push(f);
      continue;
    }
    const k = [f.ruleId, f.file, f.line, f.endLine, f.severity, f.certainty, f.reachability ?? '', f.message.split(prefix).join('')].join('\u0000');
    const list = groups.get(k);
    if (list) list.push(f);
    else groups.set(k, [f]);
  }
  for (const list of groups.values()) {
    if (list.length === 1) {
      out.push(list[0]);
      continue;
    }
    const [lead, ...rest] = sortFindings(list);
    // Each instance named with its call site: where its inputs come from, when the fix is there.
    const others = rest.map((f) => {
      const call = f.via.at(-1);
      return `${modulePrefix(f.resource)!.replace(/\.$/, '')}${call ? ` (${path.basename(call.file)}:${call.line})` : ''}`;
    });
    const named = others.length > MAX_NAMED_TARGETS ? [...others.slice(0, MAX_NAMED_TARGETS - 1), `${others.length - (MAX_NAMED_TARGETS - 1)} more`] : others;
    out.push({ ...lead, message: `${lead.message.replace(/\s*$/, '')} The same holds in ${others.length === 1 ? 'another instance' : `${others.length} other instances`} of the module: ${joinList(named)}.`, folded: [...(lead.folded ?? []), ...rest] });
  }
  return out;
}

/** "module.a.module.b[0]." of "module.a.module.b[0].aws_security_group.x"; undefined outside modules. */
function modulePrefix(address: string): string | undefined {
  const m = /^((?:module\.[^.[]+(?:\[[^\]]*\])?\.)+)/.exec(address);
  return m ? m[1] : undefined;
}

/** Same family, same subject: the checks' own subject when they give one, else file, line, resource and key. */
function subjectOf(f: Finding): string {
  return f.subject ?? `${f.file}\u0000${f.line}\u0000${f.resource}\u0000${f.key}`;
}

/** The first security group rule on an exposure's path admitting traffic in: the way in from outside. */
function admittingRule(path: readonly PathStep[] | undefined): Rule | undefined {
  for (const step of path ?? []) if (step.rule && step.rule.direction === 'ingress') return step.rule;
  return undefined;
}

function worst(list: readonly Severity[]): Severity {
  return [...list].sort((a, b) => severityRank(a) - severityRank(b))[0];
}

/**
 * The rule's finding, telling what it exposes: "… Reachable from the internet: aws_instance.bastion on
 * tcp/22 (SSH)." Severity is the worst of the rule's and the exposures'; the path is the most severe
 * exposure's, ending at its endpoint.
 */
function withExposures(host: Finding, exposures: Finding[]): Finding {
  const sorted = [...exposures].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || rankReach(a) - rankReach(b) || (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
  const definite = sorted.filter((x) => x.reachability === 'reachable');
  const possible = sorted.filter((x) => x.reachability !== 'reachable');
  const sentences: string[] = [];
  if (definite.length) sentences.push(`Reachable from the internet: ${targetsText(definite)}.`);
  if (possible.length) {
    sentences.push(`${definite.length ? 'Possibly also' : 'Possibly reachable from the internet'}: ${targetsText(possible)}${possibleIfs(possible)}.`);
  }
  const lead = sorted[0];
  const end: PathStep = { file: lead.file, line: lead.line, ...(lead.endLine !== lead.line ? { endLine: lead.endLine } : {}), message: `${lead.resource}${lead.service ? ` on ${lead.service}` : ''}` };
  const reachability = definite.length ? 'reachable' : 'possibly-reachable';
  const message = `${host.message.replace(/\s*$/, '')} ${sentences.join(' ')}`;
  return {
    ...host,
    message,
    severity: worst([host.severity, ...exposures.map((x) => x.severity)]),
    reachability,
    path: [...(lead.path ?? []), end],
    target: lead.resource,
    assumptions: definite.length ? host.assumptions : [...new Set([...host.assumptions, ...possible.flatMap((x) => x.assumptions)])],
    folded: [...(host.folded ?? []), ...sorted],
  };
}

/**
 * What the possible exposures depend on, worded as SGS040 words it ("if parameter SubnetId names a
 * public subnet"), per endpoint; endpoints with different conditions read as alternatives.
 */
function possibleIfs(possible: readonly Finding[]): string {
  const byTarget = new Map<string, string[]>();
  for (const x of possible) {
    const list = byTarget.get(x.resource) ?? [];
    append(list, x.assumptions);
    byTarget.set(x.resource, list);
  }
  const texts = [...new Set([...byTarget].map(([id, a]) => conditionText(id, [...new Set(a)])).filter((t) => t !== ''))];
  if (texts.length <= 1) return texts[0] ?? '';
  return `, if ${texts.map((t) => t.replace(/^, (if )?/, '')).join('; or ')}`;
}

function rankReach(f: Finding): number {
  return f.reachability === 'reachable' ? 0 : 1;
}

/** "aws_instance.a on tcp/22 (SSH)", "aws_instance.a and aws_instance.b on tcp/22 (SSH)", "… and 4 more". */
/** "tcp/80 …" before "tcp/445 …": by protocol name, then by first port number. */
function byPort(a: string, b: string): number {
  const pa = /^(\w+)\/(\d+)/.exec(a);
  const pb = /^(\w+)\/(\d+)/.exec(b);
  if (pa && pb && pa[1] === pb[1]) return Number(pa[2]) - Number(pb[2]);
  return a < b ? -1 : a > b ? 1 : 0;
}

function targetsText(exposures: readonly Finding[]): string {
  const byService = new Map<string, string[]>();
  for (const x of exposures) {
    const s = x.service ?? x.key;
    const list = byService.get(s) ?? [];
    if (!list.includes(x.resource)) list.push(x.resource);
    byService.set(s, list);
  }
  // Services exposed on the same endpoints read as one: "aws_lb.web on tcp/80 (HTTP) and tcp/443 (HTTPS)".
  const byTargets = new Map<string, { targets: string[]; services: string[] }>();
  for (const [service, targets] of byService) {
    const k = targets.join('\u0000');
    const g = byTargets.get(k);
    if (g) g.services.push(service);
    else byTargets.set(k, { targets, services: [service] });
  }
  const parts = [...byTargets.values()].map(({ targets, services }) => {
    const named = targets.length > MAX_NAMED_TARGETS ? [...targets.slice(0, MAX_NAMED_TARGETS - 1), `${targets.length - (MAX_NAMED_TARGETS - 1)} more`] : targets;
    return `${joinList(named)} on ${joinList([...services].sort(byPort))}`;
  });
  return parts.length > MAX_NAMED_TARGETS ? `${parts.slice(0, MAX_NAMED_TARGETS).join('; ')}; and ${parts.length - MAX_NAMED_TARGETS} more services` : parts.join('; ');
}
