import type { Logger } from 'pino';
import { composeServices, type Services } from './composition.ts';
import type { AppConfig } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { databaseInstanceId } from './db/instance-id.ts';
import { openRedis } from './db/redis-connection.ts';
import { migrate, migrationsDirectory, readMigrationFiles } from './db/migrator.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import { InProcessRunEventBus, type RunEventBus } from './events/run-event-bus.ts';
import { RedisRunEventBus } from './events/redis-run-event-bus.ts';
import type { AnswerStore } from './services/answer-cache.ts';
import { RedisAnswerStore } from './services/redis-answer-store.ts';
import type { AccessChanges } from './auth/access-changes.ts';
import { RedisAccessChanges } from './auth/redis-access-changes.ts';
import type { SharedCounters } from './auth/rate-limits.ts';
import type { FirstStart } from './services/bootstrap.service.ts';

export interface Runtime {
  database: Database;
  services: Services;
  firstStart: FirstStart | null;
}

/** The database migrated and opened, every service composed, and a new instance set up: what the server and the CLI share. */
export async function openRuntime(config: AppConfig, logger: Logger, clock: Clock = systemClock): Promise<Runtime> {
  const migrationFiles = readMigrationFiles(migrationsDirectory(config.database.provider));
  const applied = await migrate(config.database, migrationFiles);
  if (applied.length > 0) logger.info({ migrations: applied }, 'db.migrated');
  const database = await openDatabase(config.database, logger);
  const namespace = config.redisUrl === null ? '' : await databaseInstanceId(database.reader);
  const bus = await openEventBus(config, namespace, logger);
  const answerStore = await openSharedAnswerStore(config, namespace, logger);
  const accessChanges = await openAccessChanges(config, namespace, logger);
  const sharedCounters = await openSharedCounters(config, namespace, logger);
  const services = composeServices({
    db: database.db,
    reader: database.reader,
    writer: database.writer,
    clock,
    bus,
    answerStore,
    accessChanges,
    sharedCounters,
    logger,
    dataDir: config.dataDir,
    engine: config.engine,
    history: config.history,
    access: config.access,
    workflowMaxBytes: config.workflowMaxBytes,
    expectedMigrations: migrationFiles.map((file) => file.name),
  });
  if (bus instanceof RedisRunEventBus) bus.onReconnect(() => void services.feed.catchUp());
  const firstStart = await services.bootstrap.ensureFirstStart(config.dataDir);
  // Made at first start, and read once here rather than by the first request that pages.
  await services.cursorKeys.get();
  return { database, services, firstStart };
}

/** Closes what openRuntime opened: its Redis connections (if any), then the database. */
export async function closeRuntime({ database, services }: Runtime): Promise<void> {
  await services.bus.close();
  await services.answers.close();
  await services.accessChanges.close();
  await services.limits.close();
  await database.close();
}

async function openEventBus(config: AppConfig, namespace: string, logger: Logger): Promise<RunEventBus> {
  if (config.redisUrl === null) return new InProcessRunEventBus();
  const bus = new RedisRunEventBus({ url: config.redisUrl, namespace, logger });
  await bus.connect();
  logger.info({ redis: config.redisUrl.replace(/\/\/[^@]*@/, '//***@') }, 'events.redis');
  return bus;
}

/** With Redis, the history answer cache is shared by every process; without, each keeps its own. */
async function openSharedAnswerStore(config: AppConfig, namespace: string, logger: Logger): Promise<AnswerStore | undefined> {
  if (config.redisUrl === null || config.history.answerCacheBytes === 0) return undefined;
  const store = new RedisAnswerStore({ url: config.redisUrl, namespace, ttlSeconds: Math.ceil(config.history.snapshotHorizonMs / 1000), logger });
  await store.connect();
  return store;
}

/** With Redis, a revocation through any process closes the affected sockets of every process at once. */
async function openAccessChanges(config: AppConfig, namespace: string, logger: Logger): Promise<AccessChanges | undefined> {
  if (config.redisUrl === null) return undefined;
  const changes = new RedisAccessChanges({ url: config.redisUrl, namespace, logger });
  await changes.connect();
  return changes;
}

/** With Redis, login attempts and failures are counted for all processes together. */
async function openSharedCounters(config: AppConfig, namespace: string, logger: Logger): Promise<SharedCounters | undefined> {
  if (config.redisUrl === null) return undefined;
  const redis = openRedis(config.redisUrl, 'rate-limits', logger, { maxRetriesPerRequest: 1 });
  await redis.connect();
  return { redis, namespace };
}
