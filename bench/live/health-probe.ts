// How long the server takes to answer /healthz while it delivers: the request waits for the
// server's event loop, so a slow answer means everything else waiting on that loop (reading the
// bus, keep-alive pongs) waited as long.
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../shared/report.ts';
import { nowMs } from './clock.ts';

export const PROBE_EVERY_MS = 250;

export interface ProbeResult {
  answers: number;
  /** Requests that failed before the probe stopped, and the first failure. */
  failures: number;
  firstFailure: string | null;
  p50Ms: number;
  maxMs: number;
}

export class HealthProbe {
  private readonly timings: number[] = [];
  private failures = 0;
  private firstFailure: string | null = null;
  private stopped = false;
  private pendingSinceMs: number | null = null;

  constructor(private readonly url: string) {
    void this.probe();
  }

  /** Stops probing; a request still unanswered counts with the time it has waited so far. */
  stop(): ProbeResult {
    this.stopped = true;
    const pending = this.pendingSinceMs === null ? null : nowMs() - this.pendingSinceMs;
    const timings = [...this.timings, ...(pending === null ? [] : [pending])].sort((a, b) => a - b);
    return { answers: this.timings.length, failures: this.failures, firstFailure: this.firstFailure, p50Ms: percentile(timings, 0.5), maxMs: timings.at(-1) ?? Number.NaN };
  }

  private async probe(): Promise<void> {
    while (!this.stopped) {
      this.pendingSinceMs = nowMs();
      try {
        const response = await fetch(`${this.url}/healthz`);
        await response.arrayBuffer();
        if (!this.stopped) this.timings.push(nowMs() - this.pendingSinceMs);
      } catch (error) {
        // The server is stopped after the measurement; a failed probe then means nothing.
        if (!this.stopped) {
          this.failures += 1;
          this.firstFailure ??= `${error instanceof Error ? error.message : String(error)}${error instanceof Error && error.cause ? ` (${String(error.cause)})` : ''} after ${Math.round(nowMs() - (this.pendingSinceMs ?? 0))} ms`;
        }
      }
      this.pendingSinceMs = null;
      await sleep(PROBE_EVERY_MS);
    }
  }
}
