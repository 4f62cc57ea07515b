import type { Services } from '../composition.ts';
import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { createProjectWithWorkflow } from '../test/factories.ts';

describe.each(PROVIDERS)('claims on runs on %s', (provider) => {
  const database = useMigratedDatabase(provider);
  let services: Services;

  beforeAll(() => {
    services = composeTestServices(database());
  });

  async function queue(count: number) {
    const { project, workflow } = await createProjectWithWorkflow(services, ['a']);
    const runs = [];
    for (let index = 0; index < count; index += 1) runs.push(await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['a'] }));
    return { workflowId: workflow.id, runs };
  }

  it('holds the global limit and each workflow\'s limit over executors that claim at the same time', async () => {
    const busy = await queue(8);
    const other = await queue(8);
    const now = new Date();
    const candidates = [...busy.runs.map((run) => ({ id: run.id, workflowId: busy.workflowId, workflowLimit: 2 })), ...other.runs.map((run) => ({ id: run.id, workflowId: other.workflowId, workflowLimit: 5 }))];
    const claim = (executorId: string) =>
      services.repositories.claims.claim({ executorId, now, leaseExpiresAt: new Date(now.getTime() + 60_000), want: 10, globalLimit: 6, candidates });

    const claimed = (await Promise.all(['executor-a', 'executor-b', 'executor-c'].map(claim))).flat();

    expect(claimed).toHaveLength(6);
    expect(new Set(claimed.map((run) => run.id)).size).toBe(6);
    expect(claimed.filter((run) => run.workflowId === busy.workflowId)).toHaveLength(2);
    expect(claimed.every((run) => run.fence === 1 && run.leaseOwner !== null)).toBe(true);
  });

  it('takes over a claim that expired, with a new fencing token, and leaves a live one alone', async () => {
    const { workflowId, runs } = await queue(2);
    const [expiring, live] = runs;
    const now = new Date();
    const candidates = runs.map((run) => ({ id: run.id, workflowId, workflowLimit: 5 }));
    await services.repositories.claims.claim({ executorId: 'gone', now, leaseExpiresAt: new Date(now.getTime() + 1_000), want: 1, globalLimit: 100, candidates: candidates.slice(0, 1) });
    await services.repositories.claims.claim({ executorId: 'alive', now, leaseExpiresAt: new Date(now.getTime() + 60_000), want: 1, globalLimit: 100, candidates: candidates.slice(1) });
    for (const run of runs) await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });

    const { taken } = await services.repositories.claims.takeOverExpired({ executorId: 'survivor', now: new Date(now.getTime() + 5_000), leaseExpiresAt: new Date(now.getTime() + 65_000), limit: 100, after: null });

    expect(taken.map(({ run, previousOwner }) => [run.id, previousOwner, run.leaseOwner, run.fence])).toEqual([[expiring?.id, 'gone', 'survivor', 2]]);
    expect((await services.repositories.runs.findById(live?.id ?? ''))?.status).toBe('RUNNING');
    const renewed = await services.repositories.claims.renew('alive', [live?.id ?? '', expiring?.id ?? ''], new Date(now.getTime() + 120_000));
    expect([...renewed]).toEqual([live?.id]);
  });

  it('takes over, page by page, every run whose claim is dead exactly once, and no run whose claim is alive', async () => {
    const { workflowId, runs } = await queue(9);
    const now = new Date();
    const claim = (executorId: string, leaseMs: number, claimed: typeof runs) =>
      services.repositories.claims.claim({
        executorId,
        now,
        leaseExpiresAt: new Date(now.getTime() + leaseMs),
        want: claimed.length,
        globalLimit: 100,
        candidates: claimed.map((run) => ({ id: run.id, workflowId, workflowLimit: 100 })),
      });
    // Dead: four RUNNING, two WAITING, one claimed but never started. Alive: one RUNNING, one WAITING.
    const dead = runs.slice(0, 7);
    const alive = runs.slice(7);
    await claim('gone', 1_000, dead);
    await claim('alive', 60_000, alive);
    for (const run of [...runs.slice(0, 6), ...alive]) await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    for (const run of [runs[4], runs[5], runs[8]]) await services.recorder.recordTransition({ runId: run?.id ?? '', to: 'WAITING' });

    const taken: string[] = [];
    const request = { executorId: 'survivor', now: new Date(now.getTime() + 5_000), leaseExpiresAt: new Date(now.getTime() + 65_000), limit: 2 };
    let page = await services.repositories.claims.takeOverExpired({ ...request, after: null });
    taken.push(...page.taken.map(({ run }) => run.id));
    for (let pages = 1; page.next && pages < 10; pages += 1) {
      page = await services.repositories.claims.takeOverExpired({ ...request, after: page.next });
      taken.push(...page.taken.map(({ run }) => run.id));
    }

    expect(page.next).toBeNull();
    expect(taken.toSorted()).toEqual(dead.map((run) => run.id).toSorted());
    expect([...(await services.repositories.claims.renew('alive', alive.map((run) => run.id), new Date(now.getTime() + 120_000)))].toSorted()).toEqual(alive.map((run) => run.id).toSorted());
  });
});

