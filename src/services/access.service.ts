import type { AuthService } from '../auth/auth.service.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { assertCan, assertCanInProject, assertInstanceAdmin } from '../auth/permissions.ts';
import type { Principal } from '../auth/principal.ts';
import { generateTokenSecret, hashTokenSecret } from '../auth/token-secret.ts';
import type { Db, Tx } from '../db/client.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { checkEmail, checkExpiry, checkName, checkPassword, checkProjectSlug, checkUsername } from '../domain/access/account-rules.ts';
import type { Clock } from '../domain/clock.ts';
import { AppError, notFound } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import type { Role } from '../domain/vocabulary.ts';
import type { ApiTokenRepository, ApiTokenWithOwner } from '../repositories/api-token.repository.ts';
import type { ProjectRecord, ProjectRepository } from '../repositories/project.repository.ts';
import type { MemberRecord, UserRecord, UserRepository } from '../repositories/user.repository.ts';

export interface NewUser {
  username: string;
  displayName?: string | null;
  password?: string | null;
  isAdmin?: boolean | null;
  /** Where reports are mailed to them; null: none. */
  email?: string | null;
}

export interface NewToken {
  name: string;
  expiresAt?: Date | null;
  /** A project token: acts in this project only, with `role`. */
  projectId?: string | null;
  role?: Role | null;
}

/** A token as created: its secret is shown this once and stored only as a hash. */
export interface CreatedToken {
  token: ApiTokenWithOwner;
  secret: string;
}

interface AccessDeps {
  db: Db;
  clock: Clock;
  users: UserRepository;
  projects: ProjectRepository;
  tokens: ApiTokenRepository;
  auth: AuthService;
}

/** Projects, users, memberships and tokens: who may do what is asked of src/auth on every call. */
export class AccessService {
  constructor(private readonly deps: AccessDeps) {}

  async createProject(principal: Principal, input: { slug: string; name?: string | null }): Promise<ProjectRecord> {
    assertInstanceAdmin(principal, 'create projects');
    const slug = checkProjectSlug(input.slug);
    const name = checkName(input.name ?? slug, 'name');
    return this.deps.projects.create({ id: newId('prj', this.deps.clock.now()), slug, name }).catch(conflictOn(`A project with the slug "${slug}" exists already`, 'slug'));
  }

  async createUser(principal: Principal, input: NewUser): Promise<UserRecord> {
    assertInstanceAdmin(principal, 'create users');
    const username = checkUsername(input.username);
    const displayName = checkName(input.displayName ?? username, 'displayName');
    const email = input.email ? checkEmail(input.email) : null;
    const passwordHash = input.password ? await hashPassword(checkPassword(input.password)) : null;
    return this.deps.users
      .create({ id: newId('usr', this.deps.clock.now()), username, displayName, email, passwordHash, isAdmin: input.isAdmin ?? false })
      .catch(conflictOn(`A user named "${username}" exists already`, 'username'));
  }

  /** A user changes their own password (the current one is needed once one is set); an instance admin sets anyone else's. */
  async setPassword(principal: Principal, input: { username: string; newPassword: string; currentPassword?: string | null }): Promise<void> {
    const user = await this.deps.users.findByUsername(input.username);
    const own = user !== null && user.id === principal.userId && principal.credential?.projectId === null;
    if (!user || (!own && !principal.isAdmin)) throw new AppError('NOT_FOUND', `User ${input.username} was not found`, { argument: 'username' });
    const password = checkPassword(input.newPassword, 'newPassword');
    // Even an instance admin proves the current password for their own: a stolen session must not lock its owner out.
    if (own) {
      const current = input.currentPassword ?? '';
      const { passwordMatches } = await this.deps.users.findCheckingPassword(user.username, async (passwordHash) => passwordHash === null || (await verifyPassword(current, passwordHash)));
      if (!passwordMatches) throw new AppError('BAD_USER_INPUT', 'The current password is wrong', { argument: 'currentPassword' });
    }
    await this.deps.users.setPasswordHash(user.id, await hashPassword(password));
  }

