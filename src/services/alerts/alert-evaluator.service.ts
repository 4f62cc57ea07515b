import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.ts';
import { latestRunsNeeded, observe, type ConditionInput } from '../../domain/alerts/alert-conditions.ts';
import { advance, NEW_ALERT, type AlertTransition } from '../../domain/alerts/alert-lifecycle.ts';
import type { NoticedAlert } from '../../domain/alerts/alert-notice.ts';
import { selects, SWING_BASELINE_WEEKS, type AlertRuleRecord } from '../../domain/alerts/alert-rule.ts';
import type { RunStatus } from '../../domain/status.ts';
import { FLAP_WINDOW_MS, hasSettled, isFlapping, resolveHoldMs } from '../../domain/alerts/flapping.ts';
import { decideNotice } from '../../domain/alerts/notification-decision.ts';
import { silences, type SilenceRecord } from '../../domain/alerts/silence.ts';
import type { SilenceRepository } from '../../repositories/silence.repository.ts';
import type { WorkflowRepository } from '../../repositories/workflow.repository.ts';
import { latestFireTime } from '../../domain/workflow/schedule.ts';
import type { StoredSpecs } from '../stored-specs.ts';
import { newId } from '../../domain/ids.ts';
import type { RunTrigger } from '../../domain/vocabulary.ts';
import type { AlertHistoryRepository, RunEnd } from '../../repositories/alert-history.repository.ts';
import type { AlertRuleRepository } from '../../repositories/alert-rule.repository.ts';
import type { AnomalyRepository } from '../../repositories/anomaly.repository.ts';
import type { IncidentRepository } from '../../repositories/incident.repository.ts';
import type { AnomalyKind } from '../../domain/insight/anomaly.ts';
import type { AlertEventRecord, AlertInstanceRecord, AlertStateRepository, AlertWrites } from '../../repositories/alert-state.repository.ts';
import type { ProjectRepository } from '../../repositories/project.repository.ts';

/** The evaluator's place in the run event feed. */
export const RUN_ENDS_CURSOR = 'runEnds';
// Run ends read and evaluated per transaction.
const RUN_ENDS_BATCH = 500;
const WEEK_MS = 7 * 24 * 60 * 60_000;
// Successful runs whose median is a workflow's usual duration (MISSING_SUCCESS).
const USUAL_DURATION_RUNS = 20;
// Live alerts looked at again per tick.
const LIVE_ALERTS_MAX = 5_000;

interface WatchedWorkflow {
  id: string;
  name: string;
  triggers: Set<RunTrigger>;
}

/** A workflow a rule watches, with the rule's alert about it so far (null before its first). */
interface Candidate {
  rule: AlertRuleRecord;
  workflow: WatchedWorkflow;
  before: AlertInstanceRecord | null;
}

/** One alert judged anew: as it was, as it is now, and its transition. */
interface Judgement {
  rule: AlertRuleRecord;
  workflow: { id: string; name: string };
  before: AlertInstanceRecord | null;
  after: AlertInstanceRecord;
  transition: AlertTransition | null;
  runId: string | null;
  /**
   * When it fired or resolved within the flap window, this judgement's transition included; read
   * only when it fired or resolved now, or flaps (otherwise flapping cannot begin or end).
   */
  changes: Date[];
}

/**
 * Evaluates alert rules: at each run's end (read from the event feed after its cursor, in seq
 * order) for the rules that watch its workflow, and on a tick for the alerts whose lifecycle
 * moves with time (PENDING for `for`, FIRING for keepFiringFor, windows that slide) or that
 * are due for a reminder. Each evaluation commits in one transaction: the alerts' new states,
 * their events, their notifications in the outbox, and the cursor moved by compare-and-set, so
 * two evaluators (a leader failover) never both record a transition.
 */
