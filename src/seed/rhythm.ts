import type { SeededRandom } from '../domain/seeded-random.ts';

/** When in the day and the week a workflow's runs come (UTC). */
export type Rhythm = 'workday' | 'nightly-batch' | 'office-hours' | 'night-window';

export const RHYTHMS: readonly Rhythm[] = ['workday', 'nightly-batch', 'office-hours', 'night-window'];

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** 1970-01-01, day 0 of unix time, was a Thursday. */
const UNIX_EPOCH_WEEKDAY = 4;

interface Pattern {
  /** Relative volume in each hour of the day, 0 to 23. */
  hours: readonly number[];
  /** Relative volume on each day of the week, Sunday first. */
  days: readonly number[];
}

const PATTERNS: Readonly<Record<Rhythm, Pattern>> = {
  // Pushes and merges: a morning ramp, a lunch dip, quiet nights and weekends.
  workday: {
    hours: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.15, 0.4, 0.8, 1, 1, 1, 0.7, 1, 1, 1, 1, 0.9, 0.6, 0.35, 0.3, 0.25, 0.15, 0.1],
    days: [0.2, 1, 1, 1, 1, 0.8, 0.2],
  },
  // Hourly loads all day, heavier in the nightly batch window, a little lighter at weekends.
  'nightly-batch': {
    hours: [1.6, 1.6, 1.6, 1.6, 1.6, 1.6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    days: [0.85, 1, 1, 1, 1, 1, 0.85],
  },
  // Releases while people are at their desks; hardly ever on a Friday afternoon or a weekend.
  'office-hours': {
    hours: [0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.05, 0.2, 0.5, 1, 1, 0.6, 1, 1, 1, 0.8, 0.4, 0.1, 0.05, 0.02, 0.02, 0.02, 0.02],
    days: [0.05, 1, 1, 1, 1, 0.5, 0.05],
  },
  // A nightly job: its window, and the stragglers of reruns.
  'night-window': {
    hours: [0.02, 0.05, 1, 0.3, 0.05, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02],
    days: [1, 1, 1, 1, 1, 1, 1],
  },
};

/** The UTC hour of day of `time` (unix ms), 0 to 23. */
export function hourOfDay(time: number): number {
  return Math.floor(time / HOUR_MS) % 24;
}

/** The UTC day of week of `time` (unix ms), Sunday 0. */
export function dayOfWeek(time: number): number {
  return (Math.floor(time / DAY_MS) + UNIX_EPOCH_WEEKDAY) % 7;
}

/** How busy a rhythm is in the hour that holds `time` (unix ms), relative to its own other hours. */
export function rhythmFactor(rhythm: Rhythm, time: number): number {
  const pattern = PATTERNS[rhythm];
  return (pattern.hours[hourOfDay(time)] ?? 0) * (pattern.days[dayOfWeek(time)] ?? 0);
}

export interface VolumeCalendarOptions {
  total: number;
  /** Unix ms; every time handed out lies in [from, to). */
  from: number;
  to: number;
  /** Runs a day asked for by the workflows of each rhythm, together. */
  firesPerDay: Readonly<Record<Rhythm, number>>;
  random: SeededRandom;
}

/**
 * Hands out the creation times of `total` runs in order, hour by hour: each hour gets its share
 * of the total in proportion to the volume of every rhythm in it, so the history has the
 * schedules' mix and their hour-of-day and day-of-week pattern. Each hour's count is the
 * difference of rounded running totals, so the counts add up to `total` exactly.
 */
export class VolumeCalendar {
  private readonly totalWeight: number;
  private slot = 0;
  private weightSoFar = 0;
  private handedOut = 0;
  private slotCount = 0;
  private slotIndex = 0;
  private slotStart = 0;
  private slotEnd = 0;

  constructor(private readonly options: VolumeCalendarOptions) {
    let weight = 0;
    for (let slot = 0; this.slotBounds(slot) !== null; slot += 1) weight += this.slotWeight(slot);
    if (!(weight > 0)) throw new Error('The seeded range has no hour in which a workflow runs');
    this.totalWeight = weight;
  }

  /** The next creation time, never earlier than the one before; null after the last. */
  next(): number | null {
    while (this.slotIndex >= this.slotCount) {
      const bounds = this.slotBounds(this.slot);
      if (bounds === null) return null;
      this.weightSoFar += this.slotWeight(this.slot);
      this.slot += 1;
      const last = this.slotBounds(this.slot) === null;
      const dueSoFar = last ? this.options.total : Math.min(this.options.total, Math.round((this.options.total * this.weightSoFar) / this.totalWeight));
      this.slotCount = dueSoFar - this.handedOut;
      this.handedOut = dueSoFar;
      this.slotIndex = 0;
      [this.slotStart, this.slotEnd] = bounds;
    }
    const index = this.slotIndex;
    this.slotIndex += 1;
    // Evenly spread with jitter inside each share: times never decrease.
    return this.slotStart + Math.floor(((index + this.options.random.next()) * (this.slotEnd - this.slotStart)) / this.slotCount);
  }

  /** The weight of each rhythm in the hour that holds `time`, in the order of RHYTHMS. */
  rhythmWeights(time: number, into: number[]): number[] {
    RHYTHMS.forEach((rhythm, index) => {
      into[index] = this.options.firesPerDay[rhythm] * rhythmFactor(rhythm, time);
    });
    return into;
  }

  private slotBounds(slot: number): [number, number] | null {
    const { from, to } = this.options;
    const start = slot === 0 ? from : (Math.floor(from / HOUR_MS) + slot) * HOUR_MS;
    if (start >= to) return null;
    return [start, Math.min(to, (Math.floor(from / HOUR_MS) + slot + 1) * HOUR_MS)];
  }

  private slotWeight(slot: number): number {
    const bounds = this.slotBounds(slot);
    if (bounds === null) return 0;
    const [start, end] = bounds;
    let weight = 0;
    for (const rhythm of RHYTHMS) weight += this.options.firesPerDay[rhythm] * rhythmFactor(rhythm, start);
    return (weight * (end - start)) / HOUR_MS;
  }
}
