import { AppError } from '../domain/errors.ts';
import type { Role } from '../domain/vocabulary.ts';
import { canReadProject, type Principal } from './principal.ts';

/** What a caller wants to do to a project; each needs at least the role beside it. */
export type ProjectAction = 'read' | 'operate' | 'administer';

const REQUIRED_ROLE: Record<ProjectAction, Role> = { read: 'VIEWER', operate: 'OPERATOR', administer: 'ADMIN' };
const RANK: Record<Role, number> = { VIEWER: 1, OPERATOR: 2, ADMIN: 3 };

export function can(principal: Principal, action: ProjectAction, projectId: string): boolean {
  if (principal.isAdmin) return true;
  const role = principal.roles.get(projectId);
  return role !== undefined && RANK[role] >= RANK[REQUIRED_ROLE[action]];
}

/**
 * Throws when the caller may not act. A thing of a project the caller cannot even read is
 * NOT_FOUND (ids leak nothing); a readable one without the role is FORBIDDEN.
 */
export function assertCan(principal: Principal, action: ProjectAction, projectId: string, thing: { kind: string; id: string }): void {
  if (can(principal, action, projectId)) return;
  if (!canReadProject(principal, projectId)) throw new AppError('NOT_FOUND', `${thing.kind} ${thing.id} was not found`, { id: thing.id });
  throw new AppError('FORBIDDEN', `You need the ${REQUIRED_ROLE[action]} role in this project to ${action === 'operate' ? 'trigger, cancel, retry or approve runs' : 'change workflows'}`, {
    id: thing.id,
  });
}
