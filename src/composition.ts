import path from 'node:path';
import type { Logger } from 'pino';
import { AuthService } from './auth/auth.service.ts';
import type { AccessConfig, ArchiveConfig, EngineConfig, HistoryConfig } from './config.ts';
import { RateLimits, type SharedCounters } from './auth/rate-limits.ts';
import { InProcessAccessChanges, type AccessChanges } from './auth/access-changes.ts';
import { AccessService } from './services/access.service.ts';
import { RunEngine } from './engine/run-engine.ts';
import { Scheduler } from './engine/scheduler.ts';
import { RunControlService } from './services/run-control.service.ts';
import { StoredSpecs } from './services/stored-specs.ts';
import { WorkflowService } from './services/workflow.service.ts';
import type { Db } from './db/client.ts';
import type { HistoryReader } from './db/history-reader.ts';
import type { WriteConnection } from './db/write-connection.ts';
import { NoQueueSignals, type QueueSignals } from './db/queue-listener.ts';
import { LeaderLease } from './engine/leader-lease.ts';
import type { LogConnection } from './db/log-connection.ts';
import type { Clock } from './domain/clock.ts';
import type { CursorKey } from './domain/cursor.ts';
import type { RunEventBus } from './events/run-event-bus.ts';
import { SequencedRunEventFeed } from './events/sequenced-feed.ts';
import { HealthRepository } from './repositories/health.repository.ts';
import { HistoryPartitionRepository } from './repositories/history-partition.repository.ts';
import { DefaultPartitionRowsRepository } from './repositories/default-partition-rows.repository.ts';
import { ApiTokenRepository } from './repositories/api-token.repository.ts';
import { ProjectRepository } from './repositories/project.repository.ts';
import { RunEventRepository } from './repositories/run-event.repository.ts';
import { RunCountRepository } from './repositories/run-count.repository.ts';
import { RunEventLogRepository } from './repositories/run-event-log.repository.ts';
import { RunPageRepository } from './repositories/run-page.repository.ts';
import { HistoryWriteRepository } from './repositories/history-write.repository.ts';
import { RunClaimRepository } from './repositories/run-claim.repository.ts';
import { ExecutorRepository } from './repositories/executor.repository.ts';
import { RunSlotRepository } from './repositories/run-slot.repository.ts';
import { ApprovalDecisionRepository } from './repositories/approval-decision.repository.ts';
import { ProcessLeaseRepository } from './repositories/process-lease.repository.ts';
import { defaultExecutorName } from './engine/executor-presence.ts';
import { RunRepository } from './repositories/run.repository.ts';
import { StepRunRepository } from './repositories/step-run.repository.ts';
import { UserRepository } from './repositories/user.repository.ts';
import { WorkflowRepository } from './repositories/workflow.repository.ts';
import { InstanceSecretRepository } from './repositories/instance-secret.repository.ts';
import { CursorKeyService } from './services/cursor-key.service.ts';
import { HealthService } from './services/health.service.ts';
import { HistoryPartitionService } from './services/history-partition.service.ts';
import { BootstrapService } from './services/bootstrap.service.ts';
import { ProjectService } from './services/project.service.ts';
import { RunEventStreamService } from './services/run-event-stream.service.ts';
import { RunQueryService } from './services/run-query.service.ts';
import { RunRelationsService } from './services/run-relations.service.ts';
import { RunQueueService } from './services/run-queue.service.ts';
import { WorkflowShapeService } from './services/workflow-shape.service.ts';
import { StepLogFollower } from './services/step-log-follower.ts';
import { StepLogStore } from './repositories/step-log.store.ts';
import { StepLogChunkRepository } from './repositories/step-log-chunk.repository.ts';
import { StepLogService } from './services/step-log.service.ts';
import { StepLogImportService } from './services/step-log-import.service.ts';
import { InProcessStepLogSignals, type StepLogSignals } from './events/step-log-signals.ts';
import { RunHistoryService } from './services/run-history.service.ts';
import { RunPageService } from './services/history/run-page.service.ts';
import { RunSelectionService } from './services/history/run-selection.service.ts';
import { SnapshotGuard } from './services/history/snapshot-guard.service.ts';
import { StatusCountsService } from './services/history/status-counts.service.ts';
import { StatusTrendService } from './services/history/status-trend.service.ts';
import { WorkflowStatsService } from './services/history/workflow-stats.service.ts';
import { AnswerCache, InProcessAnswerStore, type AnswerStore } from './services/answer-cache.ts';
import { RunRecorderService } from './services/run-recorder.service.ts';
import { RetentionPolicyRepository } from './repositories/retention-policy.repository.ts';
import { ArchiveSelectionRepository } from './repositories/archive-selection.repository.ts';
import { RetentionPolicyService } from './services/retention/retention-policy.service.ts';
import { ArchiveSelectionService } from './services/retention/archive-selection.service.ts';
import { ArchiveService } from './services/retention/archive.service.ts';
import { DEFAULT_RETENTION_POLICY, type RetentionPolicy } from './domain/retention/retention-policy.ts';
import { ArchiveCatalogRepository } from './repositories/archive/archive-catalog.repository.ts';
import { SqliteArchiveReaders } from './repositories/archive/sqlite-archive-readers.ts';
import { PostgresArchiveStore } from './repositories/archive/postgres-archive-store.ts';
import { SqliteArchiveStore } from './repositories/archive/sqlite-archive-store.ts';
import type { ArchiveStore } from './services/archive/archive-store.ts';
import { ArchiveMoverService } from './services/archive/archive-mover.service.ts';
import { ArchiveReadsService } from './services/archive/archive-reads.service.ts';
import { ArchivesService } from './services/archive/archives.service.ts';
import { ArchivedRunRepository } from './repositories/archive/archived-run.repository.ts';
import { ArchiveScanRepository } from './repositories/archive/archive-scan.repository.ts';
import { ArchiveJob } from './engine/archive-job.ts';
import { PartitionJob } from './engine/partition-job.ts';
import { AlertRuleRepository } from './repositories/alert-rule.repository.ts';
import { AlertStateRepository } from './repositories/alert-state.repository.ts';
import { AlertHistoryRepository } from './repositories/alert-history.repository.ts';
import { AlertEvaluatorService } from './services/alerts/alert-evaluator.service.ts';
import { inTurn, RunFeedJob } from './engine/run-feed-job.ts';
import { AnomalyRepository } from './repositories/anomaly.repository.ts';
import { InsightHistoryRepository } from './repositories/insight-history.repository.ts';
import { AnomalyDetectionService } from './services/insight/anomaly-detection.service.ts';
import { AnomalyService } from './services/insight/anomaly.service.ts';
import { IncidentDetectionService } from './services/insight/incident-detection.service.ts';
import { IncidentService } from './services/insight/incident.service.ts';
import { IncidentRepository } from './repositories/incident.repository.ts';
import { IncidentHistoryRepository } from './repositories/incident-history.repository.ts';
import { RunEtaService } from './services/insight/run-eta.service.ts';
import { WorkflowInsightService } from './services/insight/workflow-insight.service.ts';
import { RunsAggregateService } from './services/insight/runs-aggregate.service.ts';
import { RunsAggregateRepository } from './repositories/runs-aggregate.repository.ts';
import { isRunCreationOrEnd, isRunEnd } from './domain/run-event-message.ts';
import { AlertRuleService } from './services/alerts/alert-rule.service.ts';
import { AlertService } from './services/alerts/alert.service.ts';
import { AlertPreviewService } from './services/alerts/alert-preview.service.ts';
import { PolledSeqFeed } from './services/polled-seq-feed.ts';
import { SilenceRepository } from './repositories/silence.repository.ts';
import { SilenceService } from './services/alerts/silence.service.ts';
import { ContactPointRepository } from './repositories/contact-point.repository.ts';
import { AlertOutboxRepository } from './repositories/alert-outbox.repository.ts';
import { SecretBox, type SecretKey } from './services/alerts/secret-box.ts';
import { NoticeSender } from './services/alerts/notice-sender.ts';
import { AlertDispatcher, type DispatchSettings } from './services/alerts/alert-dispatcher.service.ts';
import { WorkflowMailService } from './services/alerts/workflow-mail.service.ts';
import { TargetGuard } from './services/alerts/target-guard.ts';
import { ContactPointService } from './services/alerts/contact-point.service.ts';
import { AlertDispatchJob } from './engine/alert-dispatch-job.ts';
import { DEFAULT_DELIVERY_POLICY } from './domain/alerts/delivery-policy.ts';
import { ReportFileStore } from './repositories/report-file.store.ts';
import { ReportRepository } from './repositories/report.repository.ts';
import { ReportHistoryRepository } from './repositories/report-history.repository.ts';
import { ReportContentService } from './services/reports/report-content.service.ts';
import { ReportDefinitionService } from './services/reports/report-definition.service.ts';
import { ReportService } from './services/reports/report.service.ts';
import { ReportDeliveryService } from './services/reports/report-delivery.service.ts';
import { renderReport } from './services/reports/render/render-report.ts';
import { ReportJob } from './engine/report-job.ts';
import type { MetricsRegistry } from './services/metrics/metrics-registry.ts';
import { RunTotalsService } from './services/metrics/run-totals.service.ts';
import { RunTotalsRepository } from './repositories/run-totals.repository.ts';

