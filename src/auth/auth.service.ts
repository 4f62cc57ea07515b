import type { Clock } from '../domain/clock.ts';
import { isRole, type Role } from '../domain/vocabulary.ts';
import type { ApiTokenRepository } from '../repositories/api-token.repository.ts';
import type { Principal } from './principal.ts';
import { hashTokenSecret } from './token-secret.ts';

export class AuthService {
  constructor(private readonly deps: { clock: Clock; tokens: ApiTokenRepository }) {}

  /** The principal behind a token secret, or null when it is unknown, revoked or expired. */
  async authenticate(secret: string): Promise<Principal | null> {
    const grant = await this.deps.tokens.findGrant(hashTokenSecret(secret));
    if (!grant || grant.revokedAt) return null;
    if (grant.expiresAt && grant.expiresAt <= this.deps.clock.now()) return null;
    const roles = new Map<string, Role>();
    for (const membership of grant.memberships) {
      if (isRole(membership.role)) roles.set(membership.projectId, membership.role);
    }
    const { user } = grant;
    return { userId: user.id, username: user.username, displayName: user.displayName, isAdmin: user.isAdmin, roles };
  }

  /** Of these token hashes (of open connections), the ones still valid now. */
  stillValid(tokenHashes: readonly string[]): Promise<Set<string>> {
    return this.deps.tokens.validHashes(tokenHashes, this.deps.clock.now());
  }
}
