import { createSeededRandom } from '../seeded-random.ts';
import { failureProbability } from './failure-probability.ts';
import { forecastDay } from './volume-forecast.ts';
import type { RunStatus } from '../status.ts';

describe('failureProbability', () => {
  it('predicts failures that come in streaks better than the base rate, and rates the run after a failure higher', () => {
    const random = createSeededRandom(21);
    const outcomes: boolean[] = [];
    let failing = false;
    // Mostly fine, with spells of failures: a failure is usually followed by another.
    for (let run = 0; run < 300; run += 1) {
      failing = failing ? random.chance(0.7) : random.chance(0.03);
      outcomes.push(failing);
    }
    const afterSuccess = failureProbability([...outcomes, false]);
    const afterFailure = failureProbability([...outcomes, true]);
    expect(afterFailure?.skill).toBeGreaterThan(0.1);
    expect(afterFailure?.probability).toBeGreaterThan(0.4);
    expect(afterSuccess?.probability).toBeLessThan(afterFailure?.baseRate ?? 0);
  });

  it('has nothing to say about 30 runs or fewer', () => {
    expect(failureProbability(Array.from({ length: 30 }, () => false))).toBeNull();
  });
});

describe('forecastDay', () => {
  const DAY = 86_400_000;
  const day = Date.UTC(2026, 11, 8);
  const weekOf = (succeeded: number, failed: number) => new Map<RunStatus, number>([['SUCCEEDED', succeeded], ['FAILED', failed]]);

  it('forecasts the mean of the same weekday over four weeks, per status, with a band', () => {
    const counts = new Map([
      [day - 7 * DAY, weekOf(100, 4)],
      [day - 14 * DAY, weekOf(96, 2)],
      [day - 21 * DAY, weekOf(104, 6)],
      [day - 28 * DAY, weekOf(100, 4)],
      // Other weekdays do not count.
      [day - 1 * DAY, weekOf(10, 10)],
    ]);
    const forecast = forecastDay(counts, day, day - 60 * DAY);
    expect(forecast?.total.expected).toBe(104);
    expect(forecast?.byStatus.map(({ status, expected }) => [status, expected])).toEqual([
      ['SUCCEEDED', 100],
      ['FAILED', 4],
    ]);
    expect(forecast?.total.lower).toBeCloseTo(104 - 2 * Math.sqrt(104));
    expect(forecast?.byStatus[1]?.lower).toBe(0);
  });

  it('has no forecast before four weeks of history', () => {
    expect(forecastDay(new Map(), day, day - 20 * DAY)).toBeNull();
  });
});
