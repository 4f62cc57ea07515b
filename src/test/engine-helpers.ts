import type { Services } from '../composition.ts';
import { isRunStatus, isTerminalRunStatus } from '../domain/status.ts';
import { newId } from '../domain/ids.ts';
import type { RunRecord } from '../repositories/run.repository.ts';
import type { WorkflowRecord } from '../repositories/workflow.repository.ts';

/** A project of its own with one workflow saved from YAML (through the same path as workflow files). */
export async function saveTestWorkflow(services: Services, yaml: string, name = `wf-${newId('wf').slice(-8)}`): Promise<WorkflowRecord> {
  const project = await services.repositories.projects.create({ id: newId('prj'), slug: `p-${newId('prj').slice(-10)}`, name: 'Engine test' });
  const result = await services.workflows.load({ projectId: project.id, yaml, source: 'api', defaultName: name });
  if (!result.ok) throw new Error(`Test workflow is invalid:\n${result.message}`);
  return result.workflow;
}

/** Resolves with the run once it reached a terminal status (checked against the database, then the bus). */
export async function waitForRunEnd(services: Services, runId: string, timeoutMs = 30_000): Promise<RunRecord> {
  return waitForRunStatus(services, runId, (status) => isTerminalRunStatus(status), timeoutMs);
}

export function waitForRunStatus(
  services: Services,
  runId: string,
  accept: (status: NonNullable<ReturnType<typeof narrow>>) => boolean,
  timeoutMs = 30_000,
): Promise<RunRecord> {
  return waitFor(
    services,
    async () => {
      const run = await services.repositories.runs.findById(runId);
      const status = narrow(run?.status);
      return run && status && accept(status) ? run : null;
    },
    `run ${runId} to reach the expected status`,
    timeoutMs,
  );
}

/** Re-checks `probe` after every recorded event until it gives a value. */
async function waitFor<T>(services: Services, probe: () => Promise<T | null>, what: string, timeoutMs: number): Promise<T> {
  const iterator = services.bus.subscribe()[Symbol.asyncIterator]();
  const timer = setTimeout(() => void iterator.return?.(), timeoutMs);
  try {
    // Listening starts before each look at the database, so no change falls in between.
    let pending = iterator.next();
    for (;;) {
      const value = await probe();
      if (value !== null) return value;
      const next = await pending;
      pending = iterator.next();
      if (next.done) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
  } finally {
    clearTimeout(timer);
    await iterator.return?.();
  }
}

function narrow(status: string | undefined) {
  return status !== undefined && isRunStatus(status) ? status : null;
}

export async function stepsOf(services: Services, runId: string): Promise<Record<string, string>> {
  const rows = await services.repositories.steps.listByRunIds([runId]);
  return Object.fromEntries(rows.map((row) => [row.name, row.status]));
}

export async function eventTrail(services: Services, runId: string): Promise<string[]> {
  const rows = await services.repositories.events.listByRunIds([runId]);
  const steps = new Map((await services.repositories.steps.listByRunIds([runId])).map((step) => [step.id, step.name]));
  return rows.map((row) => `${row.stepRunId ? (steps.get(row.stepRunId) ?? '?') : 'run'}:${row.to}`);
}

export async function waitForStepStatus(services: Services, runId: string, step: string, status: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(services, async () => ((await stepsOf(services, runId))[step] === status ? true : null), `step ${step} of run ${runId} to reach ${status}`, timeoutMs);
}
