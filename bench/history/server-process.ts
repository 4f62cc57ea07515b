// The real server on the bench dataset, API only, and what /proc says about its memory.
import { readFileSync, writeFileSync } from 'node:fs';
import { build, startBenchServer, type BenchServer } from '../shared/local-server';
import type { Dataset } from './dataset';

// Recovery after a fresh seed settles every run the seed left RUNNING, one transaction each.
const READY_TIMEOUT_MS = 30 * 60 * 1000;
const STOP_GRACE_MS = 60 * 1000;

export interface ServerProcess {
  url: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

/** `runtrail seed` and the server run the compiled code in dist/. */
export function buildServer(): void {
  build('server');
}

/** The server that answers history, with its answer cache on or off. */
export async function startServer(dataset: Dataset, settings: { label: string; answerCache: boolean }, log: (line: string) => void): Promise<ServerProcess> {
  const server: BenchServer = await startBenchServer({
    dataDir: dataset.dataDir,
    databaseUrl: dataset.databaseUrl,
    logName: `server-${settings.label}.log`,
    env: { ANSWER_CACHE_MB: settings.answerCache ? undefined : '0' },
    readyTimeoutMs: READY_TIMEOUT_MS,
    stillStarting: (seconds) => log(`  still starting after ${seconds}s (recovery settles the runs the seed left RUNNING)`),
  });
  return { ...server, stop: () => server.stop(STOP_GRACE_MS) };
}

/** VmHWM of /proc/<pid>/status in bytes: the most the process ever held resident. Null off Linux. */
export function peakRss(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Resets VmHWM to the current RSS (Linux 4.0+), so a later reading covers only what came after. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
