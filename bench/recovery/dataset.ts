// What a crash leaves for recovery: `runtrail seed` writes the finished history (and the seeded
// workflows), then the bench adds the active runs of an executor that is gone, in bulk through
// the seeder's writer (so events, rollups and the event counter stay in step), and marks them
// claimed by it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pino from 'pino';
import { openDatabase, type Database } from '../../src/db/client.ts';
import type { DatabaseConfig } from '../../src/db/provider.ts';
import { newId } from '../../src/domain/ids.ts';
import type { SeedRun } from '../../src/seed/history-plan.ts';
import { HistoryWriter, type PendingRun } from '../../src/seed/history-writer.ts';
import type { PlannedEvent, PlannedStep } from '../../src/seed/run-planner.ts';
import { SEED_DEFAULTS } from '../../src/seed/history-seeder.ts';
import { workflowProfile, type SeedStepShape } from '../../src/seed/workflow-profile.ts';
import { BenchFailure } from '../shared/bench-failure.ts';
import { REPOSITORY_ROOT } from '../shared/server-process.ts';

/** Runs written per transaction. */
const BATCH = 2_000;
// Events of one run lie this far apart.
const EVENT_GAP_MS = 1;
// The active runs were created within this span before now, and their last event lies this far before now at least.
const RECENT_MS = 10 * 60 * 1000;
const SETTLE_MS = 1_000;

export interface ActiveRuns {
  running: number;
  waiting: number;
  /** Every run the bench added was created at or after this; the seeded history before it. */
  createdFrom: Date;
}

interface SeededWorkflow {
  id: string;
  projectId: string;
  versionId: string;
  steps: readonly SeedStepShape[];
}

