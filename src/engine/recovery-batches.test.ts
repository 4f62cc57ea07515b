import type { Services } from '../composition.ts';
import type { Clock } from '../domain/clock.ts';
import type { Database } from '../db/client.ts';
import { judgeLostRun } from '../domain/execution/lost-run.ts';
import { stepStatusOf } from '../domain/status.ts';
import { StoredSpecs } from '../services/stored-specs.ts';
import { composeTestServices, TEST_ENGINE } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { waitForRunEnd } from '../test/engine-helpers.ts';
import { ADMIN_PRINCIPAL } from '../test/principals.ts';
import { busyPastStretch, seederFor } from '../test/seeder.ts';

/** Time that passes a whole lease at every look: each batch of a recovery finds the claims of the batches before it expired. */
class LeaseOutrunningClock implements Clock {
  private at = Date.now();

  now(): Date {
    this.at += TEST_ENGINE.leaseMs;
    return new Date(this.at);
  }
}

interface Crashed {
  lost: string[];
  /** The lost runs the retry policy of every step they had running sends back to the queue. */
  requeued: Set<string>;
  waiting: { id: string; fence: number; step: string }[];
}

/** A fresh database with a seeded history that a crash left with over a hundred RUNNING runs and dozens WAITING: each more than a batch. */
function useCrashedHistory(provider: (typeof PROVIDERS)[number]): { database: ReturnType<typeof useMigratedDatabase>; crashed: () => Crashed } {
  const database = useMigratedDatabase(provider);
  let crashed: Crashed | null = null;
  beforeAll(async () => {
    await seederFor(database()).seed({ runs: 3_000, seed: 3, ...busyPastStretch(30) });
    const { db } = database();
    const lost = await db.run.findMany({
      where: { status: 'RUNNING' },
      select: { id: true, steps: { select: { name: true, status: true, attempt: true } }, version: { select: { definition: true, hash: true } }, workflow: { select: { name: true } } },
    });
    const waiting = await db.run.findMany({ where: { status: 'WAITING' }, select: { id: true, fence: true, steps: { where: { status: 'WAITING' }, select: { name: true } } } });
    const specs = new StoredSpecs();
    const requeued = lost.filter(({ steps, version, workflow }) => {
      const stored = steps.map((step) => ({ ...step, status: stepStatusOf(step.status, 'a seeded step') }));
      return judgeLostRun(stored, version ? specs.of(version, workflow.name) : null).kind === 'requeue';
    });
    crashed = {
      lost: lost.map((run) => run.id),
      requeued: new Set(requeued.map((run) => run.id)),
      waiting: waiting.map((run) => ({ id: run.id, fence: run.fence, step: run.steps[0]?.name ?? '' })),
    };
  });
  return {
    database,
    crashed: () => {
      if (!crashed) throw new Error('the history is seeded in beforeAll');
      return crashed;
    },
  };
}

async function recovered(database: Database, clock?: Clock): Promise<Services> {
  const services = composeTestServices(database, { clock });
  await services.engine.start({ recover: true });
  return services;
}

describe.each(PROVIDERS)('start-up recovery in batches on %s', (provider) => {
  describe('a recovery that outlasts the lease', () => {
    const { database, crashed } = useCrashedHistory(provider);

    it('takes each run over once and holds every waiting run', async () => {
      const services = await recovered(database(), new LeaseOutrunningClock());
      try {
        const { lost, waiting } = crashed();
        const after = await database().db.run.findMany({ where: { id: { in: waiting.map(({ id }) => id) } }, select: { id: true, status: true, fence: true } });
        const fenceBefore = new Map(waiting.map(({ id, fence }) => [id, fence]));

        expect(lost.length).toBeGreaterThan(100);
        expect(waiting.length).toBeGreaterThan(50);
        expect(after.filter((run) => run.status !== 'WAITING' || run.fence !== (fenceBefore.get(run.id) ?? 0) + 1)).toEqual([]);
      } finally {
        await services.engine.stop('test over');
      }
    });
  });

  describe('after a restart', () => {
    const { database, crashed } = useCrashedHistory(provider);

    it('settles every lost run by its retry policy, and each held waiting run goes on at its decision: approved (after one about a step that does not wait), rejected or cancelled', async () => {
      const services = await recovered(database());
      try {
        const { lost, requeued, waiting } = crashed();
        const failed = lost.filter((id) => !requeued.has(id));
        const lostAfter = await services.repositories.runs.listByIds(failed);
        const unfinishedSteps = await database().db.stepRun.count({ where: { runId: { in: failed }, status: { in: ['NOT_STARTED', 'RUNNING', 'WAITING'] } } });
        const requeueEvents = await database().db.runEvent.findMany({ where: { runId: { in: lost }, kind: 'RUN', to: 'QUEUED', message: { startsWith: 'executor lost: requeued' } }, select: { runId: true } });
        const [approved, rejected, cancelled] = waiting;
        if (!approved || !rejected || !cancelled) throw new Error('the seed left fewer than three runs waiting');

        const wrongStep = await services.control.approveStep(ADMIN_PRINCIPAL, approved.id, `${approved.step}-not-waiting`).catch((error: unknown) => error);
        await services.control.approveStep(ADMIN_PRINCIPAL, approved.id, approved.step);
        await services.control.rejectStep(ADMIN_PRINCIPAL, rejected.id, rejected.step, 'not today');
        await services.control.cancelRun(ADMIN_PRINCIPAL, cancelled.id);

        expect(failed.length).toBeGreaterThan(50);
        expect(requeued.size).toBeGreaterThan(0);
        expect(new Set(lostAfter.map((run) => `${run.status}: ${run.error}`))).toEqual(new Set(['FAILED: executor lost']));
        expect(unfinishedSteps).toBe(0);
        expect(new Set(requeueEvents.map((event) => event.runId))).toEqual(requeued);
        expect(wrongStep).toMatchObject({ code: 'CONFLICT' });
        expect((await waitForRunEnd(services, approved.id)).status).toBe('SUCCEEDED');
        expect((await waitForRunEnd(services, rejected.id)).status).toBe('REJECTED');
        expect((await waitForRunEnd(services, cancelled.id)).status).toBe('ABORTED');
      } finally {
        await services.engine.stop('test over');
      }
    });
  });
});
