import { Cron } from 'croner';
import { closestMatch } from './did-you-mean.ts';
import type { WorkflowSpec } from './workflow-spec.ts';

type Schedule = WorkflowSpec['schedule'];
type ScheduleEntry = Schedule[number];

const TIME_ZONE_PREFIX = /^(?:CRON_TZ|TZ)=(\S*)\s+/;
// A fixed reference keeps validation pure: a five-field pattern that fires at all fires within a few years of any date.
const NEVER_FIRES_REFERENCE = new Date('2000-01-01T00:00:00Z');

/**
 * Reads one `schedule` entry: an optional `CRON_TZ=<IANA zone> ` (or robfig/cron's `TZ=`)
 * prefix, then a five-field cron expression. Returns the entry, or why it is wrong.
 */
export function parseScheduleEntry(text: string): { ok: true; entry: ScheduleEntry } | { ok: false; reason: string } {
  const trimmed = text.trim();
  if (/^(?:CRON_TZ|TZ)=\S*$/.test(trimmed)) return { ok: false, reason: `"${trimmed}" has no cron expression after the time zone` };
  const prefix = TIME_ZONE_PREFIX.exec(trimmed);
  const expression = prefix ? trimmed.slice(prefix[0].length).trim() : trimmed;
  const timezone = prefix ? (prefix[1] ?? '') : null;
  if (timezone !== null && !isTimeZone(timezone)) {
    const suggestion = closestMatch(timezone, Intl.supportedValuesOf('timeZone'));
    const hint = suggestion ? `; did you mean "${suggestion}"?` : '; use an IANA name such as "Europe/Paris" or "UTC"';
    return { ok: false, reason: `unknown time zone "${timezone}" in "${trimmed}"${hint}` };
  }
  let cron: Cron;
  try {
    cron = cronOf({ expression, timezone });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
    return { ok: false, reason: `invalid cron "${expression}": ${message}` };
  }
  if (cron.nextRun(NEVER_FIRES_REFERENCE) === null) {
    return { ok: false, reason: `cron "${expression}" never fires (no date matches it)` };
  }
  return { ok: true, entry: { expression, timezone } };
}

/** The next `count` ticks strictly after `after`, over all expressions, ascending, without duplicates. */
export function nextFireTimes(schedule: Schedule, after: Date, count = 1): Date[] {
  const times = new Map<number, Date>();
  for (const entry of schedule) {
    for (const time of cronOf(entry).nextRuns(count, after)) times.set(time.getTime(), time);
  }
  return [...times.values()].sort((a, b) => a.getTime() - b.getTime()).slice(0, count);
}

/** The latest tick in (after, notAfter], over all expressions: the one a `missedTicks: latest` catch-up runs. */
export function latestFireTime(schedule: Schedule, after: Date, notAfter: Date): Date | null {
  let latest: Date | null = null;
  // croner looks strictly before its reference; one millisecond later makes notAfter itself count.
  const reference = new Date(notAfter.getTime() + 1);
  for (const entry of schedule) {
    const [time] = cronOf(entry).previousRuns(1, reference);
    if (time && time.getTime() > after.getTime() && (!latest || time.getTime() > latest.getTime())) latest = time;
  }
  return latest;
}

function cronOf(entry: ScheduleEntry): Cron {
  // No callback is given, so croner schedules no timer: it only computes dates.
  return new Cron(entry.expression, { mode: '5-part', paused: true, ...(entry.timezone ? { timezone: entry.timezone } : {}) });
}

function isTimeZone(name: string): boolean {
  if (name === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
