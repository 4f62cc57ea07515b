import { AppError } from '../domain/errors.ts';
import type { Role } from '../domain/vocabulary.ts';
import type { Principal } from './principal.ts';
import { canReadProject } from './read-access.ts';

/** What a caller wants to do to a project; each needs at least the role beside it. */
export type ProjectAction = 'read' | 'operate' | 'administer';

const REQUIRED_ROLE: Record<ProjectAction, Role> = { read: 'VIEWER', operate: 'OPERATOR', administer: 'ADMIN' };
const RANK: Record<Role, number> = { VIEWER: 1, OPERATOR: 2, ADMIN: 3 };
const WHAT_IT_ALLOWS: Record<ProjectAction, string> = {
  read: 'read its history',
  operate: 'trigger, cancel, retry, approve or reject runs',
  administer: 'change its workflows, members, tokens or retention',
};

export function can(principal: Principal, action: ProjectAction, projectId: string): boolean {
  if (principal.isAdmin) return true;
  const role = principal.roles.get(projectId);
  return role !== undefined && RANK[role] >= RANK[REQUIRED_ROLE[action]];
}

/** Whether `role` carries at least the rights of `other`. */
export function roleCovers(role: Role, other: Role): boolean {
  return RANK[role] >= RANK[other];
}

/**
 * What a project token may do in its project: its own role, never above its creator's role
 * there now, so removing or demoting the creator removes or lowers the token's rights too
 * (null: none). An instance admin may do anything in every project: their tokens keep their role.
 */
export function projectTokenRole(tokenRole: Role | null, creatorIsAdmin: boolean, creatorRole: Role | null): Role | null {
  const own = tokenRole ?? 'VIEWER';
  if (creatorIsAdmin) return own;
  if (creatorRole === null) return null;
  return RANK[own] <= RANK[creatorRole] ? own : creatorRole;
}

/**
 * Throws when the caller may not act. A thing of a project the caller cannot even read is
 * NOT_FOUND (ids leak nothing); a readable one without the role is FORBIDDEN.
 */
export function assertCan(principal: Principal, action: ProjectAction, projectId: string, thing: { kind: string; id: string }): void {
  if (can(principal, action, projectId)) return;
  if (!canReadProject(principal, projectId)) throw new AppError('NOT_FOUND', `${thing.kind} ${thing.id} was not found`, { id: thing.id });
  throw forbidden(action, thing.id);
}

/**
 * For a project the caller named explicitly (a filter, a projectId argument): FORBIDDEN
 * rather than NOT_FOUND, since the caller already knows the id.
 */
export function assertCanInProject(principal: Principal, action: ProjectAction, projectId: string, argument = 'projectId'): void {
  if (can(principal, action, projectId)) return;
  throw forbidden(action, projectId, argument);
}

export function assertInstanceAdmin(principal: Principal, what: string): void {
  if (!principal.isAdmin) throw new AppError('FORBIDDEN', `Only an instance admin may ${what}`);
}

function forbidden(action: ProjectAction, id: string, argument?: string): AppError {
  return new AppError('FORBIDDEN', `You need the ${REQUIRED_ROLE[action]} role in project ${id} to ${WHAT_IT_ALLOWS[action]}`, argument ? { id, argument } : { id });
}
