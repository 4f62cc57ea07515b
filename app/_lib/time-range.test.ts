import { bucketFor, isRangePreset, presetRange, RANGE_PRESETS } from './time-range.ts';

const NOW = Date.parse('2025-03-10T12:00:00.000Z');
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

describe('presetRange', () => {
  it.each([
    ['1h', HOUR_MS],
    ['24h', DAY_MS],
    ['7d', 7 * DAY_MS],
    ['30d', 30 * DAY_MS],
  ] as const)('reaches back %s from now and ends at now', (preset, span) => {
    const { from, to } = presetRange(preset, NOW);

    expect(from.toISOString()).toBe(new Date(NOW - span).toISOString());
    expect(to.getTime()).toBe(NOW);
  });
});

describe('isRangePreset', () => {
  it('accepts the offered presets and refuses other words', () => {
    expect(Object.keys(RANGE_PRESETS).every(isRangePreset)).toBe(true);
    expect(isRangePreset('custom')).toBe(false);
    expect(isRangePreset('2h')).toBe(false);
    expect(isRangePreset('')).toBe(false);
  });
});

describe('bucketFor', () => {
  it.each([
    [30 * 60 * 1000, 'MINUTE'],
    [3 * HOUR_MS, 'MINUTE'],
    [3 * HOUR_MS + 1, 'HOUR'],
    [8 * DAY_MS, 'HOUR'],
    [8 * DAY_MS + 1, 'DAY'],
    [120 * DAY_MS, 'DAY'],
    [365 * DAY_MS, 'WEEK'],
  ])('draws a span of %d ms in %s buckets', (span, bucket) => {
    expect(bucketFor(span)).toBe(bucket);
  });

  it('agrees with the bucket each preset asks the server for', () => {
    for (const preset of Object.values(RANGE_PRESETS)) expect(bucketFor(preset.ms)).toBe(preset.bucket);
  });
});
