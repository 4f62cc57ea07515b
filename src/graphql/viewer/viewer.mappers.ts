import type { Principal } from '../../auth/principal.ts';
import type { Viewer } from './viewer.type.ts';

export function toViewer(principal: Principal): Viewer {
  return {
    id: principal.userId,
    username: principal.username,
    displayName: principal.displayName,
    isAdmin: principal.isAdmin,
    memberships: [...principal.roles].map(([projectId, role]) => ({ projectId, role })),
  };
}
