import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readOutputs } from '../../src/action/commands.js';
import { runAction, type Env } from '../../src/action/main.js';
import { TempRepo } from '../pipeline/diff/git-repo.js';

// What the runner gives the action: a checked-out PR head in a git repository holding the base commit,
// the pull_request event file, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, INPUT_* variables.

export interface Pr {
  repo: TempRepo;
  base: string;
  head: string;
  /** Files the runner hands the action. */
  event: string;
  output: string;
  summary: string;
  temp: string;
  dispose(): void;
}

/** A repository with a base commit and a PR head commit checked out, plus the runner's files. */
export function pullRequest(base: Record<string, string>, head: Record<string, string>, number = 7, removed: string[] = []): Pr {
  const repo = new TempRepo();
  const temp = mkdtempSync(path.join(tmpdir(), 'sgscan-runner-'));
  const baseSha = repo.commit(base, 'base');
  for (const f of removed) repo.git('rm', '-q', f);
  const headSha = repo.commit(head, 'head');
  const event = path.join(temp, 'event.json');
  writeFileSync(event, JSON.stringify({ action: 'synchronize', number, pull_request: { number, base: { sha: baseSha, ref: 'main' }, head: { sha: headSha } } }));
  const output = path.join(temp, 'output.txt');
  const summary = path.join(temp, 'summary.md');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const dispose = () => {
    repo.dispose();
    rmSync(temp, { recursive: true, force: true });
  };
  return { repo, base: baseSha, head: headSha, event, output, summary, temp, dispose };
}

export function runnerEnv(pr: Pr, inputs: Record<string, string> = {}): Env {
  const env: Env = {
    GITHUB_WORKSPACE: pr.repo.dir,
    GITHUB_EVENT_PATH: pr.event,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_OUTPUT: pr.output,
    GITHUB_STEP_SUMMARY: pr.summary,
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: pr.head,
    RUNNER_TEMP: pr.temp,
    PATH: process.env.PATH,
  };
  // The runner's names: INPUT_ + the input name upper-cased (hyphens kept).
  const defaults: Record<string, string> = { paths: '.', 'fail-on': 'high', 'diff-mode': 'auto', annotations: 'true', 'pr-comment': 'false', category: 'sgscan/' };
  for (const [k, v] of Object.entries({ ...defaults, ...inputs })) env[`INPUT_${k.toUpperCase()}`] = v;
  return env;
}

/** Runs the action's entry function in-process, as dist/index.js does, and collects what it wrote. */
export async function act(pr: Pr, inputs: Record<string, string> = {}, extraEnv: Env = {}) {
  let stdout = '';
  const code = await runAction({ ...runnerEnv(pr, inputs), ...extraEnv }, { stdout: (s) => void (stdout += s) });
  return {
    code,
    stdout,
    annotations: stdout.split('\n').filter((l) => /^::(error|warning|notice) /.test(l)),
    outputs: readOutputs(readFileSync(pr.output, 'utf8')),
    summary: readFileSync(pr.summary, 'utf8'),
  };
}

/** What one run of the action left behind. */
export type ActionRun = Awaited<ReturnType<typeof act>>;

/**
 * Runs a bundled entry point (dist/index.js or a fresh build of it) as the runner does: `node <entry>`
 * in the workspace with only the environment. Anything on stderr is returned as an error line.
 */
export function actBundle(entry: string, pr: Pr, inputs: Record<string, string> = {}): ActionRun {
  const r = spawnSync(process.execPath, [entry], { cwd: pr.repo.dir, env: runnerEnv(pr, inputs) as NodeJS.ProcessEnv, encoding: 'utf8' });
  if (r.stderr !== '') throw new Error(`the bundle wrote to stderr: ${r.stderr}`);
  return {
    code: r.status ?? -1,
    stdout: r.stdout,
    annotations: r.stdout.split('\n').filter((l) => /^::(error|warning|notice) /.test(l)),
    outputs: readOutputs(readFileSync(pr.output, 'utf8')),
    summary: readFileSync(pr.summary, 'utf8'),
  };
}

export interface SarifResult {
  ruleId: string;
  level?: string;
  baselineState?: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
  codeFlows?: unknown[];
}

export function sarifResults(file: string) {
  const log = JSON.parse(readFileSync(file, 'utf8'));
  return { log, results: log.runs[0].results as SarifResult[] };
}

/** 1-based line of the first line containing `needle` (0 when absent). */
export function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}