export interface CoreDeps {
  db: Db;
  reader: HistoryReader;
  writer: WriteConnection;
  /** Wakes the engine when another process queued runs; default: none (this process queues its own). */
  queueSignals?: QueueSignals;
  logConnection: LogConnection;
  clock: Clock;
  bus: RunEventBus;
  logger: Logger;
  dataDir: string;
  engine: EngineConfig;
  history: HistoryConfig;
  access: AccessConfig;
  /** See AppConfig.workflowMaxBytes. */
  workflowMaxBytes: number;
  /** Where history answers are cached; default: in this process (see HistoryConfig). */
  answerStore?: AnswerStore;
  /** Where login attempts are counted; default: in this process (see RateLimits). */
  sharedCounters?: SharedCounters;
  /** Where revocations are announced; default: in this process (see AccessChanges). */
  accessChanges?: AccessChanges;
  /** Where the growth of step logs is announced; default: in this process (see StepLogSignals). */
  logSignals?: StepLogSignals;
  /** The migrations this build ships; /readyz waits for all of them. */
  expectedMigrations: readonly string[];
  /** The RETENTION_* settings; default: their documented defaults. */
  retention?: RetentionPolicy;
  /** PARTITION_INTERVAL and the ARCHIVE_* settings; default: their documented defaults. */
  archive?: ArchiveConfig;
  /** The key of contact point secrets (see alertSecretKeyOf); default: none, and saving a secret is refused. */
  alertSecretKey?: SecretKey | null;
  /** How the outbox retries and batches; default: alertDispatchSettings(engine.leaseMs). */
  alertDispatch?: DispatchSettings;
  /** ALERT_ALLOW_PRIVATE_TARGETS: webhooks and Slack messages may go to loopback, link-local, private and this server's own addresses. */
  alertAllowPrivateTargets: boolean;
  /** PUBLIC_URL: where the links of delivered reports point; null: paths relative to the server. */
  publicUrl?: string | null;
  /** How often the leader looks for due reports; default REPORT_TICK_MS. */
  reportTickMs?: number;
  /** The registry /metrics serves, fed by the services; default: none (no metrics kept). */
  metrics?: MetricsRegistry;
}

