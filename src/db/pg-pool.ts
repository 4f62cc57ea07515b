import pg from 'pg';
import type { Logger } from 'pino';

/**
 * A node-pg pool whose connections can break without ending the process. node-pg reports a
 * connection the server ends (pg_terminate_backend, a restart, a network cut) as an 'error'
 * event on the client and on the pool, and an 'error' event nobody listens to throws. The pool
 * listens only while a client is idle, and pg-pool's own query() only until the first error, so
 * each client gets a listener of its own for its whole life; the pool drops the broken client
 * and opens a new one for the next statement.
 */
export function openPgPool(config: pg.PoolConfig, label: string, logger: Logger): pg.Pool {
  const pool = new pg.Pool(config);
  const lost = (error: Error) => logger.warn({ err: error, pool: label }, 'db.connection_lost');
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  return pool;
}
