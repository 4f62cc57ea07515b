import { assertCan, assertCanInProject } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Clock } from '../../domain/clock.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import type { AnomalyKind, AnomalyRecord } from '../../domain/insight/anomaly.ts';
import type { AnomalyRepository } from '../../repositories/anomaly.repository.ts';
import type { FeedItem } from '../polled-seq-feed.ts';
import type { ProjectService } from '../project.service.ts';

export interface AnomalyQuery {
  projectIds?: readonly string[] | null;
  workflowIds?: readonly string[] | null;
  kinds?: readonly AnomalyKind[] | null;
  open?: boolean | null;
  includeDismissed?: boolean | null;
  from?: Date | null;
  to?: Date | null;
}

export const ANOMALIES_PAGE_MAX = 500;
const WORKFLOW_IDS_MAX = 500;
const DISMISS_REASON_MAX = 1_000;

/** Anomalies of the projects a caller may read, and their dismissal by an OPERATOR. */
export class AnomalyService {
  constructor(private readonly deps: { anomalies: AnomalyRepository; projects: ProjectService; clock: Clock }) {}

  /** Newest raised first (every readable project when the filter names none); dismissed ones only when asked for. */
  async list(principal: Principal, query: AnomalyQuery, first: number): Promise<AnomalyRecord[]> {
    if (first < 1 || first > ANOMALIES_PAGE_MAX) throw new AppError('BAD_USER_INPUT', `first: from 1 to ${ANOMALIES_PAGE_MAX} (got ${first})`);
    if ((query.workflowIds?.length ?? 0) > WORKFLOW_IDS_MAX) throw new AppError('BAD_USER_INPUT', `filter.workflowIds: at most ${WORKFLOW_IDS_MAX} (got ${query.workflowIds?.length})`);
    if (query.from && query.to && query.from.getTime() >= query.to.getTime()) throw new AppError('BAD_USER_INPUT', 'filter.from must be before filter.to');
    const named = query.projectIds ?? null;
    if (named) for (const projectId of named) assertCanInProject(principal, 'read', projectId, 'filter.projectIds');
    const projectIds = named ?? (await this.deps.projects.readableIds(principal));
    return this.deps.anomalies.list(
      {
        projectIds,
        workflowIds: query.workflowIds ?? null,
        kinds: query.kinds ?? null,
        open: query.open ?? null,
        includeDismissed: query.includeDismissed ?? false,
        from: query.from ?? null,
        to: query.to ?? null,
      },
      first,
    );
  }

  /** An OPERATOR marks an anomaly as expected, recorded with the actor and the reason; a second dismissal keeps the first. */
  async dismiss(principal: Principal, id: string, reason: string | null): Promise<AnomalyRecord> {
    if (reason !== null && reason.length > DISMISS_REASON_MAX) throw new AppError('BAD_USER_INPUT', `reason: at most ${DISMISS_REASON_MAX} characters (got ${reason.length})`);
    const anomaly = await this.deps.anomalies.findById(id);
    if (!anomaly) throw notFound('Anomaly', id);
    assertCan(principal, 'operate', anomaly.projectId, { kind: 'Anomaly', id });
    const dismissed = await this.deps.anomalies.dismiss(id, principal.actor, reason, this.deps.clock.now());
    if (!dismissed) throw notFound('Anomaly', id);
    return dismissed;
  }
}

/** What an anomalyEvents subscriber gets: an anomaly as it changed, or (last) why it was cut off. */
export type AnomalyFeedItem = FeedItem<AnomalyRecord>;
