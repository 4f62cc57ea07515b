import { latestFireTime, nextFireTimes, parseScheduleEntry } from './schedule.ts';
import type { WorkflowSpec } from './workflow-spec.ts';

type Schedule = WorkflowSpec['schedule'];

const utc = (expression: string) => ({ expression, timezone: 'UTC' });
const at = (iso: string) => new Date(iso);
const iso = (dates: readonly Date[]) => dates.map((date) => date.toISOString());

describe('parseScheduleEntry', () => {
  it.each([
    ['a plain expression has no time zone', '0 3 * * *', { expression: '0 3 * * *', timezone: null }],
    ['CRON_TZ gives the time zone and is taken off the expression', 'CRON_TZ=Europe/Paris  0 9 * * MON-FRI ', { expression: '0 9 * * MON-FRI', timezone: 'Europe/Paris' }],
    ["robfig/cron's TZ= works too", 'TZ=UTC 0 9 * * *', { expression: '0 9 * * *', timezone: 'UTC' }],
    ['a nickname is an expression', '@daily', { expression: '@daily', timezone: null }],
  ])('%s', (_sentence, text, expected) => {
    const parsed = parseScheduleEntry(text);

    expect(parsed).toEqual({ ok: true, entry: expected });
  });

  it.each([
    ['a minute out of range gives croner\'s reason', '61 * * * *', 'invalid cron "61 * * * *": Invalid value for minute: 61'],
    ['a word is not an expression', 'daily', 'invalid cron "daily": invalid configuration format (\'daily\'), exactly five, six, or seven space separated parts are required.'],
    ['a time zone alone has no expression', 'CRON_TZ=Europe/Paris', '"CRON_TZ=Europe/Paris" has no cron expression after the time zone'],
    ['an unknown time zone far from any real one gets an example', 'CRON_TZ=Mars/Olympus 0 9 * * *', 'unknown time zone "Mars/Olympus" in "CRON_TZ=Mars/Olympus 0 9 * * *"; use an IANA name such as "Europe/Paris" or "UTC"'],
    ['the 31st of April never comes', '0 0 31 4 *', 'cron "0 0 31 4 *" never fires (no date matches it)'],
  ])('%s', (_sentence, text, reason) => {
    const parsed = parseScheduleEntry(text);

    expect(parsed).toEqual({ ok: false, reason });
  });
});

describe('nextFireTimes', () => {
  it.each<[string, Schedule, string, number | undefined, string[]]>([
    ['gives one tick by default', [utc('0 * * * *')], '2024-01-01T00:30:00Z', undefined, ['2024-01-01T01:00:00.000Z']],
    [
      'gives ticks strictly after the given time',
      [utc('*/15 * * * *')],
      '2024-01-01T00:15:00Z',
      3,
      ['2024-01-01T00:30:00.000Z', '2024-01-01T00:45:00.000Z', '2024-01-01T01:00:00.000Z'],
    ],
    [
      'merges all expressions in time order and keeps a shared tick once',
      [utc('0 */2 * * *'), utc('30 1 * * *'), utc('0 * * * *')],
      '2024-01-01T00:10:00Z',
      4,
      ['2024-01-01T01:00:00.000Z', '2024-01-01T01:30:00.000Z', '2024-01-01T02:00:00.000Z', '2024-01-01T03:00:00.000Z'],
    ],
    [
      'reads an expression in its time zone, across a daylight saving change',
      [{ expression: '0 9 * * *', timezone: 'Europe/Paris' }],
      '2024-03-30T12:00:00Z',
      2,
      ['2024-03-31T07:00:00.000Z', '2024-04-01T07:00:00.000Z'],
    ],
    [
      'runs a time skipped by the spring-forward change when the clock has jumped',
      [{ expression: '30 2 * * *', timezone: 'America/New_York' }],
      '2024-03-09T12:00:00Z',
      2,
      ['2024-03-10T07:00:00.000Z', '2024-03-11T06:30:00.000Z'],
    ],
    [
      'uses the server time zone without one (every quarter hour is the same in every zone)',
      [{ expression: '*/15 * * * *', timezone: null }],
      '2024-01-01T00:07:00Z',
      2,
      ['2024-01-01T00:15:00.000Z', '2024-01-01T00:30:00.000Z'],
    ],
    ['an empty schedule never fires', [], '2024-01-01T00:00:00Z', 3, []],
  ])('%s', (_sentence, schedule, after, count, expected) => {
    const times = nextFireTimes(schedule, at(after), count);

    expect(iso(times)).toEqual(expected);
  });
});

describe('latestFireTime', () => {
  it.each<[string, Schedule, string, string, string | null]>([
    ['gives the latest tick of the window', [utc('0 * * * *')], '2024-01-01T00:30:00Z', '2024-01-01T05:10:00Z', '2024-01-01T05:00:00.000Z'],
    ['includes a tick exactly at the end', [utc('0 * * * *')], '2024-01-01T00:30:00Z', '2024-01-01T05:00:00Z', '2024-01-01T05:00:00.000Z'],
    ['excludes a tick exactly at the start', [utc('0 * * * *')], '2024-01-01T05:00:00Z', '2024-01-01T05:59:59Z', null],
    ['gives null when no tick falls in the window', [utc('0 3 * * *')], '2024-01-01T04:00:00Z', '2024-01-01T23:00:00Z', null],
    [
      'takes the latest tick over all expressions',
      [utc('0 3 * * *'), utc('15 4 * * *')],
      '2024-01-01T00:00:00Z',
      '2024-01-03T04:00:00Z',
      '2024-01-03T03:00:00.000Z',
    ],
    [
      'reads an expression in its time zone',
      [{ expression: '0 9 * * *', timezone: 'Asia/Tokyo' }],
      '2024-01-01T00:00:00Z',
      '2024-01-03T12:00:00Z',
      '2024-01-03T00:00:00.000Z',
    ],
    ['an empty schedule has no tick', [], '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', null],
  ])('%s', (_sentence, schedule, after, notAfter, expected) => {
    const latest = latestFireTime(schedule, at(after), at(notAfter));

    expect(latest?.toISOString() ?? null).toBe(expected);
  });
});
