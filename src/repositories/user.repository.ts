import type { Db, Tx } from '../db/client.ts';
import type { Membership, Prisma, User } from '../generated/sqlite/client.ts';

export type UserRecord = User;
export type MembershipRecord = Membership;
export type MemberRecord = Membership & { user: User };

export class UserRepository {
  constructor(private readonly deps: { db: Db }) {}

  findById(id: string): Promise<UserRecord | null> {
    return this.deps.db.user.findUnique({ where: { id } });
  }

  findByUsername(username: string): Promise<UserRecord | null> {
    return this.deps.db.user.findUnique({ where: { username } });
  }

  listAll(): Promise<UserRecord[]> {
    return this.deps.db.user.findMany({ orderBy: { username: 'asc' } });
  }

  count(): Promise<number> {
    return this.deps.db.user.count();
  }

  create(data: Prisma.UserUncheckedCreateInput, client: Db | Tx = this.deps.db): Promise<UserRecord> {
    return client.user.create({ data });
  }

  setPasswordHash(id: string, passwordHash: string): Promise<UserRecord> {
    return this.deps.db.user.update({ where: { id }, data: { passwordHash } });
  }

  membersOf(projectId: string): Promise<MemberRecord[]> {
    return this.deps.db.membership.findMany({ where: { projectId }, include: { user: true }, orderBy: { user: { username: 'asc' } } });
  }

  findMember(projectId: string, userId: string, client: Db | Tx = this.deps.db): Promise<MemberRecord | null> {
    return client.membership.findUnique({ where: { userId_projectId: { userId, projectId } }, include: { user: true } });
  }

  addMembership(data: { userId: string; projectId: string; role: string }, client: Db | Tx = this.deps.db): Promise<MemberRecord> {
    return client.membership.create({ data, include: { user: true } });
  }

  setRole(projectId: string, userId: string, role: string, client: Db | Tx = this.deps.db): Promise<MemberRecord> {
    return client.membership.update({ where: { userId_projectId: { userId, projectId } }, data: { role }, include: { user: true } });
  }

  removeMembership(projectId: string, userId: string, client: Db | Tx = this.deps.db): Promise<MembershipRecord> {
    return client.membership.delete({ where: { userId_projectId: { userId, projectId } } });
  }

  countAdmins(projectId: string, client: Db | Tx = this.deps.db): Promise<number> {
    return client.membership.count({ where: { projectId, role: 'ADMIN' } });
  }
}
