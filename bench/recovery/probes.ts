// The newest page of 50 runs (what the UI's runs list shows first) through GraphQL, and the same
// page by plain SQL straight on the database; both in one canonical text, so answers compare.
import Database from 'better-sqlite3';
import pg from 'pg';
import { BenchFailure } from '../shared/bench-failure.ts';
import type { RecoveryDatabase } from './options.ts';

export const PAGE_SIZE = 50;

const PAGE_QUERY = `query RecoveryBenchPage($first: Int!) {
  runs(first: $first) { edges { node { id status } } pageInfo { hasNextPage } }
}`;

const PAGE_SQL = `SELECT id, status FROM "Run" ORDER BY "createdAt" DESC, id DESC LIMIT ${PAGE_SIZE + 1}`;

interface PageRow {
  id: string;
  status: string;
}

export function pageText(rows: readonly PageRow[], hasNextPage: boolean): string {
  return `${rows.map((row) => `${row.id}:${row.status}`).join(' ')} ${hasNextPage ? '(more)' : '(last page)'}`;
}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string }[];
}

export class Api {
  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphQLBody<T>;
    if (!body.data || body.errors) throw new BenchFailure(`GraphQL answered ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
    return body.data;
  }

  async page(): Promise<string> {
    const { runs } = await this.request<{ runs: { edges: { node: PageRow }[]; pageInfo: { hasNextPage: boolean } } }>(PAGE_QUERY, { first: PAGE_SIZE });
    return pageText(
      runs.edges.map((edge) => edge.node),
      runs.pageInfo.hasNextPage,
    );
  }

  /** Recovery's progress while it works, null once the server is ready. */
  async readiness(): Promise<{ settled: number; total: number } | null> {
    const response = await fetch(`${this.url}/readyz`);
    const body = (await response.json()) as { status: string; reason?: string; settled?: number; total?: number };
    if (response.status === 200) return null;
    if (body.reason !== 'recovering') throw new BenchFailure(`/readyz: ${JSON.stringify(body)}`);
    return { settled: body.settled ?? 0, total: body.total ?? 0 };
  }
}

/** Plain SQL on the database, beside the server: the floor's page, and the checks' queries. */
export interface RawDatabase {
  page(): Promise<string>;
  rows<T>(sql: string, values?: readonly unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function openRaw(database: RecoveryDatabase, url: string): Promise<RawDatabase> {
  if (database === 'sqlite') {
    // Read-only, with default pragmas: the footing of the server's own history reader.
    const sqlite = new Database(url.replace(/^file:/, ''), { readonly: true, fileMustExist: true });
    const rows = <T>(sql: string, values: readonly unknown[] = []) => Promise.resolve(sqlite.prepare(sql.replace(/\$\d+/g, '?')).all(...values) as T[]);
    return {
      rows,
      page: async () => pageOf(await rows<PageRow>(PAGE_SQL)),
      close: async () => void sqlite.close(),
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const rows = async <T>(sql: string, values: readonly unknown[] = []) => (await client.query(sql, [...values])).rows as T[];
  return {
    rows,
    page: async () => pageOf(await rows<PageRow>(PAGE_SQL)),
    close: () => client.end(),
  };
}

function pageOf(rows: readonly PageRow[]): string {
  return pageText(rows.slice(0, PAGE_SIZE), rows.length > PAGE_SIZE);
}

/** Milliseconds of each call of `probe`, one at a time, `iterations` of them after `warmup`. */
export async function timeCalls(probe: () => Promise<unknown>, iterations: number, warmup = 20): Promise<number[]> {
  for (let index = 0; index < warmup; index += 1) await probe();
  const samples: number[] = [];
  for (let index = 0; index < iterations; index += 1) {
    const started = performance.now();
    await probe();
    samples.push(performance.now() - started);
  }
  return samples;
}
