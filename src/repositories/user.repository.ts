import type { Db, Tx } from '../db/client.ts';
import type { Membership, Prisma, User } from '../generated/sqlite/client.ts';

export type UserRecord = User;
export type MembershipRecord = Membership;

export class UserRepository {
  constructor(private readonly deps: { db: Db }) {}

  findById(id: string): Promise<UserRecord | null> {
    return this.deps.db.user.findUnique({ where: { id } });
  }

  count(): Promise<number> {
    return this.deps.db.user.count();
  }

  create(data: Prisma.UserUncheckedCreateInput, client: Db | Tx = this.deps.db): Promise<UserRecord> {
    return client.user.create({ data });
  }

  addMembership(data: { userId: string; projectId: string; role: string }, client: Db | Tx = this.deps.db): Promise<MembershipRecord> {
    return client.membership.create({ data });
  }
}
