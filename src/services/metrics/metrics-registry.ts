import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RunStatus, StepStatus } from '../../domain/status.ts';
import type { ExecutorObserver, HistoryWriteKind, HistoryWriteObserver, SubscriptionObserver } from './observers.ts';
import { OperationLabels } from './operation-label.ts';
import type { RunTotals } from './run-totals.service.ts';

/** Where the gauges read at scrape time come from; wired once the services exist. */
export interface MetricsSources {
  runTotals: { current(): Promise<RunTotals> };
  /** Runs this process holds a claim on: executing, or waiting for a person. */
  claimsHeld(): { executing: number; waiting: number };
  /** Whether this process holds the leader lease now. */
  leading(): boolean;
}

export interface MetricsSettings {
  /** The process role (`all`, `api`, `worker`), as runtrail_process_role's label. */
  role: string;
  /** Distinct operation names kept as labels; later ones are counted as "(other)". */
  maxOperationNames: number;
}

export type GraphQLOperationType = 'query' | 'mutation' | 'subscription' | 'unknown';

const RUN_SECONDS = [1, 5, 15, 30, 60, 120, 300, 600, 1_800, 3_600, 7_200, 21_600, 86_400];
const STEP_SECONDS = [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 3_600, 14_400];
const WRITE_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const REQUEST_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The process's Prometheus registry: every runtrail_* metric, the observers that feed them as
 * things happen, the gauges read at scrape time (from `MetricsSources`), and prom-client's
 * process metrics (CPU, memory, event-loop lag, GC).
 */
export class MetricsRegistry {
  readonly registry = new Registry();
  readonly history: HistoryWriteObserver;
  readonly executor: ExecutorObserver;
  readonly subscriptions: SubscriptionObserver;
  private readonly operationLabels: OperationLabels;
  private readonly httpSeconds: Histogram<'method' | 'route' | 'code'>;
  private readonly operationSeconds: Histogram<'type' | 'operation' | 'outcome'>;
  private sources: MetricsSources | null = null;

  constructor(settings: MetricsSettings) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    // Gauges named like counters, which promtool check metrics rejects; nodejs_active_handles,
    // nodejs_active_requests and nodejs_active_resources hold the same numbers by type.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(name);
    new Gauge({ name: 'runtrail_process_role', help: 'Always 1; the label says what this process is (all, api, worker).', labelNames: ['role'], registers }).set({ role: settings.role }, 1);
    this.operationLabels = new OperationLabels(settings.maxOperationNames);

    const written = new Counter({ name: 'runtrail_transitions_written_total', help: 'Status history changes this process committed: runs created (create), run and step status changes.', labelNames: ['kind'], registers });
    const writeSeconds = new Histogram({
      name: 'runtrail_transition_write_seconds',
      help: 'From a change being asked for to its transaction committing, group-commit wait included.',
      labelNames: ['kind'],
      buckets: WRITE_SECONDS,
      registers,
    });
    const runSeconds = new Histogram({ name: 'runtrail_run_duration_seconds', help: 'Durations of the runs that ended in this process, by final status.', labelNames: ['status'], buckets: RUN_SECONDS, registers });
    const stepSeconds = new Histogram({ name: 'runtrail_step_duration_seconds', help: 'Durations of the steps that ended in this process, by final status.', labelNames: ['status'], buckets: STEP_SECONDS, registers });
    this.history = {
      committed: (kind: HistoryWriteKind, seconds: number) => {
        written.inc({ kind });
        writeSeconds.observe({ kind }, seconds);
      },
      runEnded: (status: RunStatus, seconds: number) => runSeconds.observe({ status }, seconds),
      stepEnded: (status: StepStatus, seconds: number) => stepSeconds.observe({ status }, seconds),
    };

    const heartbeats = new Counter({ name: 'runtrail_executor_heartbeats_total', help: "This executor's heartbeats (its row and claims renewed), by outcome (ok, failed).", labelNames: ['outcome'], registers });
    const claimsLost = new Counter({ name: 'runtrail_claims_lost_total', help: 'Claims of this executor found taken over or finished elsewhere at a heartbeat.', registers });
    this.executor = { heartbeat: (ok) => heartbeats.inc({ outcome: ok ? 'ok' : 'failed' }), claimLost: () => claimsLost.inc() };

    const open = new Gauge({ name: 'runtrail_subscriptions_open', help: 'GraphQL subscriptions streaming from this process, by root field.', labelNames: ['field'], registers });
    // Counted per message where the message is sent and handed to the counter only when scraped:
    // prom-client's inc() hashes its labels on every call, which cost as much CPU per delivery
    // as building the message.
    const deliveredSinceScrape = new Map<string, number>();
    new Counter({
      name: 'runtrail_subscription_deliveries_total',
      help: 'Subscription messages (next) handed to sockets by this process, by root field.',
      labelNames: ['field'],
      registers,
      collect() {
        for (const [field, count] of deliveredSinceScrape) this.inc({ field }, count);
        deliveredSinceScrape.clear();
      },
    });
    this.subscriptions = {
      opened: (field) => {
        open.inc({ field });
        let ended = false;
        return () => {
          if (ended) return;
          ended = true;
          open.dec({ field });
        };
      },
      delivered: (field) => deliveredSinceScrape.set(field, (deliveredSinceScrape.get(field) ?? 0) + 1),
    };

