/** Where a progress bar draws: stderr, so that stdout stays the command's output (a pipe, a file). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

export interface ProgressBar {
  /** Sets how much is done (of `total`); redraws at most every REDRAW_MS. */
  update(done: number, total?: number): void;
  /** Draws the final state and ends the line. */
  stop(): void;
}

const REDRAW_MS = 100;
const BAR_WIDTH = 30;

function count(value: number): string {
  return value.toLocaleString('en-US');
}

/**
 * A one-line progress bar on stderr, or null when stderr is no terminal: a log file or CI
 * output gets no carriage-return noise. Written here rather than taken from a package because
 * it is one line redrawn in place (seed, archive and history export need nothing more).
 */
export function progressBar(label: string, total: number, stream: ProgressStream = process.stderr, now: () => number = Date.now): ProgressBar | null {
  if (!stream.isTTY) return null;
  let done = 0;
  let drawnAt = -Infinity;
  const started = now();
  const draw = () => {
    drawnAt = now();
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(fraction * BAR_WIDTH);
    const seconds = (drawnAt - started) / 1000;
    const rate = seconds > 0 ? ` ${count(Math.round(done / seconds))}/s` : '';
    const line = `${label} [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${Math.floor(fraction * 100)}% ${count(done)}/${count(total)}${rate}`;
    // A terminal that reports no width (some pseudo-terminals say 0) gets the whole line.
    const width = stream.columns !== undefined && stream.columns > 20 ? stream.columns - 1 : line.length;
    stream.write(`\r${line.slice(0, width)}\x1b[K`);
  };
  return {
    update(value, newTotal) {
      done = value;
      if (newTotal !== undefined) total = newTotal;
      if (now() - drawnAt >= REDRAW_MS) draw();
    },
    stop() {
      draw();
      stream.write('\n');
    },
  };
}

/** "1 run", "2 runs": a count with its noun (every noun these commands count takes an s). */
export function counted(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}