/** `runtrail seed --runs N` itself, into the data directory and database the server will use. */
export function seedHistory(runs: number, env: { DATA_DIR: string; DATABASE_URL: string }): void {
  const result = spawnSync(process.execPath, [path.join(REPOSITORY_ROOT, 'bin', 'runtrail'), 'seed', '--runs', String(runs)], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new BenchFailure(`runtrail seed --runs ${runs} failed (exit ${result.status ?? result.signal})`);
}

/**
 * Adds `running` runs left RUNNING (the steps before one SUCCEEDED, that one RUNNING, the rest
 * NOT_STARTED) and `waiting` runs left WAITING at the approval step of a deploy workflow, all
 * claimed by `owner` until `leaseExpiresAt`, created after the seeded history and before now.
 */
export async function addActiveRuns(
  config: DatabaseConfig,
  counts: { running: number; waiting: number },
  claim: { owner: string; leaseExpiresAt: Date },
): Promise<ActiveRuns> {
  const database = await openDatabase(config, pino({ level: 'warn' }));
  try {
    const workflows = await seededWorkflows(database);
    const withApproval = workflows.filter((workflow) => workflow.steps.some((step) => step.approval));
    if (withApproval.length === 0) throw new BenchFailure('the seeded workflows have no approval step');
    const writer = new HistoryWriter({ db: database.db, writer: database.writer });
    const head = await writer.readHead();
    const total = counts.running + counts.waiting;
    const now = Date.now();
    const latest = await latestEventAt(database);
    // After the seeded history and before now: runs of the same millisecond are told apart by their ids.
    const createdFrom = Math.max(latest + 1, now - RECENT_MS);
    const span = Math.max(0, now - SETTLE_MS - createdFrom);
    let seq = head.seq;
    let batch: PendingRun[] = [];
    for (let ordinal = 0; ordinal < total; ordinal += 1) {
      const createdAt = createdFrom + Math.floor((ordinal * span) / total);
      // Alternating while there are both, as a busy executor's runs would come.
      const waits = ordinal % 2 === 1 ? ordinal < 2 * counts.waiting : ordinal >= 2 * counts.running;
      const pool = waits ? withApproval : workflows;
      const workflow = pool[ordinal % pool.length];
      if (!workflow) throw new BenchFailure('no seeded workflow');
      const run = waits ? waitingRun(workflow, ordinal, createdAt) : runningRun(workflow, ordinal, createdAt);
      const seqs = run.events.map(() => (seq += 1));
      batch.push({ run, numbered: run.events.length, seqs });
      if (batch.length === BATCH || ordinal === total - 1) {
        await writer.write(batch, ordinal === total - 1 ? { expected: head.counter, value: seq } : null);
        batch = [];
      }
    }
    await markClaimed(database, createdFrom, claim);
    await writer.analyze();
    return { ...counts, createdFrom: new Date(createdFrom) };
  } finally {
    await database.close();
  }
}

async function seededWorkflows(database: Database): Promise<SeededWorkflow[]> {
  const found: SeededWorkflow[] = [];
  for (let projectIndex = 0; projectIndex < SEED_DEFAULTS.projects; projectIndex += 1) {
    for (let workflowIndex = 0; workflowIndex < SEED_DEFAULTS.workflowsPerProject; workflowIndex += 1) {
      const profile = workflowProfile(projectIndex, workflowIndex);
      const workflow = await database.db.workflow.findFirst({ where: { name: profile.name, project: { slug: `seed-${projectIndex + 1}` } } });
      if (!workflow) throw new BenchFailure(`the seeded workflow ${profile.name} of seed-${projectIndex + 1} is missing`);
      const version = await database.db.workflowVersion.findFirst({ where: { workflowId: workflow.id, hash: workflow.hash } });
      if (!version) throw new BenchFailure(`the seeded workflow ${profile.name} has no version of its definition`);
      found.push({ id: workflow.id, projectId: workflow.projectId, versionId: version.id, steps: profile.steps });
    }
  }
  return found;
}

/** The seeder numbers events in time order: the last by seq is the latest. */
async function latestEventAt(database: Database): Promise<number> {
  const latest = await database.db.runEvent.findFirst({ orderBy: { seq: 'desc' }, select: { at: true } });
  return latest?.at.getTime() ?? 0;
}

/** A run's row, steps and events as the recorder leaves them, built one change at a time. */
class ActiveRun {
  readonly steps: PlannedStep[];
  readonly events: PlannedEvent[] = [];
  status: SeedRun['status'] = 'QUEUED';
  startedAt: number | null = null;
  private at: number;

  constructor(
    private readonly workflow: SeededWorkflow,
    private readonly createdAt: number,
  ) {
    this.at = createdAt;
    this.steps = workflow.steps.map((step) => ({ name: step.name, status: 'NOT_STARTED', startedAt: null, finishedAt: null, exitCode: null, attempt: 0, error: null }));
    this.events.push({ kind: 'RUN', step: null, from: null, to: 'QUEUED', at: createdAt, message: 'Run created', actor: null });
  }

  run(to: SeedRun['status'], message: string | null = null): void {
    this.at += EVENT_GAP_MS;
    if (to === 'RUNNING' && this.startedAt === null) this.startedAt = this.at;
    this.events.push({ kind: 'RUN', step: null, from: this.status, to, at: this.at, message, actor: null });
    this.status = to;
  }

  step(index: number, to: PlannedStep['status'], message: string | null = null): void {
    const step = this.steps[index];
    if (!step) throw new BenchFailure(`no step ${index}`);
    this.at += EVENT_GAP_MS;
    this.events.push({ kind: 'STEP', step: index, from: step.status, to, at: this.at, message, actor: null });
    if (to === 'RUNNING') {
      step.startedAt = this.at;
      step.attempt += 1;
    } else if (to === 'SUCCEEDED') {
      step.finishedAt = this.at;
      step.exitCode = 0;
    }
    step.status = to;
  }

  seedRun(ordinal: number): SeedRun {
    const at = new Date(this.createdAt);
    return {
      status: this.status,
      startedAt: this.startedAt,
      finishedAt: null,
      durationMs: null,
      error: null,
      steps: this.steps,
      events: this.events,
      ordinal,
      id: newId('run', at),
      projectId: this.workflow.projectId,
      workflowId: this.workflow.id,
      versionId: this.workflow.versionId,
      trigger: 'SCHEDULER',
      params: null,
      attempt: 1,
      retryOfId: null,
      createdAt: this.createdAt,
      stepIds: this.steps.map(() => newId('step', at)),
    };
  }
}

/** Its first steps done and one RUNNING (which one varies), when its executor went away. */
function runningRun(workflow: SeededWorkflow, ordinal: number, createdAt: number): SeedRun {
  const life = new ActiveRun(workflow, createdAt);
  life.run('RUNNING');
  const commands = workflow.steps.flatMap((step, index) => (step.approval ? [] : [index]));
  const current = commands[ordinal % commands.length] ?? 0;
  for (const index of commands) {
    if (index > current) break;
    life.step(index, 'RUNNING');
    if (index < current) life.step(index, 'SUCCEEDED');
  }
  return life.seedRun(ordinal);
}

/** Every step before the approval SUCCEEDED, the approval WAITING, the run WAITING. */
function waitingRun(workflow: SeededWorkflow, ordinal: number, createdAt: number): SeedRun {
  const life = new ActiveRun(workflow, createdAt);
  life.run('RUNNING');
  const approval = workflow.steps.findIndex((step) => step.approval);
  for (let index = 0; index < approval; index += 1) {
    life.step(index, 'RUNNING');
    life.step(index, 'SUCCEEDED');
  }
  life.step(approval, 'WAITING', 'Waiting for approval');
  life.run('WAITING', `Step "${workflow.steps[approval]?.name ?? '?'}" waits for approval`);
  return life.seedRun(ordinal);
}

/** The claims of the gone executor on the runs the bench added (the seeder writes no claims). */
async function markClaimed(database: Database, createdFrom: number, claim: { owner: string; leaseExpiresAt: Date }): Promise<void> {
  // Times as each provider stores them: integer ms in SQLite, timestamp(3) holding UTC in PostgreSQL.
  const [from, expires] =
    database.provider === 'sqlite'
      ? [String(createdFrom), String(claim.leaseExpiresAt.getTime())]
      : [`'${new Date(createdFrom).toISOString().replace('Z', '')}'`, `'${claim.leaseExpiresAt.toISOString().replace('Z', '')}'`];
  const owner = database.provider === 'sqlite' ? '?' : '$1';
  await database.db.$executeRawUnsafe(
    `UPDATE "Run" SET "leaseOwner" = ${owner}, "leaseExpiresAt" = ${expires}, fence = 1 WHERE "createdAt" >= ${from} AND status IN ('RUNNING', 'WAITING')`,
    claim.owner,
  );
}
