import type { Principal } from '../auth/principal.ts';
import type { HistoryReader } from '../db/history-reader.ts';
import type { RunSelection } from '../domain/history/run-selection.ts';
import type { StatusCountsData } from '../domain/history/status-counts.ts';
import type { RunFilterSpec } from '../domain/run-filter.ts';
import type { TimeBucket } from '../domain/time-buckets.ts';
import type { RunEventLogRepository } from '../repositories/run-event-log.repository.ts';
import type { RunPageRepository } from '../repositories/run-page.repository.ts';
import type { RunRecord } from '../repositories/run.repository.ts';
import type { PageArguments, RunPageData, RunPageService } from './history/run-page.service.ts';
import type { RunSelectionService } from './history/run-selection.service.ts';
import type { StatusCountsService } from './history/status-counts.service.ts';
import type { StatusTrendService, TrendPointData } from './history/status-trend.service.ts';
import type { WorkflowStatsData, WorkflowStatsService } from './history/workflow-stats.service.ts';

/**
 * The history read side as the API sees it: exact answers as of a snapshot. Each question is
 * answered by its own module in services/history/; this only routes to them.
 */
export class RunHistoryService {
  constructor(
    private readonly deps: {
      reader: HistoryReader;
      eventLog: RunEventLogRepository;
      pages: RunPageRepository;
      selections: RunSelectionService;
      runPages: RunPageService;
      statusCounts: StatusCountsService;
      statusTrends: StatusTrendService;
      workflowStats: WorkflowStatsService;
    },
  ) {}

  /** The highest committed event seq: the snapshot a query made now answers as of. */
  headSnapshot(): Promise<bigint> {
    return this.deps.eventLog.head(this.deps.reader);
  }

  /** A filter checked and resolved for the caller, for judging live events by it. */
  selectionFor(principal: Principal, filter: RunFilterSpec | null): Promise<RunSelection> {
    return this.deps.selections.resolve(this.deps.reader, principal, filter);
  }

  /** The latest runs of each workflow, for lists of workflows (their last status and recent outcomes). */
  latestRunsOfWorkflows(workflowIds: readonly string[], count: number): Promise<RunRecord[]> {
    return this.deps.pages.latestRunsOfWorkflows(this.deps.reader, workflowIds, count);
  }

  runsPage(principal: Principal, filter: RunFilterSpec | null, args: PageArguments): Promise<RunPageData> {
    return this.deps.runPages.runsPage(principal, filter, args);
  }

  statusCounts(principal: Principal, filter: RunFilterSpec | null, snapshot: string | null): Promise<StatusCountsData> {
    return this.deps.statusCounts.statusCounts(principal, filter, snapshot);
  }

  /** The counts of an already resolved selection at the head (for pushes of a live subscription). */
  countsNow(selection: RunSelection): Promise<StatusCountsData> {
    return this.deps.statusCounts.countsNow(selection);
  }

  statusTrend(principal: Principal, filter: RunFilterSpec | null, trend: { bucket: TimeBucket; from: Date; to: Date }, snapshot: string | null): Promise<TrendPointData[]> {
    return this.deps.statusTrends.statusTrend(principal, filter, trend, snapshot);
  }

  workflowStats(principal: Principal, workflowId: string, from: Date | null, to: Date | null): Promise<WorkflowStatsData> {
    return this.deps.workflowStats.workflowStats(principal, workflowId, from, to);
  }
}
