// The real server with its UI, on the bench dataset. bench:history's server runs API-only;
// this one serves the Next.js production build from .next/.
import { build, startBenchServer } from '../shared/local-server';
import type { Dataset } from '../history/dataset';

const READY_TIMEOUT_MS = 10 * 60 * 1000;
const STOP_GRACE_MS = 60 * 1000;

export interface UiServer {
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

/** The server (dist/) and the UI (.next/), each rebuilt only when its sources changed. */
export function buildServerAndUi(): void {
  build('server and UI');
}

export async function startUiServer(dataset: Dataset): Promise<UiServer> {
  const server = await startBenchServer({
    dataDir: dataset.dataDir,
    databaseUrl: dataset.databaseUrl,
    logName: 'server-ui.log',
    env: { UI: 'true', ANSWER_CACHE_MB: undefined },
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  return { url: server.url, logFile: server.logFile, stop: () => server.stop(STOP_GRACE_MS) };
}
