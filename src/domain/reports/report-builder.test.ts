import { isoTimestamps } from './report-builder.ts';

describe('isoTimestamps', () => {
  it('writes every timestamp as Date.prototype.toISOString does, across days, years and the edges of its range', () => {
    const iso = isoTimestamps();
    const edges = [0, 1, 999, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2026, 11, 31, 23, 59, 59, 999), 253_402_300_799_999, 253_402_300_800_000, -1, -86_400_001, 1.5];
    let state = 12_345;
    const random = Array.from({ length: 5_000 }, () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return Date.UTC(2026, 0, 1) + state * 37;
    });
    for (const ms of [...edges, ...random, ...random]) expect([ms, iso(ms)]).toEqual([ms, new Date(ms).toISOString()]);
  });
});
