import type { Services } from '../composition.ts';
import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { saveTestWorkflow } from '../test/engine-helpers.ts';

const TWO_GATES = 'steps:\n  - name: gate\n    type: approval\n  - name: other\n    depends: []\n    type: approval\n';

describe.each(PROVIDERS)('approval decisions on %s', (provider) => {
  const database = useMigratedDatabase(provider);

  /** A run WAITING at both gates, held by `executorId`. */
  async function waitingRunHeldBy(services: Services, executorId: string): Promise<{ runId: string; stepRunIds: Record<'gate' | 'other', string> }> {
    const workflow = await saveTestWorkflow(services, TWO_GATES);
    const run = await services.recorder.createRun({ projectId: workflow.projectId, workflowId: workflow.id, trigger: 'API', steps: ['gate', 'other'] });
    await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    for (const step of ['gate', 'other']) await services.recorder.recordStepTransition({ runId: run.id, step, to: 'WAITING' });
    await services.recorder.recordTransition({ runId: run.id, to: 'WAITING' });
    await services.repositories.claims.seize(run.id, executorId, new Date(Date.now() + 60_000));
    const [gate, other] = await Promise.all(['gate', 'other'].map((name) => services.repositories.steps.findByRunAndName(run.id, name)));
    if (!gate || !other) throw new Error(`The steps of run ${run.id} were not created`);
    return { runId: run.id, stepRunIds: { gate: gate.id, other: other.id } };
  }

  it('keeps the first decision about a step and answers it to a second one', async () => {
    const services = composeTestServices(database());
    const { runId, stepRunIds } = await waitingRunHeldBy(services, 'first-decision');
    const decidedAt = new Date('2026-12-01T10:00:00.000Z');
    const decisions = services.repositories.approvalDecisions;

    const first = await decisions.record(stepRunIds.gate, { kind: 'reject', actor: 'ana', reason: 'not today' }, decidedAt);
    const second = await decisions.record(stepRunIds.gate, { kind: 'approve', actor: 'bo' }, new Date());

    expect(first).toEqual({ recorded: true });
    expect(second).toEqual({ recorded: false, existing: { runId, step: 'gate', decision: { kind: 'reject', actor: 'ana', reason: 'not today' }, decidedAt } });
  });

  it('answers an executor the decisions about steps still WAITING of the runs it holds, not those of runs another executor holds', async () => {
    const services = composeTestServices(database());
    const mine = await waitingRunHeldBy(services, 'me');
    const theirs = await waitingRunHeldBy(services, 'someone-else');
    const decidedAt = new Date('2026-12-01T10:00:00.000Z');
    const decisions = services.repositories.approvalDecisions;
    await decisions.record(mine.stepRunIds.gate, { kind: 'reject', actor: 'ana', reason: 'not today' }, decidedAt);
    await decisions.record(mine.stepRunIds.other, { kind: 'approve', actor: 'bo' }, decidedAt);
    await services.recorder.recordStepTransition({ runId: mine.runId, step: 'other', to: 'SUCCEEDED' });
    await decisions.record(theirs.stepRunIds.gate, { kind: 'approve', actor: 'cy' }, decidedAt);

    const pendingOnMine = await decisions.listPendingOnClaimsOf('me');
    const pendingOnTheirs = await decisions.listPendingOnClaimsOf('someone-else');

    expect(pendingOnMine).toEqual([{ runId: mine.runId, step: 'gate', decision: { kind: 'reject', actor: 'ana', reason: 'not today' }, decidedAt }]);
    expect(pendingOnTheirs).toEqual([{ runId: theirs.runId, step: 'gate', decision: { kind: 'approve', actor: 'cy' }, decidedAt }]);
  });
});
