import { randomBytes } from 'node:crypto';
import type { Services } from '../composition.ts';
import { newId } from '../domain/ids.ts';
import type { RunRecord } from '../repositories/run.repository.ts';
import type { CreateRunInput } from '../services/history-write-plan.ts';

const unique = () => randomBytes(4).toString('hex');

export async function createProjectWithWorkflow(services: Services, steps: readonly string[] = ['build', 'test']) {
  const project = await services.repositories.projects.create({ id: newId('prj'), slug: `p-${unique()}`, name: 'Test project' });
  const workflow = await services.repositories.workflows.create({
    id: newId('wf'),
    projectId: project.id,
    name: `wf-${unique()}`,
    definition: `steps:\n${steps.map((step) => `  - name: ${step}\n    command: "true"`).join('\n')}\n`,
    hash: unique(),
    tags: [],
  });
  return { project, workflow };
}

/** The executor a test stands in for when it records a run's changes itself. */
const BY_HAND = 'test-recording-by-hand';
const HOUR_MS = 3_600_000;

/**
 * Creates a run whose changes the test records itself, as an executor would, on a server whose
 * engine runs: the run is held under a claim of the test's for an hour, so the engine neither
 * claims it while QUEUED (and runs it) nor takes it over as lost while RUNNING (which it does to
 * a running run nobody claims, at its next pass). On SQLite the claim is taken in the turn the
 * run is written, before any timer of the engine can fire.
 */
export async function createRunByHand(services: Services, input: CreateRunInput): Promise<RunRecord> {
  const run = await services.recorder.createRun(input);
  const held = await services.repositories.claims.seize(run.id, BY_HAND, new Date(Date.now() + HOUR_MS));
  if (held?.status !== 'QUEUED') throw new Error(`Run ${run.id} was taken before the test could hold it (${held?.status ?? 'gone'})`);
  return run;
}