export class AlertEvaluatorService {
  constructor(
    private readonly deps: {
      alertRules: AlertRuleRepository;
      alertState: AlertStateRepository;
      alertHistory: AlertHistoryRepository;
      anomalies: AnomalyRepository;
      incidents: IncidentRepository;
      projects: ProjectRepository;
      silences: SilenceRepository;
      workflows: WorkflowRepository;
      specs: StoredSpecs;
      clock: Clock;
      logger: Logger;
      /** Told after a commit that wrote notifications or events. */
      onCommitted?: (outcome: { events: AlertEventRecord[]; notified: boolean }) => void;
    },
  ) {}

  /** Evaluates every run end after the cursor; answers how many were read. A new database's evaluator begins at the head. */
  async catchUp(): Promise<number> {
    let read = 0;
    for (;;) {
      let from = await this.deps.alertState.cursor(RUN_ENDS_CURSOR);
      if (from === null) {
        await this.deps.alertState.startCursor(RUN_ENDS_CURSOR, await this.deps.alertHistory.headSeq());
        from = await this.deps.alertState.cursor(RUN_ENDS_CURSOR);
        if (from === null) throw new Error('The alert evaluator’s cursor could not be set');
      }
      const ends = await this.deps.alertHistory.runEndsAfter(from, RUN_ENDS_BATCH);
      const last = ends.at(-1);
      if (!last) return read;
      const judgements = await this.judgeRunEnds(ends);
      const committed = await this.commit(judgements, { from, to: last.seq });
      if (!committed) return read;
      read += ends.length;
      if (ends.length < RUN_ENDS_BATCH) return read;
    }
  }

  /** Looks again at live alerts (time may have moved their lifecycle, or made a reminder due), and at runs still running that DURATION_OVER rules watch. */
  async tick(): Promise<void> {
    const live = await this.deps.alertState.listLive(LIVE_ALERTS_MAX);
    const names = await this.deps.alertHistory.workflowNames([...new Set(live.map(({ groupKey }) => groupKey))]);
    const rules = new Map<string, AlertRuleRecord | null>();
    const judgements: Judgement[] = [];
    for (const alert of live) {
      if (!rules.has(alert.ruleId)) rules.set(alert.ruleId, await this.deps.alertRules.findById(alert.ruleId));
      const rule = rules.get(alert.ruleId);
      const name = names.get(alert.groupKey);
      // A workflow gone with its project (its row outlives its deletion otherwise): the rule went with it.
      if (!rule?.spec.enabled || name === undefined) continue;
      judgements.push(await this.judge({ rule, workflow: { id: alert.groupKey, name, triggers: new Set() }, before: alert }));
    }
    const judged = new Set(judgements.map(({ rule, workflow }) => `${rule.id}:${workflow.id}`));
    for (const candidate of [...(await this.runningWatched(judged)), ...(await this.scheduledWatched(judged)), ...(await this.anomalousWatched(judged)), ...(await this.incidentWatched(judged))]) {
      const judgement = await this.judge(candidate);
      // A run within its limit, a success not yet due, change nothing: no row for each tick of each workflow.
      if (judgement.transition || candidate.before) judgements.push(judgement);
    }
    if (judgements.length > 0) await this.commit(judgements, null);
  }

  private async durationsOf(workflowId: string, triggers: readonly RunTrigger[], baselineRuns: number, latestRunId: string | null, now: Date): Promise<ConditionInput['durations']> {
    const running = await this.deps.alertHistory.longestRunning(workflowId, triggers);
    return {
      baselineMs: await this.deps.alertHistory.successDurations(workflowId, triggers, baselineRuns, latestRunId),
      running: running ? { id: running.id, elapsedMs: now.getTime() - running.startedAt.getTime() } : null,
    };
  }

  /** The runs of the window and of the same window 1 to SWING_BASELINE_WEEKS weeks back, with how many of each ended in `statuses`. */
  private async swingOf(workflowId: string, triggers: readonly RunTrigger[], windowMinutes: number, statuses: readonly RunStatus[], now: Date): Promise<ConditionInput['swing']> {
    const windowMs = windowMinutes * 60_000;
    const countsAt = (end: number) => this.deps.alertHistory.windowCounts(workflowId, triggers, new Date(end - windowMs), statuses, new Date(end));
    const current = await countsAt(now.getTime());
    const baseline = { runs: 0, matching: 0 };
    for (let week = 1; week <= SWING_BASELINE_WEEKS; week += 1) {
      const past = await countsAt(now.getTime() - week * WEEK_MS);
      baseline.runs += past.runs;
      baseline.matching += past.failures;
    }
    return { current: { runs: current.runs, matching: current.failures }, baseline };
  }