    this.httpSeconds = new Histogram({ name: 'runtrail_http_request_duration_seconds', help: 'HTTP requests served, by method, route and status code.', labelNames: ['method', 'route', 'code'], buckets: REQUEST_SECONDS, registers });
    this.operationSeconds = new Histogram({
      name: 'runtrail_graphql_operation_duration_seconds',
      help: 'GraphQL operations over HTTP, by type, operation name (bounded: "(anonymous)", "(other)") and outcome (ok, error).',
      labelNames: ['type', 'operation', 'outcome'],
      buckets: REQUEST_SECONDS,
      registers,
    });

    this.registerScrapeGauges(registers);
  }

  /** Where the scrape-time gauges read from; until called they report nothing. */
  readFrom(sources: MetricsSources): void {
    this.sources = sources;
  }

  observeHttp(method: string, route: string, code: number, seconds: number): void {
    this.httpSeconds.observe({ method, route, code: String(code) }, seconds);
  }

  observeOperation(type: GraphQLOperationType, operationName: string | null | undefined, ok: boolean, seconds: number): void {
    this.operationSeconds.observe({ type, operation: this.operationLabels.labelOf(operationName, ok), outcome: ok ? 'ok' : 'error' }, seconds);
  }

  /** The exposition, in Prometheus text format 0.0.4. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private registerScrapeGauges(registers: Registry[]): void {
    // The service shares one read between the gauges of a scrape, and logs a failed one.
    const totals = (): Promise<RunTotals | null> => this.sources?.runTotals.current().catch(() => null) ?? Promise.resolve(null);
    const up = new Gauge({ name: 'runtrail_rollups_up', help: '1 when the run totals below were read at this scrape (or within their cache); 0 when the database read failed.', registers });

    new Counter({
      name: 'runtrail_runs_total',
      help: 'Finished runs over all history, by project, workflow and final status, from the rollups (exact; runs archived are still counted).',
      labelNames: ['project', 'workflow', 'status'],
      registers,
      async collect() {
        this.reset();
        const read = await totals();
        up.set(read ? 1 : 0);
        for (const row of read?.byWorkflow ?? []) this.inc({ project: row.project, workflow: row.workflow, status: row.status }, row.count);
      },
    });
    new Gauge({
      name: 'runtrail_runs_series_capped',
      help: '1 when runtrail_runs_total left out workflows because there are more (workflow, status) series than the scrape reports.',
      registers,
      async collect() {
        this.set((await totals())?.capped ? 1 : 0);
      },
    });
    new Gauge({
      name: 'runtrail_runs_active',
      help: 'Runs now queued, running or waiting, by project and status.',
      labelNames: ['project', 'status'],
      registers,
      async collect() {
        this.reset();
        for (const row of (await totals())?.active ?? []) this.set({ project: row.project, status: row.status }, row.count);
      },
    });
    new Gauge({
      name: 'runtrail_queue_depth',
      help: 'Runs waiting in the queue (QUEUED) over every project.',
      registers,
      async collect() {
        this.reset();
        const read = await totals();
        if (read) this.set(read.active.filter((row) => row.status === 'QUEUED').reduce((sum, row) => sum + row.count, 0));
      },
    });
    new Gauge({
      name: 'runtrail_queue_oldest_age_seconds',
      help: 'How long the run queued longest ago has waited; 0 when the queue is empty.',
      registers,
      async collect() {
        this.reset();
        const read = await totals();
        if (read) this.set(read.oldestQueuedAt ? Math.max(0, (read.readAt.getTime() - read.oldestQueuedAt.getTime()) / 1000) : 0);
      },
    });
    new Gauge({
      name: 'runtrail_executors_alive',
      help: 'Executors (start and worker processes) whose heartbeat lease has not expired.',
      registers,
      async collect() {
        this.reset();
        const read = await totals();
        if (read) this.set(read.executorsAlive);
      },
    });
    const sourcesOf = () => this.sources;
    new Gauge({
      name: 'runtrail_claims_held',
      help: 'Runs this process holds a claim (lease) on, by state: executing, or waiting for a person.',
      labelNames: ['state'],
      registers,
      collect() {
        this.reset();
        const held = sourcesOf()?.claimsHeld();
        if (!held) return;
        this.set({ state: 'executing' }, held.executing);
        this.set({ state: 'waiting' }, held.waiting);
      },
    });
    new Gauge({
      name: 'runtrail_leader',
      help: '1 when this process holds the leader lease (cron, archival, alerts, reports), else 0.',
      registers,
      collect() {
        this.set(sourcesOf()?.leading() ? 1 : 0);
      },
    });
  }
}
