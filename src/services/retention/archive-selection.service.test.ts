import type { Services } from '../../composition.ts';
import { Prisma } from '../../generated/sqlite/client.ts';
import type { ReadSession } from '../../db/history-reader.ts';
import { hotReason } from '../../domain/retention/hot-rules.ts';
import { DAY_MS, type RetentionPolicy } from '../../domain/retention/retention-policy.ts';
import { RUN_STATUSES, type RunStatus } from '../../domain/status.ts';
import { composeTestServices } from '../../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../../test/database-suite.ts';
import { saveTestWorkflow } from '../../test/engine-helpers.ts';
import { ManualClock } from '../../test/manual-clock.ts';
import { ADMIN_PRINCIPAL } from '../../test/principals.ts';
import type { WorkflowRecord } from '../../repositories/workflow.repository.ts';

const CUTOFF = new Date('2026-11-30T12:00:00.000Z');
const SETTINGS: RetentionPolicy = { hotDays: 30, archiveDays: null, keepLastRuns: 2, keepFailedForDays: 90 };
const STEPS = 'steps:\n  - name: a\n    command: "true"\n';

/** The transitions that lead a new run to each status. */
const PATH_TO: Record<RunStatus, RunStatus[]> = {
  QUEUED: [],
  RUNNING: ['RUNNING'],
  WAITING: ['RUNNING', 'WAITING'],
  SUCCEEDED: ['RUNNING', 'SUCCEEDED'],
  PARTIALLY_SUCCEEDED: ['RUNNING', 'PARTIALLY_SUCCEEDED'],
  FAILED: ['RUNNING', 'FAILED'],
  ABORTED: ['ABORTED'],
  REJECTED: ['RUNNING', 'REJECTED'],
};

interface MadeRun {
  id: string;
  workflowId: string;
  projectId: string;
  status: RunStatus;
  createdAt: Date;
}

/** A run created `daysOld` before the cut-off, then led to `status`, through the one writer of history. */
async function runAt(services: Services, clock: ManualClock, workflow: WorkflowRecord, daysOld: number, status: RunStatus): Promise<MadeRun> {
  clock.set(new Date(CUTOFF.getTime() - daysOld * DAY_MS));
  const run = await services.recorder.createRun({ projectId: workflow.projectId, workflowId: workflow.id, trigger: 'API', steps: [] });
  for (const to of PATH_TO[status]) await services.recorder.recordTransition({ runId: run.id, to });
  return { id: run.id, workflowId: workflow.id, projectId: workflow.projectId, status, createdAt: run.createdAt };
}

/** Another workflow in the project of `beside`. */
async function saveBeside(services: Services, beside: WorkflowRecord, name: string, yaml: string): Promise<WorkflowRecord> {
  const result = await services.workflows.load({ projectId: beside.projectId, yaml, source: 'api', defaultName: name });
  if (!result.ok) throw new Error(result.message);
  return result.workflow;
}

async function streamed(services: Services, projectId: string | null, batchSize?: number): Promise<{ ids: string[]; batches: number[] }> {
  const ids: string[] = [];
  const batches: number[] = [];
  for await (const batch of services.archiveSelection.archivableRuns(projectId, CUTOFF, batchSize)) {
    batches.push(batch.length);
    ids.push(...batch.map((run) => run.id));
  }
  return { ids, batches };
}

