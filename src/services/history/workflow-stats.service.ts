import type { Principal } from '../../auth/principal.ts';
import { canReadProject } from '../../auth/read-access.ts';
import type { HistoryReader } from '../../db/history-reader.ts';
import { AppError } from '../../domain/errors.ts';
import { answerKey } from '../../domain/history/answer-key.ts';
import type { RunSelection } from '../../domain/history/run-selection.ts';
import type { StatusCountData } from '../../domain/history/status-counts.ts';
import { TERMINAL_RUN_STATUSES } from '../../domain/status.ts';
import type { RunCountRepository } from '../../repositories/run-count.repository.ts';
import type { RunEventLogRepository } from '../../repositories/run-event-log.repository.ts';
import type { WorkflowRepository } from '../../repositories/workflow.repository.ts';
import type { AnswerCache } from '../answer-cache.ts';
import type { ArchiveReadsService } from '../archive/archive-reads.service.ts';
import { NO_CHANGES } from './later-changes.ts';
import type { StatusCountsService } from './status-counts.service.ts';

export interface WorkflowStatsData {
  workflowId: string;
  from: Date | null;
  to: Date | null;
  total: number;
  byStatus: StatusCountData[];
  /** SUCCEEDED among finished runs, null when none finished. */
  successRate: number | null;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  snapshot: string;
}

/** A workflow's outcomes and durations over a range of creation times, at the head, archived runs included. */
export class WorkflowStatsService {
  constructor(
    private readonly deps: {
      reader: HistoryReader;
      workflows: WorkflowRepository;
      counts: RunCountRepository;
      eventLog: RunEventLogRepository;
      statusCounts: StatusCountsService;
      answers: AnswerCache;
      archives: ArchiveReadsService;
    },
  ) {}

  workflowStats(principal: Principal, workflowId: string, from: Date | null, to: Date | null): Promise<WorkflowStatsData> {
    if (from && to && from >= to) throw new AppError('BAD_USER_INPUT', `from (${from.toISOString()}) must be before to (${to.toISOString()})`, { argument: 'from' });
    return this.deps.reader.read(async (session) => {
      const [workflow] = await this.deps.workflows.listNamesByIds(session, [workflowId]);
      if (!workflow || !canReadProject(principal, workflow.projectId)) throw new AppError('NOT_FOUND', `Workflow ${workflowId} was not found`, { argument: 'workflowId' });
      const snapshot = await this.deps.eventLog.head(session);
      const range = { from: from?.getTime() ?? null, to: to?.getTime() ?? null };
      return this.deps.answers.getOrCompute(answerKey({ kind: 'stats', workflowId, snapshot, ...range }), async () => {
        const selection: RunSelection = { projectIds: null, workflowIds: [workflowId], statuses: null, triggers: null, createdFrom: range.from, createdTo: range.to, search: null, includeArchived: true };
        const view = await this.deps.archives.view(session);
        const counts = await this.deps.statusCounts.countsAt(session, selection, snapshot, NO_CHANGES, 'ALL', view);
        const live = await this.deps.counts.finishedDurations(session, workflowId, range);
        const durations = [...live, ...(await this.deps.archives.finishedDurations(view, workflowId, range))].sort((a, b) => a - b);
        const finished = counts.byStatus.filter((entry) => TERMINAL_RUN_STATUSES.has(entry.status)).reduce((sum, entry) => sum + entry.count, 0);
        const succeeded = counts.byStatus.find((entry) => entry.status === 'SUCCEEDED')?.count ?? 0;
        return {
          workflowId,
          from,
          to,
          total: counts.total,
          byStatus: counts.byStatus,
          successRate: finished === 0 ? null : succeeded / finished,
          p50DurationMs: percentile(durations, 0.5),
          p95DurationMs: percentile(durations, 0.95),
          snapshot: snapshot.toString(),
        };
      });
    });
  }
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? null;
}
