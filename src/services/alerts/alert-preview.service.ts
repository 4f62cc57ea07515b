import { assertCanInProject } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import { replayWorkflow, type AlertEpisode, type ReplayedRun } from '../../domain/alerts/alert-preview.ts';
import { parseAlertRule, type AlertRuleChange } from '../../domain/alerts/alert-rule.ts';
import { AppError } from '../../domain/errors.ts';
import type { AlertHistoryRepository } from '../../repositories/alert-history.repository.ts';

/** What a rule would have done over a past range. */
export interface AlertPreview {
  episodes: (AlertEpisode & { workflowName: string })[];
  /** Finished runs replayed, the history before the range that the conditions read included. */
  runsRead: number;
}

/** The longest range a preview replays. */
const PREVIEW_MAX_MS = 90 * 24 * 60 * 60_000;
/** The most runs a preview reads: a rule over more is narrowed first (fewer workflows, a shorter range). */
export const PREVIEW_MAX_RUNS = 100_000;
/** History before the range the preview reads, so a streak or a window that began earlier counts. */
const LOOKBACK_MS = 24 * 60 * 60_000;

/** previewAlertRule: a rule replayed over past runs, before it is saved. */
export class AlertPreviewService {
  constructor(private readonly deps: { alertHistory: AlertHistoryRepository }) {}

  async preview(principal: Principal, change: AlertRuleChange, from: Date, to: Date): Promise<AlertPreview> {
    assertCanInProject(principal, 'read', change.projectId);
    const spec = parseAlertRule(change);
    if (spec.condition.kind === 'MISSING_SUCCESS' || spec.condition.kind === 'STATUS_SWING') {
      throw new AppError('BAD_USER_INPUT', `kind: previewAlertRule does not replay ${spec.condition.kind} (it depends on schedules, or on weeks of baseline, as they were then); preview the other kinds`);
    }
    if (spec.condition.kind === 'ANOMALY') {
      throw new AppError('BAD_USER_INPUT', 'kind: an ANOMALY rule fires while an anomaly is open: the anomalies query with from and to lists the episodes it would have fired for');
    }
    if (spec.condition.kind === 'INCIDENT') {
      throw new AppError('BAD_USER_INPUT', 'kind: an INCIDENT rule fires while an incident holding failures of its workflows is open: the incidents query with filter.projectIds, from and to lists the incidents it would have fired for');
    }
    if (to.getTime() <= from.getTime() || to.getTime() - from.getTime() > PREVIEW_MAX_MS) {
      throw new AppError('BAD_USER_INPUT', `from and to: a range of at most 90 days, from before to (got ${from.toISOString()} to ${to.toISOString()})`);
    }
    const lookback = spec.condition.kind === 'FAILURE_RATE' ? Math.max(LOOKBACK_MS, spec.condition.windowMinutes * 60_000) : LOOKBACK_MS;
    const runs = await this.deps.alertHistory.finishedRunsOf(change.projectId, spec.selector, new Date(from.getTime() - lookback), to, PREVIEW_MAX_RUNS + 1);
    if (runs.length > PREVIEW_MAX_RUNS) {
      throw new AppError('BAD_USER_INPUT', `The range holds more than ${PREVIEW_MAX_RUNS} finished runs of the rule's workflows: narrow the workflows or the range`);
    }
    const byWorkflow = new Map<string, { name: string; runs: ReplayedRun[] }>();
    for (const run of runs) {
      const entry = byWorkflow.get(run.workflowId) ?? { name: run.workflowName, runs: [] };
      entry.runs.push(run);
      byWorkflow.set(run.workflowId, entry);
    }
    const episodes = [...byWorkflow].flatMap(([workflowId, { name, runs: ofWorkflow }]) => replayWorkflow(spec, workflowId, ofWorkflow, from, to).map((episode) => ({ ...episode, workflowName: name })));
    episodes.sort((a, b) => a.firedAt.getTime() - b.firedAt.getTime());
    return { episodes, runsRead: runs.length };
  }
}
