import type { Db, Tx } from '../db/client.ts';
import type { HistoryReader } from '../db/history-reader.ts';
import { sqlDate, type SqlRow } from '../db/sql-values.ts';
import { isRole, type Role } from '../domain/vocabulary.ts';
import { Prisma, type ApiToken } from '../generated/sqlite/client.ts';

export type ApiTokenWithOwner = ApiToken & { user: { username: string } };

/** What one request's authentication needs: the token, its user and the user's roles. */
export interface TokenGrant {
  token: { id: string; name: string; kind: string; projectId: string | null; role: Role | null; revokedAt: Date | null; expiresAt: Date | null; lastUsedAt: Date | null };
  user: { id: string; username: string; displayName: string; isAdmin: boolean };
  memberships: { projectId: string; role: Role }[];
}

/**
 * What a still valid token stands on now: its own project and role (a project token), whether
 * its user is an instance admin, and the user's memberships (of the token's project only, for
 * a project token).
 */
export interface TokenStanding {
  projectId: string | null;
  role: Role | null;
  isAdmin: boolean;
  memberships: Map<string, Role>;
}

const OWNER = { user: { select: { username: true } } } as const;

const nullableDate = (value: unknown): Date | null => (value === null || value === undefined ? null : sqlDate(value));

export class ApiTokenRepository {
  constructor(private readonly deps: { db: Db; reader: HistoryReader }) {}

  /**
   * One statement on the read connection: every request authenticates, and three Prisma
   * queries cost more than the history page the request asks for.
   */
  async findGrant(tokenHash: string): Promise<TokenGrant | null> {
    const rows = await this.deps.reader.all(Prisma.sql`
      SELECT t.id AS "tokenId", t.name AS "tokenName", t.kind, t."projectId" AS "tokenProjectId", t.role AS "tokenRole", t."revokedAt", t."expiresAt", t."lastUsedAt",
             u.id, u.username, u."displayName", u."isAdmin", m."projectId", m.role
      FROM "ApiToken" t JOIN "User" u ON u.id = t."userId" LEFT JOIN "Membership" m ON m."userId" = u.id
      WHERE t."tokenHash" = ${tokenHash}`);
    const [first] = rows;
    if (!first) return null;
    return {
      token: {
        id: String(first.tokenId),
        name: String(first.tokenName),
        kind: String(first.kind),
        projectId: first.tokenProjectId === null ? null : String(first.tokenProjectId),
        role: first.tokenRole === null ? null : roleFrom(first.tokenRole),
        revokedAt: nullableDate(first.revokedAt),
        expiresAt: nullableDate(first.expiresAt),
        lastUsedAt: nullableDate(first.lastUsedAt),
      },
      user: { id: String(first.id), username: String(first.username), displayName: String(first.displayName), isAdmin: Boolean(Number(first.isAdmin)) },
      memberships: rows.flatMap((row) => (row.projectId === null ? [] : [{ projectId: String(row.projectId), role: roleFrom(row.role) }])),
    };
  }

  /** For each of these token hashes still neither revoked nor expired at `now`, what it stands on: one statement for every open connection. */
  async currentStanding(tokenHashes: readonly string[], now: Date): Promise<Map<string, TokenStanding>> {
    const standing = new Map<string, TokenStanding>();
    if (tokenHashes.length === 0) return standing;
    const rows = await this.deps.reader.all(Prisma.sql`
      SELECT t."tokenHash", t."projectId" AS "tokenProjectId", t.role AS "tokenRole", u."isAdmin", m."projectId", m.role
      FROM "ApiToken" t JOIN "User" u ON u.id = t."userId"
        LEFT JOIN "Membership" m ON m."userId" = u.id AND (t."projectId" IS NULL OR m."projectId" = t."projectId")
      WHERE t."tokenHash" IN (${Prisma.join(tokenHashes)}) AND t."revokedAt" IS NULL AND (t."expiresAt" IS NULL OR t."expiresAt" > ${now})`);
    for (const row of rows) addStanding(standing, row);
    return standing;
  }

  create(data: Prisma.ApiTokenUncheckedCreateInput, client: Db | Tx = this.deps.db): Promise<ApiTokenWithOwner> {
    return client.apiToken.create({ data, include: OWNER });
  }

  findById(id: string): Promise<ApiTokenWithOwner | null> {
    return this.deps.db.apiToken.findUnique({ where: { id }, include: OWNER });
  }

  /** The tokens of one kind a user created, newest first: their personal ones, or also those they made for projects. */
  listOfUser(userId: string, kind: string, scope: 'personal' | 'all' = 'personal'): Promise<ApiTokenWithOwner[]> {
    return this.deps.db.apiToken.findMany({
      where: { userId, kind, ...(scope === 'personal' ? { projectId: null } : {}) },
      orderBy: { createdAt: 'desc' },
      include: OWNER,
    });
  }

  listOfProject(projectId: string): Promise<ApiTokenWithOwner[]> {
    return this.deps.db.apiToken.findMany({ where: { projectId }, orderBy: { createdAt: 'desc' }, include: OWNER });
  }

  /** Revokes the token unless it already was; true when this call revoked it. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const { count } = await this.deps.db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
    return count === 1;
  }

  /** Uses up a one-time token: true for the one caller that found it unused and unexpired. */
  async useOnce(id: string, now: Date): Promise<boolean> {
    const { count } = await this.deps.db.apiToken.updateMany({ where: { id, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }, data: { revokedAt: now } });
    return count === 1;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.deps.db.apiToken.update({ where: { id }, data: { lastUsedAt: at } });
  }
}

function addStanding(standing: Map<string, TokenStanding>, row: SqlRow): void {
  const hash = String(row.tokenHash);
  let entry = standing.get(hash);
  if (!entry) {
    entry = {
      projectId: row.tokenProjectId === null ? null : String(row.tokenProjectId),
      role: row.tokenRole === null ? null : roleFrom(row.tokenRole),
      isAdmin: Boolean(Number(row.isAdmin)),
      memberships: new Map(),
    };
    standing.set(hash, entry);
  }
  if (row.projectId !== null) entry.memberships.set(String(row.projectId), roleFrom(row.role));
}

function roleFrom(value: unknown): Role {
  const text = String(value);
  if (!isRole(text)) throw new Error(`The database holds an unknown role "${text}"`);
  return text;
}
