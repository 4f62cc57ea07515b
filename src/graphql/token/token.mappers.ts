import { roleOf } from '../../domain/vocabulary.ts';
import type { OwnedApiToken } from '../../domain/records.ts';
import type { ApiToken } from './token.type.ts';

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
