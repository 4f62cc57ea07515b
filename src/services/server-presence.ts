import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { systemErrorCode } from '../domain/errors.ts';

/**
 * DATA_DIR/server.json: which server process serves this data directory, and where. The CLI on
 * the same machine reads it to reach the server without being told its URL (`runtrail status`),
 * to print sign-in links with the port the server really listens on, and to warn that
 * `runtrail run` would execute beside a running server on the same data.
 */
export const SERVER_PRESENCE_FILE = 'server.json';

export interface ServerPresence {
  pid: number;
  /** The URL the server listens on (or PUBLIC_URL when set), without a trailing slash. */
  url: string;
  role: string;
  startedAt: string;
}

export function writeServerPresence(dataDir: string, presence: ServerPresence): void {
  writeFileSync(path.join(dataDir, SERVER_PRESENCE_FILE), `${JSON.stringify(presence, null, 2)}\n`, { mode: 0o644 });
}

/** Removes the file only when it is this process's: a second server on the same DATA_DIR may have written its own since. */
export function removeServerPresence(dataDir: string, pid: number): void {
  const current = readPresenceFile(dataDir);
  if (current?.pid === pid) rmSync(path.join(dataDir, SERVER_PRESENCE_FILE), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user, which still means a server runs.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPresenceFile(dataDir: string): ServerPresence | null {
  let text: string;
  try {
    text = readFileSync(path.join(dataDir, SERVER_PRESENCE_FILE), 'utf8');
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return null;
    throw error;
  }
  const where = path.join(dataDir, SERVER_PRESENCE_FILE);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${where} is not JSON; delete it if no server runs on this DATA_DIR`);
  }
  if (typeof value !== 'object' || value === null) throw new Error(`${where} is not an object; delete it if no server runs on this DATA_DIR`);
  const { pid, url, role, startedAt } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || typeof url !== 'string' || !/^https?:\/\//.test(url) || typeof role !== 'string' || typeof startedAt !== 'string') {
    throw new Error(`${where} lacks pid, url, role or startedAt; delete it if no server runs on this DATA_DIR`);
  }
  return { pid, url, role, startedAt };
}

/** The server that runs on this DATA_DIR now, or null (no file, or its process has ended: a crash leaves the file behind). */
export function runningServer(dataDir: string): ServerPresence | null {
  const presence = readPresenceFile(dataDir);
  return presence && isAlive(presence.pid) ? presence : null;
}
