import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.ts';
import { AppError } from '../../domain/errors.ts';
import { DAY_MS } from '../../domain/time-buckets.ts';
import { periodFor, type PartitionInterval } from '../../domain/archive/archive-period.ts';
import type { ArchivableRun, ArchiveCount } from '../../domain/retention/archive-plan.ts';
import type { HistoryReader } from '../../db/history-reader.ts';
import { latestOf, withinBounds } from '../../domain/archive/archive-order.ts';
import type { RunPosition } from '../../domain/retention/hot-rules.ts';
import type { ArchiveCatalogRepository, ArchivePeriodRecord } from '../../repositories/archive/archive-catalog.repository.ts';
import type { ArchiveScanRepository } from '../../repositories/archive/archive-scan.repository.ts';
import type { ProcessLeaseRepository } from '../../repositories/process-lease.repository.ts';
import type { WorkflowBounds } from '../../repositories/archive-selection.repository.ts';
import type { ArchiveSelectionService } from '../retention/archive-selection.service.ts';
import type { ArchiveStore } from './archive-store.ts';

export interface ArchiveSettings {
  /** How history is cut into periods (PARTITION_INTERVAL). */
  interval: PartitionInterval;
  /** Runs per batch: what one live transaction moves (ARCHIVE_BATCH_RUNS). */
  batchRuns: number;
  /** Free pages of the live file given back per step (each step is one short write transaction). */
  reclaimPages: number;
}

/** The lease that makes one mover at a time work on the archives, whichever process it runs in. */
export const ARCHIVE_LEASE = 'archive';
// A restore finished this long ago has no reader left on its file, which then goes.
const RESTORED_FILE_GRACE_MS = 60_000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ArchiveOptions {
  skipRestored: boolean;
  signal?: AbortSignal;
  /** Told the runs moved so far after each committed batch (a progress bar). */
  onProgress?: (movedRuns: number) => void;
}

function totalOf(moved: ReadonlyMap<string, ArchiveCount>): number {
  let total = 0;
  for (const count of moved.values()) total += count.count;
  return total;
}

/**
 * Moves history between the live store and the archive store, under the `archive` lease: what
 * the retention policies send to the archive (archiveNow, and the scheduled job), and a period
 * back (restoreArchive). Every run or restore begins by finishing what a crash left: a move's
 * uncommitted copies are dropped (their runs are still live), a restore goes on to its end.
 */
export class ArchiveMoverService {
  private readonly holder = `mover-${process.pid}-${randomBytes(4).toString('hex')}`;
  private working = false;

  constructor(
    private readonly deps: {
      store: ArchiveStore;
      catalog: ArchiveCatalogRepository;
      selection: ArchiveSelectionService;
      scan: ArchiveScanRepository;
      reader: HistoryReader;
      processLeases: ProcessLeaseRepository;
      clock: Clock;
      logger: Logger;
      leaseMs: number;
      settings: ArchiveSettings;
    },
  ) {}

  /**
   * Moves every run the policies send to the archive at `cutoff` (of one project, or all), a
   * batch at a time, and answers what moved. The scheduled job skips restored periods
   * (`skipRestored`); archiveNow moves exactly what its dry run counts. Stops between batches
   * once `signal` aborts.
   */
  async archive(projectId: string | null, cutoff: Date, options: ArchiveOptions): Promise<ArchiveCount[]> {
    return this.underLease(async (renew) => {
      await this.recover();
      const moved = new Map<string, ArchiveCount>();
      const pending = new Map<string, { key: PeriodKey; runs: ArchivableRun[] }>();
      const touched = new Map<string, ArchivePeriodRecord>();
      if (projectId === null) await this.expire(cutoff);
      if (this.deps.store.wholePeriods) return this.archiveWholePeriods(projectId, cutoff, options, renew);
      let periods = await this.deps.catalog.listAll();
      const flush = async (entry: { key: PeriodKey; runs: ArchivableRun[] }) => {
        if (entry.runs.length === 0) return;
        const period = await this.moving(entry.key, touched);
        const tally = await this.deps.store.moveBatch(period, entry.runs.map((run) => run.id));
        if (tally === null) {
          this.deps.logger.warn({ archive: period.id, runs: entry.runs.length }, 'archive.batch_changed');
        } else {
          touched.set(period.id, { ...period, committedBatch: period.committedBatch + 1 });
          for (const run of entry.runs) {
            const key = `${run.projectId}\0${run.status}`;
            const count = moved.get(key) ?? { projectId: run.projectId, status: run.status, count: 0 };
            count.count += 1;
            moved.set(key, count);
          }
          this.deps.logger.info({ archive: period.id, batch: period.committedBatch + 1, ...tally }, 'archive.batch_moved');
          options.onProgress?.(totalOf(moved));
        }
        entry.runs = [];
        periods = await this.deps.catalog.listAll();
        await renew();
        await nextTurn();
      };
      for await (const batch of this.runsInCreationOrder(projectId, cutoff)) {
        if (options.signal?.aborted) break;
        for (const run of batch) {
          const target = periodFor(run.createdAt.getTime(), this.deps.settings.interval, periods.map((period) => ({ start: period.periodStart.getTime(), end: period.periodEnd.getTime(), period })));
          if (target.kind === 'existing' && options.skipRestored && target.period.period.state === 'RESTORED') continue;
          const key: PeriodKey =
            target.kind === 'existing' ? { id: target.period.period.id } : { name: target.period.name, start: target.period.start, end: target.period.end };
          const keyText = 'id' in key ? key.id : `new:${key.start}`;
          const entry = pending.get(keyText) ?? { key, runs: [] };
          pending.set(keyText, entry);
          entry.runs.push(run);
          if (entry.runs.length >= this.deps.settings.batchRuns) await flush(entry);
          if ('name' in key && entry.runs.length === 0) pending.delete(keyText);
        }
      }
      if (!options.signal?.aborted) for (const entry of pending.values()) await flush(entry);
      for (const period of touched.values()) await this.settle(period);
      return [...moved.values()];
    });
  }

