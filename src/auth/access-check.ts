import type { CurrentAccess } from '../repositories/api-token.repository.ts';
import type { Principal } from './principal.ts';

/** Whether a connection authenticated as `principal` may no longer read a project it could read then. */
export function lostAccess(principal: Principal, now: CurrentAccess): boolean {
  if (now === 'every-project') return false;
  if (principal.isAdmin) return true;
  return [...principal.roles.keys()].some((projectId) => !now.has(projectId));
}
