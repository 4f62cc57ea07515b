import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { DatabaseConfig, HistoryReadSettings } from './db/provider.ts';
import { PARTITION_INTERVALS, type PartitionInterval } from './domain/archive/archive-period.ts';
import { ConfigError } from './domain/errors.ts';
import { parseAlertSecretKey } from './domain/alerts/alert-secret-key.ts';
import { DEFAULT_RETENTION_POLICY, RETENTION_RULES, type RetentionField, type RetentionPolicy } from './domain/retention/retention-policy.ts';
import { LABEL_NAME_PATTERN, LABEL_NAME_RULE, LABEL_VALUE_PATTERN, LABEL_VALUE_RULE, MAX_LABELS } from './domain/workflow/worker-selector.ts';
import type { QueryLimits } from './graphql/query-limits.ts';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

/** A retention setting: a whole number within the field's bounds (see RETENTION_RULES). */
function retentionSetting(field: RetentionField) {
  const rule = RETENTION_RULES[field];
  const error = `must be a whole number of ${rule.unit} from ${rule.min} to ${rule.max}`;
  return z.coerce.number({ error }).int({ error }).min(rule.min, { error }).max(rule.max, { error });
}

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: (SQLite) or postgres:// (PostgreSQL)')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  LOG_BUFFER_BYTES: z.coerce.number().int().min(16 * 1024).default(4 * 1024 * 1024),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  UI: booleanFromEnv.default(true),
  WORKFLOWS_DIR: z.string().min(1).default('./workflows'),
  WORKFLOW_MAX_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),
  LOAD_EXAMPLES: booleanFromEnv.default(true),
  SCHEDULER: z.enum(['on', 'off']).default('on'),
  ENGINE: z.enum(['on', 'off']).default('on'),
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  MAX_ACTIVE_RUNS: z.coerce.number().int().min(1).default(16),
  MAX_PARALLEL_STEPS: z.coerce.number().int().min(1).default(16),
  MAX_PARALLEL_STEPS_PER_RUN: z.coerce.number().int().min(1).default(8),
  STEP_LOG_MAX_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  STEP_LOG_FLUSH_MS: z.coerce.number().int().min(1).max(10_000).default(100),
  KILL_GRACE_MS: z.coerce.number().int().min(0).default(5_000),
  LEASE_SECONDS: z.coerce.number().int().min(2).max(3_600).default(30),
  EXECUTOR_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, dot, dash and underscore, at most 100').optional(),
  EXECUTOR_LABELS: z.string().max(4_096).default(''),
  EXECUTOR_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).optional(),
  WORK_DIR: z.string().min(1).optional(),
  KEEP_WORK_DIRS: booleanFromEnv.default(false),
  STEP_ENV_PASSTHROUGH: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((name) => name.trim()).filter((name) => name !== ''))
    .pipe(z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a comma-separated list of variable names'))),
  STEP_USER: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'must be a user name or a numeric uid').optional(),
  SNAPSHOT_HORIZON_SECONDS: z.coerce.number().int().min(1).default(3_600),
  ANSWER_CACHE_MB: z.coerce.number().min(0).default(64),
  HISTORY_READ_THREADS: z.coerce.number().int().min(0).max(256).default(os.availableParallelism()),
  PG_POOL_SIZE: z.coerce.number().int().min(1).max(1_000).default(Math.max(4, os.availableParallelism())),
  HISTORY_READ_QUEUE: z.coerce.number().int().min(0).default(1_000),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  WS_INIT_TIMEOUT_MS: z.coerce.number().int().min(10).default(10_000),
  WS_KEEP_ALIVE_MS: z.coerce.number().int().min(10).default(12_000),
  TOKEN_RECHECK_MS: z.coerce.number().int().min(10).default(5_000),
  SUBSCRIPTION_BUFFER: z.coerce.number().int().min(1).default(1_000),
  LIVE_WRITE_WINDOW_MS: z.coerce.number().int().min(0).max(1_000).default(20),
  REPLAY_MAX_EVENTS: z.coerce.number().int().min(1).default(100_000),
  STATUS_COUNTS_INTERVAL_MS: z.coerce.number().int().min(0).default(250),
  QUERY_MAX_DEPTH: z.coerce.number().int().min(2).default(12),
  QUERY_MAX_COMPLEXITY: z.coerce.number().int().min(10).default(20_000),
  QUERY_MAX_TOKENS: z.coerce.number().int().min(100).default(5_000),
  LIST_ARGUMENT_MAX_ITEMS: z.coerce.number().int().min(1).default(1_000),
  REQUEST_MAX_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  RESPONSE_MAX_BYTES: z.coerce.number().int().min(64 * 1024).default(8 * 1024 * 1024),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(168),
  LOGIN_LINK_TTL_HOURS: z.coerce.number().positive().default(24),
  RATE_LIMIT_PER_TOKEN: z.coerce.number().int().min(0).default(6_000),
  LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  FAILED_LOGIN_DELAY_MS: z.coerce.number().int().min(0).default(250),
  RETENTION_HOT_DAYS: retentionSetting('hotDays').default(DEFAULT_RETENTION_POLICY.hotDays),
  RETENTION_ARCHIVE_DAYS: z
    .union([z.literal('forever'), retentionSetting('archiveDays')], { error: `must be "forever" or a whole number of days from ${RETENTION_RULES.archiveDays.min} to ${RETENTION_RULES.archiveDays.max}` })
    .default('forever'),
  RETENTION_KEEP_LAST_RUNS: retentionSetting('keepLastRuns').default(DEFAULT_RETENTION_POLICY.keepLastRuns),
  RETENTION_KEEP_FAILED_FOR_DAYS: retentionSetting('keepFailedForDays').default(DEFAULT_RETENTION_POLICY.keepFailedForDays),
  PARTITION_INTERVAL: z.enum(PARTITION_INTERVALS).default('month'),
  ARCHIVE_EVERY_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(60),
  ARCHIVE_BATCH_RUNS: z.coerce.number().int().min(1).max(100_000).default(2_000),
  ARCHIVE_OPEN_MAX: z.coerce.number().int().min(1).max(1_000).default(8),
  ALERT_ALLOW_PRIVATE_TARGETS: booleanFromEnv.default(false),
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,512}$/, 'must be 16 to 512 printable characters without spaces (generate one with `openssl rand -hex 32`)')
    .optional(),
  METRICS_PORT: z.coerce.number({ error: 'must be a port number from 0 to 65535' }).int({ error: 'must be a port number from 0 to 65535' }).min(0, { error: 'must be a port number from 0 to 65535' }).max(65535, { error: 'must be a port number from 0 to 65535' }).optional(),
  METRICS_HOST: z.string().min(1).optional(),
  ARCHIVE_EXPORT: booleanFromEnv.default(true),
  ALERT_SECRET_KEY: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return null;
      const parsed = parseAlertSecretKey(value);
      if (parsed.ok) return parsed.key;
      context.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }),
});

