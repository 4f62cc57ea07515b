// `npm run db:check` (CI): fails when the PostgreSQL schema, or either provider's migrations,
// drift from prisma/schema.prisma.
import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { migrate, migrationsDirectory, readMigrationFiles } from '../src/db/migrator';
import { createTempPostgres, createTempSqlite } from '../src/test/temp-database';
import { diffScript, isEmptyMigration, pullSqliteDatamodel } from './prisma-cli';
import { postgresPartitioningFile, postgresSchemaFrom, schemaFiles } from './schema-sources';

// Everything that a migration decides in PostgreSQL, independent of column order.
const CATALOG_QUERY = `
  SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS item
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
  UNION ALL
  SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
  UNION ALL
  SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid <> '"_prisma_migrations"'::regclass
  UNION ALL
  SELECT 'partitioned ' || c.oid::regclass || ' ' || pg_get_partkeydef(c.oid)
    FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'p'
  UNION ALL
  SELECT 'partition ' || i.inhparent::regclass || ' ' || c.oid::regclass || ' ' || pg_get_expr(c.relpartbound, c.oid)
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relnamespace = 'public'::regnamespace AND c.relispartition AND c.relkind IN ('r', 'p')
  ORDER BY 1`;

async function catalog(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ item: string }>(CATALOG_QUERY)).rows.map((row) => row.item);
  } finally {
    await client.end();
  }
}

async function checkSqlite(): Promise<string | null> {
  const temp = createTempSqlite('check');
  try {
    await migrate(temp.config);
    const pulledPath = temp.config.url.replace('file:', '') + '.prisma';
    writeFileSync(pulledPath, pullSqliteDatamodel(temp.config.url));
    const sql = diffScript('sqlite', temp.config.url, pulledPath, schemaFiles.sqlite);
    return isEmptyMigration(sql) ? null : `SQLite migrations lag behind prisma/schema.prisma:\n${sql}`;
  } finally {
    await temp.drop();
  }
}

async function checkPostgres(): Promise<string | null> {
  const migrated = await createTempPostgres('check_migrated');
  const pushed = await createTempPostgres('check_pushed');
  try {
    await migrate(migrated.config);
    const fromSchema = diffScript('postgresql', pushed.config.url, null, schemaFiles.postgresql);
    const partitioning = readFileSync(postgresPartitioningFile, 'utf8');
    await migrate(pushed.config, [
      { name: 'schema', sql: fromSchema, checksum: '' },
      { name: 'partitioning', sql: partitioning, checksum: '' },
    ]);
    const [actual, expected] = await Promise.all([catalog(migrated.config.url), catalog(pushed.config.url)]);
    const missing = expected.filter((item) => !actual.includes(item));
    const extra = actual.filter((item) => !expected.includes(item));
    if (missing.length === 0 && extra.length === 0) return null;
    return [
      'PostgreSQL migrations differ from prisma/postgres/schema.prisma with prisma/postgres/partitioning.sql applied:',
      ...missing.map((item) => `  missing: ${item}`),
      ...extra.map((item) => `  extra:   ${item}`),
    ].join('\n');
  } finally {
    await Promise.all([migrated.drop(), pushed.drop()]);
  }
}

async function main(): Promise<void> {
  const problems: string[] = [];
  if (readFileSync(schemaFiles.postgresql, 'utf8') !== postgresSchemaFrom(readFileSync(schemaFiles.sqlite, 'utf8'))) {
    problems.push('prisma/postgres/schema.prisma is stale: run `npm run db:sync`.');
  }
  const sqliteNames = readMigrationFiles(migrationsDirectory('sqlite')).map((file) => file.name);
  const postgresNames = readMigrationFiles(migrationsDirectory('postgresql')).map((file) => file.name);
  if (sqliteNames.join() !== postgresNames.join()) {
    problems.push(`The two migration folders hold different migrations:\n  sqlite:     ${sqliteNames.join(', ')}\n  postgresql: ${postgresNames.join(', ')}`);
  }
  const partitioning = readFileSync(postgresPartitioningFile, 'utf8');
  if (!readMigrationFiles(migrationsDirectory('postgresql')).some((file) => file.sql === partitioning)) {
    problems.push('No PostgreSQL migration holds prisma/postgres/partitioning.sql as it is: run `npm run db:migration -- <name> --partitioning`.');
  }
  for (const problem of [await checkSqlite(), await checkPostgres()]) {
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) {
    console.error(`${problems.join('\n\n')}\n\nFix: edit prisma/schema.prisma (and prisma/postgres/partitioning.sql for the partitions) only, then run \`npm run db:migration -- <name>\` (with --partitioning for the partitions).`);
    process.exit(1);
  }
  console.log(`Schemas and migrations are in step (${sqliteNames.length} migrations, SQLite and PostgreSQL).`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
