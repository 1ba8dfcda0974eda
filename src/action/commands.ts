import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { Finding, Severity } from '../model/check.js';
import { bySeverityFirst } from '../report/common.js';

// The runner's file and stdout protocols (workflow commands), as GitHub documents them.

/** Message text of a workflow command: %, CR and LF are escaped. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value (file=, title=): additionally ":" and ",". */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export function annotationLevel(s: Severity): AnnotationLevel {
  return s === 'critical' || s === 'high' ? 'error' : s === 'info' ? 'notice' : 'warning';
}

/** `::error file=…,line=…,endLine=…,title=…::message` */
export function annotation(f: Finding): string {
  const props = [`file=${escapeProperty(f.file)}`, `line=${f.line}`, `endLine=${f.endLine}`, `title=${escapeProperty(`${f.ruleId} ${f.ruleName} (${f.severity})`)}`];
  return `::${annotationLevel(f.severity)} ${props.join(',')}::${escapeData(f.message)}\n`;
}

/** GitHub shows at most this many annotations of each level per step. */
export const ANNOTATIONS_PER_LEVEL = 10;

/** Most severe first, at most ANNOTATIONS_PER_LEVEL of each level; the rest is counted. */
export function selectAnnotations(findings: readonly Finding[]): { shown: Finding[]; left: number } {
  const used: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  const shown: Finding[] = [];
  for (const f of [...findings].sort(bySeverityFirst)) {
    const level = annotationLevel(f.severity);
    if (used[level] < ANNOTATIONS_PER_LEVEL) {
      used[level]++;
      shown.push(f);
    }
  }
  return { shown, left: findings.length - shown.length };
}

/** Appends `name<<delimiter` … `delimiter` entries to GITHUB_OUTPUT (multi-line safe). */
export function writeOutputs(file: string, outputs: Record<string, string>): void {
  let text = '';
  for (const [name, value] of Object.entries(outputs)) {
    // A fresh delimiter that the value cannot contain, as the toolkit does.
    let delimiter = `ghadelimiter_${randomUUID()}`;
    while (value.includes(delimiter) || name.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  appendFileSync(file, text);
}

/** Parses a GITHUB_OUTPUT file written in the heredoc format (for tests and tools). */
export function readOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!m) continue;
    const end = lines.indexOf(m[2], i + 1);
    if (end < 0) break;
    out[m[1]] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return out;
}
