import { AppError } from '../domain/errors.ts';
import type { Principal } from './principal.ts';

/** Who may read a project's history (its runs, workflows and events): an instance admin, or any member. */
export function canReadProject(principal: Principal, projectId: string): boolean {
  return principal.isAdmin || principal.roles.has(projectId);
}

/** Every project the caller may read, sorted; null for every project there is (an instance admin). */
export function readableProjectIds(principal: Principal): string[] | null {
  return principal.isAdmin ? null : [...principal.roles.keys()].sort();
}

/**
 * The projects a history query covers: the ones it names (sorted, each readable, FORBIDDEN
 * otherwise, since the caller already knows the id), or every readable one when it names none.
 */
export function projectsToRead(principal: Principal, requested: readonly string[], argument: string): string[] | null {
  if (requested.length === 0) return readableProjectIds(principal);
  const unreadable = requested.filter((id) => !canReadProject(principal, id));
  if (unreadable.length > 0) throw new AppError('FORBIDDEN', `You may not read project ${unreadable.join(', ')}`, { argument });
  return [...requested];
}
