import type { Clock } from '../domain/clock.ts';
import { isRole, type Role } from '../domain/vocabulary.ts';
import type { ApiTokenRepository } from '../repositories/api-token.repository.ts';
import type { UserRepository } from '../repositories/user.repository.ts';
import type { Principal } from './principal.ts';
import { hashTokenSecret } from './token-secret.ts';

export class AuthService {
  constructor(private readonly deps: { clock: Clock; tokens: ApiTokenRepository; users: UserRepository }) {}

  /** The principal behind a token secret, or null when it is unknown, revoked or expired. */
  async authenticate(secret: string): Promise<Principal | null> {
    const token = await this.deps.tokens.findByHashWithUser(hashTokenSecret(secret));
    if (!token || token.revokedAt) return null;
    if (token.expiresAt && token.expiresAt <= this.deps.clock.now()) return null;
    const memberships = await this.deps.users.listMemberships(token.userId);
    const roles = new Map<string, Role>();
    for (const membership of memberships) {
      if (isRole(membership.role)) roles.set(membership.projectId, membership.role);
    }
    return {
      userId: token.user.id,
      username: token.user.username,
      displayName: token.user.displayName,
      isAdmin: token.user.isAdmin,
      roles,
    };
  }
}
