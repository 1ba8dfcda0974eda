import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../../model/check.js';
import { SEVERITIES } from '../../model/check.js';
import type { ScanResult } from '../../model/scan-result.js';
import type { ScanOptions } from '../scan.js';
import { scanResult } from '../parallel.js';
import { diffFindings, type FindingsDiff } from './diff.js';
import { DiffError } from './errors.js';
import { checkoutToTemp, type BaseTree } from './git.js';

/** What the head is compared with: a git revision, or a stored sgscan JSON report. */
export type DiffBase = { kind: 'git'; ref: string } | { kind: 'baseline'; file: string };

export interface DiffScan {
  result: ScanResult;
  diff: FindingsDiff;
}

/**
 * Scans the head (opts.cwd) and the base with the same options and path arguments, then diffs the
 * findings by fingerprint. Throws DiffError for problems the user can fix.
 */
export async function scanAgainstBase(opts: ScanOptions, base: DiffBase): Promise<DiffScan> {
  const baseFindings = base.kind === 'git' ? await scanGitBase(opts, base.ref) : readBaseline(path.resolve(opts.cwd, base.file));
  const result = await scanResult(opts);
  const label = base.kind === 'git' ? base.ref : `baseline ${base.file}`;
  return { result, diff: diffFindings(baseFindings, result.findings, label) };
}

async function scanGitBase(opts: ScanOptions, ref: string): Promise<Finding[]> {
  const tree = await checkoutToTemp(opts.cwd, ref);
  try {
    const terraform = opts.terraform && {
      ...opts.terraform,
      varFiles: opts.terraform.varFiles?.map((f) => inBaseTree(tree, f)),
      varArgs: opts.terraform.varArgs?.map((a) => (a.kind === 'file' ? { ...a, value: inBaseTree(tree, a.value) } : a)),
    };
    const result = await scanResult({ ...opts, cwd: tree.cwd, terraform });
    return result.findings;
  } finally {
    await tree.dispose();
  }
}

/** A file inside the repository is read from the base tree when it exists there. */
function inBaseTree(tree: BaseTree, file: string): string {
  const rel = path.relative(tree.repo, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return file;
  const copy = path.join(tree.root, rel);
  return existsSync(copy) ? copy : file;
}

/**
 * Findings of a stored JSON report (schemas/sgscan-report.schema.json). Only what the diff and the
 * reporters use is required; the rest gets neutral defaults.
 */
export function readBaseline(file: string): Finding[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DiffError(`cannot read the baseline ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const findings = (data as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(findings)) throw new DiffError(`the baseline ${file} is not an sgscan JSON report (no "findings" list)`);
  return findings.map((raw, i) => baselineFinding(raw, `findings[${i}]`, file));
}

const REACHABILITY = ['reachable', 'possibly-reachable', 'not-reachable'] as const;

function baselineFinding(raw: unknown, where: string, file: string): Finding {
  const f = (raw ?? {}) as Partial<Record<keyof Finding, unknown>>;
  if (typeof f.fingerprint !== 'string' || f.fingerprint === '') {
    throw new DiffError(`the baseline ${file}: ${where} has no fingerprint`);
  }
  const severity = SEVERITIES.find((s) => s === f.severity) ?? 'info';
  const line = typeof f.line === 'number' ? f.line : 1;
  const reachability = REACHABILITY.find((r) => r === f.reachability);
  const folded = Array.isArray(f.folded) ? f.folded.map((x, j) => baselineFinding(x, `${where}.folded[${j}]`, file)) : [];
  return {
    ruleId: str(f.ruleId),
    ruleName: str(f.ruleName),
    severity,
    message: str(f.message),
    file: str(f.file),
    line,
    endLine: typeof f.endLine === 'number' ? f.endLine : line,
    resource: str(f.resource),
    fingerprint: f.fingerprint,
    certainty: f.certainty === 'possible' ? 'possible' : 'definite',
    assumptions: Array.isArray(f.assumptions) ? f.assumptions.map(String) : [],
    via: [],
    key: '',
    ...(reachability ? { reachability } : {}),
    ...(typeof f.service === 'string' ? { service: f.service } : {}),
    ...(folded.length ? { folded } : {}),
  };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