  /** When the workflow was last expected to run by its schedule (none while disabled or deleted), how long it usually takes, and its latest success. */
  private async scheduleOf(workflowId: string, now: Date): Promise<ConditionInput['schedule']> {
    const workflow = await this.deps.workflows.findById(workflowId);
    const spec = workflow && workflow.enabled && !workflow.deletedAt ? this.deps.specs.of(workflow, workflow.name) : null;
    const lastFireAt = spec && spec.schedule.length > 0 ? latestFireTime(spec.schedule, new Date(0), now) : null;
    const durations = await this.deps.alertHistory.successDurations(workflowId, [], USUAL_DURATION_RUNS, null);
    return { lastFireAt, usualDurationMs: median(durations), lastSuccessCreatedAt: await this.deps.alertHistory.latestSuccessAt(workflowId), now };
  }

  /** The scheduled workflows MISSING_SUCCESS rules watch: a success may go missing without any run ending. */
  private async scheduledWatched(judged: ReadonlySet<string>): Promise<Candidate[]> {
    const rules = await this.deps.alertRules.listOfKind('MISSING_SUCCESS');
    if (rules.length === 0) return [];
    const scheduled = await this.deps.workflows.listScheduled();
    const found: Candidate[] = [];
    for (const rule of rules) {
      const workflows = scheduled
        .filter((workflow) => workflow.projectId === rule.projectId && !judged.has(`${rule.id}:${workflow.id}`) && selects({ ...rule.spec.selector, triggers: [] }, workflow, 'SCHEDULER'))
        .map((workflow) => ({ id: workflow.id, name: workflow.name, triggers: new Set<RunTrigger>() }));
      found.push(...(await this.candidatesOf(rule, workflows)));
    }
    return found;
  }

  /** The workflows ANOMALY rules watch that have an open anomaly: one may open without any run ending (a missed fire). */
  private async anomalousWatched(judged: ReadonlySet<string>): Promise<Candidate[]> {
    const rules = await this.deps.alertRules.listOfKind('ANOMALY');
    if (rules.length === 0) return [];
    const open = await this.deps.anomalies.openIn([...new Set(rules.map((rule) => rule.projectId))]);
    const names = await this.deps.alertHistory.workflowNames([...new Set(open.map(({ workflowId }) => workflowId))]);
    const found: Candidate[] = [];
    for (const rule of rules) {
      const workflows = [...new Set(open.filter((anomaly) => anomaly.projectId === rule.projectId).map(({ workflowId }) => workflowId))].flatMap((id) => {
        const name = names.get(id);
        return name !== undefined && !judged.has(`${rule.id}:${id}`) && selects({ ...rule.spec.selector, triggers: [] }, { id, name }, 'SCHEDULER') ? [{ id, name, triggers: new Set<RunTrigger>() }] : [];
      });
      found.push(...(await this.candidatesOf(rule, workflows)));
    }
    return found;
  }

  /** The workflows INCIDENT rules watch whose failures belong to the open incident: it may open or grow without a run of theirs ending. */
  private async incidentWatched(judged: ReadonlySet<string>): Promise<Candidate[]> {
    const rules = await this.deps.alertRules.listOfKind('INCIDENT');
    if (rules.length === 0) return [];
    const open = await this.deps.incidents.openIn([...new Set(rules.map((rule) => rule.projectId))]);
    const members = open.flatMap((incident) => incident.members);
    const names = await this.deps.alertHistory.workflowNames([...new Set(members.map(({ workflowId }) => workflowId))]);
    const found: Candidate[] = [];
    for (const rule of rules) {
      const workflows = [...new Set(members.filter((member) => member.projectId === rule.projectId).map(({ workflowId }) => workflowId))].flatMap((id) => {
        const name = names.get(id);
        return name !== undefined && !judged.has(`${rule.id}:${id}`) && selects({ ...rule.spec.selector, triggers: [] }, { id, name }, 'SCHEDULER') ? [{ id, name, triggers: new Set<RunTrigger>() }] : [];
      });
      found.push(...(await this.candidatesOf(rule, workflows)));
    }
    return found;
  }

