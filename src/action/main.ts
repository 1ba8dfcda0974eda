import { mkdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_CHECKS } from '../../rules/index.js';
import { SEVERITIES, withFolded, type Finding, type Severity } from '../model/check.js';
import { lineReader } from '../input/lines.js';
import { activeNew, diffFindings, isExposure, newBySeverity, newExposures, type FindingsDiff } from '../pipeline/diff/diff.js';
import { DiffError } from '../pipeline/diff/errors.js';
import { runGit } from '../pipeline/diff/git.js';
import { scanAgainstBase } from '../pipeline/diff/run.js';
import { plural } from '../report/common.js';
import { FORMATS, REPORT_FORMATS, renderReport, type Format } from '../report/formats.js';
import type { ScanResult } from '../model/scan-result.js';
import type { ScanOptions } from '../pipeline/scan.js';
import { scanResult } from '../pipeline/parallel.js';
import { parseJobs, workerEntry } from '../cli/threads.js';
import { buildScanSetup, decideExit, describeSetupError, EXIT_USAGE, reportPathPrefix } from '../cli/scan-setup.js';
import { isPreset, PRESETS } from '../config/presets.js';
import { annotation, escapeData, escapeProperty, selectAnnotations, writeOutputs } from './commands.js';
import { COMMENT_MARKER, upsertComment } from './comment.js';

// The GitHub Action: inputs from INPUT_* variables (never through a shell), the scan (diffed against
// the pull request's base when there is one), then SARIF, annotations, the job summary, an optional
// PR comment and step outputs. Exit 1 when new findings reach fail-on; 2 for unusable inputs.

export type Env = Record<string, string | undefined>;

export interface ActionIo {
  stdout: (s: string) => void;
  fetch?: typeof fetch;
}

/** PR comments are limited to 65536 characters; leave room for the marker. */
const COMMENT_MAX_BYTES = 60_000;
/** The job summary is limited to 1 MiB per step. */
const SUMMARY_MAX_BYTES = 1000_000;

