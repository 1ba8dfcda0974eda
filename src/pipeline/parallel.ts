import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Finding } from '../model/check.js';
import { emptyModel, type Model } from '../model/model.js';
import type { ScanResult } from '../model/scan-result.js';
import { createFileIdentity } from '../input/repo.js';
import { append } from '../model/arrays.js';
import { mergeConstructEntries, nameConstructs } from './cdk.js';
import { collectFindings, orderFindings } from './runner.js';
import { checkFailure, configureChecks, finishScan, foundFiles, includedUnits, scan, unitProgress, type Jobs, type ScanOptions } from './scan.js';
import { analyseUnit, planUnits, unitCache, type UnitChecks, type UnitPlan, type UnitResult, type UnitSettings, type UnitTask } from './units.js';

// Both cores: the units of a scan (root modules, documents) are read and judged on worker threads,
// and this thread merges what they send exactly as one model of them all would have been judged:
// the checks' findings in check order, then unit order, ordered and deduplicated once; re-ranking and
// everything after it as in `scan`. Findings that only the whole scan can give (wholeScan checks)
// are found here. The output is the single thread's, byte for byte (test/pipeline/parallel.test.ts).

/**
 * Below this many bytes of Terraform and CloudFormation, auto stays on one thread: two workers cost
 * about 1 s of CPU more than one thread (loading and warming up the analyser twice), about what a scan
 * of this size takes on its own; at 0.5 MB two threads were slower, at 2 MB even on a loaded machine
 * (BENCHMARKS.md, 2026-12-03).
 */
export const AUTO_MIN_BYTES = 1024 * 1024;

/**
 * Nor for units smaller than this on average: each thread warms its own copy of the analyser up for
 * every kind of unit it meets, so many small, varied units cost more CPU than a second core gives back
 * (measured 2026-12-03 on 2 cores: fixtures/, 2.3 MB in ~4 KiB units, 1.56 s on one thread vs 2.13 s on
 * two; the corpus, 10 MB in ~17 KiB units, 3.5 vs 4.8 s; a 10,000-group estate, 29 MB in 290 KiB
 * units, 18.4 vs 13.4 s).
 */
export const AUTO_MIN_UNIT_BYTES = 64 * 1024;

/** A worker's young generation, in MB (see runWorker). */
const YOUNG_GENERATION_MB = 192;

/** What a worker is started with. */
export interface WorkerInit {
  settings: UnitSettings;
  judging: UnitChecks;
}

/** What a worker sends: that it is loaded and listening, then one reply per task. */
export type WorkerReply = { ready: true } | { index: number; result: UnitResult } | { index: number; failure: string };

/** The scan's result, its units read and judged on as many threads as pay off. */
export async function scanResult(opts: ScanOptions): Promise<ScanResult> {
  const plan = await planUnits(opts);
  const workers = workerCount(plan, opts.jobs ?? 'auto', opts.workerUrl !== undefined);
  // This thread judges units apart too, as the workers do (no worker started): memory then follows the
  // largest unit, not the estate (30,000 groups: 2.6 GiB -> 0.8 GiB; BENCHMARKS.md, 2026-12-04).
  const apart = workers > 0 || judgedUnits(plan).length > 1;
  const result = apart ? await scanOnThreads(opts, plan, workers) : undefined;
  return result ?? (await scan(opts, plan)).result;
}

/**
 * Worker threads to start for this plan, 0 to judge every unit on this thread: none below two units or
 * for `--jobs 1`; auto: none for a small scan or small units, else one per idle core, and one even when
 * no core is idle. A worker is given a larger young generation than this thread has, which a large scan
 * repays: a 10,000-group estate on one worker took 8.99 s against 9.91 s on this thread (BENCHMARKS.md,
 * 2026-12-05).
 */
export function workerCount(plan: UnitPlan, jobs: Jobs, haveWorkers: boolean): number {
  const judged = judgedUnits(plan);
  if (!haveWorkers || jobs === 1 || judged.length < 2) return 0;
  if (jobs !== 'auto') return Math.min(jobs, judged.length);
  const bytes = judged.reduce((n, t) => n + t.bytes, 0);
  if (bytes < AUTO_MIN_BYTES || bytes / judged.length < AUTO_MIN_UNIT_BYTES) return 0;
  return Math.min(judged.length, idleCores());
}

