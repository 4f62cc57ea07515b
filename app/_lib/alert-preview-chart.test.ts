import { previewDays, previewSummary } from './alert-preview-chart.ts';

const from = new Date('2026-11-01T00:00:00Z');

describe('the preview of a rule', () => {
  it('counts the episodes that fired and resolved on each day of the range, leaving out what lies outside it', () => {
    const days = previewDays(
      [
        { firedAt: '2026-11-01T10:00:00Z', resolvedAt: '2026-11-02T01:00:00Z' },
        { firedAt: '2026-11-01T20:00:00Z', resolvedAt: null },
        { firedAt: '2026-12-05T00:00:00Z', resolvedAt: null },
      ],
      from,
      3,
    );

    expect(days).toEqual([
      { start: from.getTime(), fired: 2, resolved: 0 },
      { start: from.getTime() + 86_400_000, fired: 0, resolved: 1 },
      { start: from.getTime() + 2 * 86_400_000, fired: 0, resolved: 0 },
    ]);
  });

  it('says in a sentence how often it would have fired', () => {
    expect(previewSummary([{ firedAt: '2026-11-01T10:00:00Z', resolvedAt: null }], 1)).toBe('Would have fired 1 time in the last 30 days (1 still firing), over 1 run.');
    expect(previewSummary([], 1200)).toBe('Would have fired 0 times in the last 30 days, over 1,200 runs.');
  });
});