  /** Sets (or with null removes) a user's email address: their own (not through a project token), or anyone's for an instance admin. */
  async setEmail(principal: Principal, input: { username: string; email: string | null }): Promise<UserRecord> {
    const user = await this.deps.users.findByUsername(input.username);
    const own = user !== null && user.id === principal.userId && principal.credential?.projectId === null;
    if (!user || (!own && !principal.isAdmin)) throw new AppError('NOT_FOUND', `User ${input.username} was not found`, { argument: 'username' });
    return this.deps.users.setEmail(user.id, input.email === null ? null : checkEmail(input.email));
  }

  /** Every user of the instance (instance admins only). */
  async users(principal: Principal): Promise<UserRecord[]> {
    assertInstanceAdmin(principal, 'list every user');
    return this.deps.users.listAll();
  }

  /** The user with this name (instance admins only); NOT_FOUND names the way to list them. */
  async findUser(principal: Principal, username: string): Promise<UserRecord> {
    assertInstanceAdmin(principal, 'look up users');
    const user = await this.deps.users.findByUsername(username);
    if (!user) throw new AppError('NOT_FOUND', `There is no user named "${username}" (\`runtrail user list\` shows them)`);
    return user;
  }

  /** Every API token the user created, personal and for projects (instance admins only). */
  async tokensOfUser(principal: Principal, userId: string): Promise<ApiTokenWithOwner[]> {
    assertInstanceAdmin(principal, "list another user's tokens");
    return this.deps.tokens.listOfUser(userId, 'API', 'all');
  }

  async members(principal: Principal, projectId: string): Promise<MemberRecord[]> {
    assertCanInProject(principal, 'read', projectId);
    return this.deps.users.membersOf(projectId);
  }

  async addMember(principal: Principal, input: { projectId: string; username: string; role: Role }): Promise<MemberRecord> {
    assertCanInProject(principal, 'administer', input.projectId);
    const user = await this.userNamed(input.username);
    await this.projectOrNotFound(input.projectId);
    const member = await this.deps.users
      .addMembership({ userId: user.id, projectId: input.projectId, role: input.role })
      .catch(conflictOn(`${user.username} is a member of this project already: use setMemberRole to change the role`, 'username'));
    this.deps.auth.accessChanged();
    return member;
  }

  async setMemberRole(principal: Principal, input: { projectId: string; username: string; role: Role }): Promise<MemberRecord> {
    assertCanInProject(principal, 'administer', input.projectId);
    const user = await this.userNamed(input.username);
    const { updated, changed } = await this.changingMembers(input.projectId, async (tx) => {
      const member = await this.memberOrNotFound(input.projectId, user, tx);
      if (member.role === input.role) return { updated: member, changed: false };
      if (member.role === 'ADMIN') await this.keepAnAdmin(input.projectId, tx);
      return { updated: await this.deps.users.setRole(input.projectId, user.id, input.role, tx), changed: true };
    });
    if (changed) this.deps.auth.accessChanged();
    return updated;
  }

  async removeMember(principal: Principal, input: { projectId: string; username: string }): Promise<boolean> {
    assertCanInProject(principal, 'administer', input.projectId);
    const user = await this.userNamed(input.username);
    await this.changingMembers(input.projectId, async (tx) => {
      const member = await this.memberOrNotFound(input.projectId, user, tx);
      if (member.role === 'ADMIN') await this.keepAnAdmin(input.projectId, tx);
      await this.deps.users.removeMembership(input.projectId, user.id, tx);
    });
    this.deps.auth.accessChanged();
    return true;
  }

