import type { Db, Tx } from '../db/client.ts';
import type { Prisma } from '../generated/sqlite/client.ts';

/** Every column of a user but the password hash, which never leaves this repository. */
const USER_SELECT = { id: true, username: true, displayName: true, email: true, isAdmin: true, createdAt: true } satisfies Prisma.UserSelect;
const MEMBERSHIP_SELECT = { userId: true, projectId: true, role: true, createdAt: true } satisfies Prisma.MembershipSelect;
const MEMBER_SELECT = { ...MEMBERSHIP_SELECT, user: { select: USER_SELECT } } satisfies Prisma.MembershipSelect;

export type UserRecord = Prisma.UserGetPayload<{ select: typeof USER_SELECT }>;
export type MembershipRecord = Prisma.MembershipGetPayload<{ select: typeof MEMBERSHIP_SELECT }>;
export type MemberRecord = Prisma.MembershipGetPayload<{ select: typeof MEMBER_SELECT }>;

export class UserRepository {
  constructor(private readonly deps: { db: Db }) {}

  findById(id: string): Promise<UserRecord | null> {
    return this.deps.db.user.findUnique({ where: { id }, select: USER_SELECT });
  }

  findByUsername(username: string): Promise<UserRecord | null> {
    return this.deps.db.user.findUnique({ where: { username }, select: USER_SELECT });
  }

  /**
   * The user named so, and whether `matches` accepts their stored password hash. `matches` is
   * asked even when there is no such user (with null), so that a wrong name takes as long as a
   * wrong password; the hash is handed to it, never returned.
   */
  async findCheckingPassword(username: string, matches: (passwordHash: string | null) => Promise<boolean>): Promise<{ user: UserRecord | null; passwordMatches: boolean }> {
    const row = await this.deps.db.user.findUnique({ where: { username }, select: { ...USER_SELECT, passwordHash: true } });
    const passwordMatches = await matches(row?.passwordHash ?? null);
    if (!row) return { user: null, passwordMatches };
    const { passwordHash: _hash, ...user } = row;
    return { user, passwordMatches };
  }

  listAll(): Promise<UserRecord[]> {
    return this.deps.db.user.findMany({ orderBy: { username: 'asc' }, select: USER_SELECT });
  }

  count(): Promise<number> {
    return this.deps.db.user.count();
  }

  create(data: Prisma.UserUncheckedCreateInput, client: Db | Tx = this.deps.db): Promise<UserRecord> {
    return client.user.create({ data, select: USER_SELECT });
  }

  setPasswordHash(id: string, passwordHash: string): Promise<UserRecord> {
    return this.deps.db.user.update({ where: { id }, data: { passwordHash }, select: USER_SELECT });
  }

  setEmail(id: string, email: string | null): Promise<UserRecord> {
    return this.deps.db.user.update({ where: { id }, data: { email }, select: USER_SELECT });
  }

  /** These users with the projects each is a member of (any role), in no order; unknown ids are left out. */
  async withProjects(ids: readonly string[]): Promise<(UserRecord & { projectIds: string[] })[]> {
    const rows = await this.deps.db.user.findMany({ where: { id: { in: [...ids] } }, select: { ...USER_SELECT, memberships: { select: { projectId: true } } } });
    return rows.map(({ memberships, ...user }) => ({ ...user, projectIds: memberships.map((membership) => membership.projectId) }));
  }

  membersOf(projectId: string): Promise<MemberRecord[]> {
    return this.deps.db.membership.findMany({ where: { projectId }, select: MEMBER_SELECT, orderBy: { user: { username: 'asc' } } });
  }

  findMember(projectId: string, userId: string, client: Db | Tx = this.deps.db): Promise<MemberRecord | null> {
    return client.membership.findUnique({ where: { userId_projectId: { userId, projectId } }, select: MEMBER_SELECT });
  }

  addMembership(data: { userId: string; projectId: string; role: string }, client: Db | Tx = this.deps.db): Promise<MemberRecord> {
    return client.membership.create({ data, select: MEMBER_SELECT });
  }

  setRole(projectId: string, userId: string, role: string, client: Db | Tx = this.deps.db): Promise<MemberRecord> {
    return client.membership.update({ where: { userId_projectId: { userId, projectId } }, data: { role }, select: MEMBER_SELECT });
  }

  removeMembership(projectId: string, userId: string, client: Db | Tx = this.deps.db): Promise<MembershipRecord> {
    return client.membership.delete({ where: { userId_projectId: { userId, projectId } }, select: MEMBERSHIP_SELECT });
  }

  countAdmins(projectId: string, client: Db | Tx = this.deps.db): Promise<number> {
    return client.membership.count({ where: { projectId, role: 'ADMIN' } });
  }
}
