import { countOf } from './plural.ts';

/** The span of the rule editor's preview: the last 30 days. */
export const PREVIEW_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PreviewEpisodeLike {
  firedAt: string;
  resolvedAt: string | null;
}

export interface PreviewDay {
  /** The day's start, in ms. */
  start: number;
  fired: number;
  resolved: number;
}

/** The episodes of a preview per day of its range: how many fired and how many resolved each day, oldest day first. */
export function previewDays(episodes: readonly PreviewEpisodeLike[], from: Date, days = PREVIEW_DAYS): PreviewDay[] {
  const rows = Array.from({ length: days }, (_, index) => ({ start: from.getTime() + index * DAY_MS, fired: 0, resolved: 0 }));
  const dayOf = (at: string) => rows[Math.floor((Date.parse(at) - from.getTime()) / DAY_MS)];
  for (const episode of episodes) {
    const fired = dayOf(episode.firedAt);
    if (fired) fired.fired += 1;
    const resolved = episode.resolvedAt === null ? undefined : dayOf(episode.resolvedAt);
    if (resolved) resolved.resolved += 1;
  }
  return rows;
}

/** One sentence of what the preview found: `Would have fired 3 times in the last 30 days (1 still firing), over 120 runs.` */
export function previewSummary(episodes: readonly PreviewEpisodeLike[], runsRead: number): string {
  const fired = episodes.length;
  const open = episodes.filter((episode) => episode.resolvedAt === null).length;
  return `Would have fired ${countOf(fired, 'time', 'times')} in the last ${PREVIEW_DAYS} days${open > 0 ? ` (${open} still firing)` : ''}, over ${countOf(runsRead, 'run', 'runs')}.`;
}
