import type { Principal } from '../auth/principal.ts';
import type { Role } from '../domain/vocabulary.ts';

/** An instance admin, for service tests that are not about authorization. */
export const ADMIN_PRINCIPAL: Principal = memberPrincipal('usr_test_admin', 'test-admin', new Map(), true);

/** A caller with these roles, as src/auth would build it, for service tests. */
export function memberPrincipal(userId: string, username: string, roles: ReadonlyMap<string, Role>, isAdmin = false): Principal {
  return { userId, username, displayName: username, isAdmin, roles, actor: username, credential: null };
}
