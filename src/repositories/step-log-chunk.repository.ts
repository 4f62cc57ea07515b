import type { Db } from '../db/client.ts';
import { Prisma } from '../generated/sqlite/client.ts';

/**
 * The most bytes one row holds: a page or a follower's piece then reads at most this much
 * beyond what it asked for, and a large flush is still one statement of several rows.
 */
export const LOG_ROW_MAX_BYTES = 64 * 1024;

/** A step's log in the database: rows of consecutive bytes keyed by their offset in the log. */
export class StepLogChunkRepository {
  constructor(private readonly deps: { db: Db }) {}

  /** Appends `bytes` at `offset` (the log's size so far), in rows of at most LOG_ROW_MAX_BYTES, in one statement. */
  async append(stepRunId: string, offset: number, bytes: Buffer): Promise<void> {
    const rows = [];
    for (let start = 0; start < bytes.length; start += LOG_ROW_MAX_BYTES) {
      // A copy: Prisma takes bytes over an ArrayBuffer of their own, while a pipe's chunks may share a pool.
      rows.push({ stepRunId, offset: BigInt(offset + start), bytes: new Uint8Array(bytes.subarray(start, start + LOG_ROW_MAX_BYTES)) });
    }
    if (rows.length > 0) await this.deps.db.stepLogChunk.createMany({ data: rows });
  }

  /** The log's size in bytes: where its last row ends (0 when nothing was written). */
  async size(stepRunId: string): Promise<number> {
    // length() of a blob/bytea reads the stored size, not the bytes.
    const rows = await this.deps.db.$queryRaw<{ size: unknown }[]>(
      Prisma.sql`SELECT "offset" + length(bytes) AS size FROM "StepLogChunk" WHERE "stepRunId" = ${stepRunId} ORDER BY "offset" DESC LIMIT 1`,
    );
    const size = rows[0]?.size;
    if (size === undefined) return 0;
    if (typeof size === 'number' || typeof size === 'bigint') return Number(size);
    throw new Error(`The size of the log of step run ${stepRunId} is not a number: ${String(size)}`);
  }

  /** The log's bytes from `start` up to `end` (or less where the log ends). */
  async read(stepRunId: string, start: number, end: number): Promise<Buffer> {
    if (end <= start) return Buffer.alloc(0);
    // The row holding `start` begins at most a row's length before it.
    const rows = await this.deps.db.stepLogChunk.findMany({
      where: { stepRunId, offset: { gt: BigInt(start - LOG_ROW_MAX_BYTES), lt: BigInt(end) } },
      orderBy: { offset: 'asc' },
    });
    const first = rows[0];
    if (first === undefined) return Buffer.alloc(0);
    if (first.offset > BigInt(start)) throw new Error(`The log of step run ${stepRunId} has a gap at byte ${start}`);
    let expected = first.offset;
    for (const row of rows) {
      if (row.offset !== expected) throw new Error(`The log of step run ${stepRunId} has a gap at byte ${expected}`);
      expected += BigInt(row.bytes.length);
    }
    return Buffer.concat(rows.map((row) => row.bytes)).subarray(start - Number(first.offset), end - Number(first.offset));
  }
}