  /**
   * What archive() would move at `cutoff` now, per project and status, moving nothing: the dry
   * run of a store that moves whole periods (which leaves the runs of periods not yet past `hot`).
   */
  async plan(projectId: string | null, cutoff: Date): Promise<ArchiveCount[]> {
    const scope = await this.wholePeriodScope(projectId, cutoff);
    return scope === null ? [] : this.deps.store.countMovable(scope.bounds, projectId, scope.end);
  }

  /** Whether archive() leaves the runs of periods not yet past every run's `hot` days (a store that moves whole periods). */
  get wholePeriods(): boolean {
    return this.deps.store.wholePeriods;
  }

  /**
   * What a store that moves whole periods moves at `cutoff`: the workflows' bounds, and the end
   * of the periods whose every run is past `hot` (the start of the period holding the earliest
   * hot edge of the workflows concerned). A period detaches once, with what must stay moved
   * back, rather than being copied out a few runs a round. Null when nothing can move.
   */
  private async wholePeriodScope(projectId: string | null, cutoff: Date): Promise<{ bounds: WorkflowBounds[]; end: Date } | null> {
    const edge = await this.deps.selection.hotEdge(projectId, cutoff);
    if (edge === null) return null;
    const bounds = await this.deps.selection.workflowBounds(projectId, cutoff);
    if (bounds.length === 0) return null;
    const periods = await this.deps.catalog.listAll();
    const holding = periodFor(edge.getTime(), this.deps.settings.interval, periods.map((period) => ({ start: period.periodStart.getTime(), end: period.periodEnd.getTime() })));
    return { bounds, end: new Date(holding.period.start) };
  }

  /**
   * archive() for a store that moves whole periods: period after period, oldest first, each
   * holding a finished run created before the scope's end, in one move each (the store chooses
   * the runs by the bounds in its transaction).
   */
  private async archiveWholePeriods(projectId: string | null, cutoff: Date, options: ArchiveOptions, renew: () => Promise<void>): Promise<ArchiveCount[]> {
    const scope = await this.wholePeriodScope(projectId, cutoff);
    const moved = new Map<string, ArchiveCount>();
    const touched = new Map<string, ArchivePeriodRecord>();
    let after: RunPosition | null = null;
    while (scope !== null && !options.signal?.aborted) {
      const [next] = await this.deps.scan.finishedRunsBefore(this.deps.reader, projectId, { createdAt: scope.end, id: '' }, after, 1);
      if (!next) break;
      const periods = await this.deps.catalog.listAll();
      const target = periodFor(next.createdAt.getTime(), this.deps.settings.interval, periods.map((period) => ({ start: period.periodStart.getTime(), end: period.periodEnd.getTime(), period })));
      after = { createdAt: new Date(target.period.end), id: '' };
      const was = target.kind === 'existing' ? target.period.period.state : null;
      if (was === 'RESTORED' && options.skipRestored) continue;
      const period = await this.moving(target.kind === 'existing' ? { id: target.period.period.id } : { name: target.period.name, start: target.period.start, end: target.period.end }, touched);
      const result = await this.deps.store.movePeriod(period, scope.bounds, projectId);
      if (result === null) {
        if (period.committedBatch === 0) {
          touched.delete(period.id);
          if (was === 'RESTORED') await this.deps.catalog.setState(period.id, 'RESTORED');
          else await this.deps.catalog.delete(period.id);
        }
        continue;
      }
      touched.set(period.id, { ...period, committedBatch: period.committedBatch + 1 });
      for (const count of result.counts) {
        const key = `${count.projectId}\0${count.status}`;
        const sum = moved.get(key) ?? { projectId: count.projectId, status: count.status, count: 0 };
        sum.count += count.count;
        moved.set(key, sum);
      }
      this.deps.logger.info({ archive: period.id, batch: period.committedBatch + 1, ...result.tally }, 'archive.batch_moved');
      options.onProgress?.(totalOf(moved));
      await renew();
      await nextTurn();
    }
    for (const period of touched.values()) await this.settle(period);
    return [...moved.values()];
  }

