import { assertCanInProject, can } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import { viewIncident, type IncidentRecord, type IncidentView } from '../../domain/insight/incident-view.ts';
import { DEFAULT_INCIDENT_SETTINGS } from '../../domain/insight/incidents.ts';
import type { IncidentRepository } from '../../repositories/incident.repository.ts';
import type { FeedItem } from '../polled-seq-feed.ts';
import type { ProjectService } from '../project.service.ts';

export interface IncidentQuery {
  projectIds?: readonly string[] | null;
  open?: boolean | null;
  from?: Date | null;
  to?: Date | null;
}

export const INCIDENTS_PAGE_MAX = 200;
const PROJECT_IDS_MAX = 500;

/**
 * Incidents as a viewer may see them: only through their members in projects the viewer may
 * read. Members, counts and attribute lifts are recomputed from those projects' rows alone, so
 * nothing of a project they may not read shows; an incident with none of their projects is absent.
 */
export class IncidentService {
  constructor(private readonly deps: { incidents: IncidentRepository; projects: ProjectService }) {}

  /** Newest opened first, touching the projects named (each readable) or any readable one. */
  async list(principal: Principal, query: IncidentQuery, first: number): Promise<IncidentView[]> {
    if (!Number.isInteger(first) || first < 1 || first > INCIDENTS_PAGE_MAX) throw new AppError('BAD_USER_INPUT', `first: from 1 to ${INCIDENTS_PAGE_MAX} (got ${first}); page back with filter.to`);
    if ((query.projectIds?.length ?? 0) > PROJECT_IDS_MAX) throw new AppError('BAD_USER_INPUT', `filter.projectIds: at most ${PROJECT_IDS_MAX} (got ${query.projectIds?.length})`);
    if (query.from && query.to && query.from.getTime() >= query.to.getTime()) throw new AppError('BAD_USER_INPUT', 'filter.from must be before filter.to');
    const named = query.projectIds ?? null;
    if (named) for (const projectId of named) assertCanInProject(principal, 'read', projectId, 'filter.projectIds');
    const projectIds = named ?? (await this.deps.projects.readableIds(principal));
    if (projectIds.length === 0) return [];
    const records = await this.deps.incidents.list({ projectIds, open: query.open ?? null, from: query.from ?? null, to: query.to ?? null }, first);
    return records.flatMap((record) => this.viewsOf(principal, record));
  }

  /** One incident; NOT_FOUND when none of its members is in a project the viewer may read. */
  async get(principal: Principal, id: string): Promise<IncidentView> {
    const record = await this.deps.incidents.findById(id);
    const view = record && this.view(principal, record);
    if (!view) throw notFound('Incident', id);
    return view;
  }

  /** The viewer's share of an incident; null when none of its members is theirs. */
  view(principal: Principal, record: IncidentRecord): IncidentView | null {
    return viewIncident(record, (projectId) => can(principal, 'read', projectId), DEFAULT_INCIDENT_SETTINGS);
  }

  private viewsOf(principal: Principal, record: IncidentRecord): IncidentView[] {
    const view = this.view(principal, record);
    return view === null ? [] : [view];
  }
}

/** What an incidentEvents subscriber gets: an incident as it changed (whole: the resolver shows the viewer's share), or (last) why it was cut off. */
export type IncidentFeedItem = FeedItem<IncidentRecord>;
