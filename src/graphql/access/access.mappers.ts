import type { Principal } from '../../auth/principal.ts';
import { roleOf } from '../../domain/vocabulary.ts';
import type { OwnedApiToken, ProjectMember } from '../../domain/records.ts';
import type { Viewer } from '../viewer/viewer.type.ts';
import type { ApiToken, Member } from './access.types.ts';

export function toApiToken(token: OwnedApiToken): ApiToken {
  return {
    id: token.id,
    name: token.name,
    owner: token.user.username,
    projectId: token.projectId,
    role: token.role === null ? null : roleOf(token.role, `token ${token.id}`),
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
    lastUsedAt: token.lastUsedAt,
    revokedAt: token.revokedAt,
  };
}

export function toMember(member: ProjectMember): Member {
  return { user: member.user, role: roleOf(member.role, `the membership of ${member.user.username}`), createdAt: member.createdAt };
}

export function toViewer(principal: Principal): Viewer {
  return {
    id: principal.userId,
    username: principal.username,
    displayName: principal.displayName,
    isAdmin: principal.isAdmin,
    memberships: [...principal.roles].map(([projectId, role]) => ({ projectId, role })),
  };
}
