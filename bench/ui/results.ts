// bench:ui's tables: page loads as p50 (min–max) beside the floor, where cold loads spent their
// time, and the JavaScript each page ships.
import { kilobytes, ms, percentile, table } from '../shared/report.ts';
import type { LoadBreakdown } from './paint-marks.ts';
import type { ScriptBytes } from './script-bytes.ts';

/** Issue 20: cold first rows of /runs within 3x of the bare page's. */
export const FIRST_ROWS_AIM_RATIO = 3;
/** Issue 20: the dashboard's scripts under 250 KiB, as sent (the "transferred" column). */
export const DASHBOARD_SCRIPT_AIM_BYTES = 250 * 1024;

export interface Summary {
  p50: number;
  min: number;
  max: number;
}

export function summary(samples: readonly number[]): Summary | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN };
}

export interface TimeRow {
  name: string;
  ours: Summary | null;
  /** The bare page's first rows, in the same state (cold or warm); absent where nothing compares. */
  floor?: Summary | null;
  /** "yes", "NO", or "—" when nothing is compared. */
  sameRows: string;
}

/** Our p50 over the floor's p50; null when either was not measured. */
export function ratio(row: TimeRow): number | null {
  return row.ours && row.floor ? row.ours.p50 / row.floor.p50 : null;
}

export function timeTable(rows: readonly TimeRow[]): string[] {
  const titles = ['measurement', 'ours p50 (min–max)', 'floor p50 (min–max)', 'ratio (p50)', 'same rows'];
  const cells = rows.map((row) => {
    const times = ratio(row);
    return [row.name, spread(row.ours), row.floor === undefined ? '—' : spread(row.floor), times === null ? '—' : `${times.toFixed(1)}x floor`, row.sameRows];
  });
  return [...table(titles, cells), '(milliseconds from navigation start to the first frame that shows it, measured in the page; cold: fresh context, empty HTTP cache; warm: same context, navigated again)'];
}

/** Where the time of cold loads went, one column per kind of load. */
export function breakdownTable(columns: readonly { name: string; loads: readonly LoadBreakdown[] }[]): string[] {
  const p50 = (values: readonly (number | null)[], format: (value: number) => string = ms) => {
    const found = summary(values.filter((value): value is number => value !== null));
    return found ? format(found.p50) : '—';
  };
  const steps: [string, (load: LoadBreakdown) => number | null, ((value: number) => string)?][] = [
    ['HTML response start', (load) => load.responseStart],
    ['DOMContentLoaded', (load) => load.domContentLoaded],
    ['last script loaded', (load) => load.lastScriptEnd],
    ['GraphQL answers before the paint', (load) => load.graphqlRequests, String],
    ['last of those answered', (load) => load.lastGraphqlEnd],
    ['in the DOM', (load) => load.inDom],
    ['painted', (load) => load.painted],
  ];
  const titles = ['cold load, p50 of each step (ms)', ...columns.map((column) => column.name)];
  const cells = steps.map(([name, value, format]) => [name, ...columns.map((column) => p50(column.loads.map(value), format))]);
  return table(titles, cells);
}

export function scriptTable(pages: readonly ScriptBytes[]): string[] {
  const titles = ['page', 'scripts', 'transferred (as sent)', 'decoded', 'not compressed', '+ prefetching linked pages'];
  const cells = pages.map((page) => [page.path, String(page.scripts), kilobytes(page.transferred), kilobytes(page.decoded), uncompressedText(page), `+${kilobytes(page.prefetched)}`]);
  return [
    ...table(titles, cells),
    "(script responses of one load in a fresh context until the network was idle, with Next.js's link prefetches refused; the last column: what they add when allowed; KiB = 1024 bytes)",
  ];
}

/** The two aims, met or missed; reported, never a failure of the bench. */
export function aimLines(firstRows: TimeRow, dashboard: ScriptBytes | null): string[] {
  const times = ratio(firstRows);
  const rows =
    times === null
      ? 'not measured'
      : `${times <= FIRST_ROWS_AIM_RATIO ? 'met' : 'MISSED'} (${times.toFixed(1)}x: ${ms(firstRows.ours?.p50 ?? Number.NaN)} against ${ms(firstRows.floor?.p50 ?? Number.NaN)})`;
  const script = dashboard === null ? 'not measured' : `${dashboard.transferred < DASHBOARD_SCRIPT_AIM_BYTES ? 'met' : 'MISSED'} (${kilobytes(dashboard.transferred)} as sent, ${kilobytes(dashboard.decoded)} decoded)`;
  return [
    `aim: cold first rows of /runs within ${FIRST_ROWS_AIM_RATIO}x of the bare page's (p50): ${rows}`,
    `aim: the dashboard's scripts under ${kilobytes(DASHBOARD_SCRIPT_AIM_BYTES)} as sent: ${script}`,
  ];
}

function uncompressedText(page: ScriptBytes): string {
  if (page.uncompressed.length === 0) return '0';
  return `${page.uncompressed.length} (${kilobytes(page.uncompressed.reduce((total, script) => total + script.bytes, 0))})`;
}

function spread(value: Summary | null | undefined): string {
  return value ? `${ms(value.p50)} (${ms(value.min)}–${ms(value.max)})` : '—';
}
