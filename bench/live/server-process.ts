// The real server (`node dist/main.js`), API only, streaming what the bench's writer publishes
// on the shared Redis bus.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BenchFailure } from '../history/bench-failure';
import { startBenchServer } from '../shared/local-server';

const READY_TIMEOUT_MS = 2 * 60 * 1000;
const STOP_GRACE_MS = 30 * 1000;

export interface LiveServer {
  url: string;
  pid: number;
  logFile: string;
  adminToken: string;
  stop(): Promise<void>;
}

export interface LiveServerSettings {
  dataDir: string;
  databaseUrl: string;
  redisUrl: string;
  /** Events a subscriber may fall behind before RESYNC: large, so the bench measures delivery, not cut-offs. */
  subscriptionBuffer: number;
}

export async function startLiveServer(settings: LiveServerSettings): Promise<LiveServer> {
  const server = await startBenchServer({
    dataDir: settings.dataDir,
    databaseUrl: settings.databaseUrl,
    logName: 'server.log',
    env: { REDIS_URL: settings.redisUrl, SUBSCRIPTION_BUFFER: String(settings.subscriptionBuffer) },
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  const tokenFile = path.join(settings.dataDir, 'admin-token');
  if (!existsSync(tokenFile)) throw new BenchFailure(`the server started without writing ${tokenFile}: is ${settings.databaseUrl} really new?`);
  return { ...server, adminToken: readFileSync(tokenFile, 'utf8').trim(), stop: () => server.stop(STOP_GRACE_MS) };
}

/** `{ headSnapshot }` over HTTP: the seq a subscriber passes as afterSeq to miss nothing from now on. */
export async function headSnapshot(server: LiveServer): Promise<string> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminToken}` },
    body: JSON.stringify({ query: '{ headSnapshot }' }),
  });
  const body = (await response.json()) as { data?: { headSnapshot?: string }; errors?: unknown[] };
  const head = body.data?.headSnapshot;
  if (head === undefined) throw new BenchFailure(`{ headSnapshot } failed: ${JSON.stringify(body.errors)}`);
  return head;
}
