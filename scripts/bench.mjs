#!/usr/bin/env node
// sgscan benchmarks (issue #9). Runs the BUILT CLI (bin/sgscan.js → out/) in child processes and prints a
// Markdown table: the corpus (full scan vs the parse-only floor), CloudFormation vs cfn-lint, synthetic
// estates (scripts/gen-estate.mjs) by size, and start-up. BENCHMARKS.md records a run.
//
// Usage: npm run bench -- [--no-build] [--only corpus,floor,cfnlint,estates,shapes,startup] [--runs 3]
//          [--sizes 1250,2500,5000,10000] [--per-unit 100] [--timeout 600] [--corpus DIR] [--json FILE]
//          [--cfnlint-sets 60,all] (template sets for cfn-lint vs sgscan: a spread sample of N, and all)
//          [--shapes wide-rule,subnets,...] [--shape-scale 1] [--cli bin/sgscan.js]
//          [--jobs 1|N|auto]   (the scans' worker threads; default: the CLI's, auto)
// Worst shapes (scripts/gen-shapes.mjs): each at two sizes, with the log-log slope of wall and CPU time
// (1 is linear; issue 19 asks for at most 1.15). --cli runs another build (a baseline checkout's bin).
// Wall time is the median of --runs; CPU is user+sys of that run; peak memory is the largest max RSS seen.
// Other work on the machine inflates wall time much more than CPU time: the header prints the load.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let CLI = path.join(repoRoot, 'bin/sgscan.js');

