import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Services } from '../../composition.ts';
import { newId } from '../../domain/ids.ts';
import { composeTestServices } from '../../test/compose.ts';
import { useMigratedDatabase } from '../../test/database-suite.ts';
import { createProjectWithWorkflow } from '../../test/factories.ts';
import { ADMIN_PRINCIPAL } from '../../test/principals.ts';

describe('replaying events some of which moved to the archive', () => {
  const database = useMigratedDatabase('sqlite');
  let dataDir: string;
  let services: Services;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-archived-replay-'));
    // Every finished run moves at once, but each workflow's latest.
    services = composeTestServices(database(), { dataDir, retention: { hotDays: 0, archiveDays: null, keepLastRuns: 1, keepFailedForDays: 0 } });
  });
  afterAll(() => {
    services.archiveStore?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function recordRun(target: { projectId: string; workflowId: string }) {
    const run = await services.recorder.createRun({ ...target, trigger: 'MANUAL', steps: [] });
    await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    await services.recorder.recordTransition({ runId: run.id, to: 'SUCCEEDED' });
    return run;
  }

  it('ends with RESYNC when events after afterSeq are in the archive, though the live store has older ones', async () => {
    const { project, workflow } = await createProjectWithWorkflow(services, []);
    const other = await services.repositories.workflows.create({ id: newId('wf'), projectId: project.id, name: 'other', definition: 'steps: []\n', hash: 'other', tags: [] });
    const kept = await recordRun({ projectId: project.id, workflowId: workflow.id });
    await recordRun({ projectId: project.id, workflowId: other.id });
    await recordRun({ projectId: project.id, workflowId: other.id });

    const moved = await services.archive.archiveNow(ADMIN_PRINCIPAL, null, false);
    const items: unknown[] = [];
    for await (const item of await services.runEvents.subscribe(ADMIN_PRINCIPAL, {}, kept.lastSeq.toString())) items.push(item);

    expect(moved.total).toBe(1);
    expect(items).toEqual([{ resync: expect.stringContaining(`older than events moved to the archive (up to seq ${kept.lastSeq + 5n})`) }]);
  });
});
