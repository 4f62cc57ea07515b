import pino from 'pino';
import { openDatabase, type Database } from '../db/client.ts';
import { migrate } from '../db/migrator.ts';
import type { DbProvider } from '../db/provider.ts';
import type { PostgresWriteConnection } from '../db/write-connection.ts';
import { createTempDatabase, type TempDatabase } from './temp-database.ts';

export const PROVIDERS: readonly DbProvider[] = ['sqlite', 'postgresql'];

/**
 * A freshly migrated database of the given provider for one test file: SQLite in a temp
 * directory, PostgreSQL as a new database on the local server, dropped afterwards.
 */
export function useMigratedDatabase(provider: DbProvider): () => Database {
  let temp: TempDatabase | undefined;
  let database: Database | undefined;
  beforeAll(async () => {
    temp = await createTempDatabase(provider);
    await migrate(temp.config);
    database = await openDatabase(temp.config, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await database?.close();
    await temp?.drop();
  });
  return () => {
    if (!database) throw new Error('The database is opened in beforeAll; use it inside tests only');
    return database;
  };
}

/** The history writer's connection of a PostgreSQL test database. */
export function postgresWriter(database: Database): PostgresWriteConnection {
  if (database.writer.provider !== 'postgresql') throw new Error('a PostgreSQL database was asked for');
  return database.writer;
}
