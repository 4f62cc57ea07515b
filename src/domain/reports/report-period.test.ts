import { firesBetween, nextFire, periodContaining, periodOfFire, periodsBefore, reportPeriodOf, scheduleProblem, sparklineBoundaries, type PeriodRule } from './report-period.ts';

const HOUR = 3_600_000;
const berlinDay: PeriodRule = { kind: 'PREVIOUS_DAY', windowHours: null, timeZone: 'Europe/Berlin' };

function iso(range: { from: Date; to: Date }) {
  return [range.from.toISOString(), range.to.toISOString()];
}

describe('report periods in a time zone', () => {
  it('reports the previous local day: a fire at 06:00 in Berlin covers the day before, midnight to midnight Berlin time', () => {
    const period = periodOfFire(berlinDay, new Date('2026-06-10T04:00:00Z'));
    expect(iso(period)).toEqual(['2026-06-08T22:00:00.000Z', '2026-06-09T22:00:00.000Z']);
    expect(reportPeriodOf(berlinDay, period).label).toBe('2026-06-09');
  });

  it('gives the last Sunday of October in Berlin 25 hours and 25 hourly sparkline buckets', () => {
    const period = periodOfFire(berlinDay, new Date('2026-10-26T05:00:00Z'));
    expect(iso(period)).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    expect(period.to.getTime() - period.from.getTime()).toBe(25 * HOUR);
    expect(sparklineBoundaries(berlinDay, period)).toHaveLength(26);
  });

  it('gives the last Sunday of March in Berlin 23 hours', () => {
    const period = periodContaining(berlinDay, { year: 2026, month: 3, day: 29 });
    expect(iso(period)).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(sparklineBoundaries(berlinDay, period)).toHaveLength(24);
  });

  it('reports the previous Monday-to-Monday week, 169 hours across the October change, with a bucket per local day', () => {
    const week: PeriodRule = { ...berlinDay, kind: 'PREVIOUS_WEEK' };
    const period = periodOfFire(week, new Date('2026-10-26T07:00:00Z'));
    expect(iso(period)).toEqual(['2026-10-18T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    expect(reportPeriodOf(week, period).label).toBe('Week of 2026-10-19');
    const boundaries = sparklineBoundaries(week, period);
    expect(boundaries).toHaveLength(8);
    expect(boundaries[7]?.toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('reports the previous calendar month in New York, and steps back month by month whatever their lengths', () => {
    const month: PeriodRule = { kind: 'PREVIOUS_MONTH', windowHours: null, timeZone: 'America/New_York' };
    const period = periodOfFire(month, new Date('2026-03-01T14:00:00Z'));
    expect(iso(period)).toEqual(['2026-02-01T05:00:00.000Z', '2026-03-01T05:00:00.000Z']);
    expect(periodsBefore(month, period, 2).map(iso)).toEqual([
      ['2026-01-01T05:00:00.000Z', '2026-02-01T05:00:00.000Z'],
      ['2025-12-01T05:00:00.000Z', '2026-01-01T05:00:00.000Z'],
    ]);
  });

  it('reports a rolling window ending at the fire', () => {
    const rolling: PeriodRule = { kind: 'ROLLING', windowHours: 6, timeZone: 'UTC' };
    expect(iso(periodOfFire(rolling, new Date('2026-06-10T12:00:00Z')))).toEqual(['2026-06-10T06:00:00.000Z', '2026-06-10T12:00:00.000Z']);
  });

  it('fires cron schedules at local time on both sides of a change (06:00 Berlin is 04:00 UTC in summer, 05:00 in winter)', () => {
    const fires = firesBetween('0 6 * * *', 'Europe/Berlin', new Date('2026-10-23T00:00:00Z'), new Date('2026-10-27T00:00:00Z'), 10);
    expect(fires.map((fire) => fire.toISOString())).toEqual(['2026-10-26T05:00:00.000Z', '2026-10-25T05:00:00.000Z', '2026-10-24T04:00:00.000Z', '2026-10-23T04:00:00.000Z']);
    expect(nextFire('0 6 * * 1', 'Asia/Kolkata', new Date('2026-06-10T00:00:00Z'))?.toISOString()).toBe('2026-06-15T00:30:00.000Z');
  });

  it('refuses schedules that are not cron, never fire, or fire more often than every 15 minutes', () => {
    expect(scheduleProblem('every day', 'UTC', 15 * 60_000)).toMatch(/not a cron expression/);
    expect(scheduleProblem('0 0 30 2 *', 'UTC', 15 * 60_000)).toMatch(/never fires|not a cron/);
    expect(scheduleProblem('*/5 * * * *', 'UTC', 15 * 60_000)).toMatch(/5 minutes apart/);
    expect(scheduleProblem('0 6 * * 1', 'Europe/Berlin', 15 * 60_000)).toBeNull();
  });
});
