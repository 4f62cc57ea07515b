/** The time ranges the UI offers: presets reaching back from now, or a custom [from, to). */
export const RANGE_PRESETS = {
  '1h': { label: 'Last hour', ms: 60 * 60 * 1000, bucket: 'MINUTE' },
  '24h': { label: 'Last 24 hours', ms: 24 * 60 * 60 * 1000, bucket: 'HOUR' },
  '7d': { label: 'Last 7 days', ms: 7 * 24 * 60 * 60 * 1000, bucket: 'HOUR' },
  '30d': { label: 'Last 30 days', ms: 30 * 24 * 60 * 60 * 1000, bucket: 'DAY' },
} as const;

export type RangePreset = keyof typeof RANGE_PRESETS;
export type TrendBucket = (typeof RANGE_PRESETS)[RangePreset]['bucket'] | 'WEEK';

export function isRangePreset(value: string): value is RangePreset {
  return Object.hasOwn(RANGE_PRESETS, value);
}

/** The bucket that gives a readable number of points for a span. */
export function bucketFor(spanMs: number): TrendBucket {
  if (spanMs <= 3 * 60 * 60 * 1000) return 'MINUTE';
  if (spanMs <= 8 * 24 * 60 * 60 * 1000) return 'HOUR';
  if (spanMs <= 120 * 24 * 60 * 60 * 1000) return 'DAY';
  return 'WEEK';
}

/** A preset's [from, to) as of `now`. */
export function presetRange(preset: RangePreset, now: number): { from: Date; to: Date } {
  return { from: new Date(now - RANGE_PRESETS[preset].ms), to: new Date(now) };
}