export interface AppConfig {
  port: number;
  host: string;
  /** Where users reach this server, for printed links; default: http://localhost:<port>. */
  publicUrl: string | null;
  dataDir: string;
  database: DatabaseConfig;
  /** How history reads use the cores: SQLite read threads, the PostgreSQL reader's pool, the queue before RATE_LIMITED. */
  historyReads: HistoryReadSettings;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  logFormat: 'json' | 'pretty';
  /** Log bytes that may wait for a slow stdout; lines beyond are dropped and counted, so logging never blocks. */
  logBufferBytes: number;
  shutdownGraceMs: number;
  /** Serve the Next.js UI; off for API-only processes and for the API tests. */
  ui: boolean;
  dev: boolean;
  /** Workflow YAML files loaded into the `default` project at start and watched. */
  workflowsDir: string;
  /** The largest workflow definition accepted, through saveWorkflow and from WORKFLOWS_DIR alike. */
  workflowMaxBytes: number;
  /** Load examples/ into the `default` project on the first start. */
  loadExamples: boolean;
  scheduler: boolean;
  /** Run workflows here; off for processes that only serve the API beside one that runs them. */
  executes: boolean;
  /**
   * What the process is (`runtrail start`, `api`, `worker`): `all` serves and executes; `api`
   * serves the UI and GraphQL and executes nothing; `worker` executes and serves only /healthz and /readyz.
   */
  role: 'all' | 'api' | 'worker';
  /** Serve GraphQL (HTTP and WebSocket): every role but `worker`. */
  servesApi: boolean;
  engine: EngineConfig;
  history: HistoryConfig;
  queryLimits: QueryLimits;
  /** Event fan-out between processes; null: the in-process bus (one process). */
  redisUrl: string | null;
  /** How often the tokens of open WebSockets are checked again (revoked or expired: closed). */
  tokenRecheckMs: number;
  /** A WebSocket that sends no connection_init within this is closed (4408). */
  wsInitTimeoutMs: number;
  /** How often graphql-ws pings each open WebSocket. */
  wsKeepAliveMs: number;
  /** The least time between two writes of subscription messages to the sockets (see WriteWindow). */
  liveWriteWindowMs: number;
  access: AccessConfig;
  /** The instance's retention defaults before any policy is set through the API (RETENTION_*). */
  retention: RetentionPolicy;
  archive: ArchiveConfig;
  /**
   * The key of contact point secrets at rest (ALERT_SECRET_KEY, 32 bytes); null: unset, and the
   * embedded SQLite server keeps one in DATA_DIR/alert-secret-key.
   */
  alertSecretKey: Buffer | null;
  /** ALERT_ALLOW_PRIVATE_TARGETS: webhooks and Slack messages may go to loopback, link-local, private and this server's own addresses (off: refused, SSRF). */
  alertAllowPrivateTargets: boolean;
  metrics: MetricsConfig;
}

