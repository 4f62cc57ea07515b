// Writes prisma/postgres/schema.prisma from prisma/schema.prisma; with --check, only fails
// when the committed file is stale.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { postgresSchemaFrom, schemaFiles } from './schema-sources';

const expected = postgresSchemaFrom(readFileSync(schemaFiles.sqlite, 'utf8'));
const current = existsSync(schemaFiles.postgresql) ? readFileSync(schemaFiles.postgresql, 'utf8') : '';

if (process.argv.includes('--check')) {
  if (current !== expected) {
    console.error('prisma/postgres/schema.prisma is stale: run `npm run db:sync` and commit it.');
    process.exit(1);
  }
  console.log('prisma/postgres/schema.prisma is in step with prisma/schema.prisma');
} else if (current !== expected) {
  mkdirSync(path.dirname(schemaFiles.postgresql), { recursive: true });
  writeFileSync(schemaFiles.postgresql, expected);
  console.log('Wrote prisma/postgres/schema.prisma');
}
