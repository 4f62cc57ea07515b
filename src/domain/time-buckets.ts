/** Time buckets of history in UTC: the grains of the rollups and of trends. */
export const TIME_BUCKETS = ['MINUTE', 'HOUR', 'DAY', 'WEEK'] as const;
export type TimeBucket = (typeof TIME_BUCKETS)[number];

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;
// 1970-01-01 was a Thursday; weeks start on Monday, four days later.
const FIRST_MONDAY_MS = 4 * DAY_MS;

const BUCKET_MS: Record<TimeBucket, number> = { MINUTE: MINUTE_MS, HOUR: HOUR_MS, DAY: DAY_MS, WEEK: WEEK_MS };

export function bucketMs(bucket: TimeBucket): number {
  return BUCKET_MS[bucket];
}

/** The start of the bucket that holds `ms`. */
export function bucketStart(ms: number, bucket: TimeBucket): number {
  const offset = bucket === 'WEEK' ? FIRST_MONDAY_MS : 0;
  const size = BUCKET_MS[bucket];
  return Math.floor((ms - offset) / size) * size + offset;
}

export function isTimeBucket(value: unknown): value is TimeBucket {
  return typeof value === 'string' && (TIME_BUCKETS as readonly string[]).includes(value);
}

/** The most points one trend may have. */
export const MAX_TREND_POINTS = 5_000;

/** How many buckets a trend over [from, to) has, the partial first one included. */
export function trendPoints(from: number, to: number, bucket: TimeBucket): number {
  return Math.ceil((to - bucketStart(from, bucket)) / BUCKET_MS[bucket]);
}

/** The first bucket boundary at or after `ms`. */
export function bucketCeil(ms: number, bucket: TimeBucket): number {
  const start = bucketStart(ms, bucket);
  return start === ms ? ms : start + BUCKET_MS[bucket];
}

export function startOfHour(date: Date): Date {
  return new Date(bucketStart(date.getTime(), 'HOUR'));
}

export function startOfDay(date: Date): Date {
  return new Date(bucketStart(date.getTime(), 'DAY'));
}