/** Who may read /metrics: nobody unless a token or a port of its own is set. */
export interface MetricsConfig {
  /** METRICS_TOKEN: /metrics answers a request bearing it (`Authorization: Bearer <token>`). */
  token: string | null;
  /** METRICS_PORT: /metrics is served on a listener of its own on this port (0: any free one), and no longer on PORT. */
  port: number | null;
  /** METRICS_HOST: the address of that listener; default 127.0.0.1. */
  host: string;
}

export interface ArchiveConfig {
  /** How history is cut into archived periods (PARTITION_INTERVAL). */
  interval: PartitionInterval;
  /** How often the leader moves what the retention policies send to the archive; 0: only archiveNow does. */
  everyMs: number;
  /** Runs moved per batch, each batch one transaction of the live database (ARCHIVE_BATCH_RUNS). */
  batchRuns: number;
  /** Archive files open at once for reading (ARCHIVE_OPEN_MAX); the least recently used one closes first. */
  openMax: number;
  /** Free pages of the live file given back per step of incremental vacuum. */
  reclaimPages: number;
  /** Whether a period past `archiveDays` is exported (gzipped, under DATA_DIR/archive/) before it is dropped (ARCHIVE_EXPORT). */
  exportExpired: boolean;
}

export interface AccessConfig {
  /** How long a UI session (the cookie issued by login) lasts. */
  sessionTtlMs: number;
  /** How long a one-time sign-in link stays usable. */
  loginLinkTtlMs: number;
  /** Requests per token per minute (0: no limit). */
  requestsPerTokenPerMinute: number;
  /** Login attempts per client address per minute (0: no limit). */
  loginsPerAddressPerMinute: number;
  /** The pause after a failed login; it doubles with each further failure of that username and address. */
  failedLoginDelayMs: number;
  /** Mark the session cookie Secure: when PUBLIC_URL is https. */
  secureCookies: boolean;
}

