import { readFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { ClientOptionsError, RuntrailError, TransportError, UnauthenticatedError, createClient, type RuntrailClient } from '@runtrail/client';
import type { AppConfig } from '../config.ts';
import { ADMIN_TOKEN_FILE } from '../services/bootstrap.service.ts';
import { runningServer } from '../services/server-presence.ts';
import { systemErrorCode } from '../domain/errors.ts';

/** Exit codes of the commands that talk to a server: the run's outcome, or why nothing could be asked. */
export const EXIT = { ok: 0, runFailed: 1, usage: 2 } as const;

/** A failure the command explains itself: its message is printed as is, and the process exits with `exitCode`. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

export interface Connection {
  client: RuntrailClient;
  url: string;
}

function readToken(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return null;
    throw new CommandError(`Cannot read the token in ${file}: ${(error as Error).message}`);
  }
}

/**
 * The server and token: RUNTRAIL_URL and RUNTRAIL_TOKEN when set, else the server running on this
 * DATA_DIR (its DATA_DIR/server.json) with the first admin token (DATA_DIR/admin-token).
 */
export function connect(env: NodeJS.ProcessEnv, loadConfig: () => AppConfig): Connection {
  let url = env.RUNTRAIL_URL?.trim() || null;
  let token = env.RUNTRAIL_TOKEN?.trim() || null;
  if (!url || !token) {
    const { dataDir } = loadConfig();
    if (!url) {
      const server = runningServer(dataDir);
      if (!server) {
        throw new CommandError(`No Runtrail server runs on DATA_DIR ${dataDir} (no live ${path.join(dataDir, 'server.json')}): start one with \`runtrail server\`, or set RUNTRAIL_URL (and RUNTRAIL_TOKEN) to reach another`);
      }
      if (server.role === 'worker') {
        throw new CommandError(`The process on DATA_DIR ${dataDir} (pid ${server.pid}) is a worker, which serves no API: set RUNTRAIL_URL to the server or \`runtrail api\` process`);
      }
      url = server.url;
    }
    if (!token) {
      token = readToken(path.join(dataDir, ADMIN_TOKEN_FILE));
      if (!token) throw new CommandError(`No token: set RUNTRAIL_TOKEN (an API token of ${url}), or run this on the server's machine with its DATA_DIR (${dataDir} has no ${ADMIN_TOKEN_FILE})`);
    }
  }
  try {
    return { client: createClient({ url, token, webSocketImpl: WebSocket }), url };
  } catch (error) {
    if (error instanceof ClientOptionsError) throw new CommandError(`${error.message} (from RUNTRAIL_URL / RUNTRAIL_TOKEN)`);
    throw error;
  }
}

/** What the person reads when a request fails: the server's reason, and for a connection or a token what to check. */
export function explain(error: unknown, url: string): CommandError {
  if (error instanceof CommandError) return error;
  if (error instanceof UnauthenticatedError) {
    return new CommandError(`${url} refused the token: ${error.message}\nSet RUNTRAIL_TOKEN to a valid API token, or unset it to use DATA_DIR/admin-token on the server's machine.`);
  }
  if (error instanceof TransportError) {
    return new CommandError(`Cannot reach the Runtrail server at ${url}: ${error.message}\nIs it running? Start it with \`runtrail server\`, or set RUNTRAIL_URL to where it runs.`);
  }
  if (error instanceof RuntrailError) return new CommandError(`${error.message} (${error.code})`);
  return new CommandError(error instanceof Error ? error.message : String(error));
}

/** Runs a command against the server and exits with its code, printing why on failure. */
export function againstServer(loadConfig: () => AppConfig, command: (connection: Connection) => Promise<number>): () => Promise<void> {
  return async () => {
    let code: number;
    let connection: Connection | null = null;
    try {
      connection = connect(process.env, loadConfig);
      code = await command(connection);
    } catch (error) {
      const explained = explain(error, connection?.url ?? process.env.RUNTRAIL_URL ?? 'the server');
      console.error(explained.message);
      code = explained.exitCode;
    } finally {
      await connection?.client.dispose();
    }
    process.exit(code);
  };
}