/** A scrape reuses the rollup totals read this recently: scrapes cannot make the database work harder than this. */
const METRICS_TOTALS_CACHE_MS = 5_000;
/** (workflow, final status) series runtrail_runs_total reports at most; runtrail_runs_series_capped says when some were left out. */
const METRICS_MAX_TOTAL_ROWS = 20_000;

/** The leader looks for due reports (and reports to deliver) this often. */
export const REPORT_TICK_MS = 10_000;
// Each reportGenerated subscriber looks for new reports this often.
const REPORT_FEED_POLL_MS = 1_000;

/** The defaults of PARTITION_INTERVAL and the ARCHIVE_* settings (src/config.ts). */
export const DEFAULT_ARCHIVE_CONFIG: ArchiveConfig = { interval: 'month', everyMs: 60 * 60_000, batchRuns: 2_000, openMax: 8, reclaimPages: 2_048, exportExpired: true };

// Run ends are evaluated as they are published, and at least this often (ends a process without Redis did not hear of).
const ALERT_POLL_MS = 1_000;
// Each process looks for new alert events this often while someone subscribes to them.
const ALERT_FEED_POLL_MS = 1_000;
// Alerts that move with time (PENDING, kept firing, reminders) are looked at again this often.
const ALERT_TICK_MS = 15_000;
// Run changes are fed to the anomaly detectors as they are published, and at least this often.
const INSIGHT_POLL_MS = 2_000;
// Missed cron fires and hours of volume are judged this often.
const INSIGHT_TICK_MS = 60_000;
/** An attempt to deliver ends within this. */
const ALERT_SEND_TIMEOUT_MS = 10_000;
/** The outbox is looked at this often besides when the evaluator wakes the dispatcher. */
const ALERT_DISPATCH_TICK_MS = 1_000;
/** The delivery log is trimmed this often. */
const ALERT_LOG_PRUNE_EVERY_MS = 3_600_000;