  /**
   * A personal token acts as its owner; a project token acts in its project only, with its
   * role. Creating one needs ADMIN there. A project token cannot create a personal one: that
   * would escape its project.
   */
  async createToken(principal: Principal, ownerId: string, input: NewToken): Promise<CreatedToken> {
    const now = this.deps.clock.now();
    const name = checkName(input.name, 'name');
    const expiresAt = checkExpiry(input.expiresAt ?? null, now);
    const projectId = input.projectId ?? null;
    if (projectId !== null) {
      assertCanInProject(principal, 'administer', projectId);
      await this.projectOrNotFound(projectId);
    } else if (principal.credential?.projectId) {
      throw new AppError('FORBIDDEN', 'A project token cannot create personal tokens: sign in as a user', { argument: 'projectId' });
    } else if (input.role) {
      throw new AppError('BAD_USER_INPUT', 'A role is for project tokens: give projectId too, or leave role out', { argument: 'role' });
    }
    const secret = generateTokenSecret();
    const created = await this.deps.tokens.create({
      id: newId('tok', now),
      userId: ownerId,
      name,
      kind: 'API',
      projectId,
      role: projectId === null ? null : (input.role ?? 'VIEWER'),
      tokenHash: hashTokenSecret(secret),
      expiresAt,
    });
    return { token: created, secret };
  }

  /** The caller's own API tokens, or with projectId the project's tokens (ADMIN there). */
  async tokens(principal: Principal, projectId: string | null): Promise<ApiTokenWithOwner[]> {
    if (projectId === null) {
      if (principal.credential?.projectId) throw new AppError('FORBIDDEN', 'A project token cannot see personal tokens: sign in as a user, or give projectId', { argument: 'projectId' });
      return this.deps.tokens.listOfUser(principal.userId, 'API');
    }
    assertCanInProject(principal, 'administer', projectId);
    return this.deps.tokens.listOfProject(projectId);
  }

  /**
   * Revokes at once: requests fail from now on, and open WebSockets with it are closed. A
   * project token is the project ADMINs' to revoke; a personal one its owner's (or an instance
   * admin's). Tokens of others are NOT_FOUND, as for any id the caller may not see.
   */
  async revokeToken(principal: Principal, id: string): Promise<ApiTokenWithOwner> {
    const token = await this.deps.tokens.findById(id);
    if (!token) throw notFound('Token', id);
    if (token.projectId !== null) assertCan(principal, 'administer', token.projectId, { kind: 'Token', id });
    else if (!principal.isAdmin && (token.userId !== principal.userId || principal.credential?.projectId)) throw notFound('Token', id);
    const now = this.deps.clock.now();
    const revokedNow = await this.deps.tokens.revoke(id, now);
    this.deps.auth.accessChanged();
    return revokedNow ? { ...token, revokedAt: now } : token;
  }

  /**
   * A change of the project's members that must see every change committed before it: the
   * project is locked first, so two ADMINs demoting or removing each other at the same moment
   * take turns, and the second finds the first's change (and the last ADMIN) in place.
   */
  private changingMembers<T>(projectId: string, change: (tx: Tx) => Promise<T>): Promise<T> {
    return this.deps.db.$transaction(async (tx) => {
      if (!(await this.deps.projects.lockForMemberChange(projectId, tx))) throw new AppError('NOT_FOUND', `Project ${projectId} was not found`, { argument: 'projectId' });
      return change(tx);
    });
  }

  private async keepAnAdmin(projectId: string, tx: Tx): Promise<void> {
    if ((await this.deps.users.countAdmins(projectId, tx)) <= 1) {
      throw new AppError('CONFLICT', 'This is the last ADMIN of the project: make another member ADMIN first', { argument: 'username' });
    }
  }

  private async userNamed(username: string): Promise<UserRecord> {
    const user = await this.deps.users.findByUsername(username);
    if (!user) throw new AppError('NOT_FOUND', `There is no user named "${username}"`, { argument: 'username' });
    return user;
  }

  private async projectOrNotFound(projectId: string): Promise<ProjectRecord> {
    const project = await this.deps.projects.findById(projectId);
    if (!project) throw new AppError('NOT_FOUND', `Project ${projectId} was not found`, { argument: 'projectId' });
    return project;
  }

  private async memberOrNotFound(projectId: string, user: UserRecord, client: Db | Tx): Promise<MemberRecord> {
    const member = await this.deps.users.findMember(projectId, user.id, client);
    if (!member) throw new AppError('NOT_FOUND', `${user.username} is not a member of this project`, { argument: 'username' });
    return member;
  }
}

function conflictOn(message: string, argument: string): (error: unknown) => never {
  return (error: unknown) => {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', message, { argument });
    throw error;
  };
}