/** The value of an input as the runner passes it: INPUT_<NAME>, spaces as "_", upper case. */
export function getInput(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** A list input: one item per line or comma-separated. */
export function getList(env: Env, name: string): string[] {
  return getInput(env, name)
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function getBoolean(env: Env, name: string, fallback: boolean): boolean {
  const v = getInput(env, name).toLowerCase();
  if (v === '') return fallback;
  if (['true', 'yes', 'on', '1'].includes(v)) return true;
  if (['false', 'no', 'off', '0'].includes(v)) return false;
  throw new InputError(`input ${name} must be true or false, got "${v}"`);
}

class InputError extends Error {}

interface PullRequestEvent {
  pull_request?: { number?: number; base?: { sha?: string }; head?: { sha?: string } };
  before?: string;
}

export async function runAction(env: Env, io: ActionIo = { stdout: (s) => process.stdout.write(s) }): Promise<number> {
  const log = (s: string) => io.stdout(`${s}\n`);
  try {
    return await run(env, io, log);
  } catch (e) {
    const message = e instanceof InputError || e instanceof DiffError ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    io.stdout(`::error title=sgscan::${escapeData(message)}\n`);
    return 2;
  }
}

async function run(env: Env, io: ActionIo, log: (s: string) => void): Promise<number> {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const pr = event.pull_request;

  const failOn = (getInput(env, 'fail-on') || 'high').toLowerCase();
  if (failOn !== 'none' && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new InputError(`input fail-on must be one of ${[...SEVERITIES, 'none'].join(', ')}, got "${failOn}"`);
  }
  const formats = getList(env, 'format').map((f) => f.toLowerCase());
  for (const f of formats) {
    if (!(FORMATS as readonly string[]).includes(f)) throw new InputError(`input format: unknown format "${f}" (expected ${FORMATS.join(', ')})`);
  }

  const scanOptions = buildScanOptions(env, workspace, io);
  if (!scanOptions) return EXIT_USAGE;
  const base = await diffBase(env, event, workspace, log);

  let result: ScanResult;
  let diff: FindingsDiff | undefined;
  if (base) {
    log(`sgscan: comparing with ${base.label} (${base.ref})`);
    ({ result, diff } = await scanAgainstBase(scanOptions, { kind: 'git', ref: base.ref }));
    diff.base = base.label;
  } else {
    result = await scanResult(scanOptions);
  }

  const active = result.findings.filter((f) => !f.suppression);
  // Without a base everything counts as new: the outputs and fail-on then speak of all findings.
  const fresh = diff ? activeNew(diff) : active;
  // Internet exposures (SGS040, reachable or possibly) the change introduces; all of them without a base.
  const exposures = diff ? newExposures(diff) : withFolded(active).filter(isExposure);
  const wording = { subject: pr ? 'This PR' : 'This change' };
  const readLines = lineReader(workspace);

  // The log.
  io.stdout(renderReport(result, 'text', { color: false, readLines, wording, diff }));

  // Report files.
  const category = getInput(env, 'category') || undefined;
  const sarifPath = path.resolve(workspace, getInput(env, 'sarif-output') || path.join(env.RUNNER_TEMP || workspace, 'sgscan.sarif'));
  const written: Partial<Record<Format, string>> = {};
  // The workspace is usually the repository root; when it is a folder inside one, URIs still start there.
  const pathPrefix = reportPathPrefix(workspace);
  for (const format of new Set<Format>(['sarif', ...(formats as Format[])])) {
    const file = format === 'sarif' ? sarifPath : path.join(path.dirname(sarifPath), `sgscan.${REPORT_FORMATS[format].extension}`);
    const text = renderReport(result, format, { color: false, category, readLines, wording, diff, pathPrefix });
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    written[format] = file;
    log(`sgscan: wrote the ${format} report to ${file}`);
  }

  // Annotations: only what is new (in a PR, what the PR introduces), most severe first.
  let annotationNote = '';
  if (getBoolean(env, 'annotations', true)) {
    const { shown, left } = selectAnnotations(fresh);
    for (const f of shown) io.stdout(annotation(f));
    if (left > 0) {
      annotationNote = `${plural(left, 'finding')} not annotated: GitHub shows at most 10 error, 10 warning and 10 notice annotations per step. The SARIF report and this summary have them all.`;
      log(`sgscan: ${annotationNote}`);
    }
  }

  // Job summary and PR comment.
  const linkBase = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/blob/${pr?.head?.sha ?? env.GITHUB_SHA ?? 'HEAD'}/` : undefined;
  const markdown = (maxBytes: number) =>
    renderReport(result, 'markdown', { color: false, readLines, diff, wording, markdown: { linkBase, maxBytes } }) +
    (annotationNote ? `\n> [!NOTE]\n> ${annotationNote}\n` : '');
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown(SUMMARY_MAX_BYTES)}\n`);

  if (getBoolean(env, 'pr-comment', false)) {
    const token = getInput(env, 'github-token') || env.GITHUB_TOKEN || '';
    if (!pr?.number) log('sgscan: pr-comment is on, but this run is not for a pull request; no comment.');
    else if (!token || !env.GITHUB_REPOSITORY) log('sgscan: pr-comment is on, but there is no github-token (or GITHUB_REPOSITORY); no comment.');
    else {
      const outcome = await upsertComment(
        { apiUrl: env.GITHUB_API_URL || 'https://api.github.com', repository: env.GITHUB_REPOSITORY, issueNumber: pr.number, token },
        markdown(COMMENT_MAX_BYTES - COMMENT_MARKER.length),
        { createIfMissing: fresh.length > 0, fetch: io.fetch },
      );
      if (outcome.kind === 'failed') io.stdout(`::warning title=sgscan PR comment::${escapeData(outcome.message)}\n`);
      else if (outcome.kind === 'skipped') log(`sgscan: no PR comment (${outcome.reason}).`);
      else log(`sgscan: PR comment ${outcome.kind} (id ${outcome.id}).`);
    }
  }

  // Step outputs.
  if (env.GITHUB_OUTPUT) {
    const counts = diff ? newBySeverity(diff) : countBySeverity(fresh);
    writeOutputs(env.GITHUB_OUTPUT, {
      'sarif-path': sarifPath,
      ...(written.json ? { 'json-path': written.json } : {}),
      ...(written.markdown ? { 'markdown-path': written.markdown } : {}),
      ...(written.text ? { 'text-path': written.text } : {}),
      'findings-count': String(active.length),
      'new-findings-count': String(fresh.length),
      'fixed-findings-count': String(diff ? diff.fixed.length : 0),
      ...Object.fromEntries(SEVERITIES.map((s) => [`new-${s}`, String(counts[s])])),
      'new-exposures': String(exposures.length),
      'diff-base': base?.ref ?? '',
    });
  }

  // The same exit rules as the CLI: nothing to scan is exit 2, suppressed findings never fail.
  const decision = decideExit(result, diff, { failOn: failOn as Severity | 'none', paths: scanOptions.paths });
  if (decision.code === EXIT_USAGE) io.stdout(`::error title=sgscan::${escapeData(decision.message ?? 'nothing could be scanned')}\n`);
  else if (decision.failing > 0) log(`sgscan: ${plural(decision.failing, diff ? 'new finding' : 'finding')} at or above ${failOn} (fail-on).`);
  return decision.code;
}

function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  return newBySeverity(diffFindings([], findings));
}

