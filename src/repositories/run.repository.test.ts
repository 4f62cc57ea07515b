import type { RunTrigger } from '../domain/vocabulary.ts';
import { Prisma } from '../generated/sqlite/client.ts';
import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { saveTestWorkflow } from '../test/engine-helpers.ts';

describe.each(PROVIDERS)('runs read back on %s', (provider) => {
  const database = useMigratedDatabase(provider);

  /** Two runs of one workflow: one to read back whole, one whose row a test damages. */
  async function keptAndDamaged(keptTrigger: RunTrigger) {
    const services = composeTestServices(database());
    const workflow = await saveTestWorkflow(services, 'steps:\n  - name: a\n    command: "true"\n');
    const kept = await services.recorder.createRun({ projectId: workflow.projectId, workflowId: workflow.id, trigger: keptTrigger, steps: ['a'] });
    const damaged = await services.recorder.createRun({ projectId: workflow.projectId, workflowId: workflow.id, trigger: 'API', steps: ['a'] });
    return { services, kept, damaged };
  }

  it('come with their status as one of the domain statuses, and a status nobody knows is an error, not a default', async () => {
    const { services, kept, damaged } = await keptAndDamaged('API');
    await database().db.$executeRaw(Prisma.sql`UPDATE "Run" SET status = 'MISPLACED' WHERE id = ${damaged.id}`);

    const read = await services.repositories.runs.findById(kept.id);

    expect(read?.status).toBe('QUEUED');
    await expect(services.repositories.runs.findById(damaged.id)).rejects.toThrow(`Unknown run status "MISPLACED" in run ${damaged.id}`);
    await expect(services.repositories.runs.listByIds([kept.id, damaged.id])).rejects.toThrow('Unknown run status "MISPLACED"');
  });

  it('come with their trigger as one of the domain triggers, and a trigger nobody knows is an error naming the run, not a default', async () => {
    const { services, kept, damaged } = await keptAndDamaged('SCHEDULER');
    await database().db.$executeRaw(Prisma.sql`UPDATE "Run" SET trigger = 'TELEPATHY' WHERE id = ${damaged.id}`);

    const read = await services.repositories.runs.findById(kept.id);

    expect(read?.trigger).toBe('SCHEDULER');
    await expect(services.repositories.runs.findById(damaged.id)).rejects.toThrow(`Unknown run trigger "TELEPATHY" in run ${damaged.id}`);
    await expect(services.repositories.runPages.runsByIds(database().reader, [kept.id, damaged.id])).rejects.toThrow(`Unknown run trigger "TELEPATHY" in run ${damaged.id}`);
  });
});
