import { assertCanInProject } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import type { HistoryReader } from '../../db/history-reader.ts';
import { foldAggregate, planAggregate, type AggregateDimension, type AggregateGroup } from '../../domain/insight/runs-aggregate.ts';
import type { RunStatus } from '../../domain/status.ts';
import type { TimeBucket } from '../../domain/time-buckets.ts';
import type { RunTrigger } from '../../domain/vocabulary.ts';
import type { RunsAggregateRepository } from '../../repositories/runs-aggregate.repository.ts';
import type { ArchiveReadsService } from '../archive/archive-reads.service.ts';
import type { ProjectService } from '../project.service.ts';

export interface AggregateInput {
  projectIds?: readonly string[] | null;
  workflowIds?: readonly string[] | null;
  statuses?: readonly RunStatus[] | null;
  triggers?: readonly RunTrigger[] | null;
  groupBy: readonly AggregateDimension[];
  bucket: TimeBucket | null;
  from: Date;
  to: Date;
}

/**
 * runsAggregate: exact counts of runs grouped across every project the caller may read (or the
 * ones named, each checked), from the rollups; grouped by ERROR, from the runs themselves, live
 * and archived. The projects the caller may read bound the SQL itself, so no row, count or error
 * of another project is ever read.
 */
export class RunsAggregateService {
  constructor(private readonly deps: { reader: HistoryReader; runsAggregate: RunsAggregateRepository; archives: ArchiveReadsService; projects: ProjectService }) {}

  async aggregate(principal: Principal, input: AggregateInput): Promise<AggregateGroup[]> {
    const named = input.projectIds ?? null;
    if (named) for (const projectId of named) assertCanInProject(principal, 'read', projectId, 'filter.projectIds');
    const query = planAggregate({
      projectIds: named ?? (await this.deps.projects.readableIds(principal)),
      workflowIds: input.workflowIds ?? null,
      statuses: input.statuses ?? null,
      triggers: input.triggers ?? null,
      groupBy: input.groupBy,
      bucket: input.bucket,
      from: input.from.getTime(),
      to: input.to.getTime(),
    });
    const rows = await this.deps.reader.read(async (session) => {
      if (!query.groupBy.includes('ERROR')) return this.deps.runsAggregate.rollupRows(session, query);
      const view = await this.deps.archives.view(session);
      const archived = await this.deps.archives.readRange(view, { from: query.from, to: query.to }, (archive, range, scope) =>
        this.deps.runsAggregate.runRows(archive, { ...query, from: range.from ?? query.from, to: range.to ?? query.to }, scope),
      );
      return [...(await this.deps.runsAggregate.runRows(session, query, null)), ...archived];
    });
    return foldAggregate(rows, query);
  }
}
