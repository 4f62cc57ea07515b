import type { Role } from '../domain/vocabulary.ts';

/** Who is calling, and what they may read: the answer every resolver asks of src/auth. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  /** projectId → role, for the projects this user is a member of. */
  roles: ReadonlyMap<string, Role>;
}

export function canReadProject(principal: Principal, projectId: string): boolean {
  return principal.isAdmin || principal.roles.has(projectId);
}
