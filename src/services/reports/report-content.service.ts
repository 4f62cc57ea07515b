import type { Principal } from '../../auth/principal.ts';
import type { HistoryReader, ReadSession } from '../../db/history-reader.ts';
import { selectsStatus, type RunSelection } from '../../domain/history/run-selection.ts';
import type { TimeRange } from '../../domain/history/time-cover.ts';
import {
  alertSummary,
  distributionOf,
  meanDistribution,
  runRows,
  runRowsBesideText,
  workflowRefs,
  topFailing,
  workflowChanges,
  workflowPerformance,
  statusesOfCells,
  type BucketCell,
  type DurationPercentiles,
  type FailedRun,
  type Names,
  type ReportRun,
  type WorkflowStatusRow,
} from '../../domain/reports/report-builder.ts';
import { holdsEveryRun, REPORT_LISTED_RUN_ROWS, REPORT_MAX_RUN_ROWS, type ReportContent, type ReportFormat, type RunsText, type StatusDistribution } from '../../domain/reports/report-content.ts';
import { periodRuleOf, type ReportDefinitionRecord } from '../../domain/reports/report-definition.ts';
import { periodsBefore, reportPeriodOf, sparklineBoundaries, type PeriodRange } from '../../domain/reports/report-period.ts';
import type { RunFilterSpec } from '../../domain/run-filter.ts';
import { RUN_STATUSES, TERMINAL_RUN_STATUSES, type RunStatus } from '../../domain/status.ts';
import type { ReportHistoryRepository } from '../../repositories/report-history.repository.ts';
import type { RunEventLogRepository } from '../../repositories/run-event-log.repository.ts';
import { sameArchiveView, type ArchiveReadsService, type ArchiveView } from '../archive/archive-reads.service.ts';
import type { RunSelectionService } from '../history/run-selection.service.ts';
import type { StatusCountsService } from '../history/status-counts.service.ts';

/** Alert transitions read for one report at most: the alerts section lists the first ALERTS_LISTED_MAX. */
const ALERT_TRANSITIONS_MAX = 20_000;
/** The baseline is the mean of this many periods before the previous one. */
export const BASELINE_PERIODS = 4;

/** A report's content and the numbers stored beside it. */
export interface GeneratedContent {
  content: ReportContent;
  snapshot: bigint;
  /** The status distribution of the period, every status, as runStatusCounts answers it. */
  totals: Map<RunStatus, number>;
  total: number;
  /** The runs of the CSV and JSON as text (content.runs.rows then lists the first ones), when generation read them so. */
  runsText: RunsText | null;
}

/** The runs of the CSV and JSON as text, and the workflows of runs it could not name. */
interface RunsTextRead {
  rows: number;
  runsText: RunsText;
  unnamed: string[];
}

/**
 * The runs text read in a read session of its own, beside the report's, with what it was read at:
 * the report takes it only when its own session finds the same, so it stays at one snapshot.
 */
interface RunsAside {
  snapshot: bigint;
  view: ArchiveView;
  /** The selection and the workflows' names the text was written with. */
  inputs: string;
  text: RunsTextRead;
}

/** A report's content narrowed to some of its projects (sorted ids). */
export interface ScopedContent extends GeneratedContent {
  projectIds: string[];
}

/**
 * Fills a report's content for a definition and a period, all in one read transaction at its
 * head (the snapshot recorded with the report). Counts come from the rollups through the service
 * behind `runStatusCounts`, so the totals equal it; the runs of the period (live and archived) give
 * the per-workflow sections.
 */
export class ReportContentService {
  constructor(
    private readonly deps: {
      reader: HistoryReader;
      selections: RunSelectionService;
      statusCounts: StatusCountsService;
      eventLog: RunEventLogRepository;
      archives: ArchiveReadsService;
      reportHistory: ReportHistoryRepository;
    },
  ) {}

