// One aligned table row per measurement, the targets beside them, then memory and a verdict.
import type { Timings } from './timing';

export interface Row {
  name: string;
  kind: 'page' | 'aggregate';
  /** Over HTTP, with the answer cache off: the query engine. */
  ours?: Timings;
  /** Over HTTP, with the answer cache on (a second server). */
  cached?: Timings;
  floor?: Timings;
  naive?: Timings;
  /** Every answer that differed, in words; empty when all agreed. */
  differences: string[];
}

export interface Verdict {
  met: boolean;
  text: string;
}

export const PAGE_TARGET = { times: 2, plusMs: 3 };
export const AGGREGATE_TARGET_SPEEDUP = 10;
export const PEAK_RSS_TARGET_BYTES = 500 * 1024 * 1024;

const TITLES = ['measurement', 'ours p50/p95', 'cached p50/p95', 'floor p50/p95', 'naive p50/p95', 'ratio', 'target (on p50)', 'same answer'];

export function tableLines(rows: readonly Row[]): string[] {
  const cells = rows.map((row) => [row.name, pair(row.ours), pair(row.cached), pair(row.floor), pair(row.naive), ratio(row), verdict(row)?.text ?? '—', sameAnswer(row)]);
  const widths = TITLES.map((title, index) => Math.max(title.length, ...cells.map((line) => line[index]?.length ?? 0)));
  const line = (texts: readonly string[]) => texts.map((text, index) => text.padEnd(widths[index] ?? 0)).join('  ').trimEnd();
  return [
    line(TITLES),
    line(widths.map((width) => '-'.repeat(width))),
    ...cells.map(line),
    '(milliseconds; ours and cached over HTTP from this process, floor and naive straight on the database)',
  ];
}

/** The row's target against its p50s; null until both sides were timed. */
export function verdict(row: Row): Verdict | null {
  if (!row.ours || !row.floor) return null;
  if (row.kind === 'page') {
    const limit = PAGE_TARGET.times * row.floor.p50 + PAGE_TARGET.plusMs;
    const met = row.ours.p50 <= limit;
    return { met, text: `<= ${ms(limit)} (2x+3) ${met ? 'ok' : 'MISSED'}` };
  }
  const met = row.floor.p50 >= AGGREGATE_TARGET_SPEEDUP * row.ours.p50;
  return { met, text: `>= ${AGGREGATE_TARGET_SPEEDUP}x faster ${met ? 'ok' : 'MISSED'}` };
}

function ratio(row: Row): string {
  if (!row.ours || !row.floor) return '—';
  if (row.kind === 'page') return `${(row.ours.p50 / row.floor.p50).toFixed(2)}x floor`;
  const speedup = row.floor.p50 / row.ours.p50;
  return speedup >= 1 ? `${speedup.toFixed(1)}x faster` : `${(1 / speedup).toFixed(1)}x slower`;
}

function sameAnswer(row: Row): string {
  if (row.differences.length > 0) return 'NO';
  if (row.ours || row.cached) return 'yes';
  return row.naive ? 'yes (naive)' : '—';
}

function pair(timings: Timings | undefined): string {
  return timings ? `${ms(timings.p50)} / ${ms(timings.p95)}` : '—';
}

export function ms(value: number): string {
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return value.toFixed(0);
}

export function megabytes(bytes: number | null): string {
  return bytes === null ? 'n/a' : `${Math.round(bytes / (1024 * 1024))} MB`;
}
