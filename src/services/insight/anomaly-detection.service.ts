import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.ts';
import { newId } from '../../domain/ids.ts';
import type { AnomalyFinding, AnomalyRecord } from '../../domain/insight/anomaly.ts';
import { WorkflowDetectors, type FinishedRunObservation } from '../../domain/insight/workflow-detectors.ts';
import type { AlertHistoryRepository } from '../../repositories/alert-history.repository.ts';
import type { AnomalyRepository } from '../../repositories/anomaly.repository.ts';
import type { EndedStep, InsightHistoryRepository, RunChange } from '../../repositories/insight-history.repository.ts';
import type { WorkflowRepository } from '../../repositories/workflow.repository.ts';
import type { StoredSpecs } from '../stored-specs.ts';

// Run changes (and anomaly changes) read per query.
const CHANGES_BATCH = 500;
// How far back a workflow's detectors start from: four weeks of seasonal baseline and the week judged.
const WARM_MS = 5 * 7 * 24 * 3_600_000;

interface Watched {
  projectId: string;
  detectors: WorkflowDetectors;
}

/**
 * The leader's anomaly detection. Detectors live in the leader's memory, one set per workflow:
 * started from the workflow's recent past (its latest runs and its hourly rollups, so the cost
 * of starting grows with workflows, not with runs), then fed every run created or ended from
 * the head of the run event feed on, and ticked for what moves with time (missed cron fires,
 * hours of volume). Findings are stored as they open and end; an open episode is unique per
 * series and kind, and a new leader's detectors take over the episodes stored open, ending each
 * when its series settles, rather than raising it again.
 */
export class AnomalyDetectionService {
  private readonly watched = new Map<string, Watched | null>();
  private cursor: bigint | null = null;
  /** The anomaly feed's seq up to which dismissals have widened the detectors. */
  private dismissalCursor: bigint | null = null;

  constructor(
    private readonly deps: {
      insightHistory: InsightHistoryRepository;
      alertHistory: AlertHistoryRepository;
      anomalies: AnomalyRepository;
      workflows: WorkflowRepository;
      specs: StoredSpecs;
      clock: Clock;
      logger: Logger;
      /** Told of every anomaly raised, ended or taken over. */
      onChanged?: (anomaly: AnomalyRecord) => void;
    },
  ) {}

  /** Feeds the detectors every run change after the cursor; answers how many were read. The first call starts at the head, with every scheduled workflow watched. */
  async catchUp(): Promise<number> {
    if (this.cursor === null) {
      this.cursor = await this.deps.alertHistory.headSeq();
      // Detectors started from now on read every dismissal so far when they start.
      this.dismissalCursor = await this.deps.anomalies.headSeq();
      // A missed cron fire is found without any run of the workflow happening.
      for (const workflow of await this.deps.workflows.listScheduled()) await this.watchedOf(workflow.id);
    }
    let read = 0;
    for (;;) {
      const changes = await this.deps.insightHistory.runChangesAfter(this.cursor, CHANGES_BATCH);
      const last = changes.at(-1);
      if (last === undefined) return read;
      const steps = await this.deps.insightHistory.stepsOf(changes.filter((change) => change.change === 'ENDED').map((change) => change.runId));
      for (const change of changes) {
        const watched = await this.watchedOf(change.workflowId);
        if (watched === null) continue;
        const findings =
          change.change === 'CREATED'
            ? watched.detectors.created(change.createdAt.getTime(), change.trigger === 'SCHEDULER')
            : watched.detectors.finished(observationOf(change, steps.get(change.runId) ?? []));
        await this.store(watched.projectId, findings);
      }
      this.cursor = last.seq;
      read += changes.length;
      if (changes.length < CHANGES_BATCH) return read;
    }
  }

  /** Judges what time alone moves: fires due without a run, hours of volume that ended; and widens the series people dismissed episodes of. */
  async tick(): Promise<void> {
    await this.followDismissals();
    const now = this.deps.clock.now().getTime();
    for (const watched of this.watched.values()) {
      if (watched !== null) await this.store(watched.projectId, watched.detectors.tick(now));
    }
  }