  /** The open incidents the workflow's failures belong to, as the rule's project holds them. */
  private async openIncidentsOf(workflowId: string, projectId: string): Promise<ConditionInput['incidents']> {
    const open = await this.deps.incidents.openIn([projectId]);
    return open.flatMap((incident) => {
      const failures = incident.members.filter((member) => member.workflowId === workflowId).length;
      return failures === 0 ? [] : [{ id: incident.id, openedAt: incident.openedAt, failures }];
    });
  }

  /** The workflow's open anomalies that nobody dismissed, of these kinds (any when empty), oldest first. */
  private async openAnomaliesOf(workflowId: string, kinds: readonly AnomalyKind[]): Promise<ConditionInput['anomalies']> {
    const open = await this.deps.anomalies.openOf([workflowId]);
    return open
      .filter((anomaly) => anomaly.dismissedAt === null && (kinds.length === 0 || kinds.includes(anomaly.kind)))
      .sort((a, b) => a.raisedAt.getTime() - b.raisedAt.getTime());
  }

  /** The workflows DURATION_OVER rules watch that have a run running now: such a run may go over its limit before it ends. */
  private async runningWatched(judged: ReadonlySet<string>): Promise<Candidate[]> {
    const rules = await this.deps.alertRules.listOfKind('DURATION_OVER');
    const running = new Map<string, Awaited<ReturnType<AlertHistoryRepository['runningWorkflows']>>>();
    const found: Candidate[] = [];
    for (const rule of rules) {
      if (!running.has(rule.projectId)) running.set(rule.projectId, await this.deps.alertHistory.runningWorkflows(rule.projectId));
      const workflows = (running.get(rule.projectId) ?? [])
        .filter((workflow) => !judged.has(`${rule.id}:${workflow.id}`) && workflow.triggers.some((trigger) => selects(rule.spec.selector, workflow, trigger)))
        .map((workflow) => ({ ...workflow, triggers: new Set(workflow.triggers) }));
      found.push(...(await this.candidatesOf(rule, workflows)));
    }
    return found;
  }

  private async judgeRunEnds(ends: readonly RunEnd[]): Promise<Judgement[]> {
    const byProject = new Map<string, Map<string, WatchedWorkflow>>();
    for (const end of ends) {
      const workflows = byProject.get(end.projectId) ?? new Map<string, WatchedWorkflow>();
      byProject.set(end.projectId, workflows);
      const workflow = workflows.get(end.workflowId) ?? { id: end.workflowId, name: end.workflowName, triggers: new Set<RunTrigger>() };
      workflow.triggers.add(end.trigger);
      workflows.set(end.workflowId, workflow);
    }
    const rules = await this.deps.alertRules.listOf([...byProject.keys()], true);
    const judgements: Judgement[] = [];
    for (const rule of rules) {
      const workflows = [...(byProject.get(rule.projectId)?.values() ?? [])].filter((workflow) => [...workflow.triggers].some((trigger) => selects(rule.spec.selector, workflow, trigger)));
      for (const candidate of await this.candidatesOf(rule, workflows)) judgements.push(await this.judge(candidate));
    }
    return judgements;
  }

  /** The workflows with the rule's alert about each, read in one query. */
  private async candidatesOf(rule: AlertRuleRecord, workflows: readonly WatchedWorkflow[]): Promise<Candidate[]> {
    if (workflows.length === 0) return [];
    const alerts = await this.deps.alertState.instancesOf(rule.id, workflows.map(({ id }) => id));
    return workflows.map((workflow) => ({ rule, workflow, before: alerts.get(workflow.id) ?? null }));
  }