/**
 * The outbox's retries (DEFAULT_DELIVERY_POLICY), 50 notifications a round, a log of 30 days,
 * and a claim that outlasts an attempt by a leader lease: a notification whose leader died
 * mid-attempt is sent again about when the next leader takes over.
 */
export function alertDispatchSettings(leaseMs: number): DispatchSettings {
  return { ...DEFAULT_DELIVERY_POLICY, batchSize: 50, claimMs: ALERT_SEND_TIMEOUT_MS + leaseMs, keepSettledMs: 30 * 24 * 3_600_000 };
}

/** Builds every repository and service once; main.ts and the tests wire through here. */
export function composeServices(deps: CoreDeps) {
  const repositories = {
    runs: new RunRepository(deps),
    steps: new StepRunRepository(deps),
    events: new RunEventRepository(deps),
    projects: new ProjectRepository(deps),
    workflows: new WorkflowRepository(deps),
    users: new UserRepository(deps),
    tokens: new ApiTokenRepository(deps),
    health: new HealthRepository(deps),
    secrets: new InstanceSecretRepository(deps),
    runPages: new RunPageRepository({ provider: deps.reader.provider }),
    runCounts: new RunCountRepository({ provider: deps.reader.provider }),
    runsAggregate: new RunsAggregateRepository({ provider: deps.reader.provider }),
    eventLog: new RunEventLogRepository(),
    stepLogs: new StepLogStore(deps),
    logChunks: new StepLogChunkRepository(deps),
    historyWrites: new HistoryWriteRepository(deps),
    claims: new RunClaimRepository(deps),
    executors: new ExecutorRepository(deps),
    runSlots: new RunSlotRepository(deps),
    processLeases: new ProcessLeaseRepository(deps),
    retentionPolicies: new RetentionPolicyRepository(deps),
    archiveSelection: new ArchiveSelectionRepository(),
    approvalDecisions: new ApprovalDecisionRepository({ db: deps.db, provider: deps.reader.provider }),
    archiveCatalog: new ArchiveCatalogRepository(deps),
    archivedRuns: new ArchivedRunRepository(),
    archiveScan: new ArchiveScanRepository(),
    alertRules: new AlertRuleRepository(deps),
    alertState: new AlertStateRepository(deps),
    alertHistory: new AlertHistoryRepository(deps),
    silences: new SilenceRepository(deps),
    anomalies: new AnomalyRepository(deps),
    insightHistory: new InsightHistoryRepository(deps),
    incidents: new IncidentRepository(deps),
    incidentHistory: new IncidentHistoryRepository(deps),
    contactPoints: new ContactPointRepository(deps),
    alertOutbox: new AlertOutboxRepository(deps),
    reports: new ReportRepository({ ...deps, files: deps.reader.provider === 'sqlite' ? new ReportFileStore({ directory: path.join(deps.dataDir, 'reports') }) : null }),
    reportHistory: new ReportHistoryRepository({ provider: deps.reader.provider }),
  };
  const archiveConfig = deps.archive ?? DEFAULT_ARCHIVE_CONFIG;
  const partitions = historyPartitionsOf(deps, archiveConfig);
  const archiveStore = archiveStoreOf(deps, archiveConfig);
  const archiveReads = new ArchiveReadsService({
    reader: deps.reader,
    catalog: repositories.archiveCatalog,
    store: archiveStore,
    pages: repositories.runPages,
    counts: repositories.runCounts,
    archivedRuns: repositories.archivedRuns,
  });
  const specs = new StoredSpecs();
  const recorder = new RunRecorderService({ ...deps, ...repositories, observer: deps.metrics?.history });
  const logSignals = deps.logSignals ?? new InProcessStepLogSignals();
  const stepLogs = new StepLogService({ ...repositories, logSignals, logger: deps.logger, settings: deps.engine });
  const executorId = deps.engine.executorName ?? defaultExecutorName(deps.dataDir);
  const engine = new RunEngine({
    ...repositories,
    queueSignals: deps.queueSignals ?? new NoQueueSignals(),
    stepLogs,
    recorder,
    specs,
    clock: deps.clock,
    logger: deps.logger,
    observer: deps.metrics?.executor,
    settings: {
      ...deps.engine,
      dataDir: deps.dataDir,
      executorId,
      onlyExecutor: deps.reader.provider === 'sqlite',
    },
  });
  const control = new RunControlService({ ...repositories, recorder, dispatcher: engine, specs, archives: archiveReads });
  const projects = new ProjectService(repositories);
  const limits = new RateLimits(deps.access, deps.sharedCounters ?? null);
  const accessChanges = deps.accessChanges ?? new InProcessAccessChanges();
  const auth = new AuthService({ ...deps, ...repositories, limits, accessChanges, sessions: deps.access });
  const answers = new AnswerCache(deps.answerStore ?? new InProcessAnswerStore(deps.history.answerCacheBytes));
  const cursorKeys = new CursorKeyService({ secrets: repositories.secrets, clock: deps.clock });
  const cursorKey = () => cursorKeys.get();
  const { history, selections, statusCounts } = composeHistory(deps, repositories, answers, cursorKey, archiveReads);
  const feed = new SequencedRunEventFeed({
    bus: deps.bus,
    backfill: (after, through, limit) => repositories.eventLog.eventMessagesAfter(deps.reader, after, through, limit),
    head: () => repositories.eventLog.head(deps.reader),
    logger: deps.logger,
  });
  const runQueries = new RunQueryService({ ...repositories, stepLogs, archives: archiveReads });
  const retention = new RetentionPolicyService({ ...repositories, settings: deps.retention ?? DEFAULT_RETENTION_POLICY });
  const delivery = composeAlertDelivery(deps, repositories);
  const archiveSelection = new ArchiveSelectionService({ reader: deps.reader, archiveSelection: repositories.archiveSelection, retention });
  const archiveMover = new ArchiveMoverService({
      ...repositories,
      store: archiveStore,
      catalog: repositories.archiveCatalog,
      selection: archiveSelection,
      scan: repositories.archiveScan,
      reader: deps.reader,
      clock: deps.clock,
      logger: deps.logger,
      leaseMs: deps.engine.leaseMs,
      settings: archiveConfig,
    });
  const alertEvaluator = new AlertEvaluatorService({
    ...repositories,
    specs,
    clock: deps.clock,
    logger: deps.logger,
    onCommitted: ({ notified }) => {
      if (notified) delivery.job.wake();
    },
  });
  const anomalyDetection = new AnomalyDetectionService({ ...repositories, specs, clock: deps.clock, logger: deps.logger });
  const incidentDetection = new IncidentDetectionService({ ...repositories, clock: deps.clock, logger: deps.logger });
  const reporting = composeReports(deps, repositories, { selections, statusCounts, archives: archiveReads, projects });
  const leader = new LeaderLease({ ...deps, ...repositories }, { holder: executorId, leaseMs: deps.engine.leaseMs });
  deps.metrics?.readFrom({
    runTotals: new RunTotalsService(
      { reader: deps.reader, runTotals: new RunTotalsRepository(), executors: repositories.executors, clock: deps.clock, logger: deps.logger },
      { cacheMs: METRICS_TOTALS_CACHE_MS, maxRows: METRICS_MAX_TOTAL_ROWS },
    ),
    claimsHeld: () => engine.claimsHeld(),
    leading: () => leader.isLeading(),
  });
  return {
    repositories,
    ...reporting,
    bus: deps.bus,
    recorder,
    engine,
    control,
    workflows: new WorkflowService({
      ...deps,
      ...repositories,
      specs,
      cursorKey,
      maxBytes: deps.workflowMaxBytes,
      readableProjectIds: (principal) => projects.readableIds(principal),
      mail: new WorkflowMailService({ ...repositories, secrets: delivery.secrets, clock: deps.clock, forgetCircuit: (id) => delivery.dispatcher.forget(id) }),
    }),
    scheduler: new Scheduler({ ...deps, ...repositories, control, specs }),
    leader,
    auth,
    accessChanges,
    limits,
    access: new AccessService({ ...deps, ...repositories, auth }),
    bootstrap: new BootstrapService({ ...deps, ...repositories }),
    projects,
    runQueries,
    relations: new RunRelationsService({ ...repositories, archives: archiveReads }),
    runQueue: new RunQueueService({ ...repositories, specs, clock: deps.clock }),
    workflowShapes: new WorkflowShapeService({ ...repositories, specs }),
    logSignals,
    logs: new StepLogFollower({ runQueries, feed, stepLogs }),
    logImport: new StepLogImportService({ ...deps, ...repositories }),
    runEvents: new RunEventStreamService({ feed, history, events: repositories.eventLog, reader: deps.reader, logger: deps.logger, bufferSize: deps.history.subscriptionBuffer, replayMaxEvents: deps.history.replayMaxEvents, countsIntervalMs: deps.history.countsIntervalMs, archives: archiveReads }),
    feed,
    history,
    cursorKeys,
    answers,
    retention,
    archiveSelection,
    archive: new ArchiveService({ selection: archiveSelection, projects: repositories.projects, clock: deps.clock, mover: archiveMover }),
    archives: new ArchivesService({ reader: deps.reader, catalog: repositories.archiveCatalog, projects: repositories.projects, mover: archiveMover }),
    archiveStore,
    archiveMover,
    archiveJob: new ArchiveJob({ mover: archiveMover, clock: deps.clock, logger: deps.logger }, { everyMs: archiveConfig.everyMs, retryMs: deps.engine.leaseMs, idleCheckMs: 60_000 }),
    partitions,
    partitionJob: partitions && new PartitionJob({ partitions, clock: deps.clock, logger: deps.logger }, { everyMs: PARTITION_ROUND_MS }),
    alertEvaluator,
    alertRules: new AlertRuleService({ ...repositories, clock: deps.clock }),
    alertPreview: new AlertPreviewService(repositories),
    alertEvents: new PolledSeqFeed({
      source: { what: 'alert event', itemsAfter: (after, projectIds, limit) => repositories.alertState.eventsAfter(after, projectIds, limit), headSeq: () => repositories.alertState.headSeq(), projectsOf: (event) => [event.projectId] },
      projects,
      logger: deps.logger,
      bufferSize: deps.history.subscriptionBuffer,
      pollMs: ALERT_FEED_POLL_MS,
    }),
    anomalyEvents: new PolledSeqFeed({
      source: { what: 'anomaly change', itemsAfter: (after, projectIds, limit) => repositories.anomalies.changedAfter(after, projectIds, limit), headSeq: () => repositories.anomalies.headSeq(), projectsOf: (anomaly) => [anomaly.projectId] },
      projects,
      logger: deps.logger,
      bufferSize: deps.history.subscriptionBuffer,
      pollMs: ALERT_FEED_POLL_MS,
    }),
    incidentEvents: new PolledSeqFeed({
      source: { what: 'incident change', itemsAfter: (after, projectIds, limit) => repositories.incidents.changedAfter(after, projectIds, limit), headSeq: () => repositories.incidents.headSeq(), projectsOf: (incident) => incident.projects.map(({ projectId }) => projectId) },
      projects,
      logger: deps.logger,
      bufferSize: deps.history.subscriptionBuffer,
      pollMs: ALERT_FEED_POLL_MS,
    }),
    alerts: new AlertService({ ...repositories, projects, clock: deps.clock }),
    silences: new SilenceService({ ...repositories, clock: deps.clock }),
    alertJob: new RunFeedJob({ follower: alertEvaluator, bus: deps.bus, logger: deps.logger }, { pollMs: ALERT_POLL_MS, tickMs: ALERT_TICK_MS, wakesOn: isRunEnd, name: 'alerts' }),
    anomalyDetection,
    incidentDetection,
    insightJob: new RunFeedJob({ follower: inTurn([anomalyDetection, incidentDetection]), bus: deps.bus, logger: deps.logger }, { pollMs: INSIGHT_POLL_MS, tickMs: INSIGHT_TICK_MS, wakesOn: isRunCreationOrEnd, name: 'insight' }),
    anomalies: new AnomalyService({ ...repositories, projects, clock: deps.clock }),
    incidents: new IncidentService({ ...repositories, projects }),
    runEtas: new RunEtaService({ ...repositories, specs, clock: deps.clock }),
    workflowInsight: new WorkflowInsightService({ ...repositories, clock: deps.clock }),
    aggregates: new RunsAggregateService({ reader: deps.reader, runsAggregate: repositories.runsAggregate, archives: archiveReads, projects }),
    contactPoints: delivery.contactPoints,
    alertDispatcher: delivery.dispatcher,
    alertDispatch: delivery.job,
    health: new HealthService({
      ...repositories,
      expectedMigrations: deps.expectedMigrations,
      recoveryProgress: () => engine.recoveryProgress(),
      warnings: partitions ? () => partitions.warnings() : undefined,
    }),
  };
}

