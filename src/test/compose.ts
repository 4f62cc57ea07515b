import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { alertDispatchSettings, composeServices, type Services } from '../composition.ts';
import type { DispatchSettings } from '../services/alerts/alert-dispatcher.service.ts';
import type { SecretKey } from '../services/alerts/secret-box.ts';
import type { ArchiveConfig, EngineConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { RetentionPolicy } from '../domain/retention/retention-policy.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import { InProcessRunEventBus } from '../events/run-event-bus.ts';

/** Steps see only PATH of the test's environment; their run directories share one root (named by run id). */
export const TEST_ENGINE: EngineConfig = {
  maxActiveRuns: 8,
  concurrency: 8,
  leaseMs: 30_000,
  executorName: null,
  labels: {},
  drainMs: 0,
  handBackOnStop: false,
  maxParallelSteps: 8,
  maxParallelStepsPerRun: 4,
  stepLogMaxBytes: 64 * 1024,
  stepLogFlushMs: 50,
  killGraceMs: 500,
  workDir: path.join(os.tmpdir(), 'runtrail-test-work'),
  keepWorkDirs: false,
  workflowsDir: path.join(os.tmpdir(), 'runtrail-test-workflows'),
  stepEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  stepUser: null,
};

/** Every service over a test database, with an in-process bus and a temporary DATA_DIR. */
export const TEST_HISTORY = { snapshotHorizonMs: 60 * 60 * 1000, answerCacheBytes: 8 * 1024 * 1024, subscriptionBuffer: 1_000, replayMaxEvents: 100_000, countsIntervalMs: 50 };

/** No rate limits (tests that need one set it), and a short pause after a failed login. */
export const TEST_ACCESS = {
  sessionTtlMs: 60 * 60 * 1000,
  loginLinkTtlMs: 60 * 60 * 1000,
  requestsPerTokenPerMinute: 0,
  loginsPerAddressPerMinute: 0,
  failedLoginDelayMs: 10,
  secureCookies: false,
};

/** As in production: a test of the limit sets its own. */
export const TEST_WORKFLOW_MAX_BYTES = 256 * 1024;

/** Nothing moves on a schedule (a test moves runs with archiveNow); small batches, so a test's history moves in several. */
export const TEST_ARCHIVE: ArchiveConfig = { interval: 'month', everyMs: 0, batchRuns: 100, openMax: 4, reclaimPages: 256, exportExpired: true };

/** The key of contact point secrets in tests (a fixed one: a test of the key sets its own). */
export const TEST_ALERT_SECRET_KEY: SecretKey = { key: Buffer.alloc(32, 42), source: 'ALERT_SECRET_KEY' };

export function composeTestServices(
  database: Database,
  options: {
    clock?: Clock;
    bus?: InProcessRunEventBus;
    expectedMigrations?: string[];
    history?: Partial<typeof TEST_HISTORY>;
    engine?: Partial<EngineConfig>;
    dataDir?: string;
    workflowMaxBytes?: number;
    retention?: RetentionPolicy;
    archive?: Partial<ArchiveConfig>;
    alertSecretKey?: SecretKey | null;
    alertDispatch?: Partial<DispatchSettings>;
  } = {},
): Services {
  return composeServices({
    db: database.db,
    reader: database.reader,
    writer: database.writer,
    logConnection: database.logs,
    clock: options.clock ?? systemClock,
    bus: options.bus ?? new InProcessRunEventBus(),
    logger: pino({ level: 'silent' }),
    dataDir: options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'runtrail-data-')),
    engine: { ...TEST_ENGINE, ...options.engine },
    history: { ...TEST_HISTORY, ...options.history },
    access: TEST_ACCESS,
    workflowMaxBytes: options.workflowMaxBytes ?? TEST_WORKFLOW_MAX_BYTES,
    expectedMigrations: options.expectedMigrations ?? [],
    retention: options.retention,
    archive: { ...TEST_ARCHIVE, ...options.archive },
    alertSecretKey: options.alertSecretKey === undefined ? TEST_ALERT_SECRET_KEY : options.alertSecretKey,
    alertDispatch: { ...alertDispatchSettings(options.engine?.leaseMs ?? TEST_ENGINE.leaseMs), ...options.alertDispatch },
    alertAllowPrivateTargets: true,
  });
}
