import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import express from 'express';
import { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import type { Services } from '../composition.ts';
import type { Database } from '../db/client.ts';
import { closeRuntime, openRuntime } from '../runtime.ts';
import type { AppConfig } from '../config.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import { createErrorFormatter } from '../graphql/format-error.ts';
import { depthLimitRule, operationLimitsPlugin } from '../graphql/query-limits.ts';
import { buildRuntrailSchema } from '../graphql/schema.ts';
import type { FirstStart } from '../services/bootstrap.service.ts';
import { unauthenticatedError } from './authenticate.ts';
import { anonymousGuardPlugin } from '../graphql/anonymous-guard.ts';
import { sessionCookies } from './session-cookies.ts';
import { httpContext } from './http-context.ts';
import { loginLinkRoute } from './login-link-route.ts';
import { serveGraphQLOverWebSocket } from './graphql-ws.ts';
import { healthRoutes } from './health-routes.ts';
import { reportRoutes } from './report-routes.ts';
import { NEXT_DIST_DIR, prepareNextUi, type NextUi } from './next-ui.ts';
import { nextStaticAssets } from './next-static.ts';
import { loadDefaultProjectWorkflows } from '../engine/workflow-directory.ts';
import { operationMetricsPlugin } from '../graphql/operation-metrics.ts';
import { METRICS_PATH, metricsOnMainPort, requestTiming, startMetricsListener } from './metrics-routes.ts';

export const GRAPHQL_PATH = '/graphql';

export interface RunningApp {
  url: string;
  port: number;
  services: Services;
  /** Closed by `close`; open for seeding and inspection meanwhile. */
  database: Database;
  firstStart: FirstStart | null;
  /** The port of the METRICS_PORT listener; null when /metrics is served on `port` (or off). */
  metricsPort: number | null;
  /**
   * Settles when start-up recovery has ended (at once when this process runs nothing); the
   * server listens and serves reads meanwhile, and queued runs start after it.
   */
  recovered: Promise<void>;
  /** Stops accepting, closes WebSockets (1001), lets in-flight requests finish, closes the database. */
  close(): Promise<void>;
}

export async function startApp(config: AppConfig, logger: Logger, clock: Clock = systemClock): Promise<RunningApp> {
  const runtime = await openRuntime(config, logger, clock);
  const { database, services, firstStart, metrics } = runtime;
  const workflowWatcher = await loadDefaultProjectWorkflows(
    { directory: config.workflowsDir, withExamples: firstStart !== null && config.loadExamples },
    { bootstrap: services.bootstrap, workflows: services.workflows, logger },
  );

  const schema = await buildRuntrailSchema();
  const formatError = createErrorFormatter(logger);
  const expressApp = express();
  expressApp.disable('x-powered-by');
  const httpServer = http.createServer(expressApp);
  // ws refuses a larger frame from its header (close 1009), before reading it or any authentication.
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.queryLimits.requestMaxBytes });
  const wsServer = serveGraphQLOverWebSocket(wss, {
    schema,
    limits: config.queryLimits,
    tokenRecheckMs: config.tokenRecheckMs,
    connectionInitTimeoutMs: config.wsInitTimeoutMs,
    keepAliveMs: config.wsKeepAliveMs,
    writeWindowMs: config.liveWriteWindowMs,
    publicUrl: config.publicUrl,
    services,
    logger,
    formatError,
    subscriptions: metrics.subscriptions,
  });

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    formatError,
    introspection: true,
    parseOptions: { maxTokens: config.queryLimits.maxTokens },
    validationRules: [depthLimitRule(config.queryLimits.maxDepth)],
    includeStacktraceInErrorResponses: false,
    // A browser's session cookie rides along with cross-site "simple" requests; these are refused.
    csrfPrevention: true,
    stopOnTerminationSignals: false,
    plugins: [
      // Half of the shutdown budget for requests in flight; the rest stops the engine and closes.
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: Math.floor(config.shutdownGraceMs / 2) }),
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of answers here (they carry their own snapshot), and without it no resolver is wrapped per field.
      ApolloServerPluginCacheControlDisabled(),
      // First: a caller without credentials learns nothing more about an operation it may not run.
      anonymousGuardPlugin(() => unauthenticatedError(false)),
      operationLimitsPlugin(schema, config.queryLimits),
      operationMetricsPlugin(metrics),
      { serverWillStart: async () => ({ drainServer: async () => wsServer.dispose() }) },
    ],
  });
  await apollo.start();

  const cookies = sessionCookies(config.access.secureCookies);
  expressApp.use(requestTiming(metrics));
  expressApp.use(healthRoutes(services.health));
  expressApp.get(METRICS_PATH, metricsOnMainPort(metrics, config.metrics));
  expressApp.use(loginLinkRoute(services.auth, cookies));
  if (config.servesApi) {
    expressApp.use(reportRoutes(services));
    expressApp.use(
      GRAPHQL_PATH,
      express.json({ limit: config.queryLimits.requestMaxBytes }),
      expressMiddleware(apollo, {
        context: httpContext({ services, cookies, logger, responseMaxBytes: config.queryLimits.responseMaxBytes }),
      }),
    );
  }

  let ui: NextUi | null = null;
  if (config.ui) {
    ui = await prepareNextUi({ dev: config.dev, hostname: config.host, port: config.port });
    const nextUi = ui;
    // The development server rebuilds its files as they change; only a build's are kept.
    if (!config.dev) expressApp.use(nextStaticAssets(NEXT_DIST_DIR));
    expressApp.all('/{*path}', (request, response) => nextUi.handle(request, response));
  }

  httpServer.on('upgrade', (request, socket, head) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (pathname === GRAPHQL_PATH && config.servesApi) {
      wss.handleUpgrade(request, socket, head, (client) => wss.emit('connection', client, request));
    } else if (ui && config.dev) {
      void ui.handleUpgrade(request, socket, head);
    } else {
      socket.destroy();
    }
  });

  const metricsPort = config.metrics.port;
  const metricsListener = metricsPort === null ? null : await startMetricsListener(metrics, { ...config.metrics, port: metricsPort });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  // Listening first: recovery after a crash can take long, and /healthz, /readyz and reads answer meanwhile.
  const recovered = config.executes ? services.engine.start({ recover: true }) : Promise.resolve();
  // Once recovery has settled the runs a crash left, every step whose log is only a file here has finished.
  if (config.executes) {
    // A failed recovery is reported by whoever waits for `recovered`; the copy is then left for the next start.
    void recovered.then(
      () => services.logImport.importOnce().catch((error: unknown) => logger.error({ err: error }, 'step_log.import_failed')),
      () => undefined,
    );
  }
  // Cron fires, archival runs, partitions are added, alerts are evaluated and delivered, and anomalies detected in whichever executing process holds the leader lease.
  if (config.executes && config.scheduler) {
    const { archiveJob, partitionJob } = services;
    services.leader.start({
      lead: () => {
        services.scheduler.start();
        archiveJob.start();
        partitionJob?.start();
        services.alertJob.start();
        services.alertDispatch.start();
        services.insightJob.start();
        services.reportJob.start();
      },
      stepDown: async () => {
        await services.scheduler.stop();
        await archiveJob.stop();
        await partitionJob?.stop();
        await services.alertJob.stop();
        await services.alertDispatch.stop();
        await services.insightJob.stop();
        await services.reportJob.stop();
      },
    });
  }

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      await apollo.stop();
      await metricsListener?.close();
      wss.close();
      workflowWatcher?.close();
      await ui?.close();
      await closeRuntime(runtime, 'Server stopped');
    })();
    return closing;
  };

  return { url: `http://localhost:${port}`, port, metricsPort: metricsListener?.port ?? null, services, database, firstStart, recovered, close };
}
