// How a benchmark that starts processes and creates databases ends: its clean-ups run once, the
// last registered first, whether it finished, failed or was interrupted.
import { BenchFailure } from './bench-failure.ts';

export class CleanUps {
  private pending: (() => Promise<void>)[] = [];

  /** Registers a clean-up for the end (or an interruption); returns it, to be run earlier at most once. */
  add(cleanup: () => Promise<void>): () => Promise<void> {
    let done: Promise<void> | null = null;
    const once = () => (done ??= cleanup());
    this.pending.push(once);
    return once;
  }

  /** Every clean-up, the last registered first; one that fails is reported and the rest still run. */
  async runAll(): Promise<void> {
    for (const cleanup of this.pending.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error(`cleaning up: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

/** Prints a failure: a BenchFailure as its message, anything else with its stack. */
function reportFailure(name: string, error: unknown): void {
  process.exitCode = 1;
  if (error instanceof BenchFailure) console.error(`bench:${name} failed: ${error.message}`);
  else console.error(error);
}

/**
 * Parses the options (a failure exits 1 with the usage), runs `main`, then the clean-ups it
 * registered, and exits with main's code (1 when it failed). SIGINT or SIGTERM runs the
 * clean-ups first (`interrupted` says what they do); a second signal skips them, and the 'exit'
 * hook of ./children.ts still kills the children.
 */
export function runBench<O>(bench: { name: string; interrupted: string; parse: () => O; main: (options: O, cleanUps: CleanUps) => Promise<number> }): void {
  let options: O;
  try {
    options = bench.parse();
  } catch (error) {
    reportFailure(bench.name, error);
    return;
  }
  const cleanUps = new CleanUps();
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    void cleanUps.runAll().finally(() => process.exit(code));
  };
  const interrupt = (code: number) => () => {
    if (stopping) process.exit(code);
    console.log(`\ninterrupted: ${bench.interrupted}`);
    stop(code);
  };
  process.on('SIGINT', interrupt(130));
  process.on('SIGTERM', interrupt(143));
  bench.main(options, cleanUps).then(stop, (error: unknown) => {
    // After an interruption, what failed is only the clean-up pulling things from under the bench.
    if (stopping) return;
    reportFailure(bench.name, error);
    stop(1);
  });
}