  /**
   * Dismissals are made by people through any API process: the leader reads them from the
   * anomaly feed. An episode dismissed while still open is read again when it ends, with its
   * final peak.
   */
  private async followDismissals(): Promise<void> {
    if (this.dismissalCursor === null) return;
    for (;;) {
      const changes = await this.deps.anomalies.changedAfter(this.dismissalCursor, null, CHANGES_BATCH);
      for (const anomaly of changes) {
        if (anomaly.dismissedAt !== null) this.watched.get(anomaly.workflowId)?.detectors.widen(anomaly.kind, anomaly.step, anomaly.score);
      }
      const last = changes.at(-1);
      if (last !== undefined) this.dismissalCursor = last.seq;
      if (changes.length < CHANGES_BATCH) return;
    }
  }

  /** The workflow's detectors, started from its recent past on first use; null for a workflow that is gone. */
  private async watchedOf(workflowId: string): Promise<Watched | null> {
    const known = this.watched.get(workflowId);
    if (known !== undefined) return known;
    const workflow = await this.deps.workflows.findById(workflowId);
    if (workflow === null || workflow.deletedAt !== null) {
      this.watched.set(workflowId, null);
      return null;
    }
    const now = this.deps.clock.now();
    const spec = workflow.enabled ? this.deps.specs.of(workflow, workflow.name) : null;
    const detectors = new WorkflowDetectors(workflow.id, spec?.schedule ?? [], now.getTime());
    detectors.warm(await this.deps.insightHistory.recentPast(workflow, new Date(now.getTime() - WARM_MS)));
    for (const peak of await this.deps.anomalies.dismissedPeaks(workflow.id)) detectors.widen(peak.kind, peak.step, peak.score);
    const watched = { projectId: workflow.projectId, detectors };
    this.watched.set(workflowId, watched);
    await this.adoptStoredEpisodes(watched, now);
    return watched;
  }

  /**
   * Stored open episodes of the workflow go on in its new detectors, which end them when their
   * series settles; one no detector can hold (its schedule is gone) ends now.
   */
  private async adoptStoredEpisodes(watched: Watched, now: Date): Promise<void> {
    for (const stored of await this.deps.anomalies.openOf([watched.detectors.workflowId])) {
      const finding = { kind: stored.kind, series: { workflowId: stored.workflowId, step: stored.step }, start: stored.start.getTime(), raisedAt: stored.raisedAt.getTime(), end: null, score: stored.score, expected: stored.expected, observed: stored.observed, lower: stored.lower, upper: stored.upper };
      if (watched.detectors.adopt(finding)) continue;
      const ended = await this.deps.anomalies.end({ ...finding, end: now.getTime() });
      if (ended !== null) this.deps.onChanged?.(ended);
    }
  }

  private async store(projectId: string, findings: readonly AnomalyFinding[]): Promise<void> {
    for (const finding of findings) {
      const { end } = finding;
      const stored =
        end === null
          ? await this.deps.anomalies.raise(newId('anm', new Date(finding.raisedAt)), projectId, finding)
          : await this.deps.anomalies.end({ ...finding, end });
      if (stored === null) continue;
      this.deps.logger.info({ anomaly: stored.id, kind: stored.kind, workflow: stored.workflowId, step: stored.step, ended: end !== null }, 'insight.anomaly');
      this.deps.onChanged?.(stored);
    }
  }
}

function observationOf(change: RunChange, steps: readonly EndedStep[]): FinishedRunObservation {
  const succeeded = change.status === 'SUCCEEDED';
  return {
    finishedAt: change.at.getTime(),
    failed: change.status === 'FAILED',
    succeededOnRetry: succeeded && steps.some((step) => step.status === 'SUCCEEDED' && step.attempt > 1),
    durationMs: succeeded ? change.durationMs : null,
    succeededSteps: steps.flatMap((step) => (step.status === 'SUCCEEDED' && step.durationMs !== null ? [{ name: step.name, durationMs: step.durationMs }] : [])),
  };
}
