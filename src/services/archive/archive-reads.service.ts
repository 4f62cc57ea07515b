import type { HistoryReader, ReadSession } from '../../db/history-reader.ts';
import { overlaps } from '../../domain/archive/archive-period.ts';
import { createdRange, type RunSelection } from '../../domain/history/run-selection.ts';
import type { TimeRange } from '../../domain/history/time-cover.ts';
import { idTime } from '../../domain/ids.ts';
import type { ArchiveCatalogRepository, ArchivePeriodRecord } from '../../repositories/archive/archive-catalog.repository.ts';
import type { ArchivedRunRepository } from '../../repositories/archive/archived-run.repository.ts';
import type { RunEventRecord } from '../../repositories/run-event.repository.ts';
import type { CountRow, RunCountRepository, RunGrain } from '../../repositories/run-count.repository.ts';
import type { ArchiveScope, PageDirection, PagePosition, RunPageRepository } from '../../repositories/run-page.repository.ts';
import type { RunRecord } from '../../repositories/run.repository.ts';
import type { StepRunRecord } from '../../repositories/step-run.repository.ts';
import type { ArchiveStore } from './archive-store.ts';

/** The archives as one moment of the live database saw them. */
export interface ArchiveView {
  /** Periods with archived runs (a committed batch), oldest first. */
  periods: ArchivePeriodRecord[];
  /** Changes with every committed batch: answers that leave archived runs out are cached under it. */
  epoch: number;
  /** The highest event seq in an archive: snapshots and replays before it would need archived events. */
  horizon: bigint;
}

/**
 * Whether two views, read in two transactions, hold the same archived runs: every batch that
 * moves runs into or out of an archive changes its period's row, which no run event records.
 */
export function sameArchiveView(a: ArchiveView, b: ArchiveView): boolean {
  if (a.epoch !== b.epoch || a.horizon !== b.horizon || a.periods.length !== b.periods.length) return false;
  return a.periods.every((period, index) => {
    const other = b.periods[index];
    return other !== undefined && period.id === other.id && period.committedBatch === other.committedBatch && period.changes === other.changes && period.updatedAt.getTime() === other.updatedAt.getTime();
  });
}

/**
 * What history queries read of the archives: pages, counts of runs and durations over ranges, and
 * archived runs by id with their steps and events. Each period is read only up to the committed
 * batch the caller's view of the catalog saw, and only when its time range can hold an answer.
 */
export class ArchiveReadsService {
  constructor(
    private readonly deps: {
      reader: HistoryReader;
      catalog: ArchiveCatalogRepository;
      store: ArchiveStore;
      pages: RunPageRepository;
      counts: RunCountRepository;
      archivedRuns: ArchivedRunRepository;
    },
  ) {}

  /** The archives as `session` sees the catalog. */
  async view(session: ReadSession): Promise<ArchiveView> {
    const all = await this.deps.catalog.list(session);
    const periods = all.filter((period) => period.committedBatch > 0);
    return {
      periods,
      epoch: all.reduce((sum, period) => sum + period.changes, 0),
      horizon: periods.reduce((max, period) => (period.maxSeq > max ? period.maxSeq : max), 0n),
    };
  }

  /** The catalog's change count alone, for the keys of cached answers that leave archived runs out. */
  async epoch(session: ReadSession): Promise<number> {
    return this.deps.catalog.changes(session);
  }

  /**
   * `live` (a page of live runs, in page order) merged with the archived runs of the same page:
   * periods are read in page order, each for at most `limit` runs, until the page is full of runs
   * that come before every run of the next period.
   */
  async mergePage(
    view: ArchiveView,
    selection: RunSelection,
    snapshot: bigint | null,
    position: PagePosition | null,
    direction: PageDirection,
    limit: number,
    live: readonly RunRecord[],
  ): Promise<RunRecord[]> {
    const store = this.deps.store;
    const range = createdRange(selection);
    const sign = direction === 'DESC' ? -1 : 1;
    const candidates = view.periods
      .filter((period) => overlaps(rangeOf(period), range.from, range.to))
      .filter((period) => position === null || (direction === 'DESC' ? period.periodStart.getTime() <= position.createdAt : period.periodEnd.getTime() > position.createdAt))
      .sort((a, b) => sign * (a.periodStart.getTime() - b.periodStart.getTime()));
    let merged = [...live];
    for (const period of candidates) {
      const last = merged[limit - 1];
      if (last && (direction === 'DESC' ? last.createdAt.getTime() >= period.periodEnd.getTime() : last.createdAt.getTime() < period.periodStart.getTime())) break;
      const rows = await store.read(period, (session) => this.deps.pages.pageOfArchive(session, scopeOf(store, period), selection, snapshot, position, direction, limit));
      merged = [...merged, ...rows].sort((a, b) => sign * compareRuns(a, b)).slice(0, limit);
    }
    return merged;
  }

  /** Selected archived runs created in `ranges`, counted per status (and per `grain`), from the archives that hold them. */
  async countRuns(view: ArchiveView, selection: RunSelection, ranges: readonly TimeRange[], grain: RunGrain | null): Promise<CountRow[]> {
    const store = this.deps.store;
    const rows: CountRow[] = [];
    for (const period of view.periods) {
      const clipped = ranges.filter((range) => overlaps(rangeOf(period), range.from, range.to)).map((range) => clip(range, period));
      if (clipped.length === 0) continue;
      rows.push(...(await store.read(period, (session) => this.deps.counts.countRuns(session, selection, clipped, grain, scopeOf(store, period)))));
    }
    return rows;
  }

