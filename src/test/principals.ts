import type { Principal } from '../auth/principal.ts';

/** An instance admin, for service tests that are not about authorization. */
export const ADMIN_PRINCIPAL: Principal = { userId: 'usr_test_admin', username: 'test-admin', displayName: 'Test Admin', isAdmin: true, roles: new Map() };
