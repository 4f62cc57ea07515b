import type { Clock } from '../../domain/clock.ts';
import { estimateEta, type Eta } from '../../domain/insight/eta.ts';
import type { RunRecord } from '../../repositories/run.repository.ts';
import type { InsightHistoryRepository } from '../../repositories/insight-history.repository.ts';
import type { StepRunRepository } from '../../repositories/step-run.repository.ts';
import type { WorkflowRepository } from '../../repositories/workflow.repository.ts';
import type { StoredSpecs } from '../stored-specs.ts';

/** The latest succeeded runs of a workflow whose step durations an estimate draws from. */
const ETA_HISTORY_RUNS = 50;

/** A run as its estimate needs it. */
export type EtaRun = Pick<RunRecord, 'id' | 'status' | 'workflowId' | 'versionId'>;

/** When running runs will finish (Run.eta): their steps, their workflow's graph, and the steps' recent durations. */
export class RunEtaService {
  constructor(private readonly deps: { insightHistory: InsightHistoryRepository; steps: StepRunRepository; workflows: WorkflowRepository; specs: StoredSpecs; clock: Clock }) {}

  /** Each run's estimate, in the order given: null for a run not RUNNING, waiting for a person, or with too little history. */
  async etasOf(runs: readonly EtaRun[]): Promise<(Eta | null)[]> {
    const running = runs.filter((run) => run.status === 'RUNNING' && run.versionId !== null);
    if (running.length === 0) return runs.map(() => null);
    const [steps, versions, durations] = await Promise.all([
      this.deps.steps.listByRunIds(running.map((run) => run.id)),
      this.deps.workflows.listVersionsByIds([...new Set(running.flatMap((run) => (run.versionId === null ? [] : [run.versionId])))]),
      this.deps.insightHistory.recentStepDurations([...new Set(running.map((run) => run.workflowId))], ETA_HISTORY_RUNS),
    ]);
    const versionById = new Map(versions.map((version) => [version.id, version]));
    const now = this.deps.clock.now().getTime();
    return runs.map((run) => {
      const version = run.versionId === null ? undefined : versionById.get(run.versionId);
      if (run.status !== 'RUNNING' || version === undefined) return null;
      // The graph is all an estimate reads of the spec: the id stands in for the name a file without `name:` would take.
      const spec = this.deps.specs.of(version, run.workflowId);
      if (spec === null) return null;
      const depends = new Map(spec.steps.map((step) => [step.name, step.depends]));
      const own = steps.filter((step) => step.runId === run.id && depends.has(step.name));
      return estimateEta({
        now,
        steps: own.map((step) => ({ name: step.name, depends: depends.get(step.name) ?? [], status: step.status, startedAt: step.startedAt?.getTime() ?? null, finishedAt: step.finishedAt?.getTime() ?? null })),
        history: durations.get(run.workflowId) ?? new Map(),
        seed: run.id,
      });
    });
  }
}
