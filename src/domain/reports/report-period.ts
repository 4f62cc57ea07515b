/**
 * The periods reports cover, in the definition's IANA time zone: a local day, a Monday-to-Monday
 * week or a calendar month (so a day across a daylight-saving change lasts 23 or 25 hours), or a
 * rolling window of hours before the fire time. Pure: zone offsets come from Intl.
 */
import { Cron } from 'croner';
import type { ReportPeriod } from './report-content.ts';

export const REPORT_PERIOD_KINDS = ['PREVIOUS_DAY', 'PREVIOUS_WEEK', 'PREVIOUS_MONTH', 'ROLLING'] as const;
export type ReportPeriodKind = (typeof REPORT_PERIOD_KINDS)[number];

/** How a definition cuts time: the kind, the rolling window (hours, ROLLING only) and the zone. */
export interface PeriodRule {
  kind: ReportPeriodKind;
  windowHours: number | null;
  timeZone: string;
}

/** A period as instants: [from, to). */
export interface PeriodRange {
  from: Date;
  to: Date;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

interface LocalDate {
  year: number;
  /** 1 to 12. */
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock of `instant` in the zone, as if it were UTC (ms). */
function wallClock(instant: number, timeZone: string): number {
  const parts = new Map<string, string>(formatterOf(timeZone).formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const field = (name: string) => Number(parts.get(name));
  return Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
}

/** The zone's offset from UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  return wallClock(whole, timeZone) - whole;
}

/** The local date of an instant in the zone. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const wall = new Date(wallClock(instant.getTime(), timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** The instant local midnight begins on a date in the zone (the date may overflow: day 0, month 13). */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day);
  // Two rounds settle the offset on either side of a change; a midnight skipped by a change begins at the first instant after it.
  let instant = wall - offsetAt(wall, timeZone);
  instant = wall - offsetAt(instant, timeZone);
  return new Date(instant);
}

function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

function weekday(date: LocalDate): number {
  // 0 Monday … 6 Sunday.
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
}

function dateText(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** The period a fire at `fireAt` reports on: the full local day, week or month before the one it falls in, or the window before it. */
export function periodOfFire(rule: PeriodRule, fireAt: Date): PeriodRange {
  if (rule.kind === 'ROLLING') return rollingBefore(rule, fireAt);
  const today = localDateOf(fireAt, rule.timeZone);
  return periodContaining(rule, addDays(dayOneOf(rule.kind, today), -1));
}

/** The day, week or month that holds a local date; for a rolling window, the window that ends when that date ends. */
export function periodContaining(rule: PeriodRule, date: LocalDate): PeriodRange {
  const zone = rule.timeZone;
  switch (rule.kind) {
    case 'PREVIOUS_DAY':
      return { from: startOfLocalDay(date, zone), to: startOfLocalDay(addDays(date, 1), zone) };
    case 'PREVIOUS_WEEK': {
      const monday = dayOneOf('PREVIOUS_WEEK', date);
      return { from: startOfLocalDay(monday, zone), to: startOfLocalDay(addDays(monday, 7), zone) };
    }
    case 'PREVIOUS_MONTH':
      return { from: startOfLocalDay({ year: date.year, month: date.month, day: 1 }, zone), to: startOfLocalDay({ year: date.year, month: date.month + 1, day: 1 }, zone) };
    case 'ROLLING':
      return rollingBefore(rule, startOfLocalDay(addDays(date, 1), zone));
  }
}

function rollingBefore(rule: PeriodRule, end: Date): PeriodRange {
  const windowMs = (rule.windowHours ?? 24) * HOUR_MS;
  return { from: new Date(end.getTime() - windowMs), to: end };
}

/** The first local day of the day, week or month that holds `date`. */
function dayOneOf(kind: Exclude<ReportPeriodKind, 'ROLLING'>, date: LocalDate): LocalDate {
  if (kind === 'PREVIOUS_DAY') return date;
  if (kind === 'PREVIOUS_WEEK') return addDays(date, -weekday(date));
  return { year: date.year, month: date.month, day: 1 };
}

/** The period just before `period`, of the same kind (a month before a month, whatever their lengths). */
export function previousPeriod(rule: PeriodRule, period: PeriodRange): PeriodRange {
  if (rule.kind === 'ROLLING') return rollingBefore(rule, period.from);
  const lastDay = addDays(localDateOf(period.from, rule.timeZone), -1);
  return periodContaining(rule, lastDay);
}

/** The `count` periods before `period`, nearest first. */
export function periodsBefore(rule: PeriodRule, period: PeriodRange, count: number): PeriodRange[] {
  const periods: PeriodRange[] = [];
  let current = period;
  for (let index = 0; index < count; index += 1) {
    current = previousPeriod(rule, current);
    periods.push(current);
  }
  return periods;
}

/** The period as reports show it. */
export function reportPeriodOf(rule: PeriodRule, period: PeriodRange): ReportPeriod {
  const first = localDateOf(period.from, rule.timeZone);
  const label =
    rule.kind === 'PREVIOUS_DAY'
      ? dateText(first)
      : rule.kind === 'PREVIOUS_WEEK'
        ? `Week of ${dateText(first)}`
        : rule.kind === 'PREVIOUS_MONTH'
          ? dateText(first).slice(0, 7)
          : `${rule.windowHours ?? 24} h to ${period.to.toISOString()}`;
  return { from: period.from.toISOString(), to: period.to.toISOString(), timeZone: rule.timeZone, label };
}

/**
 * The boundaries of the sparkline's buckets: local hours for a period of up to two days, local
 * days beyond (a DST day has 23 or 25 hourly buckets). Starts at `from`, ends at `to`.
 */
export function sparklineBoundaries(rule: PeriodRule, period: PeriodRange): Date[] {
  const from = period.from.getTime();
  const to = period.to.getTime();
  const boundaries: Date[] = [period.from];
  if (to - from <= 2 * DAY_MS) {
    // Whole UTC hours are whole local hours in every zone whose offset is in whole hours; others get their first partial hour.
    for (let at = Math.floor(from / HOUR_MS) * HOUR_MS + HOUR_MS; at < to; at += HOUR_MS) boundaries.push(new Date(at));
  } else {
    let date = addDays(localDateOf(period.from, rule.timeZone), 1);
    for (let at = startOfLocalDay(date, rule.timeZone); at.getTime() < to; at = startOfLocalDay(date, rule.timeZone)) {
      if (at.getTime() > from) boundaries.push(at);
      date = addDays(date, 1);
    }
  }
  boundaries.push(period.to);
  return boundaries;
}

/** A YYYY-MM-DD text as a local date, or null when it is not one. */
export function parseLocalDate(text: string): LocalDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  if (check.getUTCFullYear() !== date.year || check.getUTCMonth() + 1 !== date.month || check.getUTCDate() !== date.day) return null;
  return date;
}

export function isTimeZone(name: string): boolean {
  if (name === '' || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function cronOf(schedule: string, timeZone: string): Cron {
  // No callback: croner schedules no timer, it only computes dates.
  return new Cron(schedule, { mode: '5-part', paused: true, timezone: timeZone });
}

/** Why a cron schedule cannot drive a report, or null: five fields that fire, at most every `minIntervalMs`. */
export function scheduleProblem(schedule: string, timeZone: string, minIntervalMs: number): string | null {
  let cron: Cron;
  try {
    cron = cronOf(schedule, timeZone);
  } catch (error) {
    return `is not a cron expression of five fields: ${error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error)}`;
  }
  const reference = new Date('2001-01-01T00:00:00Z');
  const fires = cron.nextRuns(50, reference);
  if (fires.length === 0) return 'never fires';
  for (let index = 1; index < fires.length; index += 1) {
    const gap = (fires[index]?.getTime() ?? 0) - (fires[index - 1]?.getTime() ?? 0);
    if (gap < minIntervalMs) return `fires ${Math.round(gap / 60_000)} minutes apart; a report is generated at most every ${Math.round(minIntervalMs / 60_000)} minutes`;
  }
  return null;
}

/** The latest `count` fires in (after, notAfter], latest first. */
export function firesBetween(schedule: string, timeZone: string, after: Date, notAfter: Date, count: number): Date[] {
  // croner looks strictly before its reference; one millisecond later makes notAfter itself count.
  return cronOf(schedule, timeZone)
    .previousRuns(count, new Date(notAfter.getTime() + 1))
    .filter((fire) => fire.getTime() > after.getTime());
}

/** The next fire strictly after `after`, or null when there is none. */
export function nextFire(schedule: string, timeZone: string, after: Date): Date | null {
  return cronOf(schedule, timeZone).nextRun(after);
}