/** The units judged on their own: every Terraform root module (another shard's helpers too) and this shard's documents. */
function judgedUnits(plan: UnitPlan): UnitTask[] {
  return plan.tasks.filter((t) => t.kind === 'terraform' || t.owned);
}

/**
 * Cores no other work is using (the 1-minute load average; none reported, as on Windows: all). A
 * thread on a core that is already busy only competes for it: on a loaded machine one thread is faster.
 */
function idleCores(): number {
  return Math.max(1, availableParallelism() - Math.floor(loadavg()[0]));
}

/** Undefined when the units cannot be judged apart (two of them share a reachability namespace). */
async function scanOnThreads(opts: ScanOptions, plan: UnitPlan, threads: number): Promise<ScanResult | undefined> {
  const { checks, options } = configureChecks(opts);
  const judging: UnitChecks = { cwd: opts.cwd, checks: checks.filter((c) => !c.meta.wholeScan).map((c) => ({ id: c.meta.id, severity: c.meta.severity })), options };
  const progress = unitProgress(plan, opts.onProgress);
  const shared = unitCache(plan.settings);
  // The workers read their units' files themselves: the bytes planning kept here would only wait.
  plan.reads.clear();
  const results = await runUnits(plan.tasks, threads, {
    // Unused when no worker is started (threads 0).
    url: opts.workerUrl ?? new URL('about:blank'),
    init: { settings: plan.settings, judging },
    inThread: (task) => analyseUnit(task, plan.settings, judging, opts.checks, shared),
    done: progress,
    warn: opts.onWarning ?? (() => {}),
  });

  const { included, children, reports } = includedUnits(plan, results.map((r) => r.files));
  const used = results.filter((_, i) => included[i]);
  // Plans in one folder are one namespace: judged apart, their reachability would differ.
  const namespaces = new Set<string>();
  for (const u of used) {
    for (const n of u.namespaces) {
      if (namespaces.has(n)) return undefined;
      namespaces.add(n);
    }
  }
  const files = [...new Set(used.flatMap((u) => u.files))].sort();
  const errors = [...plan.errors];
  for (const u of used) append(errors, u.errors);
  const notices = used.flatMap((u) => u.notices);
  // What a wholeScan check reads: the errors and files of them all (a check's own errors aside).
  const diagnostics: Model = { ...emptyModel(), errors: [...errors], notices: [...notices], files };
  const fileIdentity = createFileIdentity(opts.cwd);
  const raw: Finding[] = [];
  const reranked = new Map<Finding, Finding>();
  let k = 0;
  for (const check of checks) {
    if (check.meta.wholeScan) {
      const [found] = collectFindings(diagnostics, [check], { options, fileIdentity, onCheckError: (c, e) => errors.push(checkFailure(c, e instanceof Error ? e.message : String(e))) });
      append(raw, found);
      continue;
    }
    const at = k++;
    // A check that threw on any unit would have thrown on the whole model: all its findings go.
    const failed = used.find((u) => u.judged!.failures[at] !== null);
    if (failed) {
      errors.push(checkFailure(check, failed.judged!.failures[at]!));
      continue;
    }
    const claims = everyUnitClaims(used.map((u) => u.judged!.findings[at]));
    for (const u of used) {
      const list = u.judged!.findings[at];
      const ranked = u.judged!.reranked[at];
      for (let i = 0; i < list.length; i++) {
        if (list[i].everyUnit && !claims.has(claimKey(list[i]))) continue;
        raw.push(list[i]);
        if (ranked[i]) reranked.set(list[i], ranked[i]!);
      }
    }
  }
  const ranked = nameConstructs(orderFindings(raw).map((f) => reranked.get(f) ?? f), mergeConstructEntries(used.map((u) => u.constructs)));
  const sources = { files, quiet: used.flatMap((u) => u.quiet), itemFiles: used.flatMap((u) => u.itemFiles), cloudFormationFiles: used.flatMap((u) => u.cloudFormationFiles) };
  const digest = { files, errors, notices, groups: used.flatMap((u) => u.groups), rules: used.flatMap((u) => u.rules), sources };
  return finishScan(opts, checks, ranked, digest, foundFiles(plan, new Set(files), children, reports), reports);
}

