// The bench's side of the bare HTTP server (bare-http.process.ts), in a process of its own as
// ours is, so the client here pays the same round trip to another process.
import path from 'node:path';
import { forkListening, stopChild } from '../shared/children.ts';
import type { Exchange } from './api-history.ts';
import type { BareHttpSetup } from './bare-http.process.ts';

const STOP_GRACE_MS = 5_000;

export interface BareHttp {
  url: string;
  stop(): Promise<void>;
}

/**
 * `workDir`: where the server's compiled script goes. With `schemaSdl` the server executes each
 * request with graphql-js over the recorded data; without it, it replays the recorded bytes.
 */
export async function startBareHttp(workDir: string, exchanges: Exchange[], schemaSdl?: string): Promise<BareHttp> {
  const setup: BareHttpSetup = { exchanges, ...(schemaSdl === undefined ? {} : { schemaSdl }) };
  const { child, port } = await forkListening(path.join(__dirname, 'bare-http.process.ts'), workDir, setup);
  return { url: `http://127.0.0.1:${port}`, stop: () => stopChild(child, STOP_GRACE_MS) };
}
