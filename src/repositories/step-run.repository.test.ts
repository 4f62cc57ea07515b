import { Prisma } from '../generated/sqlite/client.ts';
import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { saveTestWorkflow } from '../test/engine-helpers.ts';

describe.each(PROVIDERS)('steps of runs read back on %s', (provider) => {
  const database = useMigratedDatabase(provider);

  it('come with their status as one of the domain step statuses, and a status nobody knows is an error naming the step, not a default', async () => {
    const services = composeTestServices(database());
    const workflow = await saveTestWorkflow(services, 'steps:\n  - name: a\n    command: "true"\n  - name: b\n    command: "true"\n');
    const run = await services.recorder.createRun({ projectId: workflow.projectId, workflowId: workflow.id, trigger: 'API', steps: ['a', 'b'] });
    await database().db.$executeRaw(Prisma.sql`UPDATE "StepRun" SET status = 'DAYDREAMING' WHERE "runId" = ${run.id} AND name = 'b'`);

    const read = await services.repositories.steps.findByRunAndName(run.id, 'a');

    expect(read?.status).toBe('NOT_STARTED');
    await expect(services.repositories.steps.findByRunAndName(run.id, 'b')).rejects.toThrow(`Unknown step status "DAYDREAMING" in step b of run ${run.id}`);
    await expect(services.repositories.steps.listByRunIds([run.id])).rejects.toThrow(`Unknown step status "DAYDREAMING" in step b of run ${run.id}`);
  });
});
