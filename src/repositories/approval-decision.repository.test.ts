import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { saveTestWorkflow } from '../test/engine-helpers.ts';

describe.each(PROVIDERS)('approval decisions on %s', (provider) => {
  const database = useMigratedDatabase(provider);

  it('keeps the first decision about a step, answers it to a second one, and lists only decisions whose step still waits', async () => {
    const services = composeTestServices(database());
    const workflow = await saveTestWorkflow(services, 'steps:\n  - name: gate\n    type: approval\n  - name: other\n    depends: []\n    type: approval\n');
    const run = await services.recorder.createRun({ projectId: workflow.projectId, workflowId: workflow.id, trigger: 'API', steps: ['gate', 'other'] });
    for (const step of ['gate', 'other']) await services.recorder.recordStepTransition({ runId: run.id, step, to: 'WAITING' });
    await services.recorder.recordStepTransition({ runId: run.id, step: 'other', to: 'SUCCEEDED' });
    const [gate, other] = await Promise.all(['gate', 'other'].map((name) => services.repositories.steps.findByRunAndName(run.id, name)));
    const decidedAt = new Date('2026-12-01T10:00:00.000Z');
    const decisions = services.repositories.approvalDecisions;

    const first = await decisions.record(gate?.id ?? '', { kind: 'reject', actor: 'ana', reason: 'not today' }, decidedAt);
    const second = await decisions.record(gate?.id ?? '', { kind: 'approve', actor: 'bo' }, new Date());
    await decisions.record(other?.id ?? '', { kind: 'approve', actor: 'bo' }, decidedAt);
    const pending = await decisions.listPending([run.id]);

    const kept = { runId: run.id, step: 'gate', decision: { kind: 'reject', actor: 'ana', reason: 'not today' }, decidedAt };
    expect(first).toEqual({ recorded: true });
    expect(second).toEqual({ recorded: false, existing: kept });
    expect(pending).toEqual([kept]);
  });
});
