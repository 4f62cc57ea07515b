/** The words and numbers every format writes the same way. */
import type { StatusDistribution } from '../../../domain/reports/report-content';
import type { RunStatus } from '../../../domain/status';

export function formatCount(count: number): string {
  // A baseline is a mean over periods, so it may have a fraction; counts never do.
  return Number.isInteger(count) ? count.toLocaleString('en-US') : count.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

export function formatShare(share: number | null): string {
  return share === null ? '–' : `${(share * 100).toFixed(1)}%`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes - hours * 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** A signed difference with its relative size when there is something to compare with. */
export function formatChange(current: number, before: number): string {
  const delta = current - before;
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  const absolute = `${sign}${formatCount(Math.abs(delta))}`;
  if (before === 0) return absolute;
  return `${absolute} (${sign}${((Math.abs(delta) / before) * 100).toFixed(1)}%)`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** An instant as `YYYY-MM-DD HH:mm` on the wall clock of the report's time zone. */
export function formatInstant(iso: string | null, timeZone: string): string {
  if (iso === null) return '–';
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(iso)).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** The statuses worth a row: those with runs in any of the distributions. */
export function presentStatuses(...distributions: StatusDistribution[]): RunStatus[] {
  const first = distributions[0];
  if (!first) return [];
  return first.statuses
    .map((share) => share.status)
    .filter((status) => distributions.some((distribution) => countOf(distribution, status) > 0));
}

/** Every distribution lists every status, zero counts included (the contract), so a missing one has none. */
export function countOf(distribution: StatusDistribution, status: RunStatus): number {
  return distribution.statuses.find((share) => share.status === status)?.count ?? 0;
}

/** The length of an error message a table shows: a stack trace would fill pages; the CSV and JSON keep it whole. */
export const ERROR_SHOWN_CHARS = 300;

export function shortError(message: string): string {
  const characters = Array.from(message);
  return characters.length <= ERROR_SHOWN_CHARS ? message : `${characters.slice(0, ERROR_SHOWN_CHARS).join('')}…`;
}
