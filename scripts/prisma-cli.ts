// Runs the Prisma CLI offline (wasm engine through the adapter in prisma.config.ts).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export type Provider = 'sqlite' | 'postgresql';

export const root = path.resolve(__dirname, '..');
const prismaBin = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');

export function runPrisma(provider: Provider, databaseUrl: string, args: string[], okStatuses = [0]): { status: number; stdout: string } {
  const result = spawnSync(process.execPath, [prismaBin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PRISMA_SCHEMA_PROVIDER: provider, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  const status = result.status ?? 1;
  if (!okStatuses.includes(status)) {
    throw new Error(`prisma ${args.join(' ')} failed (${status}):\n${result.stdout}\n${result.stderr}`);
  }
  return { status, stdout: result.stdout };
}

/** The datamodel of a live SQLite database, introspected. */
export function pullSqliteDatamodel(databaseUrl: string): string {
  const { stdout } = runPrisma('sqlite', databaseUrl, ['db', 'pull', '--print']);
  // The CLI prints a warning about the datasource url before the schema; keep only the schema.
  const start = stdout.search(/^generator /m);
  if (start < 0) throw new Error(`prisma db pull printed no schema:\n${stdout}`);
  return stdout.slice(start);
}

export function diffScript(provider: Provider, databaseUrl: string, from: string | null, to: string): string {
  const fromArgs = from === null ? ['--from-empty'] : ['--from-schema-datamodel', from];
  return runPrisma(provider, databaseUrl, ['migrate', 'diff', ...fromArgs, '--to-schema-datamodel', to, '--script']).stdout;
}

export function isEmptyMigration(sql: string): boolean {
  return sql.includes('-- This is an empty migration.');
}