/** Partitions exist this many PARTITION_INTERVALs ahead of now, checked every PARTITION_ROUND_MS by the leader. */
const PARTITIONS_AHEAD = 3;
const PARTITION_ROUND_MS = 60 * 60_000;

/** PostgreSQL partitions history by time (prisma/postgres/partitioning.sql); SQLite archives periods to files instead. */
function historyPartitionsOf(deps: CoreDeps, config: ArchiveConfig): HistoryPartitionService | null {
  if (deps.writer.provider !== 'postgresql') return null;
  return new HistoryPartitionService(
    { partitions: new HistoryPartitionRepository(deps), defaultRows: new DefaultPartitionRowsRepository({ writer: deps.writer }), logger: deps.logger },
    { interval: config.interval, aheadIntervals: PARTITIONS_AHEAD },
  );
}

/** What sends to contact points, alerts and reports alike: bounded in time, and kept from private addresses unless ALERT_ALLOW_PRIVATE_TARGETS. */
function noticeSenderOf(deps: CoreDeps): NoticeSender {
  return new NoticeSender({ timeoutMs: ALERT_SEND_TIMEOUT_MS, guard: deps.alertAllowPrivateTargets ? null : new TargetGuard() });
}

/** Contact points and the delivery of the notification outbox, which the leader runs (alertDispatch). */
function composeAlertDelivery(deps: CoreDeps, repositories: { contactPoints: ContactPointRepository; alertOutbox: AlertOutboxRepository; projects: ProjectRepository }) {
  const settings = deps.alertDispatch ?? alertDispatchSettings(deps.engine.leaseMs);
  const secrets = new SecretBox(deps.alertSecretKey ?? null);
  const dispatcher = new AlertDispatcher(
    { outbox: repositories.alertOutbox, contactPoints: repositories.contactPoints, secrets, sender: noticeSenderOf(deps), clock: deps.clock, logger: deps.logger, random: Math.random },
    settings,
  );
  return {
    dispatcher,
    secrets,
    contactPoints: new ContactPointService({ ...repositories, outbox: repositories.alertOutbox, secrets, dispatcher, clock: deps.clock }),
    job: new AlertDispatchJob({ dispatcher, logger: deps.logger }, { tickMs: ALERT_DISPATCH_TICK_MS, batchSize: settings.batchSize, pruneEveryMs: ALERT_LOG_PRUNE_EVERY_MS }),
  };
}