  private async judge({ rule, workflow, before }: Candidate): Promise<Judgement> {
    const now = this.deps.clock.now();
    const { condition, lifecycle, selector } = rule.spec;
    const latest = await this.deps.alertHistory.latestFinished(workflow.id, selector.triggers, latestRunsNeeded(condition));
    const input: ConditionInput = {
      latest,
      window:
        condition.kind === 'FAILURE_RATE'
          ? await this.deps.alertHistory.windowCounts(workflow.id, selector.triggers, new Date(now.getTime() - condition.windowMinutes * 60_000), condition.statuses)
          : null,
      durations: condition.kind === 'DURATION_OVER' ? await this.durationsOf(workflow.id, selector.triggers, condition.baselineRuns, latest[0]?.id ?? null, now) : null,
      schedule: condition.kind === 'MISSING_SUCCESS' ? await this.scheduleOf(workflow.id, now) : null,
      swing: condition.kind === 'STATUS_SWING' ? await this.swingOf(workflow.id, selector.triggers, condition.windowMinutes, condition.statuses, now) : null,
      anomalies: condition.kind === 'ANOMALY' ? await this.openAnomaliesOf(workflow.id, condition.anomalyKinds) : null,
      incidents: condition.kind === 'INCIDENT' ? await this.openIncidentsOf(workflow.id, rule.projectId) : null,
    };
    const observation = observe(condition, input);
    const { next, transition } = advance(before?.progress ?? NEW_ALERT, observation, now, lifecycle);
    const changed = transition?.to === 'FIRING' || transition?.to === 'RESOLVED';
    const changes = before && (changed || before.flappingSince) ? await this.deps.alertState.changeTimes(before.id, new Date(now.getTime() - FLAP_WINDOW_MS)) : [];
    if (changed) changes.push(now);
    const after: AlertInstanceRecord = {
      id: before?.id ?? newId('alert', now),
      ruleId: rule.id,
      projectId: rule.projectId,
      groupKey: workflow.id,
      progress: next,
      firingNotified: before?.firingNotified ?? false,
      lastNotifiedAt: before?.lastNotifiedAt ?? null,
      acknowledgedBy: transition?.to === 'FIRING' ? null : (before?.acknowledgedBy ?? null),
      acknowledgedAt: transition?.to === 'FIRING' ? null : (before?.acknowledgedAt ?? null),
      flappingSince: before?.flappingSince ?? null,
      updatedAt: transition ? now : (before?.updatedAt ?? now),
    };
    return { rule, workflow: { id: workflow.id, name: workflow.name }, before, after, transition, runId: observation.runId, changes };
  }

  /** Commits the judgements (with the cursor's move, when a batch of run ends was judged); false when another evaluator moved the cursor first. */
  private async commit(judgements: readonly Judgement[], cursor: { from: bigint; to: bigint } | null): Promise<boolean> {
    const now = this.deps.clock.now();
    const projectNames = new Map<string, string>();
    for (const { rule } of judgements) {
      if (projectNames.has(rule.projectId)) continue;
      const project = await this.deps.projects.findById(rule.projectId);
      // Deleted meanwhile: its rules and alerts went with it, and the cursor moves past its runs.
      if (project) projectNames.set(rule.projectId, project.name);
    }
    const silences = await this.deps.silences.listOf([...projectNames.keys()], now);
    const outcome = await this.deps.alertState.transaction(async (writes) => {
      if (cursor && !(await writes.advanceCursor(RUN_ENDS_CURSOR, cursor.from, cursor.to))) return null;
      let notified = false;
      const events: Omit<AlertEventRecord, 'seq'>[] = [];
      for (const judgement of judgements) {
        const projectName = projectNames.get(judgement.rule.projectId);
        if (projectName === undefined) continue;
        notified = (await this.notify(writes, judgement, { projectName, silences, now })) || notified;
        await writes.saveInstance(judgement.after, judgement.transition?.to === 'FIRING');
        const { transition, after } = judgement;
        if (transition) events.push({ instanceId: after.id, ruleId: after.ruleId, projectId: after.projectId, from: transition.from, to: transition.to, at: now, message: transition.message, actor: null });
      }
      return { events: await writes.appendEvents(events), notified };
    });
    if (outcome === null) {
      this.deps.logger.warn({ from: String(cursor?.from) }, 'alerts.cursor_moved_elsewhere');
      return false;
    }
    this.deps.onCommitted?.(outcome);
    return true;
  }

