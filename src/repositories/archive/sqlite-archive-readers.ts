import path from 'node:path';
import BetterSqlite3, { type Statement } from 'better-sqlite3';
import type { ReadSession } from '../../db/history-reader.ts';
import { encodeRows, tableOf } from '../../db/row-encoding.ts';
import { sqliteValue, type SqlRow } from '../../db/sql-values.ts';
import type { Prisma } from '../../generated/sqlite/client.ts';

interface OpenArchive {
  connection: BetterSqlite3.Database;
  statements: Map<string, Statement>;
  /** Reads going on: an archive in use is never closed under them. */
  users: number;
  /** Left the set while in use: closed when its last read ends. */
  forgotten: boolean;
}

const STATEMENTS_PER_ARCHIVE = 64;

/**
 * Read-only connections to archive files, opened on demand and kept in a least-recently-used
 * set of at most `maxOpen` (more only while every one of them is in use). A connection per file
 * rather than ATTACH on the history reader's: SQLite attaches at most 10 files to a connection
 * and never inside a transaction, and what a query reads of an archive needs no transaction
 * shared with the live file (rows of a committed batch never change; see ArchivePeriod).
 */
export class SqliteArchiveReaders {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  private readonly open = new Map<string, OpenArchive>();
  private listener: ((sql: string) => void) | null = null;

  constructor(private readonly settings: { directory: string; maxOpen: number }) {}

  async read<T>(location: string, work: (session: ReadSession) => Promise<T>): Promise<T> {
    const archive = this.acquire(location);
    try {
      return await work({ all: async (query) => this.run(archive, query), encoded: async (query, encoding) => encodeRows(tableOf(this.run(archive, query)), encoding) });
    } finally {
      archive.users -= 1;
      if (archive.forgotten && archive.users === 0) archive.connection.close();
      this.trim();
    }
  }

  /** Closes the file's connection (its file is about to go away). */
  forget(location: string): void {
    const archive = this.open.get(location);
    if (!archive) return;
    this.open.delete(location);
    archive.forgotten = true;
    if (archive.users === 0) archive.connection.close();
  }

  /** How many files are open now. */
  get openCount(): number {
    return this.open.size;
  }

  onStatement(listener: ((sql: string) => void) | null): void {
    this.listener = listener;
  }

  close(): void {
    for (const archive of this.open.values()) archive.connection.close();
    this.open.clear();
  }

  private acquire(location: string): OpenArchive {
    let archive = this.open.get(location);
    if (archive) {
      this.open.delete(location);
    } else {
      const connection = new BetterSqlite3(path.join(this.settings.directory, location), { readonly: true, fileMustExist: true, timeout: 5_000 });
      archive = { connection, statements: new Map(), users: 0, forgotten: false };
    }
    this.open.set(location, archive);
    archive.users += 1;
    this.trim();
    return archive;
  }

  private trim(): void {
    for (const [location, archive] of this.open) {
      if (this.open.size <= this.settings.maxOpen) return;
      if (archive.users > 0) continue;
      this.open.delete(location);
      archive.connection.close();
    }
  }

  private run(archive: OpenArchive, query: Prisma.Sql): SqlRow[] {
    this.listener?.(query.sql);
    let statement = archive.statements.get(query.sql);
    if (!statement) {
      if (archive.statements.size >= STATEMENTS_PER_ARCHIVE) archive.statements.clear();
      statement = archive.connection.prepare(query.sql);
      archive.statements.set(query.sql, statement);
    }
    return statement.all(...query.values.map(sqliteValue)) as SqlRow[];
  }
}