  /**
   * The report of the definition's projects and, in the same read transaction (so at the same
   * snapshot), one narrowed to each of `scopes` (subsets of its projects: what some recipient may read).
   * With `runsAsText`, the runs the CSV and JSON hold come as their text (runsText), read and written
   * in the history read thread, and content.runs.rows lists only the first ones: what rendering
   * those formats needs, without a hundred thousand row objects.
   */
  generate(
    definition: ReportDefinitionRecord,
    period: PeriodRange,
    meta: { reportId: string; generatedAt: Date },
    options: { scopes?: readonly (readonly string[])[]; runsAsText?: boolean } = {},
  ): Promise<GeneratedContent & { copies: ScopedContent[] }> {
    const { scopes = [], runsAsText = false } = options;
    // Started before the report's own session, so a pool that serves reads in turn never leaves it waiting behind one that waits for it.
    const aside = runsAsText && this.readsRunsAside(definition) ? this.runsAside(definition, period) : null;
    // Awaited where the runs are written; a report that fails before that has its own error to give.
    aside?.catch(() => undefined);
    return this.deps.reader.read(async (session) => {
      const snapshot = await this.deps.eventLog.head(session);
      const view = await this.deps.archives.view(session);
      const selection = await this.deps.selections.resolve(session, readerOf(definition.projectIds), filterOf(definition, period));
      const whole = await this.contentOf(session, view, snapshot, definition, selection, period, meta, runsAsText, aside);
      const copies: ScopedContent[] = [];
      for (const scope of scopes) {
        const projectIds = [...scope].sort();
        // The definition's filter as resolved for all its projects, narrowed: a workflow it names in a project left out is left out, not an error.
        const inScope = selection.workflowIds === null ? null : new Set(await this.deps.reportHistory.workflowIdsOfProjects(session, projectIds));
        const narrowed: RunSelection = { ...selection, projectIds, workflowIds: inScope === null ? null : (selection.workflowIds ?? []).filter((id) => inScope.has(id)) };
        copies.push({ projectIds, ...(await this.contentOf(session, view, snapshot, { ...definition, projectIds }, narrowed, period, meta, runsAsText, null)) });
      }
      return { ...whole, copies };
    });
  }

  /** With a second session free, the runs text (most of a report's reading and writing) is read beside the other sections. */
  private readsRunsAside(definition: ReportDefinitionRecord): boolean {
    return this.deps.reader.sessionsAtOnce >= 2 && definition.sections.includes('RUNS') && holdsEveryRun(definition.formats);
  }

  /** The runs text of the report's whole selection, read in a session of its own; null when archived runs overlap the period (those are read as rows). */
  private runsAside(definition: ReportDefinitionRecord, period: PeriodRange): Promise<RunsAside | null> {
    return this.deps.reader.read(async (session) => {
      const snapshot = await this.deps.eventLog.head(session);
      const view = await this.deps.archives.view(session);
      const range = rangeOf(period);
      if (this.deps.archives.holdsRange(view, range)) return null;
      const selection = await this.deps.selections.resolve(session, readerOf(definition.projectIds), filterOf(definition, period));
      const workflowIds = await this.workflowIdsOf(session, selection);
      const workflows = await this.deps.reportHistory.workflowsByIds(session, workflowIds);
      const names = namesOf(workflows, await this.deps.reportHistory.projectNames(session, definition.projectIds));
      const text = await this.runsTextOf(session, selection, range, definition.formats, workflowIds, names);
      return { snapshot, view, inputs: runsTextInputs(selection, workflowIds, names), text };
    });
  }

