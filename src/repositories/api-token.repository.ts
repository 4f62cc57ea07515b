import type { Db, Tx } from '../db/client.ts';
import type { ApiToken, Prisma, User } from '../generated/sqlite/client.ts';

export type ApiTokenRecord = ApiToken;
export type ApiTokenWithUser = ApiToken & { user: User };

export class ApiTokenRepository {
  constructor(private readonly deps: { db: Db }) {}

  findByHashWithUser(tokenHash: string): Promise<ApiTokenWithUser | null> {
    return this.deps.db.apiToken.findUnique({ where: { tokenHash }, include: { user: true } });
  }

  create(data: Prisma.ApiTokenUncheckedCreateInput, client: Db | Tx = this.deps.db): Promise<ApiTokenRecord> {
    return client.apiToken.create({ data });
  }
}