describe.each(PROVIDERS)('what archival would move, on %s', (provider) => {
  const database = useMigratedDatabase(provider);

  function compose(settings: RetentionPolicy = SETTINGS) {
    const clock = new ManualClock(CUTOFF);
    return { clock, services: composeTestServices(database(), { clock, retention: settings }) };
  }

  it('moves old finished runs and keeps active, young, recently failed and latest runs', async () => {
    const { clock, services } = compose();
    const workflow = await saveTestWorkflow(services, STEPS);
    const oldFailure = await runAt(services, clock, workflow, 120, 'FAILED');
    const oldSuccess = await runAt(services, clock, workflow, 100, 'SUCCEEDED');
    await runAt(services, clock, workflow, 95, 'RUNNING');
    await runAt(services, clock, workflow, 94, 'QUEUED');
    await runAt(services, clock, workflow, 93, 'WAITING');
    await runAt(services, clock, workflow, 80, 'FAILED');
    const oldAbort = await runAt(services, clock, workflow, 40, 'ABORTED');
    const oldRejection = await runAt(services, clock, workflow, 35, 'REJECTED');
    await runAt(services, clock, workflow, 20, 'SUCCEEDED');
    await runAt(services, clock, workflow, 10, 'SUCCEEDED');
    await runAt(services, clock, workflow, 5, 'FAILED');

    const moved = await streamed(services, workflow.projectId);
    const counts = await services.archiveSelection.count(workflow.projectId, CUTOFF);

    expect(moved.ids).toEqual([oldFailure.id, oldSuccess.id, oldAbort.id, oldRejection.id]);
    expect(counts.sort((a, b) => a.status.localeCompare(b.status))).toEqual([
      { projectId: workflow.projectId, status: 'ABORTED', count: 1 },
      { projectId: workflow.projectId, status: 'FAILED', count: 1 },
      { projectId: workflow.projectId, status: 'REJECTED', count: 1 },
      { projectId: workflow.projectId, status: 'SUCCEEDED', count: 1 },
    ]);
  });

  it("keeps a workflow's latest runs whatever their age, and all of a workflow with fewer runs than that", async () => {
    const { clock, services } = compose({ ...SETTINGS, keepLastRuns: 3 });
    const busy = await saveTestWorkflow(services, STEPS);
    const quiet = await saveTestWorkflow(services, STEPS);
    const oldest = await runAt(services, clock, busy, 400, 'SUCCEEDED');
    for (const days of [300, 200, 100]) await runAt(services, clock, busy, days, 'SUCCEEDED');
    for (const days of [300, 200]) await runAt(services, clock, quiet, days, 'SUCCEEDED');

    expect((await streamed(services, busy.projectId)).ids).toEqual([oldest.id]);
    expect((await streamed(services, quiet.projectId)).ids).toEqual([]);
  });

  it('counts the runs of the latest ones that share a creation time by id, as every history cursor does', async () => {
    const { clock, services } = compose({ ...SETTINGS, keepLastRuns: 2 });
    const workflow = await saveTestWorkflow(services, STEPS);
    // Created in one millisecond: ids made then count up, so the first is the oldest.
    const [first, second, third] = [await runAt(services, clock, workflow, 50, 'SUCCEEDED'), await runAt(services, clock, workflow, 50, 'SUCCEEDED'), await runAt(services, clock, workflow, 50, 'SUCCEEDED')];

    expect(first && second && third && first.createdAt.getTime() === third.createdAt.getTime()).toBe(true);
    expect((await streamed(services, workflow.projectId)).ids).toEqual([first?.id]);
  });

  it('follows the policies set for the instance, the project and the workflow, and the workflow definition over them', async () => {
    const { clock, services } = compose({ ...SETTINGS, keepLastRuns: 0 });
    const plain = await saveTestWorkflow(services, STEPS);
    const shortLived = await saveBeside(services, plain, 'short-lived', `histRetentionDays: 5\n${STEPS}`);
    const overridden = await saveBeside(services, plain, 'overridden', STEPS);
    const runs = {
      plain: await runAt(services, clock, plain, 20, 'SUCCEEDED'),
      shortLived: await runAt(services, clock, shortLived, 6, 'SUCCEEDED'),
      overridden: await runAt(services, clock, overridden, 20, 'SUCCEEDED'),
    };
    clock.set(CUTOFF);
    await services.retention.set(ADMIN_PRINCIPAL, { hotDays: 60 });
    await services.retention.set(ADMIN_PRINCIPAL, { projectId: plain.projectId, hotDays: 10 });
    await services.retention.set(ADMIN_PRINCIPAL, { workflowId: overridden.id, hotDays: 25 });

    const moved = await streamed(services, plain.projectId);

    // Workflow by workflow, by name: overridden (kept for 25 days), short-lived (its definition's 5), then the plain one (its project's 10).
    expect(moved.ids).toEqual([runs.shortLived.id, runs.plain.id]);
    await services.retention.set(ADMIN_PRINCIPAL, {});
  });

  it('hands out every archivable run once, in batches, oldest first within each workflow, and counts exactly them (random histories against the rules)', async () => {
    const { clock, services } = compose({ ...SETTINGS, keepLastRuns: 0 });
    const random = seeded(15);
    const first = await saveTestWorkflow(services, STEPS);
    const workflows = [first, await saveBeside(services, first, 'second', STEPS), await saveBeside(services, first, 'counted', `histRetentionRuns: 4\n${STEPS}`)];
    const policies = new Map<string, RetentionPolicy>();
    const made: MadeRun[] = [];
    for (const workflow of workflows) {
      const own = { hotDays: random.int(0, 40), keepLastRuns: random.int(0, 6), keepFailedForDays: random.int(0, 120) };
      clock.set(CUTOFF);
      if (workflow.name === 'counted') {
        await services.retention.set(ADMIN_PRINCIPAL, { workflowId: workflow.id, keepFailedForDays: own.keepFailedForDays });
        policies.set(workflow.id, { ...SETTINGS, hotDays: 0, keepLastRuns: 4, keepFailedForDays: own.keepFailedForDays });
      } else {
        await services.retention.set(ADMIN_PRINCIPAL, { workflowId: workflow.id, ...own });
        policies.set(workflow.id, { ...SETTINGS, ...own });
      }
      let daysOld = 150;
      for (let index = 0; index < 40; index += 1) {
        // A few runs share their creation time with the one before.
        if (random.int(0, 4) > 0) daysOld -= random.int(0, 800) / 100;
        made.push(await runAt(services, clock, workflow, Math.max(daysOld, 0), RUN_STATUSES[random.int(0, RUN_STATUSES.length - 1)] ?? 'SUCCEEDED'));
      }
    }
    const byName = [...workflows].sort((a, b) => a.name.localeCompare(b.name));
    const expected = byName.flatMap((workflow) => {
      const policy = policies.get(workflow.id) ?? SETTINGS;
      const own = made.filter((run) => run.workflowId === workflow.id).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
      return own.filter((run, index) => hotReason(run, own.length - 1 - index, policy, CUTOFF) === null);
    });

    const moved = await streamed(services, first.projectId, 3);
    const counts = await services.archiveSelection.count(first.projectId, CUTOFF);

    expect(expected.length).toBeGreaterThan(10);
    expect(moved.ids).toEqual(expected.map((run) => run.id));
    expect(moved.batches.every((size) => size <= 3)).toBe(true);
    expect(Object.fromEntries(counts.map((count) => [count.status, count.count]))).toEqual(tally(expected.map((run) => run.status)));
  });

  it('reads each batch along the (workflowId, createdAt, id) index and counts along the (workflowId, status, createdAt, id) one, sorting nothing', async () => {
    const { clock, services } = compose({ ...SETTINGS, keepLastRuns: 1 });
    const workflow = await saveTestWorkflow(services, STEPS);
    for (const days of [90, 80, 70]) await runAt(services, clock, workflow, days, 'SUCCEEDED');
    const statements: Prisma.Sql[] = [];
    const recording = (session: ReadSession): ReadSession => ({ all: (query) => (statements.push(query), session.all(query)), encoded: (query, encoding) => (statements.push(query), session.encoded(query, encoding)) });
    const [bounds] = await database().reader.read(async (session) => {
      const kept = await services.repositories.archiveSelection.oldestKeptRuns(recording(session), [{ workflowId: workflow.id, keepLastRuns: 1 }]);
      const position = kept.get(workflow.id);
      return position ? [{ workflowId: workflow.id, bounds: { before: position, failedBefore: position } }] : [];
    });
    if (!bounds) throw new Error('The workflow has no kept run');
    await services.repositories.archiveSelection.archivableBatch(recording(database().reader), bounds, { createdAt: new Date(0), id: 'run_0' }, 10);
    await database().reader.read((session) => services.repositories.archiveSelection.countArchivable(recording(session), bounds));

    const plans = await Promise.all(statements.map((statement) => planOf(statement)));

    expect(plans.every((plan) => !/TEMP B-TREE|Sort|Seq Scan/i.test(plan))).toBe(true);
    // On PostgreSQL the index of the partition that holds the runs ("Run_default_…" for these old ones).
    expect(plans[1]).toMatch(/Run_(\w+_)?workflowId_createdAt_id_idx/);
    expect(plans[2]).toMatch(/Run_(\w+_)?workflowId_status_createdAt_id_idx/);
  });

  /** The plan of a statement: SQLite's EXPLAIN QUERY PLAN; PostgreSQL's EXPLAIN with scans of whole tables off, as at scale. */
  async function planOf(statement: Prisma.Sql): Promise<string> {
    if (provider === 'sqlite') return (await database().reader.all(Prisma.sql`EXPLAIN QUERY PLAN ${statement}`)).map((row) => String(row.detail)).join('\n');
    return database().reader.read(async (session) => {
      await session.all(Prisma.sql`SET LOCAL enable_seqscan = off`);
      await session.all(Prisma.sql`SET LOCAL enable_bitmapscan = off`);
      return (await session.all(Prisma.sql`EXPLAIN ${statement}`)).map((row) => String(row['QUERY PLAN'])).join('\n');
    });
  }
});

function tally(statuses: readonly RunStatus[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** A small deterministic generator, so a failure repeats. */
function seeded(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return { int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}