  private async contentOf(
    session: ReadSession,
    view: ArchiveView,
    snapshot: bigint,
    definition: ReportDefinitionRecord,
    selection: RunSelection,
    period: PeriodRange,
    meta: { reportId: string; generatedAt: Date },
    runsAsText: boolean,
    aside: Promise<RunsAside | null> | null,
  ): Promise<GeneratedContent> {
    const rule = periodRuleOf(definition);
    const counts = await this.counts(session, selection, period, snapshot);
    const content: ReportContent = {
      reportId: meta.reportId,
      definitionId: definition.id,
      definitionName: definition.name,
      generatedAt: meta.generatedAt.toISOString(),
      snapshot: snapshot.toString(),
      period: reportPeriodOf(rule, period),
      projects: [],
    };
    const sections = new Set(definition.sections);
    const distribution = distributionOf(counts);
    if (sections.has('STATUS_DISTRIBUTION')) content.statusDistribution = distribution;
    const earlierPeriods = periodsBefore(rule, period, 1 + BASELINE_PERIODS);
    if (sections.has('PERIOD_CHANGE')) {
      const [previous, ...baseline] = await Promise.all(earlierPeriods.map(async (earlier) => distributionOf(await this.counts(session, selection, earlier, snapshot))));
      content.periodChange = { previous: previous ?? emptyDistribution(), baseline: meanDistribution(baseline) };
    }
    const range = rangeOf(period);
    // Named by their workflows, the runs of a period are counted from the (workflowId, status, createdAt) index alone.
    const byWorkflows: RunSelection = {
      ...selection,
      projectIds: null,
      workflowIds: await this.workflowIdsOf(session, selection),
      statuses: selection.statuses ?? RUN_STATUSES,
    };
    const needsCells = sections.has('WORKFLOW_PERFORMANCE') || sections.has('TOP_FAILING') || sections.has('WORKFLOW_CHANGES');
    const cells = needsCells ? await this.bucketCellsOf(session, view, byWorkflows, range, sparklineBoundaries(rule, period)) : [];
    const statuses = statusesOfCells(cells);
    const previousPeriod = earlierPeriods[0];
    const earlier = sections.has('WORKFLOW_CHANGES') && previousPeriod ? await this.workflowStatusesOf(session, view, byWorkflows, rangeOf(previousPeriod)) : [];
    const failed = sections.has('TOP_FAILING') && selectsStatus(selection, 'FAILED') ? await this.failedRunsOf(session, view, byWorkflows, range) : [];
    // Only the CSV and JSON hold every run: a report stored in neither reads the runs the others list.
    const listedOnly = !holdsEveryRun(definition.formats);
    // Archived runs of the period are merged with the live ones in order: those are read as rows.
    const asText = sections.has('RUNS') && runsAsText && !listedOnly && !this.deps.archives.holdsRange(view, range);
    const rows = sections.has('RUNS') ? await this.runsOf(session, view, selection, range, listedOnly || asText ? REPORT_LISTED_RUN_ROWS : REPORT_MAX_RUN_ROWS) : [];
    const alerts = sections.has('ALERTS') ? await this.deps.reportHistory.alertTransitions(session, definition.projectIds, period.from, ALERT_TRANSITIONS_MAX) : [];
    const inScope = selection.workflowIds === null ? alerts : alerts.filter((alert) => alert.workflowId !== null && (selection.workflowIds ?? []).includes(alert.workflowId));
    const workflowIds = new Set<string>();
    for (const row of [...statuses, ...earlier, ...cells, ...failed, ...rows]) workflowIds.add(row.workflowId);
    for (const alert of inScope) if (alert.workflowId !== null) workflowIds.add(alert.workflowId);
    // Runs read as text are named in the read thread, by every workflow they may be of.
    if (asText) for (const id of byWorkflows.workflowIds ?? []) workflowIds.add(id);
    const workflows = await this.deps.reportHistory.workflowsByIds(session, [...workflowIds]);
    const projects = await this.deps.reportHistory.projectNames(session, definition.projectIds);
    content.projects = definition.projectIds.map((projectId) => ({ projectId, projectName: projects.get(projectId) ?? projectId }));
    const names = namesOf(workflows, projects);
    if (sections.has('WORKFLOW_PERFORMANCE')) {
      const durations = await this.durationsOf(session, view, byWorkflows, range);
      content.workflowPerformance = workflowPerformance(selected(selection, cells), sparklineBoundaries(rule, period).length - 1, durations, names);
    }
    if (sections.has('TOP_FAILING')) content.topFailing = topFailing(failed, selected(selection, statuses), names);
    if (sections.has('WORKFLOW_CHANGES')) {
      const flaky = selectsStatus(selection, 'SUCCEEDED') ? await this.flakyOf(session, view, byWorkflows, range) : new Map<string, number>();
      content.workflowChanges = workflowChanges(selected(selection, statuses), selected(selection, earlier), flaky, names);
    }
    if (sections.has('ALERTS')) {
      content.alerts = alertSummary(inScope, period.from, period.to, { workflowName: (id) => workflows.get(id)?.name ?? null, project: (id) => projects.get(id) ?? id });
    }
    let runsText: RunsText | null = null;
    if (sections.has('RUNS')) {
      const text = asText ? await this.runsTextAt(session, view, snapshot, selection, range, definition.formats, byWorkflows.workflowIds ?? [], names, aside) : null;
      if (text && text.unnamed.length === 0) {
        content.runs = runRowsBesideText(rows, names, distribution.total, text.rows);
        runsText = text.runsText;
      } else {
        // A run of a workflow outside the selection's (none, as workflows stay in their project) is named as runRows names it.
        if (text) for (const [id, workflow] of await this.deps.reportHistory.workflowsByIds(session, text.unnamed)) workflows.set(id, workflow);
        content.runs = runRows(text ? await this.runsOf(session, view, selection, range, REPORT_MAX_RUN_ROWS) : rows, names, distribution.total, listedOnly);
      }
    }
    return { content, snapshot, totals: counts, total: distribution.total, runsText };
  }

