// The writer: this process records status changes through the real recorder on the server's
// database and publishes them on the same Redis bus, as an engine process beside an API-only
// server would. An event's commit time is when the recorder hands it to the bus, which it does
// right after the transaction committed: the recorder call itself resolves later, after whatever
// else this process's event loop had queued (the other writer loops' transactions), at times
// even after a subscriber had received the event.
import pino from 'pino';
import { composeServices, type Services } from '../../src/composition.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { databaseInstanceId } from '../../src/db/instance-id.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { RedisRunEventBus } from '../../src/events/redis-run-event-bus.ts';
import type { RunEventBus } from '../../src/events/run-event-bus.ts';
import type { RunEventMessage } from '../../src/domain/run-event-message.ts';
import type { RunRecord } from '../../src/repositories/run.repository.ts';
import { TEST_ACCESS, TEST_ENGINE } from '../../src/test/compose.ts';
import { createProjectWithWorkflow } from '../../src/test/factories.ts';
import { BenchFailure } from '../shared/bench-failure.ts';
import { nowMs, sleepUntil } from './clock.ts';

/** A run's three events, in the order a writer loop records them. */
export const RUN_STEPS = [
  { from: null, to: 'QUEUED' },
  { from: 'QUEUED', to: 'RUNNING' },
  { from: 'RUNNING', to: 'SUCCEEDED' },
] as const;

/** Event i (from 0) is due at startMs + i * intervalMs. */
export interface Schedule {
  startMs: number;
  intervalMs: number;
  events: number;
}

export function dueMs(schedule: Schedule, index: number): number {
  return schedule.startMs + index * schedule.intervalMs;
}

export interface WrittenEvents {
  /** When the first event was due, on nowMs' clock. */
  startMs: number;
  /** The warm-up event's seq: the timed events are base+1 … base+written. */
  base: number;
  /** Index seq-base-1: when that event's write committed (was published), on nowMs' clock; one per event written. */
  commitMs: Float64Array;
  /** Index seq-base-1: which of RUN_STEPS the event is. */
  steps: Uint8Array;
  written: number;
  lastCommitMs: number;
}

/** The Redis bus, noting when each event is handed to it. */
class TimedBus implements RunEventBus {
  onPublish: ((seq: number, atMs: number) => void) | null = null;

  constructor(private readonly redis: RedisRunEventBus) {}

  publish(events: readonly RunEventMessage[]): void {
    const atMs = nowMs();
    this.redis.publish(events);
    for (const event of events) this.onPublish?.(Number(event.seq), atMs);
  }

  subscribe(): AsyncIterable<RunEventMessage> {
    return this.redis.subscribe();
  }

  close(): Promise<void> {
    return this.redis.close();
  }
}

export class EventWriter {
  /** Events written by the paced run so far. */
  written = 0;

  private constructor(
    private readonly database: Database,
    private readonly bus: TimedBus,
    private readonly services: Services,
    private readonly target: { projectId: string; workflowId: string },
  ) {}

  static async open(settings: { databaseUrl: string; redisUrl: string; dataDir: string }): Promise<EventWriter> {
    const logger = pino({ level: 'warn' });
    const database = await openDatabase({ provider: 'postgresql', url: settings.databaseUrl }, logger);
    // The server's channel: Redis state is namespaced by the database's instance id.
    const redis = new RedisRunEventBus({ url: settings.redisUrl, namespace: await databaseInstanceId(database.reader), logger });
    try {
      await redis.connect();
    } catch (error) {
      await redis.close();
      await database.close();
      throw new BenchFailure(`cannot connect to Redis at ${settings.redisUrl}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const bus = new TimedBus(redis);
    const services = composeServices({
      db: database.db,
      reader: database.reader,
      writer: database.writer,
      logConnection: database.logs,
      clock: systemClock,
      bus,
      logger,
      dataDir: settings.dataDir,
      engine: { ...TEST_ENGINE, maxActiveRuns: 1, maxParallelSteps: 1, maxParallelStepsPerRun: 1, stepLogMaxBytes: 1024 * 1024, killGraceMs: 1000 },
      history: { snapshotHorizonMs: 3_600_000, answerCacheBytes: 0, subscriptionBuffer: 1_000, replayMaxEvents: 100_000, countsIntervalMs: 250 },
      access: TEST_ACCESS,
      workflowMaxBytes: 256 * 1024,
      expectedMigrations: [],
      alertAllowPrivateTargets: false,
    });
    const { project, workflow } = await createProjectWithWorkflow(services, []);
    return new EventWriter(database, bus, services, { projectId: project.id, workflowId: workflow.id });
  }

  /** One event outside the timed window; returns its seq. */
  async warmUp(): Promise<number> {
    const run = await this.services.recorder.createRun({ ...this.target, trigger: 'MANUAL', steps: [] });
    return Number(run.lastSeq);
  }

  /**
   * Writes the schedule's events, each no earlier than it is due, with `loops` writer loops so
   * that one slow commit does not hold back the next due event. Loops that fall behind write at
   * once, and stop when the schedule's time is up: the events written then are base+1 …
   * base+written (every write started is awaited), and the achieved rate is what the caller reports.
   */
  async writePaced(schedule: Schedule, base: number, loops: number): Promise<WrittenEvents> {
    const commitMs = new Float64Array(schedule.events).fill(Number.NaN);
    const steps = new Uint8Array(schedule.events);
    let next = 0;
    let lastCommitMs = Number.NaN;
    let failed = false;
    this.bus.onPublish = (seq, atMs) => {
      const index = seq - base - 1;
      if (index >= 0 && index < schedule.events) commitMs[index] = atMs;
      if (!(lastCommitMs >= atMs)) lastCommitMs = atMs;
    };
    const endMs = dueMs(schedule, schedule.events);
    const loop = async () => {
      let runId = '';
      let step = 0;
      while (next < schedule.events && !failed && nowMs() < endMs) {
        const slot = next;
        next += 1;
        await sleepUntil(dueMs(schedule, slot));
        const run = await this.record(runId, step);
        const index = Number(run.lastSeq) - base - 1;
        if (index < 0 || index >= schedule.events || Number.isNaN(commitMs[index])) {
          throw new BenchFailure(`the writer got seq ${run.lastSeq}, not one of ${base + 1}…${base + schedule.events} it published: does something else write to the bench database?`);
        }
        steps[index] = step;
        this.written += 1;
        runId = run.id;
        step = (step + 1) % RUN_STEPS.length;
      }
    };
    try {
      await Promise.all(
        Array.from({ length: loops }, () =>
          loop().catch((error: unknown) => {
            failed = true;
            throw error;
          }),
        ),
      );
    } finally {
      this.bus.onPublish = null;
    }
    return { startMs: schedule.startMs, base, commitMs: commitMs.slice(0, this.written), steps, written: this.written, lastCommitMs };
  }

  async close(): Promise<void> {
    await this.bus.close();
    await this.database.close();
  }

  private record(runId: string, step: number): Promise<RunRecord> {
    const { recorder } = this.services;
    if (step === 0) return recorder.createRun({ ...this.target, trigger: 'MANUAL', steps: [] });
    return recorder.recordTransition({ runId, to: RUN_STEPS[step]?.to === 'RUNNING' ? 'RUNNING' : 'SUCCEEDED' });
  }
}
