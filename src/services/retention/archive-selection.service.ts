import type { HistoryReader, ReadSession } from '../../db/history-reader.ts';
import type { ArchivableRun, ArchiveCount } from '../../domain/retention/archive-plan.ts';
import { archiveBounds, daysBefore, type RunPosition } from '../../domain/retention/hot-rules.ts';
import type { ArchiveSelectionRepository, WorkflowBounds } from '../../repositories/archive-selection.repository.ts';
import type { RetentionPolicyService, WorkflowPolicy } from './retention-policy.service.ts';

/** Runs handed out per batch unless the caller asks otherwise. */
export const ARCHIVE_BATCH_SIZE = 1_000;

/**
 * Exactly which runs archival moves at a cut-off: every finished run of a workflow that is
 * past its policy (see hotReason), read workflow by workflow as index ranges of "Run", never
 * all at once.
 */
export class ArchiveSelectionService {
  constructor(
    private readonly deps: {
      reader: HistoryReader;
      archiveSelection: ArchiveSelectionRepository;
      retention: RetentionPolicyService;
    },
  ) {}

  /**
   * How many runs of each project and status archival would move at `cutoff`: counted in one
   * read transaction, so they add up, a workflow at a time with the event loop free in between
   * (SQLite counts on this thread).
   */
  async count(projectId: string | null, cutoff: Date): Promise<ArchiveCount[]> {
    const policies = await this.deps.retention.workflowPolicies(projectId);
    const projectOf = new Map(policies.map((workflow) => [workflow.workflowId, workflow.projectId]));
    const counts = new Map<string, ArchiveCount>();
    await this.deps.reader.read(async (session) => {
      for (const workflow of await this.boundsOf(session, policies, cutoff)) {
        const project = projectOf.get(workflow.workflowId);
        if (project === undefined) throw new Error(`Workflow ${workflow.workflowId} has bounds but no policy`);
        for (const row of await this.deps.archiveSelection.countArchivable(session, workflow)) {
          const key = `${project}\0${row.status}`;
          const count = counts.get(key) ?? { projectId: project, status: row.status, count: 0 };
          count.count += row.count;
          counts.set(key, count);
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    });
    return [...counts.values()];
  }

  /**
   * The runs archival would move at `cutoff`, oldest first within each workflow, in batches of
   * at most `batchSize`: each batch is one keyset range read, so a history of any size is read
   * once without being held. The latest runs a workflow keeps are fixed when the walk starts;
   * runs created meanwhile can only keep more, never fewer.
   */
  async *archivableRuns(projectId: string | null, cutoff: Date, batchSize = ARCHIVE_BATCH_SIZE): AsyncGenerator<ArchivableRun[]> {
    const policies = await this.deps.retention.workflowPolicies(projectId);
    const reader = this.deps.reader;
    const workflows = await reader.read((session) => this.boundsOf(session, policies, cutoff));
    for (const workflow of workflows) {
      let after: RunPosition | null = null;
      for (;;) {
        const batch = await this.deps.archiveSelection.archivableBatch(reader, workflow, after, batchSize);
        if (batch.length > 0) yield batch;
        const last = batch.at(-1);
        if (!last || batch.length < batchSize) break;
        after = { createdAt: last.createdAt, id: last.id };
      }
    }
  }

  /** The archive bounds at `cutoff` of each workflow (of one project, or of all) that has anything to move. */
  /**
   * The moment before which every run (of one project, or of all) is past its `hot` days at
   * `cutoff`: the earliest of the workflows' edges; null when there is no workflow.
   */
  async hotEdge(projectId: string | null, cutoff: Date): Promise<Date | null> {
    const policies = await this.deps.retention.workflowPolicies(projectId);
    if (policies.length === 0) return null;
    return new Date(Math.min(...policies.map(({ policy }) => daysBefore(cutoff, policy.hotDays))));
  }

  /**
   * How many days an archived period is kept: the longest `archiveDays` of every workflow (a
   * period holds the runs of all of them); null, kept forever, when any keeps its own forever or
   * there is no workflow.
   */
  async archiveKeepDays(): Promise<number | null> {
    const policies = await this.deps.retention.workflowPolicies(null);
    if (policies.length === 0) return null;
    let longest = 0;
    for (const { policy } of policies) {
      if (policy.archiveDays === null) return null;
      longest = Math.max(longest, policy.archiveDays);
    }
    return longest;
  }

  async workflowBounds(projectId: string | null, cutoff: Date): Promise<WorkflowBounds[]> {
    const policies = await this.deps.retention.workflowPolicies(projectId);
    return this.deps.reader.read((session) => this.boundsOf(session, policies, cutoff));
  }

  /** The archive bounds of each workflow that has anything to move. */
  private async boundsOf(session: ReadSession, policies: readonly WorkflowPolicy[], cutoff: Date): Promise<WorkflowBounds[]> {
    const kept = await this.deps.archiveSelection.oldestKeptRuns(
      session,
      policies.map(({ workflowId, policy }) => ({ workflowId, keepLastRuns: policy.keepLastRuns })),
    );
    return policies.flatMap(({ workflowId, policy }) => {
      const bounds = archiveBounds(policy, cutoff, kept.get(workflowId) ?? null);
      return bounds ? [{ workflowId, bounds }] : [];
    });
  }
}
