import type { Db, Tx } from '../db/client.ts';
import { sqlDate, type HistoryReader } from '../db/history-reader.ts';
import { Prisma, type ApiToken } from '../generated/sqlite/client.ts';

export type ApiTokenRecord = ApiToken;

/** What one request's authentication needs: the token's state, its user and the user's roles. */
export interface TokenGrant {
  revokedAt: Date | null;
  expiresAt: Date | null;
  user: { id: string; username: string; displayName: string; isAdmin: boolean };
  memberships: { projectId: string; role: string }[];
}

export class ApiTokenRepository {
  constructor(private readonly deps: { db: Db; reader: HistoryReader }) {}

  /**
   * One statement on the read connection: every request authenticates, and three Prisma
   * queries cost more than the history page the request asks for.
   */
  async findGrant(tokenHash: string): Promise<TokenGrant | null> {
    const rows = await this.deps.reader.all(Prisma.sql`
      SELECT t."revokedAt", t."expiresAt", u.id, u.username, u."displayName", u."isAdmin", m."projectId", m.role
      FROM "ApiToken" t JOIN "User" u ON u.id = t."userId" LEFT JOIN "Membership" m ON m."userId" = u.id
      WHERE t."tokenHash" = ${tokenHash}`);
    const [first] = rows;
    if (!first) return null;
    return {
      revokedAt: first.revokedAt === null ? null : sqlDate(first.revokedAt),
      expiresAt: first.expiresAt === null ? null : sqlDate(first.expiresAt),
      user: { id: String(first.id), username: String(first.username), displayName: String(first.displayName), isAdmin: Boolean(Number(first.isAdmin)) },
      memberships: rows.flatMap((row) => (row.projectId === null ? [] : [{ projectId: String(row.projectId), role: String(row.role) }])),
    };
  }

  /** Which of these token hashes still belong to tokens neither revoked nor expired at `now`. */
  async validHashes(tokenHashes: readonly string[], now: Date): Promise<Set<string>> {
    if (tokenHashes.length === 0) return new Set();
    const rows = await this.deps.reader.all(Prisma.sql`
      SELECT "tokenHash" FROM "ApiToken"
      WHERE "tokenHash" IN (${Prisma.join(tokenHashes)}) AND "revokedAt" IS NULL AND ("expiresAt" IS NULL OR "expiresAt" > ${now})`);
    return new Set(rows.map((row) => String(row.tokenHash)));
  }

  create(data: Prisma.ApiTokenUncheckedCreateInput, client: Db | Tx = this.deps.db): Promise<ApiTokenRecord> {
    return client.apiToken.create({ data });
  }
}
