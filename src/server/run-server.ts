import { startApp } from './start-app.ts';
import { loginLinkUrl } from '../auth/login-link.ts';
import { loadConfig } from '../config.ts';
import { ConfigError } from '../domain/errors.ts';
import { openLog } from '../logger.ts';
import { removeServerPresence, writeServerPresence } from '../services/server-presence.ts';

/**
 * `npm start` / `runtrail start`, `runtrail api`, `runtrail worker`: the server until SIGTERM or
 * SIGINT. `settings` are environment variables the command line set (its flags win over the environment).
 */
export async function runServer(settings: Readonly<Record<string, string>> = {}): Promise<void> {
  let config;
  try {
    config = loadConfig({ ...process.env, ...settings });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // A person at a terminal reads the log, a collector reads the JSON: without LOG_FORMAT, the terminal gets pretty lines.
  const logFormat = (settings.LOG_FORMAT ?? process.env.LOG_FORMAT) === undefined && process.stdout.isTTY ? 'pretty' : config.logFormat;
  const logger = openLog({ ...config, logFormat });
  const app = await startApp(config, logger);
  // As before listening first: a database failing during recovery ends the process.
  app.recovered.catch((error: unknown) => {
    logger.error({ err: error }, 'engine.recovery_failed');
    process.exit(1);
  });
  const publicUrl = (config.publicUrl ?? app.url).replace(/\/$/, '');
  logger.info({ url: publicUrl, graphql: `${publicUrl}/graphql`, database: config.database.provider, role: config.role }, 'server.listening');
  writeServerPresence(config.dataDir, { pid: process.pid, url: publicUrl, role: config.role, startedAt: new Date().toISOString() });
  if (app.firstStart) {
    const { tokenFile, adminUserId } = app.firstStart;
    logger.info({ tokenFile }, 'bootstrap.admin_created');
    const link = await app.services.auth.createLoginLink(adminUserId);
    // Plain text for the person who just started the server, on stderr: stdout stays the log (one
    // JSON object a line for a collector), and the block comes once the start-up lines (recovery
    // included) are written, so that it is not lost between them.
    void app.recovered.then(
      () =>
        process.stderr.write(
          `\n  Runtrail is ready. Sign in as admin with this one-click URL (it works once, until ${link.expiresAt.toISOString()}):\n\n` +
            `    ${loginLinkUrl(publicUrl, link.secret)}\n\n` +
            `  Set a password with \`runtrail user password admin\`, or make another link with \`runtrail user login-link admin\`.\n` +
            `  The admin API token is in ${tokenFile}\n\n`,
        ),
      // A failed recovery ends the process (above); there is no banner to print then.
      () => undefined,
    );
  }
  if (app.metricsPort !== null) logger.info({ url: `http://${config.metrics.host}:${app.metricsPort}/metrics`, token: config.metrics.token !== null }, 'metrics.listening');

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'server.stopping');
    // The whole budget: what has not finished by then is left to the next start's recovery.
    const forced = setTimeout(() => {
      logger.error('server.shutdown_timeout');
      process.exit(1);
    }, config.shutdownGraceMs);
    forced.unref();
    removeServerPresence(config.dataDir, process.pid);
    app.close().then(
      () => {
        logger.info('server.stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'server.shutdown_failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

export function exitOnStartFailure(error: unknown): never {
  process.stderr.write(`Runtrail failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
