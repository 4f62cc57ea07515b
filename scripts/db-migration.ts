// `npm run db:migration -- <name>`: writes the next migration for BOTH providers, offline.
// The SQLite state of the existing migrations is built in a temporary database and
// introspected; the PostgreSQL "before" datamodel is the same model with the provider swapped
// (the wasm engine cannot introspect PostgreSQL here).
// `npm run db:migration -- <name> --partitioning` writes prisma/postgres/partitioning.sql as the
// PostgreSQL migration instead, and a no-op for SQLite (both folders hold the same names).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { migrate, migrationsDirectory, readMigrationFiles } from '../src/db/migrator';
import { createTempSqlite, POSTGRES_ADMIN_URL } from '../src/test/temp-database';
import { diffScript, isEmptyMigration, pullSqliteDatamodel, root } from './prisma-cli';
import { postgresPartitioningFile, postgresSchemaFrom, schemaFiles, SQLITE_PARTITIONING_NOOP } from './schema-sources';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error('Usage: npm run db:migration -- <name>   (name: lowercase letters, digits, underscores)');
    process.exit(2);
  }
  writeFileSync(schemaFiles.postgresql, postgresSchemaFrom(readFileSync(schemaFiles.sqlite, 'utf8')));
  if (process.argv.includes('--partitioning')) {
    writeMigrations(name, SQLITE_PARTITIONING_NOOP, readFileSync(postgresPartitioningFile, 'utf8'));
    return;
  }

  const sqliteMigrations = readMigrationFiles(migrationsDirectory('sqlite'));
  const temp = createTempSqlite('migration');
  let sqliteSql: string;
  let postgresSql: string;
  try {
    let beforeSqlite: string | null = null;
    let beforePostgres: string | null = null;
    if (sqliteMigrations.length > 0) {
      await migrate(temp.config, sqliteMigrations);
      const pulled = pullSqliteDatamodel(temp.config.url);
      beforeSqlite = path.join(path.dirname(temp.config.url.replace('file:', '')), 'before.prisma');
      beforePostgres = path.join(path.dirname(beforeSqlite), 'before.postgres.prisma');
      writeFileSync(beforeSqlite, pulled);
      writeFileSync(beforePostgres, postgresSchemaFrom(pulled));
    }
    sqliteSql = diffScript('sqlite', temp.config.url, beforeSqlite, schemaFiles.sqlite);
    postgresSql = diffScript('postgresql', POSTGRES_ADMIN_URL, beforePostgres, schemaFiles.postgresql);
  } finally {
    await temp.drop();
  }

  if (isEmptyMigration(sqliteSql) && isEmptyMigration(postgresSql)) {
    console.log('The schema matches the migrations: nothing to write.');
    return;
  }
  writeMigrations(name, sqliteSql, postgresSql);
}

function writeMigrations(name: string, sqliteSql: string, postgresSql: string): void {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  for (const [provider, sql] of [['sqlite', sqliteSql], ['postgresql', postgresSql]] as const) {
    const directory = path.join(migrationsDirectory(provider), `${stamp}_${name}`);
    mkdirSync(directory, { recursive: true });
    writeFileSync(path.join(directory, 'migration.sql'), sql);
    writeFileSync(path.join(migrationsDirectory(provider), 'migration_lock.toml'), `provider = "${provider}"\n`);
    console.log(`Wrote ${path.relative(root, directory)}/migration.sql`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
