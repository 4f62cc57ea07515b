import { startApp } from './start-app.ts';
import { loginLinkUrl } from '../auth/login-link.ts';
import { loadConfig } from '../config.ts';
import { ConfigError } from '../domain/errors.ts';
import { openLog } from '../logger.ts';

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
  const { logger, print } = openLog(config);
  const app = await startApp(config, logger);
  // As before listening first: a database failing during recovery ends the process.
  app.recovered.catch((error: unknown) => {
    logger.error({ err: error }, 'engine.recovery_failed');
    process.exit(1);
  });
  const publicUrl = (config.publicUrl ?? app.url).replace(/\/$/, '');
  if (app.firstStart) {
    logger.info({ tokenFile: app.firstStart.tokenFile }, 'bootstrap.admin_created');
    const link = await app.services.auth.createLoginLink(app.firstStart.adminUserId);
    // Plain text beside the JSON log: it is meant for the person who just started the server.
    print(
      `\n  Runtrail is ready. Sign in as admin with this one-click URL (it works once, until ${link.expiresAt.toISOString()}):\n\n` +
        `    ${loginLinkUrl(publicUrl, link.secret)}\n\n` +
        `  Set a password with \`runtrail user password admin\`, or make another link with \`runtrail user login-link admin\`.\n` +
        `  The admin API token is in ${app.firstStart.tokenFile}\n\n`,
    );
  }
  logger.info({ url: publicUrl, graphql: `${publicUrl}/graphql`, database: config.database.provider, role: config.role }, 'server.listening');
  if (app.metricsPort !== null) logger.info({ url: `http://${config.metrics.host}:${app.metricsPort}/metrics`, token: config.metrics.token !== null }, 'metrics.listening');

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'server.stopping');
    // The whole budget: what has not finished by then is left to the next start's recovery.
    const forced = setTimeout(() => {
      logger.error('server.shutdown_timeout');
      process.exit(1);
    }, config.shutdownGraceMs);
    forced.unref();
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
