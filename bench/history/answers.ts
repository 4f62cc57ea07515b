// The answers both sides give, in one canonical text each, so "same answer" is a string compare
// and a difference can be shown where it starts.

export const PAGE_SIZE = 50;

export interface PageAnswer {
  ids: readonly string[];
  hasNextPage: boolean;
}

export interface StatusCount {
  status: string;
  count: number;
}

export interface TrendPointAnswer {
  startMs: number;
  counts: readonly StatusCount[];
}

export function pageText(page: PageAnswer): string {
  return `${page.ids.join(' ')} ${page.hasNextPage ? '(more)' : '(last page)'}`;
}

/** Zero counts are dropped: one side may list every status, the other only those it found. */
export function countsText(total: number, byStatus: readonly StatusCount[]): string {
  return `total=${total} ${statusCountsText(byStatus)}`;
}

/** One segment per point with a non-zero count, in time order; a point listed twice shows twice. */
export function trendText(points: readonly TrendPointAnswer[]): string {
  return points
    .map((point) => ({ startMs: point.startMs, counts: statusCountsText(point.counts) }))
    .filter((point) => point.counts !== '')
    .sort((a, b) => a.startMs - b.startMs || a.counts.localeCompare(b.counts))
    .map((point) => `${new Date(point.startMs).toISOString()} ${point.counts}`)
    .join('; ');
}

/** Rows of (hour, status, count) as points, the shape the API answers. */
export function trendPointsFromCells(cells: readonly { startMs: number; status: string; count: number }[]): TrendPointAnswer[] {
  const byStart = new Map<number, StatusCount[]>();
  for (const cell of cells) {
    const counts = byStart.get(cell.startMs) ?? [];
    counts.push({ status: cell.status, count: cell.count });
    byStart.set(cell.startMs, counts);
  }
  return [...byStart].map(([startMs, counts]) => ({ startMs, counts }));
}

function statusCountsText(byStatus: readonly StatusCount[]): string {
  return byStatus
    .filter((cell) => cell.count !== 0)
    .map((cell) => `${cell.status}=${cell.count}`)
    .sort()
    .join(' ');
}

/** The two texts around where they first differ, short enough for one terminal line each. */
export function firstDifference(expected: string, got: string): { expected: string; got: string } {
  let at = 0;
  while (at < expected.length && at < got.length && expected[at] === got[at]) at += 1;
  const from = Math.max(0, at - 40);
  const excerpt = (text: string) => `${from > 0 ? '…' : ''}${text.slice(from, at + 80)}${text.length > at + 80 ? '…' : ''}`;
  return { expected: excerpt(expected), got: excerpt(got) };
}
