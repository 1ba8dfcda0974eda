import { parentPort, workerData } from 'node:worker_threads';
import { ALL_CHECKS } from '../../rules/index.js';
import type { WorkerInit, WorkerReply } from '../pipeline/parallel.js';
import { analyseUnit, unitCache, type UnitTask } from '../pipeline/units.js';

// A worker thread of a scan (src/pipeline/parallel.ts): it reads and judges the units it is sent, one
// at a time, with the catalog the drivers pass down (here it is the thread's own copy). Whatever goes
// wrong becomes a failure reply: the main thread then scans that unit itself.

const { settings, judging } = workerData as WorkerInit;
const port = parentPort!;
const shared = unitCache(settings);

// One unit at a time, in the order sent (the main thread keeps the next one waiting here).
let queue: Promise<void> = Promise.resolve();
port.on('message', (task: UnitTask) => {
  queue = queue.then(() => scanOne(task));
});

function scanOne(task: UnitTask): Promise<void> {
  const reply = (r: WorkerReply) => {
    try {
      port.postMessage(r);
    } catch (e) {
      // A result that cannot be cloned: say so instead of leaving the main thread waiting.
      port.postMessage({ index: task.index, failure: describe(e) });
    }
  };
  return analyseUnit(task, settings, judging, ALL_CHECKS, shared).then(
    (result) => reply({ index: task.index, result }),
    (e) => reply({ index: task.index, failure: describe(e) }),
  );
}

// Loaded: a failure from now on is one of a unit's, not of the thread's start.
port.postMessage({ ready: true } satisfies WorkerReply);

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
