/**
 * Errors that say the connection broke, not that the statement was wrong: PostgreSQL's
 * connection-exception class (08…) and its shutdown codes (57P01-57P03, what
 * pg_terminate_backend and a restart send), a socket the operating system closed, and node-pg's
 * and Prisma's words for a client whose connection is gone. Such a statement may be retried on
 * a new connection; any other error is the statement's own.
 */
const SHUTDOWN_CODES: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03']);
const SOCKET_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN']);
// Prisma's codes: P1001 cannot reach the server, P1002 timed out, P1017 the server closed the connection.
const PRISMA_CODES: ReadonlySet<string> = new Set(['P1001', 'P1002', 'P1017']);
const MESSAGES = [
  'Connection terminated',
  'connection error and is not queryable',
  'terminating connection',
  'Client was closed and is not queryable',
  'server closed the connection',
  'connection is closed',
];
const MAX_CAUSE_DEPTH = 5;

export function isConnectionError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth += 1) {
    const code = 'code' in current && typeof current.code === 'string' ? current.code : null;
    if (code !== null && (code.startsWith('08') || SHUTDOWN_CODES.has(code) || SOCKET_CODES.has(code) || PRISMA_CODES.has(code))) return true;
    if (MESSAGES.some((text) => current instanceof Error && current.message.includes(text))) return true;
    current = current.cause;
  }
  return false;
}

/** Pauses between attempts of a write whose connection broke: a new connection is usually there at once, a restarting server takes seconds. */
export const RECONNECT_DELAYS_MS: readonly number[] = [50, 200, 500, 1_000, 2_000, 4_000];

/**
 * Runs `work` again on a connection error, after each of `delays`; any other error, or the last
 * connection error, is thrown. Only for work that is safe to repeat: a read, or a transaction
 * that either committed whole or not at all and that checks its own preconditions.
 */
export async function retryOnConnectionError<T>(work: (attempt: number) => Promise<T>, delays: readonly number[], onRetry?: (error: unknown) => void): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work(attempt);
    } catch (error) {
      const delay = delays[attempt];
      if (delay === undefined || !isConnectionError(error)) throw error;
      onRetry?.(error);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