  /**
   * What the selection moves at `cutoff` (the runs of its archivableRuns), read in creation order
   * across workflows, a scan of ARCHIVE_BATCH_RUNS runs at a time.
   */
  private async *runsInCreationOrder(projectId: string | null, cutoff: Date): AsyncGenerator<ArchivableRun[]> {
    const workflows = await this.deps.selection.workflowBounds(projectId, cutoff);
    const bounds = new Map(workflows.map((workflow) => [workflow.workflowId, workflow.bounds]));
    const end = latestOf(workflows.map((workflow) => workflow.bounds.before));
    if (end === null) return;
    let after: RunPosition | null = null;
    const scanRuns = this.deps.settings.batchRuns;
    for (;;) {
      const rows = await this.deps.scan.finishedRunsBefore(this.deps.reader, projectId, end, after, scanRuns);
      const archivable = rows.filter((run) => {
        const ofWorkflow = bounds.get(run.workflowId);
        return ofWorkflow !== undefined && withinBounds(run, ofWorkflow);
      });
      if (archivable.length > 0) yield archivable;
      const last = rows.at(-1);
      if (!last || rows.length < scanRuns) return;
      after = { createdAt: last.createdAt, id: last.id };
    }
  }

  /** Moves every run of an archived period back into the live store; the scheduled job then leaves the period there. */
  async restore(id: string): Promise<ArchivePeriodRecord> {
    return this.underLease(async (renew) => {
      await this.recover();
      const found = await this.deps.catalog.findById(id);
      if (!found) throw new AppError('NOT_FOUND', `There is no archive ${id}`, { argument: 'id' });
      if (found.state === 'RESTORED') throw new AppError('CONFLICT', `Archive ${id} was restored already: its runs are in the live store`, { id });
      return this.restoreAll(found, renew);
    });
  }

  /**
   * Drops the archived periods past `archiveDays` at `cutoff` (counted from their last move),
   * exported first unless ARCHIVE_EXPORT is off.
   */
  private async expire(cutoff: Date): Promise<void> {
    if (!this.deps.store.expires) return;
    const keepDays = await this.deps.selection.archiveKeepDays();
    if (keepDays === null) return;
    for (const period of await this.deps.catalog.listAll()) {
      if (period.state !== 'ARCHIVED' || period.updatedAt.getTime() > cutoff.getTime() - keepDays * DAY_MS) continue;
      const files = await this.deps.store.expire(period);
      this.deps.logger.info({ archive: period.id, runs: period.runs, events: period.events, files }, 'archive.expired');
    }
  }

  /** Finishes what a crash (or a stop) left, under the lease: for the scheduled job's first round. */
  async recoverNow(): Promise<void> {
    await this.underLease(() => this.recover());
  }

  private async recover(): Promise<void> {
    const catalog = await this.deps.catalog.listAll();
    for (const period of catalog) {
      if (period.state === 'MOVING') {
        await this.deps.store.open(period);
        if (period.committedBatch === 0) {
          await this.deps.store.remove(period);
          await this.deps.catalog.delete(period.id);
        } else {
          await this.settle(period);
        }
        this.deps.logger.info({ archive: period.id, committedBatch: period.committedBatch }, 'archive.move_recovered');
      } else if (period.state === 'RESTORING') {
        await this.restoreAll(period, async () => undefined);
        this.deps.logger.info({ archive: period.id }, 'archive.restore_recovered');
      } else if (period.state === 'RESTORED' && period.updatedAt.getTime() < this.deps.clock.now().getTime() - RESTORED_FILE_GRACE_MS && (await this.deps.store.exists(period))) {
        await this.deps.store.remove(period);
      }
    }
    const unlisted = await this.deps.store.removeUnlisted(new Set(catalog.map((period) => period.location)), new Date(this.deps.clock.now().getTime() - RESTORED_FILE_GRACE_MS));
    if (unlisted.length > 0) this.deps.logger.info({ files: unlisted }, 'archive.unlisted_removed');
  }