function readEvent(file: string | undefined): PullRequestEvent {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PullRequestEvent;
  } catch {
    return {};
  }
}

/** The CLI's options builder (src/cli/scan-setup.ts) fed from the inputs; undefined after reporting errors. */
function buildScanOptions(env: Env, workspace: string, io: ActionIo): ScanOptions | undefined {
  // As the CLI's --preset: it wins over the configuration's `extends`; empty leaves that to decide.
  const preset = getInput(env, 'preset').toLowerCase();
  if (preset !== '' && !isPreset(preset)) throw new InputError(`input preset must be one of ${PRESETS.join(', ')}, got "${preset}"`);
  const setup = buildScanSetup({
    paths: getList(env, 'paths'),
    cwd: workspace,
    env,
    checks: ALL_CHECKS,
    config: getInput(env, 'config') || undefined,
    ...(isPreset(preset) ? { preset } : {}),
    varArgs: getList(env, 'var-files').map((value) => ({ kind: 'file' as const, value })),
    parameterFiles: getList(env, 'parameter-files'),
    onlyChecks: getList(env, 'check'),
    skipChecks: getList(env, 'skip-check'),
    skipPaths: getList(env, 'skip-path'),
  });
  const jobs = parseJobs(getInput(env, 'jobs'));
  if (typeof jobs === 'object') throw new InputError(`input ${jobs.error}`);
  if (setup.ok) return { ...setup.options, jobs, workerUrl: workerEntry(), onWarning: (m) => io.stdout(`::warning title=sgscan::${escapeData(m)}\n`) };
  // The CLI's messages, as annotations on the configuration line where there is one.
  for (const e of setup.errors) {
    const where = e.file ? ` file=${escapeProperty(e.file)}${e.line ? `,line=${e.line}` : ''},` : ' ';
    io.stdout(`::error${where}title=sgscan::${escapeData(describeSetupError(e))}\n`);
  }
  return undefined;
}

/**
 * The revision to compare with: input diff-base if given; in auto mode the pull request's base SHA;
 * with diff-mode true on a push, the commit before the push. A missing commit (shallow clone) is
 * fetched from origin.
 */
async function diffBase(env: Env, event: PullRequestEvent, workspace: string, log: (s: string) => void): Promise<{ ref: string; label: string } | undefined> {
  const mode = (getInput(env, 'diff-mode') || 'auto').toLowerCase();
  if (!['auto', 'true', 'false', 'on', 'off'].includes(mode)) throw new InputError(`input diff-mode must be auto, true or false, got "${mode}"`);
  if (mode === 'false' || mode === 'off') return undefined;
  const explicit = getInput(env, 'diff-base');
  const prBase = event.pull_request?.base?.sha;
  const before = event.before && !/^0+$/.test(event.before) ? event.before : undefined;
  const ref = explicit || prBase || (mode === 'auto' ? undefined : before);
  if (!ref) {
    if (mode === 'auto') return undefined;
    throw new InputError('diff-mode is true but there is no base to compare with: not a pull_request event, no push "before" commit, and no diff-base input');
  }
  await ensureCommit(workspace, ref, log);
  const label = explicit ? explicit : prBase ? `the PR base ${ref.slice(0, 12)}` : `the commit before the push ${ref.slice(0, 12)}`;
  return { ref, label };
}

async function ensureCommit(workspace: string, ref: string, log: (s: string) => void): Promise<void> {
  const has = await runGit(['cat-file', '-e', `${ref}^{commit}`], workspace);
  if (has.code === 0 || !/^[0-9a-f]{40}$/i.test(ref)) return;
  // actions/checkout fetches one commit by default; get the base too (its credentials are kept).
  log(`sgscan: fetching ${ref} from origin (shallow clone)`);
  const fetched = await runGit(['fetch', '--no-tags', '--depth=1', 'origin', ref], workspace);
  if (fetched.code !== 0) {
    throw new DiffError(`the base commit ${ref} is not in the clone and could not be fetched (${fetched.stderr.split('\n')[0]}); use actions/checkout with fetch-depth: 0`);
  }
}