  /** Durations of a workflow's finished archived runs created in `range`. */
  async finishedDurations(view: ArchiveView, workflowId: string, range: TimeRange): Promise<number[]> {
    const store = this.deps.store;
    const durations: number[] = [];
    for (const period of view.periods) {
      if (!overlaps(rangeOf(period), range.from, range.to)) continue;
      durations.push(...(await store.read(period, (session) => this.deps.counts.finishedDurations(session, workflowId, range, scopeOf(store, period)))));
    }
    return durations;
  }

  /** Whether readRange would read an archive for this range. */
  holdsRange(view: ArchiveView, range: TimeRange): boolean {
    return this.deps.store !== null && view.periods.some((period) => overlaps(rangeOf(period), range.from, range.to));
  }

  /**
   * What `read` finds in each archive that overlaps `range` (clipped to the archive), told which of
   * its runs are committed there: for questions about the archived runs of a period as a whole.
   */

  async readRange<T>(view: ArchiveView, range: TimeRange, read: (session: ReadSession, range: TimeRange, scope: ArchiveScope) => Promise<T[]>): Promise<T[]> {
    const store = this.deps.store;
    const rows: T[] = [];
    if (store === null) return rows;
    for (const period of view.periods) {
      if (!overlaps(rangeOf(period), range.from, range.to)) continue;
      rows.push(...(await store.read(period, (session) => read(session, clip(range, period), scopeOf(store, period)))));
    }
    return rows;
  }

  /** Archived runs by id (ids begin with their run's creation time, which names the period); the others are left out. */
  async runsByIds(ids: readonly string[]): Promise<RunRecord[]> {
    const store = this.deps.store;
    if (ids.length === 0) return [];
    const view = await this.view(this.deps.reader);
    const runs: RunRecord[] = [];
    for (const [period, ofPeriod] of byPeriod(view, ids)) {
      runs.push(...(await store.read(period, (session) => this.deps.pages.runsByIds(session, ofPeriod, scopeOf(store, period)))));
    }
    return runs;
  }

  /** Archived steps by id; the others are left out. */
  async stepsByIds(ids: readonly string[]): Promise<StepRunRecord[]> {
    const store = this.deps.store;
    if (ids.length === 0) return [];
    const view = await this.view(this.deps.reader);
    const steps: StepRunRecord[] = [];
    for (const [period, ofPeriod] of byPeriod(view, ids)) {
      const found = await store.read(period, (session) => this.deps.archivedRuns.stepsByIds(session, ofPeriod));
      // A step is archived when its run is: the run's id is checked against the committed batches.
      const visible = new Set((await store.read(period, (session) => this.deps.pages.runsByIds(session, found.map((step) => step.runId), scopeOf(store, period)))).map((run) => run.id));
      steps.push(...found.filter((step) => visible.has(step.runId)));
    }
    return steps;
  }

  /** The steps of archived runs (as read from their archive), in each run's order. */
  async stepsOfRuns(runs: readonly { id: string }[]): Promise<StepRunRecord[]> {
    return this.ofArchivedRuns(runs, (session, ids) => this.deps.archivedRuns.stepsOfRuns(session, ids));
  }

  /** The events of archived runs, in seq order. */
  async eventsOfRuns(runs: readonly { id: string }[]): Promise<RunEventRecord[]> {
    return this.ofArchivedRuns(runs, (session, ids) => this.deps.archivedRuns.eventsOfRuns(session, ids));
  }

  /** Reads in the archive of `run` (an archived run). */
  async readOfRun<T>(run: RunRecord, work: (session: ReadSession) => Promise<T>): Promise<T> {
    const store = this.deps.store;
    const view = await this.view(this.deps.reader);
    const period = periodHolding(view, run.createdAt.getTime());
    if (period === null) throw new Error(`Run ${run.id} is archived, but no archive holds ${run.createdAt.toISOString()}`);
    return store.read(period, work);
  }

  private async ofArchivedRuns<T>(runs: readonly { id: string }[], read: (session: ReadSession, ids: string[]) => Promise<T[]>): Promise<T[]> {
    const store = this.deps.store;
    if (runs.length === 0) return [];
    const view = await this.view(this.deps.reader);
    const rows: T[] = [];
    for (const [period, ids] of byPeriod(view, runs.map((run) => run.id))) rows.push(...(await store.read(period, (session) => read(session, ids))));
    return rows;
  }
}

function scopeOf(store: ArchiveStore, period: ArchivePeriodRecord): ArchiveScope {
  return { visible: store.visibleRuns(period) };
}

function rangeOf(period: ArchivePeriodRecord): { start: number; end: number } {
  return { start: period.periodStart.getTime(), end: period.periodEnd.getTime() };
}

function clip(range: TimeRange, period: ArchivePeriodRecord): TimeRange {
  return { from: Math.max(range.from ?? -Infinity, period.periodStart.getTime()), to: Math.min(range.to ?? Infinity, period.periodEnd.getTime()) };
}

function periodHolding(view: ArchiveView, time: number): ArchivePeriodRecord | null {
  return view.periods.find((period) => period.periodStart.getTime() <= time && time < period.periodEnd.getTime()) ?? null;
}

/** Ids grouped by the archived period their time falls in; ids of no archived period are left out. */
function byPeriod(view: ArchiveView, ids: readonly string[]): Map<ArchivePeriodRecord, string[]> {
  const groups = new Map<ArchivePeriodRecord, string[]>();
  for (const id of ids) {
    const time = idTime(id);
    const period = time === null ? null : periodHolding(view, time);
    if (period === null) continue;
    groups.set(period, [...(groups.get(period) ?? []), id]);
  }
  return groups;
}

/** (createdAt, id) order, the order of every history page. */
function compareRuns(a: RunRecord, b: RunRecord): number {
  const byTime = a.createdAt.getTime() - b.createdAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
