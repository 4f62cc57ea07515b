import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startApp, type RunningApp } from '../server/start-app.ts';
import type { AppConfig } from '../config.ts';
import type { QueryLimits } from '../graphql/query-limits.ts';
import type { Database } from '../db/client.ts';
import type { DbProvider, HistoryReadSettings } from '../db/provider.ts';
import { DEFAULT_RETENTION_POLICY } from '../domain/retention/retention-policy.ts';
import { TEST_ACCESS, TEST_ARCHIVE, TEST_ENGINE, TEST_HISTORY, TEST_WORKFLOW_MAX_BYTES } from './compose.ts';
import { createTempDatabase, type TempDatabase } from './temp-database.ts';

export interface TestServer {
  app: RunningApp;
  url: string;
  graphqlUrl: string;
  wsUrl: string;
  dataDir: string;
  adminToken: string;
  /** The server's own database, to seed history and count the statements a request costs; the server closes it. */
  database: Database;
  /** POSTs a GraphQL operation with the given token (the admin's by default). */
  query<T = unknown>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<{ status: number; body: GraphQLBody<T> }>;
  wsClient(token?: string | null, options?: Partial<Parameters<typeof createClient>[0]>): Client;
  stop(): Promise<void>;
}

export interface GraphQLBody<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
}

export const TEST_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxComplexity: 20_000, maxTokens: 5_000, maxListItems: 1_000, requestMaxBytes: 1024 * 1024, responseMaxBytes: 8 * 1024 * 1024 };

const TEST_HISTORY_READS: HistoryReadSettings = { threads: 2, pgPoolSize: 4, queueLimit: 1_000 };

export function testConfig(dataDir: string, database: AppConfig['database']): AppConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    publicUrl: null,
    dataDir,
    database,
    // Every test server reads history on threads, so every history test goes through the pool.
    historyReads: TEST_HISTORY_READS,
    logLevel: 'silent',
    logFormat: 'json',
    logBufferBytes: 1024 * 1024,
    shutdownGraceMs: 2_000,
    ui: false,
    dev: false,
    workflowsDir: path.join(dataDir, 'workflows'),
    workflowMaxBytes: TEST_WORKFLOW_MAX_BYTES,
    loadExamples: false,
    scheduler: false,
    executes: true,
    role: 'all',
    servesApi: true,
    redisUrl: null,
    tokenRecheckMs: 100,
    wsInitTimeoutMs: 10_000,
    wsKeepAliveMs: 12_000,
    liveWriteWindowMs: 20,
    engine: TEST_ENGINE,
    history: TEST_HISTORY,
    access: TEST_ACCESS,
    queryLimits: TEST_QUERY_LIMITS,
    retention: DEFAULT_RETENTION_POLICY,
    archive: TEST_ARCHIVE,
    alertSecretKey: null,
    // The tests' receivers listen on 127.0.0.1; the refusal itself is tested with it off.
    alertAllowPrivateTargets: true,
    metrics: { token: null, port: null, host: '127.0.0.1' },
  };
}

export interface TestServerOptions {
  /** Also serve the Next.js UI from the production build in `.next/` (global setup builds it). */
  ui?: boolean;
  config?: Partial<AppConfig>;
  /** The server's logger (default: silent), for tests of what it logs. */
  logger?: Logger;
}

/** The real server (API only unless `ui`) on an ephemeral port, with a temporary DATA_DIR and database. */
export async function startTestServer(provider: DbProvider = 'sqlite', options: TestServerOptions = {}): Promise<TestServer> {
  // Next loads next.config.ts through its own loader, outside jest's module registry, and then
  // fails on the config object from that other realm ("object is not extensible"). With
  // __NEXT_TEST_MODE=jest it loads the config with `require` instead (next/dist/server/config.js);
  // the variable changes nothing else unless other NEXT_TEST_* / IS_TURBOPACK_TEST flags are set.
  if (options.ui) process.env.__NEXT_TEST_MODE = 'jest';
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-server-'));
  const temp: TempDatabase = await createTempDatabase(provider, 'server');
  const config = { ...testConfig(dataDir, temp.config), ui: options.ui ?? false, ...options.config };
  const app = await startApp(config, options.logger ?? pino({ level: 'silent' }));
  await app.recovered;
  if (!app.firstStart) throw new Error('A new test server must go through its first start');
  const adminToken = app.firstStart.adminToken;
  const graphqlUrl = `${app.url}/graphql`;
  const wsUrl = graphqlUrl.replace(/^http/, 'ws');
  const clients: Client[] = [];
  return {
    app,
    url: app.url,
    graphqlUrl,
    wsUrl,
    dataDir,
    adminToken,
    database: app.database,
    async query(query, variables, token = adminToken) {
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() };
    },
    wsClient(token = adminToken, options = {}) {
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: true,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        ...options,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((client) => client.dispose()));
      await app.close();
      await temp.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
