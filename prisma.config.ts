import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';

// The Prisma CLI runs on its bundled wasm schema engine through a driver adapter, because
// the native engine binary cannot be downloaded on our machines. PRISMA_SCHEMA_PROVIDER
// selects which of the two kept-in-step schemas the CLI works on.
const provider = process.env.PRISMA_SCHEMA_PROVIDER === 'postgresql' ? 'postgresql' : 'sqlite';
const databaseUrl = process.env.DATABASE_URL ?? 'file:./data/runtrail.db';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: provider === 'postgresql' ? path.join('prisma', 'postgres', 'schema.prisma') : path.join('prisma', 'schema.prisma'),
  migrations: {
    path: provider === 'postgresql' ? path.join('prisma', 'postgres', 'migrations') : path.join('prisma', 'migrations'),
  },
  async adapter() {
    return provider === 'postgresql'
      ? new PrismaPg({ connectionString: databaseUrl })
      : new PrismaBetterSQLite3({ url: databaseUrl });
  },
});
