import type { Logger } from 'pino';
import { composeServices, type Services } from './composition.ts';
import type { AppConfig } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import type { HistoryReader } from './db/history-reader.ts';
import { databaseInstanceId } from './db/instance-id.ts';
import { openRedis } from './db/redis-connection.ts';
import { migrate, migrationsDirectory, readMigrationFiles } from './db/migrator.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import { InProcessRunEventBus, type RunEventBus } from './events/run-event-bus.ts';
import { RedisRunEventBus } from './events/redis-run-event-bus.ts';
import { RedisStepLogSignals } from './events/redis-step-log-signals.ts';
import type { StepLogSignals } from './events/step-log-signals.ts';
import type { AnswerStore } from './services/answer-cache.ts';
import { RedisAnswerStore } from './services/redis-answer-store.ts';
import type { AccessChanges } from './auth/access-changes.ts';
import { RedisAccessChanges } from './auth/redis-access-changes.ts';
import type { SharedCounters } from './auth/rate-limits.ts';
import type { FirstStart } from './services/bootstrap.service.ts';
import { alertSecretKeyOf } from './services/alerts/alert-secret-key-file.ts';
import { MetricsRegistry } from './services/metrics/metrics-registry.ts';

// Operation names kept as labels of runtrail_graphql_operation_duration_seconds; the UI's own operations number a few dozen.
const METRICS_MAX_OPERATION_NAMES = 200;

export interface Runtime {
  database: Database;
  services: Services;
  firstStart: FirstStart | null;
  /** What /metrics serves, fed by the services of this runtime. */
  metrics: MetricsRegistry;
}

/** The database migrated and opened, every service composed, and a new instance set up: what the server and the CLI share. */
export async function openRuntime(config: AppConfig, logger: Logger, clock: Clock = systemClock): Promise<Runtime> {
  const migrationFiles = readMigrationFiles(migrationsDirectory(config.database.provider));
  const applied = await migrate(config.database, migrationFiles);
  if (applied.length > 0) logger.info({ migrations: applied }, 'db.migrated');
  const database = await openDatabase(config.database, logger, config.historyReads);
  const shared = await openSharedState(config, database.reader, logger);
  const metrics = new MetricsRegistry({ role: config.role, maxOperationNames: METRICS_MAX_OPERATION_NAMES });
  const services = composeServices({
    db: database.db,
    reader: database.reader,
    writer: database.writer,
    logConnection: database.logs,
    queueSignals: database.queueSignals,
    clock,
    ...shared,
    logger,
    dataDir: config.dataDir,
    engine: config.engine,
    history: config.history,
    access: config.access,
    workflowMaxBytes: config.workflowMaxBytes,
    expectedMigrations: migrationFiles.map((file) => file.name),
    retention: config.retention,
    archive: config.archive,
    publicUrl: config.publicUrl,
    alertSecretKey: alertSecretKeyOf({ configured: config.alertSecretKey, provider: config.database.provider, dataDir: config.dataDir }),
    alertAllowPrivateTargets: config.alertAllowPrivateTargets,
    metrics,
  });
  // Like the migrations, before this process writes a run: on PostgreSQL, the partitions the runs
  // of now go to, whether or not a leader has made them yet (none may run, or not yet).
  await services.partitions?.ensureAhead(clock.now()).catch((error: unknown) => logger.error({ err: error }, 'partitions.round_failed'));
  if (shared.bus instanceof RedisRunEventBus) shared.bus.onReconnect(() => void services.feed.catchUp());
  const firstStart = await services.bootstrap.ensureFirstStart(config.dataDir);
  // Made at first start, and read once here rather than by the first request that pages.
  await services.cursorKeys.get();
  return { database, services, firstStart, metrics };
}

/**
 * The one way a runtime ends, for the server and the CLI alike: the leader lease is let go, the scheduler, the archival and alert delivery duties and the engine
 * stop (runs still active are stopped with `stopMessage`, or wait for the next start's
 * recovery), the event feed stops, then the Redis connections (if any) and the database close.
 */
export async function closeRuntime({ database, services }: Runtime, stopMessage: string): Promise<void> {
  await services.leader.stop(null);
  await services.scheduler.stop();
  await services.archiveJob.stop();
  await services.partitionJob?.stop();
  await services.alertJob.stop();
  await services.insightJob.stop();
  await services.alertDispatch.stop();
  await services.reportJob.stop();
  await services.engine.stop(stopMessage);
  await services.feed.stop();
  services.alertEvents.stop();
  services.anomalyEvents.stop();
  await services.bus.close();
  await services.answers.close();
  await services.accessChanges.close();
  await services.logSignals.close();
  await services.limits.close();
  await services.archiveStore.close();
  await database.close();
}

type SharedState = { bus: RunEventBus; answerStore?: AnswerStore; accessChanges?: AccessChanges; logSignals?: StepLogSignals; sharedCounters?: SharedCounters };

/**
 * What the processes of one database share. Without Redis each process keeps its own (the
 * defaults of composeServices). With Redis every process streams every event, shares the
 * history answer cache, hears each revocation (and closes the affected sockets) at once, wakes
 * the followers of a step log whichever process ships it, and counts login attempts and failures together; the database's instance id keeps another
 * database on the same Redis apart.
 */
async function openSharedState(config: AppConfig, reader: HistoryReader, logger: Logger): Promise<SharedState> {
  if (config.redisUrl === null) return { bus: new InProcessRunEventBus() };
  const url = config.redisUrl;
  const namespace = await databaseInstanceId(reader);
  const bus = new RedisRunEventBus({ url, namespace, logger });
  await bus.connect();
  logger.info({ redis: url.replace(/\/\/[^@]*@/, '//***@') }, 'events.redis');
  let answerStore: RedisAnswerStore | undefined;
  if (config.history.answerCacheBytes !== 0) {
    answerStore = new RedisAnswerStore({ url, namespace, ttlSeconds: Math.ceil(config.history.snapshotHorizonMs / 1000), logger });
    await answerStore.connect();
  }
  const accessChanges = new RedisAccessChanges({ url, namespace, logger });
  await accessChanges.connect();
  const logSignals = new RedisStepLogSignals({ url, namespace, logger });
  await logSignals.connect();
  const counters = openRedis(url, 'rate-limits', logger, { maxRetriesPerRequest: 1 });
  await counters.connect();
  return { bus, answerStore, accessChanges, logSignals, sharedCounters: { redis: counters, namespace } };
}
