// Sequential timings of one query, each answer checked against the reference outside the clock.
import { percentile } from '../shared/report.ts';

export interface TimingPlan {
  warmup: number;
  iterations: number;
}

export interface Timings {
  p50: number;
  p95: number;
  /** The first answer that differed from the reference, if any did. */
  wrong: string | null;
}

export async function time<T>(run: () => Promise<T>, text: (value: T) => string, expected: string, plan: TimingPlan): Promise<Timings> {
  let wrong: string | null = null;
  const check = (value: T) => {
    const answer = text(value);
    if (answer !== expected) wrong ??= answer;
  };
  for (let index = 0; index < plan.warmup; index += 1) check(await run());
  const samples: number[] = [];
  for (let index = 0; index < plan.iterations; index += 1) {
    const started = performance.now();
    const value = await run();
    samples.push(performance.now() - started);
    check(value);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), wrong };
}
