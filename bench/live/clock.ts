// One clock for every process of the bench: latency is a receipt time in one process minus a
// commit (or send) time in another. process.hrtime reads CLOCK_MONOTONIC, which all processes on
// the machine share; performance.now() does not do here (it drifted from it by about a
// millisecond per second, so two processes disagreed by several).

/** Milliseconds on the machine's monotonic clock; comparable across the bench's processes. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Resolves at `atMs` (on nowMs' clock), or at once when that time has passed. */
export function sleepUntil(atMs: number): Promise<void> {
  const wait = atMs - nowMs();
  if (wait <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, wait));
}
