// `npm run fuzz -- --inputs N [--seed S] [--save DIR]`: a longer fuzz campaign over fixtures/ and the shared
// corpus with the built sgscan (out/), printing its figures (see scripts/fuzz-lib.mjs). The
// campaign runs in a worker; if an input makes no progress for --stall seconds (a real hang, which
// no in-process timer can interrupt) it is stopped and counted. Exit 1 on any failure.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

if (isMainThread) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const inputs = arg('inputs', 2000);
  const seed = arg('seed', 16);
  const stall = arg('stall', 60);
  const save = process.argv.indexOf('--save');
  const saveDir = save > 0 ? path.resolve(process.argv[save + 1]) : undefined;
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { inputs, seed, saveDir } });
  let last = Date.now();
  let figures;
  const watchdog = setInterval(() => {
    if (Date.now() - last > stall * 1000) {
      clearInterval(watchdog);
      process.stdout.write(`\nHANG: input ${figures ? figures.inputs : 0} made no progress for ${stall} s (seed ${seed})\n`);
      void worker.terminate();
      process.exitCode = 1;
    }
  }, 1000);
  worker.on('message', (m) => {
    last = Date.now();
    if (m.progress) {
      figures = m.progress;
      if (figures.inputs % 500 === 0) process.stderr.write(`  ${figures.inputs}/${inputs} inputs\n`);
      return;
    }
    clearInterval(watchdog);
    const f = m.figures;
    process.stdout.write(
      `fuzz: ${f.inputs} inputs in ${f.seconds.toFixed(1)} s (${f.inputsPerSecond} inputs/s), seed ${seed}\n` +
        `  crashes ${f.crashes}, internal errors ${f.internal}, hangs ${f.hangs}, lost findings ${f.losses}, nondeterminism ${f.nondeterminism}\n`,
    );
    for (const x of m.failures) process.stdout.write(`  ${x.kind} at input ${x.input} (${path.relative(root, x.seed)}): ${x.detail}\n`);
    const failed = f.crashes + f.internal + f.hangs + f.losses + f.nondeterminism;
    process.exitCode = failed > 0 ? 1 : 0;
  });
  worker.on('error', (e) => {
    clearInterval(watchdog);
    process.stdout.write(`fuzz worker crashed: ${e?.stack ?? e}\n`);
    process.exitCode = 1;
  });
} else {
  const { scan } = await import(pathToFileURL(path.join(root, 'out/src/pipeline/scan.js')).href);
  const { ALL_CHECKS } = await import(pathToFileURL(path.join(root, 'out/rules/index.js')).href);
  const { runFuzz, seedFiles } = await import('./fuzz-lib.mjs');
  const seeds = seedFiles([path.join(root, 'fixtures'), path.resolve(root, '../shared/corpus')]);
  const { figures, failures } = await runFuzz({
    scan,
    checks: ALL_CHECKS,
    seeds,
    inputs: workerData.inputs,
    seed: workerData.seed,
    saveDir: workerData.saveDir,
    onProgress: (progress) => parentPort.postMessage({ progress }),
  });
  parentPort.postMessage({ figures, failures });
}