  /** The period's counts per status at the snapshot, read as runStatusCounts reads them. */
  private async counts(session: ReadSession, selection: RunSelection, period: PeriodRange, snapshot: bigint): Promise<Map<RunStatus, number>> {
    const ofPeriod: RunSelection = { ...selection, createdFrom: period.from.getTime(), createdTo: period.to.getTime() };
    const answer = await this.deps.statusCounts.cachedCounts(session, ofPeriod, snapshot, 'ALL');
    return new Map(answer.byStatus.map((entry) => [entry.status, entry.count]));
  }

  /**
   * The first `limit` selected runs of a range, live and archived, in (createdAt, id) order. The
   * status filter is applied here, so the limit counts only runs the report shows.
   */
  private async runsOf(session: ReadSession, view: ArchiveView, selection: RunSelection, range: TimeRange, limit: number): Promise<ReportRun[]> {
    const live = await this.deps.reportHistory.runsOf(session, selection, range, null, limit);
    const archived = await this.deps.archives.readRange(view, range, (archive, clipped, scope) => this.deps.reportHistory.runsOf(archive, selection, clipped, scope, limit));
    return (archived.length === 0 ? live : [...live, ...archived].sort(byCreation)).slice(0, limit);
  }

  /** The runs text read aside when it was read at this session's snapshot with the same selection and names; otherwise read here. */
  private async runsTextAt(
    session: ReadSession,
    view: ArchiveView,
    snapshot: bigint,
    selection: RunSelection,
    range: TimeRange,
    formats: readonly ReportFormat[],
    workflowIds: readonly string[],
    names: Names,
    aside: Promise<RunsAside | null> | null,
  ): Promise<RunsTextRead> {
    const read = await aside;
    // Every write of a run moves the event log's head, and every move between the live runs and an archive changes the catalog.
    if (read && read.snapshot === snapshot && sameArchiveView(read.view, view) && read.inputs === runsTextInputs(selection, workflowIds, names)) return read.text;
    return this.runsTextOf(session, selection, range, formats, workflowIds, names);
  }

  /** The workflows a selection reads runs of: those it names, or every workflow of its projects. */
  private async workflowIdsOf(session: ReadSession, selection: RunSelection): Promise<readonly string[]> {
    return selection.workflowIds ?? (await this.deps.reportHistory.workflowIdsOfProjects(session, selection.projectIds ?? []));
  }

  /** The live runs runsOf reads, as the text of the report's CSV and JSON, the workflows they may be of named as runRows names them. */
  private async runsTextOf(
    session: ReadSession,
    selection: RunSelection,
    range: TimeRange,
    formats: readonly ReportFormat[],
    workflowIds: readonly string[],
    names: Names,
  ): Promise<RunsTextRead> {
    const refOf = workflowRefs(names);
    const encoded = await this.deps.reportHistory.runsText(session, selection, range, REPORT_MAX_RUN_ROWS, {
      csv: formats.includes('CSV'),
      json: formats.includes('JSON'),
      workflows: workflowIds.map(refOf),
    });
    return { rows: encoded.rows, runsText: { csv: bufferOf(encoded.csv), json: bufferOf(encoded.json) }, unnamed: encoded.unnamed };
  }

  private async workflowStatusesOf(session: ReadSession, view: ArchiveView, selection: RunSelection, range: TimeRange): Promise<WorkflowStatusRow[]> {
    const live = await this.deps.reportHistory.workflowStatusesOf(session, selection, range, null);
    const archived = await this.deps.archives.readRange(view, range, (archive, clipped, scope) => this.deps.reportHistory.workflowStatusesOf(archive, selection, clipped, scope));
    return [...live, ...archived];
  }

  private async bucketCellsOf(session: ReadSession, view: ArchiveView, selection: RunSelection, range: TimeRange, boundaries: readonly Date[]): Promise<BucketCell[]> {
    const live = await this.deps.reportHistory.bucketCells(session, selection, range, boundaries, null);
    const archived = await this.deps.archives.readRange(view, range, (archive, clipped, scope) => this.deps.reportHistory.bucketCells(archive, selection, clipped, boundaries, scope));
    return [...live, ...archived];
  }