export interface HistoryConfig {
  /** A snapshot superseded longer ago than this is refused with SNAPSHOT_EXPIRED. */
  snapshotHorizonMs: number;
  /** Bound of the in-process answer cache; 0 turns it off. */
  answerCacheBytes: number;
  /** Events a subscriber may fall behind before it is cut off with RESYNC. */
  subscriptionBuffer: number;
  /** The most events a subscription's afterSeq may ask to replay; further back it gets RESYNC. */
  replayMaxEvents: number;
  /** The shortest time between two pushes of a statusCounts subscription. */
  countsIntervalMs: number;
}

export interface EngineConfig {
  /** Runs executing at once over every executor of the database (their places are RunSlot rows). */
  maxActiveRuns: number;
  /** Runs this process executes at once (`--concurrency`); at most maxActiveRuns count over all. */
  concurrency: number;
  /** How long an executor's claim on a run holds without a heartbeat (renewed every third of it). */
  leaseMs: number;
  /** The executor's name: its claims survive its restarts under the same name. Default: host and DATA_DIR. */
  executorName: string | null;
  /** What a workflow's workerSelector matches (`--labels k=v,...`). */
  labels: Readonly<Record<string, string>>;
  /**
   * At SIGTERM, how long executing runs may go on to finish before they are stopped: a worker
   * gives them half of SHUTDOWN_GRACE_MS; `start` stops them at once (its runs end "Server stopped").
   */
  drainMs: number;
  /**
   * A worker hands back the runs still executing once the drain is over, by their retry policy
   * (requeued for another executor, or FAILED "worker stopped"); `start` stops them ("Server stopped").
   */
  handBackOnStop: boolean;
  maxParallelSteps: number;
  maxParallelStepsPerRun: number;
  stepLogMaxBytes: number;
  /** How long a step's output may wait before it is shipped to the database (one statement per interval and step at most, unless 1 MiB waits). */
  stepLogFlushMs: number;
  killGraceMs: number;
  /** Each run gets a fresh working directory under this one (outside DATA_DIR). */
  workDir: string;
  /** Keep a run's working directory after the run (for debugging); removed by default. */
  keepWorkDirs: boolean;
  /** WORKFLOWS_DIR: where `dotenv` files of workflows saved through the API are looked for. */
  workflowsDir: string;
  /**
   * The part of the server's environment a step inherits: the allow-listed names
   * (STEP_ENV_BASE_NAMES, LC_*) and those named in STEP_ENV_PASSTHROUGH, nothing else.
   */
  stepEnv: Readonly<Record<string, string>>;
  /** The user (name or uid) steps and preconditions run as; only when the server runs as root. */
  stepUser: string | null;
}

/** What a step inherits from the server's environment without being asked (LC_* too). */
export const STEP_ENV_BASE_NAMES = ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR', 'SHELL', 'USER'] as const;

const HOUR_MS = 60 * 60 * 1000;
// 8 MiB of 4 KiB pages: one step of incremental vacuum holds the live file's write lock for milliseconds.
const RECLAIM_PAGES_PER_STEP = 2_048;

/**
 * Parses the environment once at startup; the only reader of process.env in src/.
 * `processUid` is the uid the server runs as (null where there are no uids): STEP_USER needs root.
 */
