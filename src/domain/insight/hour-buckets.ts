export const HOUR_MS = 3_600_000;
export const WEEK_HOURS = 7 * 24;

export interface Tally {
  runs: number;
  failures: number;
}

/** Finished runs and failures of one series per hour, for as many hours back as its judgements look. */
export class HourBuckets {
  private readonly hours = new Map<number, Tally>();

  constructor(private readonly keepHours: number) {}

  add(at: number, failed: boolean): void {
    const hour = Math.floor(at / HOUR_MS);
    const tally = this.hours.get(hour) ?? { runs: 0, failures: 0 };
    tally.runs += 1;
    if (failed) tally.failures += 1;
    this.hours.set(hour, tally);
    for (const old of this.hours.keys()) {
      if (old > hour - this.keepHours) break;
      this.hours.delete(old);
    }
  }

  /** Sets an hour's tally from a rollup; hours are loaded oldest first, before any is added. */
  load(hour: number, tally: Tally): void {
    this.hours.set(hour, { ...tally });
  }

  /** The sum over hours `from` to `to` (hour numbers since the epoch, inclusive). */
  sum(from: number, to: number): Tally {
    const total = { runs: 0, failures: 0 };
    for (let hour = from; hour <= to; hour += 1) {
      const tally = this.hours.get(hour);
      if (tally === undefined) continue;
      total.runs += tally.runs;
      total.failures += tally.failures;
    }
    return total;
  }
}
