/**
 * A one-line progress bar on stderr for scans that take more than a moment:
 *
 *   [████████░░░░░░░░░░░░]  41% 120/290 modules/network/main.tf
 *
 * Only on a terminal (isTTY): in CI logs, pipes and files it writes nothing, so reports and logs stay
 * byte-for-byte the same. Nothing is drawn before `delayMs` (a fast scan shows no flicker), redraws
 * are throttled to one per `intervalMs`, and `done()` wipes the line so the report starts clean.
 * The clock is injected for tests; this is the one reporter helper that looks at time, and it never
 * affects report output.
 */
export interface Progress {
  /** `done` of `total` units finished; `label` names the one just done (a file, a module folder). */
  tick(done: number, total: number, label?: string): void;
  /** Clears the bar; call once when the scan ends (also on failure). */
  done(): void;
}

export interface ProgressOptions {
  /** Nothing is shown before this much time has passed since creation (default 500 ms). */
  delayMs?: number;
  /** At most one redraw per interval (default 100 ms); the final tick always draws. */
  intervalMs?: number;
  /** Terminal width (default: the stream's `columns`, else 80). */
  columns?: number;
  now?: () => number;
}

interface Writable {
  write(chunk: string): unknown;
  columns?: number;
}

const BAR_WIDTH = 20;

export function createProgress(stream: Writable, isTTY: boolean, options: ProgressOptions = {}): Progress {
  if (!isTTY) return { tick() {}, done() {} };
  const now = options.now ?? Date.now;
  const delay = options.delayMs ?? 500;
  const interval = options.intervalMs ?? 100;
  const start = now();
  let lastDraw = -Infinity;
  let drawn = false;

  return {
    tick(done, total, label = '') {
      const t = now();
      if (t - start < delay) return;
      if (done < total && t - lastDraw < interval) return;
      lastDraw = t;
      drawn = true;
      const columns = options.columns ?? stream.columns ?? 80;
      stream.write(`\r${progressLine(done, total, label, columns)}\x1b[K`);
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

/** The bar, percentage, counts and as much of the label as fits in `columns - 1` (no wrapping). */
export function progressLine(done: number, total: number, label: string, columns: number): string {
  const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(ratio * BAR_WIDTH);
  const head = `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${done}/${total}`;
  // Control characters in a file name must not drive the terminal.
  const safe = label.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  const room = columns - 1 - head.length - 1;
  if (room < 4 || safe === '') return head.slice(0, Math.max(0, columns - 1));
  return `${head} ${safe.length > room ? `…${safe.slice(safe.length - room + 1)}` : safe}`;
}