export function loadConfig(environment: Readonly<Record<string, string | undefined>> = process.env, processUid: number | null = process.getuid?.() ?? null): AppConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  const databaseUrl = env.DATABASE_URL ?? `file:${path.join(dataDir, 'runtrail.db')}`;
  const workDir = path.resolve(env.WORK_DIR ?? path.join(os.tmpdir(), 'runtrail-work'));
  if (isInside(workDir, dataDir)) {
    throw new ConfigError(`Invalid configuration:\n  WORK_DIR: ${workDir} is inside DATA_DIR (${dataDir}); steps must not reach the server's data, so choose a directory outside it`);
  }
  if (env.METRICS_HOST !== undefined && env.METRICS_PORT === undefined) {
    throw new ConfigError(`Invalid configuration:\n  METRICS_HOST: ${env.METRICS_HOST} is the address of the METRICS_PORT listener, but METRICS_PORT is not set; set METRICS_PORT too, or unset METRICS_HOST`);
  }
  if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
    throw new ConfigError(`Invalid configuration:\n  METRICS_PORT: ${env.METRICS_PORT} is PORT too; choose another port for metrics, or unset METRICS_PORT and set METRICS_TOKEN to serve /metrics on PORT`);
  }
  if (env.STEP_USER !== undefined && processUid !== 0) {
    throw new ConfigError(
      `Invalid configuration:\n  STEP_USER: running steps as "${env.STEP_USER}" needs the server to run as root, but it runs as uid ${processUid ?? 'unknown'}; start the server as root or unset STEP_USER`,
    );
  }
  return {
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL ?? null,
    dataDir,
    database: databaseUrl.startsWith('file:')
      ? { provider: 'sqlite', url: databaseUrl }
      : { provider: 'postgresql', url: databaseUrl },
    historyReads: { threads: env.HISTORY_READ_THREADS, pgPoolSize: env.PG_POOL_SIZE, queueLimit: env.HISTORY_READ_QUEUE },
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (env.NODE_ENV === 'development' ? 'pretty' : 'json'),
    logBufferBytes: env.LOG_BUFFER_BYTES,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    ui: env.UI && env.ROLE !== 'worker',
    dev: env.NODE_ENV === 'development',
    workflowsDir: path.resolve(env.WORKFLOWS_DIR),
    workflowMaxBytes: env.WORKFLOW_MAX_BYTES,
    loadExamples: env.LOAD_EXAMPLES,
    scheduler: env.SCHEDULER === 'on',
    executes: env.ENGINE === 'on' && env.ROLE !== 'api',
    role: env.ROLE,
    servesApi: env.ROLE !== 'worker',
    engine: {
      maxActiveRuns: env.MAX_ACTIVE_RUNS,
      concurrency: env.EXECUTOR_CONCURRENCY ?? env.MAX_ACTIVE_RUNS,
      leaseMs: env.LEASE_SECONDS * 1000,
      executorName: env.EXECUTOR_NAME ?? null,
      labels: parseLabels(env.EXECUTOR_LABELS),
      drainMs: env.ROLE === 'worker' ? Math.floor(env.SHUTDOWN_GRACE_MS / 2) : 0,
      handBackOnStop: env.ROLE === 'worker',
      maxParallelSteps: env.MAX_PARALLEL_STEPS,
      maxParallelStepsPerRun: env.MAX_PARALLEL_STEPS_PER_RUN,
      stepLogMaxBytes: env.STEP_LOG_MAX_BYTES,
      stepLogFlushMs: env.STEP_LOG_FLUSH_MS,
      killGraceMs: env.KILL_GRACE_MS,
      workDir,
      keepWorkDirs: env.KEEP_WORK_DIRS,
      workflowsDir: path.resolve(env.WORKFLOWS_DIR),
      stepEnv: inheritedStepEnvironment(environment, env.STEP_ENV_PASSTHROUGH),
      stepUser: env.STEP_USER ?? null,
    },
    history: { snapshotHorizonMs: env.SNAPSHOT_HORIZON_SECONDS * 1000, answerCacheBytes: Math.round(env.ANSWER_CACHE_MB * 1024 * 1024), subscriptionBuffer: env.SUBSCRIPTION_BUFFER, replayMaxEvents: env.REPLAY_MAX_EVENTS, countsIntervalMs: env.STATUS_COUNTS_INTERVAL_MS },
    queryLimits: {
      maxDepth: env.QUERY_MAX_DEPTH,
      maxComplexity: env.QUERY_MAX_COMPLEXITY,
      maxTokens: env.QUERY_MAX_TOKENS,
      maxListItems: env.LIST_ARGUMENT_MAX_ITEMS,
      requestMaxBytes: env.REQUEST_MAX_BYTES,
      responseMaxBytes: env.RESPONSE_MAX_BYTES,
    },
    redisUrl: env.REDIS_URL ?? null,
    tokenRecheckMs: env.TOKEN_RECHECK_MS,
    wsInitTimeoutMs: env.WS_INIT_TIMEOUT_MS,
    wsKeepAliveMs: env.WS_KEEP_ALIVE_MS,
    liveWriteWindowMs: env.LIVE_WRITE_WINDOW_MS,
    access: {
      sessionTtlMs: env.SESSION_TTL_HOURS * HOUR_MS,
      loginLinkTtlMs: env.LOGIN_LINK_TTL_HOURS * HOUR_MS,
      requestsPerTokenPerMinute: env.RATE_LIMIT_PER_TOKEN,
      loginsPerAddressPerMinute: env.LOGIN_RATE_PER_MINUTE,
      failedLoginDelayMs: env.FAILED_LOGIN_DELAY_MS,
      secureCookies: env.PUBLIC_URL?.startsWith('https:') ?? false,
    },
    retention: {
      hotDays: env.RETENTION_HOT_DAYS,
      archiveDays: env.RETENTION_ARCHIVE_DAYS === 'forever' ? null : env.RETENTION_ARCHIVE_DAYS,
      keepLastRuns: env.RETENTION_KEEP_LAST_RUNS,
      keepFailedForDays: env.RETENTION_KEEP_FAILED_FOR_DAYS,
    },
    archive: {
      interval: env.PARTITION_INTERVAL,
      everyMs: env.ARCHIVE_EVERY_MINUTES * 60_000,
      batchRuns: env.ARCHIVE_BATCH_RUNS,
      openMax: env.ARCHIVE_OPEN_MAX,
      reclaimPages: RECLAIM_PAGES_PER_STEP,
      exportExpired: env.ARCHIVE_EXPORT,
    },
    alertSecretKey: env.ALERT_SECRET_KEY,
    alertAllowPrivateTargets: env.ALERT_ALLOW_PRIVATE_TARGETS,
    metrics: { token: env.METRICS_TOKEN ?? null, port: env.METRICS_PORT ?? null, host: env.METRICS_HOST ?? '127.0.0.1' },
  };
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function inheritedStepEnvironment(environment: Readonly<Record<string, string | undefined>>, passthrough: readonly string[]): Record<string, string> {
  const names = new Set<string>([...STEP_ENV_BASE_NAMES, ...passthrough]);
  const inherited: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    if (value !== undefined && (names.has(name) || name.startsWith('LC_'))) inherited[name] = value;
  }
  return inherited;
}