  /**
   * Sends what decideNotice says of the judgement through the outbox, in the evaluation's
   * transaction, to each contact point of the rule; a resolution first takes back a FIRING
   * notice still in its group wait (nobody heard it fire: nothing more is sent). Marks what was
   * sent, and whether the alert flaps, on the alert; answers whether anything was sent.
   */
  private async notify(writes: AlertWrites, judgement: Judgement, context: { projectName: string; silences: readonly SilenceRecord[]; now: Date }): Promise<boolean> {
    const { rule, after, transition, workflow } = judgement;
    const { now } = context;
    const wasFlapping = after.flappingSince !== null;
    const lastChange = judgement.changes.reduce<Date | null>((latest, at) => (latest && latest > at ? latest : at), null);
    const flapping = wasFlapping ? !hasSettled(lastChange, now) : isFlapping(judgement.changes, now);
    after.flappingSince = flapping ? (after.flappingSince ?? now) : null;
    const contactPointIds = rule.contactPointIds;
    if (contactPointIds.length === 0) return false;
    const decision = decideNotice({
      transition,
      state: after.progress.state,
      firingNotified: after.firingNotified,
      acknowledged: after.acknowledgedBy !== null,
      lastNotifiedAt: after.lastNotifiedAt,
      repeatIntervalMs: rule.spec.lifecycle.repeatIntervalMs,
      silenced: context.silences.some((silence) => silence.projectId === rule.projectId && silences(silence, { ruleId: rule.id, workflowId: workflow.id, workflowName: workflow.name }, now)),
      flapping: { was: wasFlapping, is: flapping },
      now,
    });
    if (decision === null) return false;
    const instance = { instanceId: after.id, ruleId: rule.id };
    if (decision === 'resolved' && (await writes.retractUnsent(instance, 'alert.firing', contactPointIds, now))) {
      after.firingNotified = false;
      return false;
    }
    // Fired again while its resolution is still held back: the receivers still know it as firing.
    if (decision === 'firing' && transition?.to === 'FIRING' && (await writes.retractUnsent(instance, 'alert.resolved', contactPointIds, now))) {
      after.firingNotified = true;
      return false;
    }
    const type = decision === 'resolved' ? 'alert.resolved' : decision === 'flapping' ? 'alert.flapping' : 'alert.firing';
    const alert = this.noticed(judgement);
    const resolveHold = decision === 'resolved' && transition?.to === 'RESOLVED' ? resolveHoldMs(after.progress.firedAt, now) : 0;
    for (const contactPointId of contactPointIds) {
      const groupWaitMs = decision === 'firing' ? rule.spec.lifecycle.groupWaitMs : resolveHold;
      await writes.addNotice({ contactPointId, projectId: rule.projectId, projectName: context.projectName, ruleId: rule.id, type, alert, now, groupWaitMs });
    }
    if (decision !== 'flapping') after.firingNotified = after.progress.state === 'FIRING';
    after.lastNotifiedAt = now;
    return true;
  }

  private noticed({ rule, workflow, after, runId }: Judgement): NoticedAlert {
    const { progress } = after;
    return {
      instanceId: after.id,
      ruleId: rule.id,
      ruleName: rule.spec.name,
      ruleKind: rule.spec.condition.kind,
      workflowId: workflow.id,
      workflowName: workflow.name,
      state: progress.state,
      summary: progress.summary,
      firedAt: progress.firedAt?.toISOString() ?? null,
      resolvedAt: progress.resolvedAt?.toISOString() ?? null,
      runId,
    };
  }
}

function median(values: readonly number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle];
  const lower = sorted[middle - 1];
  if (upper === undefined) return null;
  return sorted.length % 2 === 1 || lower === undefined ? upper : (lower + upper) / 2;
}
