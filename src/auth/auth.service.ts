import type { Logger } from 'pino';
import { AppError } from '../domain/errors.ts';
import type { Clock } from '../domain/clock.ts';
import { newId } from '../domain/ids.ts';
import type { Role } from '../domain/vocabulary.ts';
import type { ApiTokenRepository, TokenGrant } from '../repositories/api-token.repository.ts';
import { currentAccessOf, type CurrentAccess } from './access-check.ts';
import type { UserRepository } from '../repositories/user.repository.ts';
import type { AccessChanges } from './access-changes.ts';
import { verifyPassword } from './password.ts';
import { projectTokenRole } from './permissions.ts';
import { credentialKindOf, type CredentialKind, type Principal } from './principal.ts';
import type { RateLimits } from './rate-limits.ts';
import { generateTokenSecret, hashTokenSecret } from './token-secret.ts';

export interface SessionSettings {
  sessionTtlMs: number;
  loginLinkTtlMs: number;
}

/** A new UI session: the secret goes into the cookie, and only there. */
export interface IssuedSession {
  secret: string;
  expiresAt: Date;
  principal: Principal;
}

// lastUsedAt is for people deciding which tokens to revoke: a minute's precision is plenty,
// and a write per request would cost more than the request.
const LAST_USED_PRECISION_MS = 60_000;
const MAX_TOUCHED_REMEMBERED = 10_000;

interface AuthDeps {
  clock: Clock;
  tokens: ApiTokenRepository;
  users: UserRepository;
  limits: RateLimits;
  sessions: SessionSettings;
  accessChanges: AccessChanges;
  logger: Logger;
}

/** Who a secret belongs to, sign-in and sign-out, and the signal that access changed somewhere. */
export class AuthService {
  /** tokenId → when this process last wrote its lastUsedAt. */
  private readonly touched = new Map<string, number>();

  constructor(private readonly deps: AuthDeps) {}

  /** The principal behind a secret of this kind, or null when it is unknown, of another kind, revoked or expired. */
  async authenticate(secret: string, kind: Exclude<CredentialKind, 'LOGIN_LINK'>): Promise<Principal | null> {
    const tokenHash = hashTokenSecret(secret);
    const grant = await this.deps.tokens.findGrant(tokenHash);
    const now = this.deps.clock.now();
    if (!grant || grant.token.kind !== kind || grant.token.revokedAt) return null;
    if (grant.token.expiresAt && grant.token.expiresAt <= now) return null;
    this.noteUse(grant, now);
    return principalOf(grant, tokenHash);
  }

  /** Checks the password (rate-limited per address, slowed after failures) and opens a session. */
  async login(username: string, password: string, address: string): Promise<IssuedSession> {
    await this.deps.limits.consumeLogin(address);
    const { user, passwordMatches } = await this.deps.users.findCheckingPassword(username, (passwordHash) => verifyPassword(password, passwordHash));
    if (!passwordMatches || !user) {
      const pause = await this.deps.limits.loginFailed(username, address);
      await new Promise((resolve) => setTimeout(resolve, pause));
      throw new AppError('UNAUTHENTICATED', 'Wrong username or password');
    }
    await this.deps.limits.loginSucceeded(username, address);
    return this.openSession(user.id);
  }

  /** Exchanges a one-time sign-in link for a session; null when the link is unknown, used or expired. */
  async redeemLoginLink(secret: string): Promise<IssuedSession | null> {
    const grant = await this.deps.tokens.findGrant(hashTokenSecret(secret));
    if (!grant || grant.token.kind !== 'LOGIN_LINK') return null;
    if (!(await this.deps.tokens.useOnce(grant.token.id, this.deps.clock.now()))) return null;
    return this.openSession(grant.user.id);
  }

  /** A one-time sign-in link's secret for this user (first start, `runtrail user login-link`). */
  async createLoginLink(userId: string): Promise<{ secret: string; expiresAt: Date }> {
    const now = this.deps.clock.now();
    const secret = generateTokenSecret();
    const expiresAt = new Date(now.getTime() + this.deps.sessions.loginLinkTtlMs);
    await this.deps.tokens.create({ id: newId('tok', now), userId, name: 'sign-in link', kind: 'LOGIN_LINK', tokenHash: hashTokenSecret(secret), expiresAt });
    return { secret, expiresAt };
  }

  /** Ends the caller's session, if a session is what they signed in with; true when one ended. */
  async endSession(principal: Principal): Promise<boolean> {
    if (principal.credential?.kind !== 'SESSION') return false;
    const ended = await this.deps.tokens.revoke(principal.credential.id, this.deps.clock.now());
    this.accessChanged();
    return ended;
  }

  /** For each token hash still valid, what it may do now: what open connections are checked against. */
  async currentAccess(tokenHashes: readonly string[]): Promise<Map<string, CurrentAccess>> {
    const standing = await this.deps.tokens.currentStanding(tokenHashes, this.deps.clock.now());
    return new Map([...standing].map(([hash, entry]) => [hash, currentAccessOf(entry)]));
  }

  /** Tokens were revoked or memberships changed: open connections, of every process, should be checked now. */
  accessChanged(): void {
    this.deps.accessChanges.announce();
  }

  onAccessChanged(listener: () => void): () => void {
    return this.deps.accessChanges.onChange(listener);
  }

  private async openSession(userId: string): Promise<IssuedSession> {
    const now = this.deps.clock.now();
    const secret = generateTokenSecret();
    const tokenHash = hashTokenSecret(secret);
    const expiresAt = new Date(now.getTime() + this.deps.sessions.sessionTtlMs);
    await this.deps.tokens.create({ id: newId('tok', now), userId, name: 'UI session', kind: 'SESSION', tokenHash, expiresAt, lastUsedAt: now });
    const grant = await this.deps.tokens.findGrant(tokenHash);
    if (!grant) throw new Error(`The session token of user ${userId} vanished right after it was created`);
    return { secret, expiresAt, principal: principalOf(grant, tokenHash) };
  }

  private noteUse(grant: TokenGrant, now: Date): void {
    const last = Math.max(grant.token.lastUsedAt?.getTime() ?? 0, this.touched.get(grant.token.id) ?? 0);
    if (now.getTime() - last < LAST_USED_PRECISION_MS) return;
    // Remembered here too: a burst of requests must not each write before the first write lands.
    if (this.touched.size >= MAX_TOUCHED_REMEMBERED) this.touched.clear();
    this.touched.set(grant.token.id, now.getTime());
    this.deps.tokens.touch(grant.token.id, now).catch((error: unknown) => this.deps.logger.warn({ err: error, tokenId: grant.token.id }, 'auth.last_used_not_saved'));
  }
}

function principalOf(grant: TokenGrant, tokenHash: string): Principal {
  const { token, user } = grant;
  const credential = { id: token.id, kind: credentialKindOf(token.kind, `token ${token.id}`), tokenHash, expiresAt: token.expiresAt, projectId: token.projectId };
  const base = { userId: user.id, username: user.username, displayName: user.displayName, credential };
  if (token.projectId !== null) {
    const roles = new Map<string, Role>();
    const role = projectTokenRole(token.role, user.isAdmin, grant.memberships.find((membership) => membership.projectId === token.projectId)?.role ?? null);
    if (role !== null) roles.set(token.projectId, role);
    return { ...base, isAdmin: false, roles, actor: `${user.username} via token "${token.name}"` };
  }
  const roles = new Map<string, Role>();
  for (const membership of grant.memberships) roles.set(membership.projectId, membership.role);
  return { ...base, isAdmin: user.isAdmin, roles, actor: user.username };
}