/** SQLite keeps archived periods in files under DATA_DIR/archive/; PostgreSQL in the schema `archive`, as detached partitions. */
function archiveStoreOf(deps: CoreDeps, config: ArchiveConfig): ArchiveStore {
  const directory = path.join(deps.dataDir, 'archive');
  const exportDirectory = config.exportExpired ? directory : null;
  if (deps.writer.provider === 'postgresql') {
    return new PostgresArchiveStore({ writer: deps.writer, reader: deps.reader, exportDirectory, now: () => deps.clock.now() });
  }
  const readers = new SqliteArchiveReaders({ directory, maxOpen: config.openMax });
  return new SqliteArchiveStore({ writer: deps.writer, readers, directory, exportDirectory, now: () => deps.clock.now() });
}

/** The history read side: one module per question, behind RunHistoryService. */
function composeHistory(
  deps: CoreDeps,
  repositories: { runPages: RunPageRepository; runCounts: RunCountRepository; eventLog: RunEventLogRepository; projects: ProjectRepository; workflows: WorkflowRepository },
  answers: AnswerCache,
  cursorKey: () => Promise<CursorKey>,
  archives: ArchiveReadsService,
): { history: RunHistoryService; selections: RunSelectionService; statusCounts: StatusCountsService } {
  const reads = { reader: deps.reader, pages: repositories.runPages, counts: repositories.runCounts, eventLog: repositories.eventLog, answers, archives };
  const selections = new RunSelectionService(repositories);
  const snapshots = new SnapshotGuard({ eventLog: repositories.eventLog, archives, clock: deps.clock, settings: deps.history });
  const statusCounts = new StatusCountsService({ ...reads, selections, snapshots });
  const history = new RunHistoryService({
    ...reads,
    selections,
    runPages: new RunPageService({ ...reads, selections, snapshots, statusCounts, cursorKey }),
    statusCounts,
    statusTrends: new StatusTrendService({ ...reads, selections, snapshots }),
    workflowStats: new WorkflowStatsService({ ...reads, workflows: repositories.workflows, statusCounts }),
  });
  return { history, selections, statusCounts };
}