  private async failedRunsOf(session: ReadSession, view: ArchiveView, selection: RunSelection, range: TimeRange): Promise<FailedRun[]> {
    const live = await this.deps.reportHistory.failedRuns(session, selection, range, null);
    const archived = await this.deps.archives.readRange(view, range, (archive, clipped, scope) => this.deps.reportHistory.failedRuns(archive, selection, clipped, scope));
    return archived.length === 0 ? live : [...live, ...archived].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  /** p50 and p95 per workflow over the selected finished runs of both stores (live and archived). */
  private async durationsOf(session: ReadSession, view: ArchiveView, selection: RunSelection, range: TimeRange): Promise<Map<string, DurationPercentiles>> {
    const finished = RUN_STATUSES.filter((status) => TERMINAL_RUN_STATUSES.has(status) && selectsStatus(selection, status));
    const live = await this.deps.reportHistory.durationsOf(session, selection, range, finished, null);
    const archived = await this.deps.archives.readRange(view, range, (archive, clipped, scope) => this.deps.reportHistory.durationsOf(archive, selection, clipped, finished, scope));
    const byWorkflow = new Map<string, Float64Array[]>();
    for (const row of [...live, ...archived]) byWorkflow.set(row.workflowId, [...(byWorkflow.get(row.workflowId) ?? []), Float64Array.from(row.durations)]);
    const found = new Map<string, DurationPercentiles>();
    for (const [workflowId, parts] of byWorkflow) {
      // A typed array sorts numerically without a comparator call per pair.
      const durations = new Float64Array(parts.reduce((sum, part) => sum + part.length, 0));
      let offset = 0;
      for (const part of parts) {
        durations.set(part, offset);
        offset += part.length;
      }
      durations.sort();
      found.set(workflowId, { p50: nearestRank(durations, 0.5), p95: nearestRank(durations, 0.95) });
    }
    return found;
  }

  private async flakyOf(session: ReadSession, view: ArchiveView, selection: RunSelection, range: TimeRange): Promise<Map<string, number>> {
    const live = await this.deps.reportHistory.flakyCounts(session, selection, range, null);
    const archived = await this.deps.archives.readRange(view, range, (archive, clipped, scope) => this.deps.reportHistory.flakyCounts(archive, selection, clipped, scope));
    const counts = new Map<string, number>();
    for (const row of [...live, ...archived]) counts.set(row.workflowId, (counts.get(row.workflowId) ?? 0) + row.count);
    return counts;
  }
}

function namesOf(workflows: ReadonlyMap<string, { name: string; projectId: string }>, projects: ReadonlyMap<string, string>): Names {
  return {
    // A workflow row outlives nothing a run refers to; a name missing here is a deleted project's, shown by its id.
    workflow: (id) => workflows.get(id) ?? { name: id, projectId: '' },
    project: (id) => projects.get(id) ?? id,
  };
}

/** What the runs text is written from besides the runs: two reads of it with equal inputs at one state write the same bytes. */
function runsTextInputs(selection: RunSelection, workflowIds: readonly string[], names: Names): string {
  return JSON.stringify({ selection, workflows: workflowIds.map(workflowRefs(names)) });
}

/** The nearest-rank percentile of sorted durations (as `percentile` takes it). */
function nearestRank(sorted: Float64Array, fraction: number): number {
  return sorted[Math.max(1, Math.ceil(fraction * sorted.length)) - 1] ?? 0;
}

function bufferOf(bytes: Uint8Array | null): Buffer | null {
  return bytes === null ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function selected<T extends { status: RunStatus }>(selection: RunSelection, runs: readonly T[]): T[] {
  return runs.filter((run) => selectsStatus(selection, run.status));
}

function byCreation(a: ReportRun, b: ReportRun): number {
  return a.createdAtMs - b.createdAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function rangeOf(period: PeriodRange): TimeRange {
  return { from: period.from.getTime(), to: period.to.getTime() };
}

function emptyDistribution(): StatusDistribution {
  return distributionOf(new Map());
}

/** The run filter a definition's report of a period reads, as runStatusCounts takes it. */
export function filterOf(definition: ReportDefinitionRecord, period: PeriodRange): RunFilterSpec {
  const { filter } = definition;
  return {
    projectIds: definition.projectIds,
    workflowIds: filter.workflowIds.length > 0 ? filter.workflowIds : null,
    workflowNames: filter.workflowNames.length > 0 ? filter.workflowNames : null,
    statuses: filter.statuses.length > 0 ? filter.statuses : null,
    triggers: filter.triggers.length > 0 ? filter.triggers : null,
    createdAfter: period.from,
    createdBefore: period.to,
    includeArchived: true,
  };
}

/**
 * Whom generation reads as: a reader of exactly the definition's projects. Who may see the
 * report is decided when it is read or delivered, not here.
 */
function readerOf(projectIds: readonly string[]): Principal {
  return { userId: '', username: 'reports', displayName: 'Reports', isAdmin: false, roles: new Map(projectIds.map((id) => [id, 'VIEWER'])), actor: 'reports', credential: null };
}
