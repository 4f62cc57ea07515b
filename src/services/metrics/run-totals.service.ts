import type { Logger } from 'pino';
import type { HistoryReader } from '../../db/history-reader.ts';
import type { Clock } from '../../domain/clock.ts';
import { ACTIVE_RUN_STATUSES, TERMINAL_RUN_STATUSES, type RunStatus } from '../../domain/status.ts';
import type { ExecutorRepository } from '../../repositories/executor.repository.ts';
import type { RunTotalsRepository, WorkflowStatusTotal } from '../../repositories/run-totals.repository.ts';

/** What /metrics reports from the database, read at once. */
export interface RunTotals {
  /** Finished runs per project, workflow and terminal status; at most `maxRows` of them. */
  byWorkflow: WorkflowStatusTotal[];
  /** Runs now queued, running or waiting, per project and status. */
  active: { project: string; status: RunStatus; count: number }[];
  /** More rows existed than `maxRows`: the rest are left out (and said so in the scrape). */
  capped: boolean;
  oldestQueuedAt: Date | null;
  executorsAlive: number;
  readAt: Date;
}

export interface RunTotalsSettings {
  /** A read is reused this long: scrapes, however frequent, cost at most one read per interval. */
  cacheMs: number;
  /** The most (workflow, status) rows a scrape reports. */
  maxRows: number;
}

/**
 * Whole-history run counts and queue facts, from the rollups, read at scrape time and kept
 * for `cacheMs`; concurrent scrapes share one read.
 */
export class RunTotalsService {
  private cached: { totals: RunTotals; at: number } | null = null;
  // A failed read is not tried again for cacheMs either: a database in trouble gets no more reads from scrapes.
  private failed: { error: unknown; at: number } | null = null;
  private reading: Promise<RunTotals> | null = null;
  private warnedCapped = false;

  constructor(
    private readonly deps: { reader: HistoryReader; runTotals: RunTotalsRepository; executors: ExecutorRepository; clock: Clock; logger: Logger },
    private readonly settings: RunTotalsSettings,
  ) {}

  async current(): Promise<RunTotals> {
    const now = this.deps.clock.now().getTime();
    if (this.cached && now - this.cached.at < this.settings.cacheMs) return this.cached.totals;
    if (this.failed && now - this.failed.at < this.settings.cacheMs) throw this.failed.error;
    this.reading ??= this.read()
      .catch((error: unknown) => {
        this.failed = { error, at: this.deps.clock.now().getTime() };
        this.deps.logger.error({ err: error }, 'metrics.run_totals_failed');
        throw error;
      })
      .finally(() => (this.reading = null));
    return this.reading;
  }

  private async read(): Promise<RunTotals> {
    const { byWorkflow, active, oldestQueuedAt } = await this.deps.reader.read(async (session) => ({
      byWorkflow: await this.deps.runTotals.totalsByWorkflow(session, [...TERMINAL_RUN_STATUSES], this.settings.maxRows + 1),
      active: await this.deps.runTotals.countsByProject(session, [...ACTIVE_RUN_STATUSES]),
      oldestQueuedAt: await this.deps.runTotals.oldestQueuedAt(session),
    }));
    const readAt = this.deps.clock.now();
    const executorsAlive = (await this.deps.executors.listAlive(readAt)).length;
    const capped = byWorkflow.length > this.settings.maxRows;
    if (capped && !this.warnedCapped) this.deps.logger.warn({ maxRows: this.settings.maxRows }, 'metrics.run_totals_capped');
    this.warnedCapped = capped;
    const totals = { byWorkflow: capped ? byWorkflow.slice(0, this.settings.maxRows) : byWorkflow, active, capped, oldestQueuedAt, executorsAlive, readAt };
    this.cached = { totals, at: readAt.getTime() };
    this.failed = null;
    return totals;
  }
}