function parseArgs(argv) {
  const o = { build: true, only: null, runs: 3, sizes: [1250, 2500, 5000, 10000], perUnit: 100, timeout: 600, corpus: path.resolve(repoRoot, '../shared/corpus'), json: null, child: null, shapes: null, shapeScale: 1, cli: null, cfnlintSets: ['60', 'all'] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--no-build') o.build = false;
    else if (a === '--only') o.only = new Set(next().split(','));
    else if (a === '--runs') o.runs = Number(next());
    else if (a === '--sizes') o.sizes = next().split(',').map(Number);
    else if (a === '--per-unit') o.perUnit = Number(next());
    else if (a === '--timeout') o.timeout = Number(next());
    else if (a === '--corpus') o.corpus = path.resolve(next());
    else if (a === '--json') o.json = path.resolve(next());
    else if (a === '--jobs') o.jobs = next();
    else if (a === '--child') o.child = next();
    else if (a === '--shapes') o.shapes = next().split(',');
    else if (a === '--shape-scale') o.shapeScale = Number(next());
    else if (a === '--cfnlint-sets') o.cfnlintSets = next().split(',');
    else if (a === '--cli') o.cli = path.resolve(next());
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

// ------------------------------------------------------------------ measuring a child process

const GNU_TIME = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%e', 'true']).status === 0 ? '/usr/bin/time' : null;
// Without GNU time the child reports its own resource usage on exit.
const RUSAGE_HOOK = 'data:text/javascript,import{writeFileSync}from"node:fs";process.on("exit",()=>writeFileSync(process.env.SGSCAN_BENCH_RUSAGE,JSON.stringify(process.resourceUsage())))';

/** Run `node args` once: wall s, cpu s (user+sys), peak RSS MiB, exit status, stdout. */
function measureOnce(nodeArgs, { timeout, cwd = repoRoot, cmd = process.execPath } = {}) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sgscan-bench-'));
  try {
    const usageFile = path.join(tmp, 'usage');
    // A node child reports its own usage, so a timeout kills the scan itself; GNU time would be the
    // direct child and a timeout would leave the scan running as an orphan.
    const isNode = cmd === process.execPath;
    let argv = isNode ? ['--import', RUSAGE_HOOK, ...nodeArgs] : nodeArgs;
    let exe = cmd;
    if (GNU_TIME && !isNode) {
      // coreutils timeout under GNU time, so the tool itself is stopped, not just the wrapper.
      argv = ['-f', '%e %U %S %M', '-o', usageFile, ...(timeout ? ['timeout', String(timeout)] : []), cmd, ...argv];
      exe = GNU_TIME;
    }
    const started = process.hrtime.bigint();
    const r = spawnSync(exe, argv, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, timeout: timeout ? timeout * 1000 : undefined, env: { ...process.env, SGSCAN_BENCH_RUSAGE: usageFile, NO_COLOR: '1' } });
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGTERM') return { timedOut: true, wall };
    let cpu = NaN;
    let rssMiB = NaN;
    if (existsSync(usageFile)) {
      const text = readFileSync(usageFile, 'utf8').trim();
      if (GNU_TIME && !isNode) {
        const [, u, s, kb] = text.split('\n').pop().split(' ').map(Number);
        cpu = u + s;
        rssMiB = kb / 1024;
      } else {
        const u = JSON.parse(text);
        cpu = (u.userCPUTime + u.systemCPUTime) / 1e6;
        rssMiB = u.maxRSS / 1024;
      }
    }
    return { wall, cpu, rssMiB, status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Median wall time over `runs` runs (and that run's CPU); the largest peak memory of all. */
function measure(nodeArgs, runs, opts = {}) {
  const all = [];
  for (let i = 0; i < runs; i++) {
    const m = measureOnce(nodeArgs, opts);
    all.push(m);
    if (m.timedOut) break;
  }
  if (all.some((m) => m.timedOut)) return { timedOut: true, wall: Math.max(...all.map((m) => m.wall)) };
  const sorted = [...all].sort((a, b) => a.wall - b.wall);
  const med = sorted[Math.floor((sorted.length - 1) / 2)];
  return { ...med, rssMiB: Math.max(...all.map((m) => m.rssMiB)), walls: all.map((m) => m.wall) };
}

const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const rows = [];
const row = (area, what, m, extra = '') =>
  rows.push({ area, what, wall: m.timedOut ? `> ${fmt(m.wall, 0)} (timed out)` : fmt(m.wall), cpu: m.timedOut ? '' : fmt(m.cpu), rss: m.timedOut ? '' : fmt(m.rssMiB, 0), extra });

/** `--jobs` for every scan (worker threads: 1, N or auto); absent: the CLI's default (auto). */
let JOBS = null;

function scanArgs(paths, out) {
  return [CLI, 'scan', ...paths, '--format', 'json', '--output', out, '--fail-on', 'none', ...(JOBS ? ['--jobs', JOBS] : [])];
}

function readSummary(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ the parse-only floor (child mode)

/** Discover like a scan, then only read and parse every file: native HCL, JSON, CloudFormation YAML/JSON. */
async function floorChild(paths) {
  const mod = (p) => import(pathToFileURL(path.join(repoRoot, 'out/src', p)).href);
  const [{ discover }, { readSource }, { parseHcl }, { parseTemplateText }] = await Promise.all([mod('input/discover.js'), mod('input/read.js'), mod('input/terraform/hcl/index.js'), mod('input/cloudformation/template.js')]);
  const started = performance.now();
  const found = await discover(paths, { cwd: process.cwd() });
  const files = [...[...found.terraformModules.values()].flat(), ...found.documents];
  let parsed = 0;
  let failed = 0;
  for (const file of files) {
    const read = await readSource(file);
    if (!read.ok) {
      failed++;
      continue;
    }
    try {
      const lower = file.path.toLowerCase();
      if (lower.endsWith('.tf') || lower.endsWith('.tfvars')) parseHcl(file.path, read.text);
      else if (lower.endsWith('.tf.json') || lower.endsWith('.tfvars.json')) JSON.parse(read.text);
      else parseTemplateText(read.text, file.path);
      parsed++;
    } catch {
      failed++;
    }
  }
  process.stdout.write(JSON.stringify({ files: files.length, parsed, failed, ms: performance.now() - started }));
}

// ------------------------------------------------------------------ sections

function machine() {
  const free = spawnSync('free', ['-g'], { encoding: 'utf8' });
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    free: free.status === 0 ? free.stdout.trim() : 'n/a',
    node: process.version,
    loadavg: os.loadavg().map((x) => x.toFixed(2)).join(' '),
    timer: `node children: process.resourceUsage(); others: ${GNU_TIME ?? 'n/a'}`,
  };
}

function corpusSection(o, tmp, results) {
  const out = path.join(tmp, 'corpus.json');
  const m = measure(scanArgs([o.corpus], out), o.runs, { timeout: o.timeout });
  const r = readSummary(out);
  const files = r?.summary.filesScanned ?? NaN;
  const found = r?.summary.coverage?.found ?? files;
  results.corpus = { ...m, files, found, findings: r?.summary.findings, groups: r?.summary.groups, rules: r?.summary.rules };
  row('corpus', `full scan (${found} files found, ${files} read)`, m, `${fmt(found / m.wall, 0)} files/s; ${r?.summary.findings} findings`);
}

function floorSection(o, results) {
  const m = measure([fileURLToPath(import.meta.url), '--child', 'floor', '--corpus', o.corpus], o.runs, { timeout: o.timeout });
  const inner = m.stdout ? JSON.parse(m.stdout) : {};
  results.floor = { ...m, ...inner };
  const ratio = results.corpus ? results.corpus.wall / m.wall : NaN;
  const cpuRatio = results.corpus ? results.corpus.cpu / m.cpu : NaN;
  row('corpus', `parse-only floor (${inner.files} files, ${inner.failed} unparsable)`, m, `read+parse ${fmt(inner.ms / 1000)} s in-process; full/floor ${fmt(ratio)}× wall, ${fmt(cpuRatio)}× CPU`);
}

/** The files under `dir` that are CloudFormation templates (parse, and look like one), as a scan decides. */
async function cloudFormationTemplates(dir) {
  const mod = (p) => import(pathToFileURL(path.join(repoRoot, 'out/src', p)).href);
  const [{ discover }, { readSource }, { parseTemplateText, isTemplate }] = await Promise.all([mod('input/discover.js'), mod('input/read.js'), mod('input/cloudformation/template.js')]);
  const found = await discover([dir], { cwd: repoRoot });
  const out = [];
  for (const file of found.documents) {
    const read = await readSource(file);
    try {
      if (read.ok && isTemplate(parseTemplateText(read.text, file.path))) out.push(file.abs);
    } catch {
      // not parseable: neither tool would say much about it; leave it out of the comparison
    }
  }
  return out;
}

async function cfnlintSection(o, tmp, results) {
  const which = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  const all = (await cloudFormationTemplates(path.join(o.corpus, 'cloudformation'))).sort();
  results.cfnlint = [];
  for (const size of o.cfnlintSets) {
    // A deterministic sample spread over the corpus (every k-th template of the sorted list), so it
    // mixes projects instead of taking one repository's files.
    const n = size === 'all' ? all.length : Math.min(Number(size), all.length);
    const step = all.length / n;
    const files = size === 'all' ? all : Array.from({ length: n }, (_, i) => all[Math.floor(i * step)]);
    const sg = measure(scanArgs(files, path.join(tmp, 'cfn-sg.json')), o.runs, { timeout: o.timeout });
    row('cloudformation', `sgscan on ${files.length} templates`, sg);
    if (which.status !== 0) {
      row('cloudformation', 'cfn-lint', { wall: NaN, cpu: NaN, rssMiB: NaN }, 'cfn-lint not installed');
      continue;
    }
    // One run: cfn-lint is slow. Python reports its own RSS through GNU time the same way.
    const cfn = measure(['--format', 'parseable', '--', ...files], 1, { cmd: 'cfn-lint', timeout: o.timeout });
    results.cfnlint.push({ files: files.length, sgscan: sg, cfnlint: cfn, version: which.stdout.trim() });
    row('cloudformation', `${which.stdout.trim()} on the same ${files.length} templates`, cfn, cfn.timedOut ? '' : `sgscan ${fmt(cfn.wall / sg.wall, 1)}× faster (wall), ${fmt(cfn.cpu / sg.cpu, 1)}× (CPU)`);
  }
}

async function estatesSection(o, tmp, results) {
  const { generateEstate } = await import(pathToFileURL(path.join(repoRoot, 'scripts/gen-estate.mjs')).href);
  results.estates = [];
  for (const format of ['tf', 'cfn']) {
    let prev = null;
    for (const groups of o.sizes) {
      const dir = path.join(tmp, `estate-${format}-${groups}`);
      const c = generateEstate({ out: dir, format, groups, perUnit: o.perUnit, seed: 1 });
      const out = path.join(tmp, `estate-${format}-${groups}.json`);
      const m = measure(scanArgs([dir], out), 1, { timeout: o.timeout });
      const r = readSummary(out);
      const growth = prev && !prev.timedOut && !m.timedOut ? m.wall / prev.wall : NaN;
      const step = prev ? groups / prev.groups : NaN;
      const perDoubling = Number.isFinite(growth) ? growth ** (1 / Math.log2(step)) : NaN;
      results.estates.push({ format, ...c, ...m, stdout: undefined, stderr: undefined, findings: r?.summary.findings, perDoubling });
      row(`estate ${format}`, `${c.groups} groups, ${c.rules} rules, ${c.resources} resources, ${c.units} units (${(c.bytes / 1e6).toFixed(1)} MB)`, m, Number.isFinite(perDoubling) ? `×${fmt(perDoubling)} per doubling` : '');
      prev = { ...m, groups };
      rmSync(dir, { recursive: true, force: true });
      if (m.timedOut) break; // bigger ones would only time out too
    }
  }
}

/**
 * Each shape at two sizes (the small one takes about a second or more here, so start-up does not
 * hide the growth): wall, CPU, peak memory, and the slope log(t2/t1)/log(n2/n1) of wall and CPU.
 */
const SHAPE_SIZES = {
  'wide-rule': [1000, 4000],
  subnets: [500, 2000],
  nacl: [2000, 8000],
  'prefix-list': [4000, 16000],
  'module-files': [500, 2000],
  'cli-files': [500, 2000],
  'cfn-group-rules': [4000, 16000],
  'cfn-rule-resources': [4000, 16000],
  'tf-group-rules': [4000, 16000],
};

async function shapesSection(o, tmp, results) {
  const { generateShape, SHAPES } = await import(pathToFileURL(path.join(repoRoot, 'scripts/gen-shapes.mjs')).href);
  results.shapes = [];
  const slope = (a, b, n1, n2) => (Number.isFinite(a) && Number.isFinite(b) && a > 0 ? Math.log(b / a) / Math.log(n2 / n1) : NaN);
  for (const shape of o.shapes ?? Object.keys(SHAPE_SIZES)) {
    const sizes = SHAPE_SIZES[shape].map((n) => Math.round(n * o.shapeScale));
    const ms = [];
    for (const n of sizes) {
      const dir = path.join(tmp, `shape-${shape}-${n}`);
      const g = generateShape({ shape, n, out: dir });
      const out = path.join(tmp, `shape-${shape}-${n}.json`);
      const m = measure(scanArgs(g.paths, out), 1, { timeout: o.timeout });
      const r = readSummary(out);
      ms.push({ n, ...m, stdout: undefined, stderr: undefined, findings: r?.summary.findings, files: g.files, bytes: g.bytes });
      rmSync(dir, { recursive: true, force: true });
      rmSync(out, { force: true });
      if (m.timedOut) break;
    }
    const [a, b] = ms;
    const wallSlope = b ? slope(a.wall, b.wall, a.n, b.n) : NaN;
    const cpuSlope = b && !b.timedOut ? slope(a.cpu, b.cpu, a.n, b.n) : NaN;
    results.shapes.push({ shape, grows: SHAPES[shape].grows, runs: ms, wallSlope, cpuSlope });
    for (const m of ms) {
      const last = m === ms.at(-1) && ms.length === 2;
      // A timed-out run's wall time is a lower bound, and so is the slope.
      const said = m.timedOut ? `slope > ${fmt(wallSlope)} wall (timed out)` : `slope ${fmt(wallSlope)} wall, ${fmt(cpuSlope)} CPU${cpuSlope > 1.15 ? ' (over 1.15)' : ''}`;
      row(`shape ${shape}`, `${m.n} ${SHAPES[shape].grows} (${m.files} files, ${(m.bytes / 1e6).toFixed(1)} MB)`, m, last ? said : m.timedOut ? 'timed out: bigger size not run' : '');
    }
  }
}

function startupSection(o, results) {
  const runs = Math.max(10, o.runs);
  const bare = measure(['-e', ''], runs);
  const version = measure([CLI, '--version'], runs);
  const small = path.join(repoRoot, 'fixtures/demo/cloudformation/demo.yaml');
  const one = measure([CLI, 'scan', small, '--format', 'json', '--fail-on', 'none'], runs);
  results.startup = { bare, version, one };
  row('start-up', `node -e '' (no sgscan; median of ${runs})`, bare);
  row('start-up', `sgscan --version (median of ${runs})`, version, `${fmt((version.wall - bare.wall) * 1000, 0)} ms over bare node`);
  row('start-up', `sgscan scan ${path.relative(repoRoot, small)} (median of ${runs})`, one);
}

// ------------------------------------------------------------------ main

async function main() {
  const o = parseArgs(process.argv.slice(2));
  JOBS = o.jobs ?? null;
  if (o.child === 'floor') return floorChild([o.corpus]);
  if (o.cli) {
    CLI = o.cli;
    o.build = false;
  }
  if (o.build) execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  else if (!o.cli && !existsSync(path.join(repoRoot, 'out/src/cli/main.js'))) throw new Error('out/ is missing: run `npm run build` first (or drop --no-build)');
  const want = (s) => !o.only || o.only.has(s);
  const m = machine();
  const results = { machine: m };
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sgscan-bench-'));
  try {
    if (want('corpus') || want('floor') || want('cfnlint')) {
      if (!existsSync(o.corpus)) throw new Error(`corpus not found: ${o.corpus} (pass --corpus DIR)`);
    }
    if (want('corpus')) corpusSection(o, tmp, results);
    if (want('floor')) floorSection(o, results);
    if (want('cfnlint')) await cfnlintSection(o, tmp, results);
    if (want('estates')) await estatesSection(o, tmp, results);
    if (want('shapes')) await shapesSection(o, tmp, results);
    if (want('startup')) startupSection(o, results);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const lines = [
    `Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memGiB} GiB RAM, node ${m.node}; load average at start ${m.loadavg}; memory from ${m.timer}`,
    '',
    '| area | what | wall s | CPU s | peak MiB | notes |',
    '|---|---|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.area} | ${r.what} | ${r.wall} | ${r.cpu} | ${r.rss} | ${r.extra} |`),
  ];
  console.log(lines.join('\n'));
  if (o.json) writeFileSync(o.json, JSON.stringify(results, (k, v) => (k === 'stdout' || k === 'stderr' || k === 'scannedFiles' ? undefined : v), 2));
}

await main();
