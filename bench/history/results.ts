// bench:history's table: one row per query, ours beside its floor, the target and whether the
// answers agreed. A page's floor is the SQL floor plus a bare HTTP round trip of the same bytes:
// on a busy machine that round trip alone grew from 0.9 to 3.7 ms and hid what our code costs.
import { ms, table } from '../shared/report.ts';
import type { Timings } from './timing.ts';

export interface Row {
  name: string;
  kind: 'page' | 'aggregate';
  /** Over HTTP, with the answer cache off: the query engine. */
  ours?: Timings;
  /** Over HTTP, with the answer cache on (a second server). */
  cached?: Timings;
  /** The best plain SQL straight on the database. */
  sql?: Timings;
  /** Pages only: a bare node:http server answering the bytes ours answered, with the same client. */
  bareHttp?: Timings;
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

const TITLES = [
  'measurement',
  'ours p50/p95',
  'cached p50/p95',
  'SQL p50/p95',
  'bare HTTP p50/p95',
  'floor p50',
  'naive p50/p95',
  'ours / floor',
  'target (on p50)',
  'same answer',
];

export function tableLines(rows: readonly Row[]): string[] {
  const cells = rows.map((row) => {
    const floor = floorMs(row);
    return [
      row.name,
      pair(row.ours),
      pair(row.cached),
      pair(row.sql),
      pair(row.bareHttp),
      floor === null ? '—' : ms(floor),
      pair(row.naive),
      ratio(row),
      verdict(row)?.text ?? '—',
      sameAnswer(row),
    ];
  });
  return [
    ...table(TITLES, cells),
    '(milliseconds; ours, cached and bare HTTP over HTTP from this process, SQL and naive straight on the database;',
    ' a page\'s floor = SQL + bare HTTP, an aggregate\'s floor = SQL)',
  ];
}

/** What ours is judged against, at p50: SQL, and for a page also the bare HTTP round trip; null until timed. */
export function floorMs(row: Row): number | null {
  if (!row.sql) return null;
  if (row.kind === 'aggregate') return row.sql.p50;
  return row.bareHttp ? row.sql.p50 + row.bareHttp.p50 : null;
}

/** The row's target against its p50s; null until ours and its floor were timed. */
export function verdict(row: Row): Verdict | null {
  const floor = floorMs(row);
  if (!row.ours || floor === null) return null;
  if (row.kind === 'page') {
    const limit = PAGE_TARGET.times * floor + PAGE_TARGET.plusMs;
    const met = row.ours.p50 <= limit;
    return { met, text: `<= ${ms(limit)} (${PAGE_TARGET.times}x+${PAGE_TARGET.plusMs}) ${met ? 'ok' : 'MISSED'}` };
  }
  const met = floor >= AGGREGATE_TARGET_SPEEDUP * row.ours.p50;
  return { met, text: `>= ${AGGREGATE_TARGET_SPEEDUP}x faster ${met ? 'ok' : 'MISSED'}` };
}

function ratio(row: Row): string {
  const floor = floorMs(row);
  if (!row.ours || floor === null) return '—';
  if (row.kind === 'page') return `${(row.ours.p50 / floor).toFixed(2)}x`;
  const speedup = floor / row.ours.p50;
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
