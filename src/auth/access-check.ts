import type { TokenStanding } from '../repositories/api-token.repository.ts';
import type { Role } from '../domain/vocabulary.ts';
import { projectTokenRole, roleCovers } from './permissions.ts';
import type { Principal } from './principal.ts';

/** What an open connection's token may do now: everything (an instance admin), or these roles in these projects. */
export type CurrentAccess = 'every-project' | ReadonlyMap<string, Role>;

export function currentAccessOf(standing: TokenStanding): CurrentAccess {
  if (standing.projectId !== null) {
    const role = projectTokenRole(standing.role, standing.isAdmin, standing.memberships.get(standing.projectId) ?? null);
    return new Map(role === null ? [] : [[standing.projectId, role]]);
  }
  return standing.isAdmin ? 'every-project' : standing.memberships;
}

/**
 * Whether a connection authenticated as `principal` has lost a right it had then: a project it
 * could read, or its role in one (it runs mutations with the rights it connected with).
 */
export function lostAccess(principal: Principal, now: CurrentAccess): boolean {
  if (now === 'every-project') return false;
  if (principal.isAdmin) return true;
  return [...principal.roles].some(([projectId, role]) => {
    const current = now.get(projectId);
    return current === undefined || !roleCovers(current, role);
  });
}