  private async restoreAll(found: ArchivePeriodRecord, renew: () => Promise<void>): Promise<ArchivePeriodRecord> {
    let period = found.state === 'RESTORING' ? found : await this.deps.catalog.setState(found.id, 'RESTORING');
    await this.deps.store.open(period, true);
    while (period.committedBatch > 0) {
      const { committedBatch, ...tally } = await this.deps.store.restoreBatch(period);
      this.deps.logger.info({ archive: period.id, batch: period.committedBatch, ...tally }, 'archive.batch_restored');
      period = { ...period, committedBatch };
      await renew();
      await nextTurn();
    }
    await this.deps.store.settle(period);
    return this.deps.catalog.setState(period.id, 'RESTORED', { bytes: 0, maxSeq: 0n });
  }

  /** The catalog row of the period a batch goes to, MOVING and open in the store. */
  private async moving(key: PeriodKey, touched: Map<string, ArchivePeriodRecord>): Promise<ArchivePeriodRecord> {
    if ('id' in key) {
      const open = touched.get(key.id);
      if (open) {
        await this.deps.store.open(open);
        return open;
      }
      const found = await this.deps.catalog.findById(key.id);
      if (!found) throw new Error(`Archive ${key.id} left the catalog during a move`);
      // A restored period whose file went gets a new one: another process may still hold the old file open under its name.
      const location = found.state === 'RESTORED' && !(await this.deps.store.exists(found)) ? { location: this.deps.store.newLocation(found.id.slice(4), found.periodStart) } : {};
      const period = await this.deps.catalog.setState(found.id, 'MOVING', location);
      await this.deps.store.open(period);
      touched.set(period.id, period);
      return period;
    }
    const taken = new Set((await this.deps.catalog.listAll()).map((period) => period.id));
    const id = taken.has(`arc_${key.name}`) ? `arc_${key.name}.${new Date(key.start).toISOString().slice(0, 10)}` : `arc_${key.name}`;
    const period = await this.deps.catalog.create({ id, periodStart: new Date(key.start), periodEnd: new Date(key.end), location: this.deps.store.newLocation(id.slice(4), new Date(key.start)) });
    await this.deps.store.open(period);
    touched.set(period.id, period);
    return period;
  }

  private async settle(period: ArchivePeriodRecord): Promise<void> {
    const bytes = await this.deps.store.settle(period);
    await this.deps.catalog.setState(period.id, 'ARCHIVED', { bytes });
  }

  /**
   * Gives one step of free pages of the live file back to the file system (see
   * ArchiveStore.reclaimSpace); how many pages it gave back, 0 when none were free.
   */
  reclaimStep(): Promise<number> {
    return this.deps.store.reclaimSpace(this.deps.settings.reclaimPages);
  }

  /** Whether this process is moving runs (in or out) now. */
  get busy(): boolean {
    return this.working;
  }

  /** Runs `work` holding the archive lease, renewed by `renew` between batches; CONFLICT while another mover holds it. */
  private async underLease<T>(work: (renew: () => Promise<void>) => Promise<T>): Promise<T> {
    const take = async () => {
      const now = this.deps.clock.now();
      return this.deps.processLeases.acquire(ARCHIVE_LEASE, this.holder, now, new Date(now.getTime() + this.deps.leaseMs));
    };
    if ((await take()) === null) throw new AppError('CONFLICT', 'Another archival or restore is in progress; try again once it has finished', {});
    let renewedAt = this.deps.clock.now().getTime();
    const renew = async () => {
      if (this.deps.clock.now().getTime() - renewedAt < this.deps.leaseMs / 3) return;
      if ((await take()) === null) throw new Error('The archive lease was lost during a move');
      renewedAt = this.deps.clock.now().getTime();
    };
    this.working = true;
    try {
      return await work(renew);
    } finally {
      this.working = false;
      await this.deps.processLeases.release(ARCHIVE_LEASE, this.holder);
    }
  }
}

/** A period a batch goes to: one in the catalog, or a new one. */
type PeriodKey = { id: string } | { name: string; start: number; end: number };