/** Report definitions, generation (from the same counts as runStatusCounts), delivery, and the leader's job that drives them. */
function composeReports(
  deps: CoreDeps,
  repositories: {
    reports: ReportRepository;
    reportHistory: ReportHistoryRepository;
    projects: ProjectRepository;
    users: UserRepository;
    contactPoints: ContactPointRepository;
    eventLog: RunEventLogRepository;
  },
  history: { selections: RunSelectionService; statusCounts: StatusCountsService; archives: ArchiveReadsService; projects: ProjectService },
) {
  const reportDefinitions = new ReportDefinitionService({ ...repositories, clock: deps.clock });
  const content = new ReportContentService({ reader: deps.reader, ...history, eventLog: repositories.eventLog, reportHistory: repositories.reportHistory });
  const delivery = new ReportDeliveryService(
    {
      reports: repositories.reports,
      users: repositories.users,
      contactPoints: repositories.contactPoints,
      secrets: new SecretBox(deps.alertSecretKey ?? null),
      sender: noticeSenderOf(deps),
      clock: deps.clock,
      logger: deps.logger,
      publicUrl: deps.publicUrl ?? null,
    },
    { claimMs: 5 * ALERT_SEND_TIMEOUT_MS + deps.engine.leaseMs, maxTries: 5, retryBaseMs: 60_000, batchSize: 20 },
  );
  let job: ReportJob | null = null;
  const reports = new ReportService({
    reports: repositories.reports,
    users: repositories.users,
    definitions: reportDefinitions,
    content,
    projects: history.projects,
    render: renderReport,
    clock: deps.clock,
    logger: deps.logger,
    onGenerated: () => job?.wake(),
    pollMs: REPORT_FEED_POLL_MS,
  });
  job = new ReportJob({ reports, delivery, logger: deps.logger }, { tickMs: deps.reportTickMs ?? REPORT_TICK_MS });
  return { reportDefinitions, reportContent: content, reports, reportDelivery: delivery, reportJob: job };
}

export type Services = ReturnType<typeof composeServices>;
