import { assertCanInProject, can } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import { canReadProject } from '../../auth/read-access.ts';
import type { Clock } from '../../domain/clock.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import { readReportDefinitionChange, type ReportDefinitionChange, type ReportDefinitionFields, type ReportDefinitionRecord } from '../../domain/reports/report-definition.ts';
import { nextFire } from '../../domain/reports/report-period.ts';
import type { ContactPointRepository } from '../../repositories/contact-point.repository.ts';
import type { ProjectRepository } from '../../repositories/project.repository.ts';
import type { ReportRepository } from '../../repositories/report.repository.ts';
import type { UserRepository } from '../../repositories/user.repository.ts';

/** A definition as the API shows it, with when it fires next. */
export interface ReportDefinitionView extends ReportDefinitionRecord {
  nextRunAt: Date | null;
}

/**
 * Report definitions: readers of every project of a definition see it, ADMINs of every one of
 * them change or delete it. A definition over several projects is for someone who may read them all.
 */
export class ReportDefinitionService {
  constructor(private readonly deps: { reports: ReportRepository; projects: ProjectRepository; users: UserRepository; contactPoints: ContactPointRepository; clock: Clock }) {}

  /** The definitions covering a project that the caller may read whole (every project of each). */
  async list(principal: Principal, projectId: string): Promise<ReportDefinitionView[]> {
    assertCanInProject(principal, 'read', projectId);
    if (!(await this.deps.projects.findById(projectId))) throw notFound('Project', projectId);
    const definitions = await this.deps.reports.definitionsOfProject(projectId);
    return definitions.filter((definition) => readsAll(principal, definition.projectIds)).map((definition) => this.viewOf(definition));
  }

  /** A definition the caller may read whole; NOT_FOUND otherwise, so ids leak nothing. */
  async readable(principal: Principal, id: string): Promise<ReportDefinitionRecord> {
    const definition = await this.deps.reports.findDefinition(id);
    if (!definition || !readsAll(principal, definition.projectIds)) throw notFound('Report definition', id);
    return definition;
  }

  /** A definition by id, or by its name when exactly one readable definition has it (the CLI's way to name one). */
  async findByIdOrName(principal: Principal, idOrName: string): Promise<ReportDefinitionRecord> {
    const byId = await this.deps.reports.findDefinition(idOrName);
    if (byId && readsAll(principal, byId.projectIds)) return byId;
    const named = (await this.deps.reports.definitionsNamed(idOrName)).filter((definition) => readsAll(principal, definition.projectIds));
    if (named.length > 1) throw new AppError('BAD_USER_INPUT', `${named.length} report definitions are named "${idOrName}" (${named.map((definition) => definition.id).join(', ')}); give the id`, { argument: 'definition' });
    const [only] = named;
    if (!only) throw notFound('Report definition', idOrName);
    return only;
  }

  /** Creates a definition (no id) or replaces one: ADMIN of every project it covered and will cover. */
  async save(principal: Principal, change: ReportDefinitionChange): Promise<ReportDefinitionView> {
    const existing = change.id ? await this.readable(principal, change.id) : null;
    if (existing) assertAdministersAll(principal, existing.projectIds, 'input.id');
    const fields = await this.checked(principal, change);
    const now = this.deps.clock.now();
    const saved = existing
      ? await this.deps.reports.updateDefinition(existing.id, fields, now)
      : await this.deps.reports.createDefinition(newId('rdef', now), fields, principal.actor, now);
    return this.viewOf(saved);
  }

  /** Removes a definition with its reports (ADMIN of every project it covers). */
  async delete(principal: Principal, id: string): Promise<void> {
    const definition = await this.readable(principal, id);
    assertAdministersAll(principal, definition.projectIds, 'id');
    if (!(await this.deps.reports.deleteDefinition(id))) throw notFound('Report definition', id);
  }

  /**
   * A change's fields if it is valid and the caller may read all it names (preview) or
   * administer it (save): the projects exist, the contact points belong to them, each recipient
   * may read some of the projects (they are mailed those only), and an EMAIL contact point mails them.
   */
  async checked(principal: Principal, change: ReportDefinitionChange, action: 'read' | 'administer' = 'administer'): Promise<ReportDefinitionFields> {
    const read = readReportDefinitionChange(change);
    if (!read.ok) throw new AppError('BAD_USER_INPUT', `The report definition is invalid:\n${read.problems.join('\n')}`, { argument: 'input', problems: read.problems });
    const { fields } = read;
    for (const projectId of fields.projectIds) {
      assertCanInProject(principal, action === 'read' ? 'read' : 'administer', projectId, 'input.projectIds');
      if (!(await this.deps.projects.findById(projectId))) throw notFound('Project', projectId);
    }
    const problems: string[] = [];
    let mails = false;
    for (const contactPointId of fields.contactPointIds) {
      const point = await this.deps.contactPoints.findById(contactPointId);
      if (!point || !fields.projectIds.includes(point.projectId)) problems.push(`input.contactPointIds: no contact point ${contactPointId} in the report's projects`);
      else if (point.settings.kind === 'EMAIL') mails = true;
    }
    if (fields.recipientIds.length > 0 && !mails) problems.push("input.recipientIds: recipients are mailed through the SMTP server of the definition's first EMAIL contact point; add one to input.contactPointIds");
    const users = new Map((await this.deps.users.withProjects(fields.recipientIds)).map((user) => [user.id, user]));
    for (const userId of fields.recipientIds) {
      const user = users.get(userId);
      if (!user) problems.push(`input.recipientIds: no user ${userId}`);
      // Each recipient is mailed only the projects they can read when a report is generated; one who can read none would get nothing.
      else if (!user.isAdmin && !fields.projectIds.some((projectId) => user.projectIds.includes(projectId))) {
        problems.push(`input.recipientIds: user ${user.username} may read none of the report's projects; a recipient gets only projects they can read`);
      }
    }
    if (problems.length > 0) throw new AppError('BAD_USER_INPUT', `The report definition is invalid:\n${problems.join('\n')}`, { argument: 'input', problems });
    return fields;
  }

  viewOf(definition: ReportDefinitionRecord): ReportDefinitionView {
    return { ...definition, nextRunAt: definition.enabled ? nextFire(definition.schedule, definition.timeZone, this.deps.clock.now()) : null };
  }
}

export function readsAll(principal: Principal, projectIds: readonly string[]): boolean {
  return projectIds.every((projectId) => canReadProject(principal, projectId));
}

function assertAdministersAll(principal: Principal, projectIds: readonly string[], argument: string): void {
  const missing = projectIds.filter((projectId) => !can(principal, 'administer', projectId));
  if (missing.length > 0) throw new AppError('FORBIDDEN', `Changing this report definition needs ADMIN in project ${missing.join(', ')}`, { argument });
}
