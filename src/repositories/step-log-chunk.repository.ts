import type { ReadSession } from '../db/history-reader.ts';
import type { LogConnection } from '../db/log-connection.ts';
import { column } from '../db/sql-values.ts';
import { Prisma } from '../generated/sqlite/client.ts';

/**
 * The most bytes one row holds: a page or a follower's piece then reads at most this much
 * beyond what it asked for, and a large flush is still one statement of several rows.
 */
export const LOG_ROW_MAX_BYTES = 64 * 1024;

/** A step's log in the database: rows of consecutive bytes keyed by their offset in the log. */
export class StepLogChunkRepository {
  constructor(private readonly deps: { logConnection: LogConnection }) {}

  /** Appends `bytes` at `offset` (the log's size so far), in rows of at most LOG_ROW_MAX_BYTES, in one statement. */
  async append(stepRunId: string, offset: number, bytes: Buffer): Promise<void> {
    const rows: Prisma.Sql[] = [];
    for (let start = 0; start < bytes.length; start += LOG_ROW_MAX_BYTES) {
      rows.push(Prisma.sql`(${stepRunId}, ${offset + start}, ${bytes.subarray(start, start + LOG_ROW_MAX_BYTES)})`);
    }
    if (rows.length > 0) await this.deps.logConnection.run(Prisma.sql`INSERT INTO "StepLogChunk" ("stepRunId", "offset", bytes) VALUES ${Prisma.join(rows)}`);
  }

  /** The log's size in bytes: where its last row ends (0 when nothing was written); `archive`: of a step in that archive. */
  async size(stepRunId: string, archive: ReadSession | null = null): Promise<number> {
    // length() of a blob/bytea reads the stored size, not the bytes.
    const [row] = await (archive ?? this.deps.logConnection).all(
      Prisma.sql`SELECT "offset" + length(bytes) AS size FROM "StepLogChunk" WHERE "stepRunId" = ${stepRunId} ORDER BY "offset" DESC LIMIT 1`,
    );
    return row ? Number(column.bigint(row, 'size')) : 0;
  }

  /** The log's bytes from `start` up to `end` (or less where the log ends); `archive`: of a step in that archive. */
  async read(stepRunId: string, start: number, end: number, archive: ReadSession | null = null): Promise<Buffer> {
    if (end <= start) return Buffer.alloc(0);
    // The row holding `start` begins at most a row's length before it.
    const rows = await (archive ?? this.deps.logConnection).all(
      Prisma.sql`SELECT "offset", bytes FROM "StepLogChunk" WHERE "stepRunId" = ${stepRunId} AND "offset" > ${start - LOG_ROW_MAX_BYTES} AND "offset" < ${end} ORDER BY "offset"`,
    );
    const pieces = rows.map((row) => ({ offset: Number(column.bigint(row, 'offset')), bytes: column.bytes(row, 'bytes') }));
    const first = pieces[0];
    if (first === undefined) return Buffer.alloc(0);
    let expected = Math.min(first.offset, start);
    for (const piece of pieces) {
      if (piece.offset !== expected) throw new Error(`The log of step run ${stepRunId} has a gap at byte ${expected}`);
      expected += piece.bytes.length;
    }
    return Buffer.concat(pieces.map((piece) => piece.bytes)).subarray(start - first.offset, end - first.offset);
  }
}