/** The everyUnit claims (Report.everyUnit) that every unit makes, by claimKey. */
function everyUnitClaims(lists: readonly (readonly Finding[])[]): Set<string> {
  const count = new Map<string, number>();
  for (const list of lists) {
    for (const k of new Set(list.filter((f) => f.everyUnit).map(claimKey))) count.set(k, (count.get(k) ?? 0) + 1);
  }
  return new Set([...count].filter(([, n]) => n === lists.length).map(([k]) => k));
}

function claimKey(f: Finding): string {
  return `${f.fingerprint}\u0000${f.line}`;
}

interface Pool {
  url: URL;
  init: WorkerInit;
  /** Reads and judges a unit here, when a worker could not. */
  inThread: (task: UnitTask) => Promise<UnitResult>;
  done: (task: UnitTask) => void;
  warn: (message: string) => void;
}

/** Every task's result, by index; tasks a worker could not finish are done on this thread. */
async function runUnits(tasks: readonly UnitTask[], threads: number, pool: Pool): Promise<UnitResult[]> {
  const results: UnitResult[] = new Array(tasks.length);
  // Largest first: the last units to start are small ones, so the threads finish together.
  const queue = [...tasks].sort((a, b) => b.bytes - a.bytes || a.index - b.index);
  const failed: UnitTask[] = [];
  await Promise.all(Array.from({ length: threads }, () => runWorker(queue, results, failed, pool)));
  for (const task of [...failed, ...queue]) {
    results[task.index] = await pool.inThread(task);
    pool.done(task);
  }
  return results;
}

function unitName(task: UnitTask): string {
  return task.kind === 'terraform' ? task.scope : task.file.path;
}

/** One worker taking tasks from the shared queue until it is empty, or until the worker fails. */
function runWorker(queue: UnitTask[], results: UnitResult[], failed: UnitTask[], pool: Pool): Promise<void> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      // The analyser makes many short-lived objects (7.9 GB for a 10,000-group estate): with a young generation
      // of 192 MB (this thread has V8's default, 16 MB semi-spaces; 64 MB was tried too) a worker spends half as long in scavenges as this
      // thread does (0.79 s against 1.61 s), for about 100 MB more peak memory per worker (BENCHMARKS.md, 2026-12-05).
      worker = new Worker(pool.url, { workerData: pool.init, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    } catch (e) {
      pool.warn(`cannot start a worker thread (${e instanceof Error ? e.message : String(e)}); scanning on one thread`);
      resolve();
      return;
    }
    // Two tasks in flight: the next one is already there when a unit is done, however late this
    // thread gets to hand out work on a busy machine.
    const inFlight: UnitTask[] = [];
    let online = false;
    let finished = false;
    const stop = (why?: string) => {
      if (finished) return;
      finished = true;
      if (why) {
        const [current, ...waiting] = inFlight;
        if (current) failed.push(current);
        for (let i = waiting.length - 1; i >= 0; i--) queue.unshift(waiting[i]);
        if (!online) pool.warn(`cannot start a worker thread (${why}); the scan goes on without it`);
        else pool.warn(`a worker thread stopped (${why})${current ? ` while scanning ${unitName(current)}, which is scanned on the main thread instead` : ''}`);
      }
      void worker.terminate().catch(() => {});
      resolve();
    };
    const fill = () => {
      while (inFlight.length < 2 && queue.length > 0) {
        const task = queue.shift()!;
        inFlight.push(task);
        worker.postMessage(task);
      }
      if (inFlight.length === 0) stop();
    };
    worker.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) {
        online = true;
        return;
      }
      const at = inFlight.findIndex((t) => t.index === reply.index);
      if (at < 0) return;
      const [task] = inFlight.splice(at, 1);
      if ('result' in reply) {
        results[reply.index] = reply.result;
        pool.done(task);
      } else {
        failed.push(task);
        pool.warn(`a worker thread could not scan ${unitName(task)} (${reply.failure}); it is scanned on the main thread instead`);
      }
      fill();
    });
    worker.on('error', (e) => stop(e instanceof Error ? e.message : String(e)));
    worker.on('exit', (code) => stop(`exit code ${code}`));
    fill();
  });
}