/**
 * `k=v,k2=v2` as labels, under the rules a workflow's workerSelector follows (so every label can
 * be selected); a part that breaks them, a name given twice, or more than MAX_LABELS parts is a
 * ConfigError naming it.
 */
export function parseLabels(text: string): Record<string, string> {
  const parts = text.split(',').map((piece) => piece.trim()).filter((piece) => piece.length > 0);
  if (parts.length > MAX_LABELS) throw new ConfigError(`EXECUTOR_LABELS: ${parts.length} labels; an executor may have at most ${MAX_LABELS}`);
  const labels = new Map<string, string>();
  for (const part of parts) {
    const equals = part.indexOf('=');
    if (equals <= 0) throw new ConfigError(`EXECUTOR_LABELS: "${part}" is not name=value (example: region=eu,gpu=yes)`);
    const name = part.slice(0, equals).trim();
    const value = part.slice(equals + 1).trim();
    if (!LABEL_NAME_PATTERN.test(name)) throw new ConfigError(`EXECUTOR_LABELS: "${name}" is not a valid label name; ${LABEL_NAME_RULE}`);
    if (!LABEL_VALUE_PATTERN.test(value)) throw new ConfigError(`EXECUTOR_LABELS: "${value}" (of ${name}) is not a valid label value; ${LABEL_VALUE_RULE}`);
    if (labels.has(name)) throw new ConfigError(`EXECUTOR_LABELS: "${name}" is given twice; keep one`);
    labels.set(name, value);
  }
  return Object.fromEntries(labels);
}
