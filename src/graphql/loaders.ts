import DataLoader from 'dataloader';
import type { RunHistoryService } from '../services/run-history.service.ts';
import type { RunQueueService, QueuedRunRef } from '../services/run-queue.service.ts';
import type { RunRef, RunRelationsService } from '../services/run-relations.service.ts';
import type { Labels } from '../domain/workflow/worker-selector.ts';
import type { EtaRun, RunEtaService } from '../services/insight/run-eta.service.ts';
import type { WorkflowInsightService } from '../services/insight/workflow-insight.service.ts';
import type { VersionedRunRef, WorkflowShapeService } from '../services/workflow-shape.service.ts';

function byKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): (V | null)[] {
  const index = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => index.get(key) ?? null);
}

function groupedByKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): V[][] {
  const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

/** How many of a workflow's latest runs `Workflow.recentRuns` shows. */
export const RECENT_RUNS_PER_WORKFLOW = 20;

/** Per-request batching for every relation field, so a page of runs costs a few queries. */
export function createLoaders({
  relations,
  history,
  runQueue,
  runEtas,
  workflowInsight,
  workflowShapes,
}: {
  relations: RunRelationsService;
  history: RunHistoryService;
  runQueue: RunQueueService;
  runEtas: RunEtaService;
  workflowInsight: WorkflowInsightService;
  workflowShapes: WorkflowShapeService;
}) {
  // The executors come and go between requests, never within one: read once, by the first batch that needs them.
  let liveExecutors: Promise<Labels[]> | null = null;
  const executors = () => (liveExecutors ??= runQueue.liveExecutorLabels());
  return {
    projectById: new DataLoader(async (ids: readonly string[]) => byKey(ids, await relations.projectsByIds(ids), (row) => row.id)),
    workflowById: new DataLoader(async (ids: readonly string[]) => byKey(ids, await relations.workflowsByIds(ids), (row) => row.id)),
    runById: new DataLoader(async (ids: readonly string[]) => byKey(ids, await relations.runsByIds(ids), (row) => row.id)),
    childRunsOfRun: new DataLoader(async (ids: readonly string[]) => groupedByKey(ids, await relations.childRunsOf(ids), (row) => row.parentRunId ?? '')),
    stepRunById: new DataLoader(async (ids: readonly string[]) => byKey(ids, await relations.stepRunsByIds(ids), (row) => row.id)),
    stepRunsOfRun: new DataLoader(async (runs: readonly RunRef[]) => groupedByKey(runs.map((run) => run.id), await relations.stepRunsOfRuns(runs), (row) => row.runId), {
      cacheKeyFn: (run) => run.id,
    }),
    recentRunsByWorkflowId: new DataLoader(async (workflowIds: readonly string[]) =>
      groupedByKey(workflowIds, await history.latestRunsOfWorkflows(workflowIds, RECENT_RUNS_PER_WORKFLOW), (row) => row.workflowId),
    ),
    queuedReasonByRun: new DataLoader(async (runs: readonly QueuedRunRef[]) => runQueue.queuedReasons(runs, executors), { cacheKeyFn: (run) => run.id }),
    failureProbabilityOfWorkflow: new DataLoader(async (ids: readonly string[]) => workflowInsight.failureProbabilities(ids)),
    forecastOfWorkflow: new DataLoader(async (workflows: readonly { id: string; createdAt: Date }[]) => workflowInsight.forecasts(workflows), { cacheKeyFn: (workflow) => workflow.id }),
    etaOfRun: new DataLoader(async (runs: readonly EtaRun[]) => runEtas.etasOf(runs), { cacheKeyFn: (run) => run.id }),
    specOfRun: new DataLoader(async (runs: readonly VersionedRunRef[]) => workflowShapes.specsOfRuns(runs), { cacheKeyFn: (run) => run.id }),
    runEventsOfRun: new DataLoader(async (runs: readonly RunRef[]) => groupedByKey(runs.map((run) => run.id), await relations.eventsOfRuns(runs), (row) => row.runId), {
      cacheKeyFn: (run) => run.id,
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
