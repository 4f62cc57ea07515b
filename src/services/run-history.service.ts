import { canReadProject, type Principal } from '../auth/principal.ts';
import type { HistoryReader, ReadSession } from '../db/history-reader.ts';
import type { Clock } from '../domain/clock.ts';
import { AppError } from '../domain/errors.ts';
import { decodeHistoryCursor, encodeHistoryCursor, filterHashOf } from '../domain/history/history-cursor.ts';
import { createdRange, selectionKey, selectsRunApartFromStatus, selectsStatus, type RunSelection } from '../domain/history/run-selection.ts';
import { runAsOf, statusesAtSnapshot } from '../domain/history/snapshot-statuses.ts';
import { coverRange, type CoverGrain, type TimeRange } from '../domain/history/time-cover.ts';
import { runIdTimeRange } from '../domain/ids.ts';
import { checkPageSize, parseSeqText, type CursorKey } from '../domain/cursor.ts';
import type { RunFilterSpec } from '../domain/run-filter.ts';
import { RUN_STATUSES, TERMINAL_RUN_STATUSES, type RunStatus } from '../domain/status.ts';
import { bucketMs, bucketStart, MAX_TREND_POINTS, trendPoints, type TimeBucket } from '../domain/time-buckets.ts';
import { RUN_TRIGGERS } from '../domain/vocabulary.ts';
import type { StatusCountData, StatusCountsData } from '../domain/history/status-counts.ts';
import type { CountRow, PageDirection, PagePosition, RunHistoryRepository } from '../repositories/run-history.repository.ts';
import type { RunRecord } from '../repositories/run.repository.ts';
import type { AnswerCache } from './answer-cache.ts';

export interface TrendPointData {
  start: Date;
  counts: StatusCountData[];
}

export interface RunPageData {
  edges: { cursor: string; node: RunRecord }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  snapshot: string;
  /** Counts of the whole filter at the page's snapshot, computed only when asked for. */
  counts: () => Promise<StatusCountsData>;
}

export interface WorkflowStatsData {
  workflowId: string;
  from: Date | null;
  to: Date | null;
  total: number;
  byStatus: StatusCountData[];
  /** SUCCEEDED among finished runs, null when none finished. */
  successRate: number | null;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  snapshot: string;
}

export interface PageArguments {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  snapshot?: string | null;
}

export interface HistorySettings {
  /** A snapshot whose first later change is older than this is refused (SNAPSHOT_EXPIRED). */
  snapshotHorizonMs: number;
}

/** Runs changed after a snapshot, and the status each had at it (null: not created yet). */
interface LaterChanges {
  runs: RunRecord[];
  statusAt: Map<string, RunStatus | null>;
}

const DEFAULT_PAGE_SIZE = 50;
const MAX_SEARCH_LENGTH = 200;
const NO_CHANGES: LaterChanges = { runs: [], statusAt: new Map() };

/**
 * Exact history answers as of a snapshot: pages of runs, counts and trends. Every answer is
 * read in one read transaction and cached under (selection, snapshot, arguments).
 */
export class RunHistoryService {
  constructor(
    private readonly deps: { reader: HistoryReader; history: RunHistoryRepository; clock: Clock; answers: AnswerCache; settings: HistorySettings; cursorKey: () => Promise<CursorKey> },
  ) {}

  /** A filter checked and resolved for the caller, for judging live events by it. */
  selectionFor(principal: Principal, filter: RunFilterSpec | null): Promise<RunSelection> {
    return this.resolveSelection(this.deps.reader, principal, filter);
  }

  /** The highest committed event seq: the snapshot a query made now answers as of. */
  /** The latest runs of each workflow, for lists of workflows (their last status and recent outcomes). */
  latestRunsOfWorkflows(workflowIds: readonly string[], count: number): Promise<RunRecord[]> {
    return this.deps.history.latestRunsOfWorkflows(this.deps.reader, workflowIds, count);
  }

  headSnapshot(): Promise<bigint> {
    return this.deps.history.head(this.deps.reader);
  }

  async runsPage(principal: Principal, filter: RunFilterSpec | null, args: PageArguments): Promise<RunPageData> {
    const backward = args.last != null || args.before != null;
    if (backward && (args.first != null || args.after != null)) {
      throw new AppError('BAD_USER_INPUT', 'Page with first/after (forward) or last/before (backward), not both', { argument: args.first != null ? 'first' : 'after' });
    }
    const size = backward ? checkPageSize(args.last ?? DEFAULT_PAGE_SIZE, 'last') : checkPageSize(args.first ?? DEFAULT_PAGE_SIZE, 'first');
    const cursorArgument = backward ? 'before' : 'after';
    const cursorText = backward ? args.before : args.after;
    // A page needs no read transaction (two fewer round trips on PostgreSQL): see pageRows.
    const session: ReadSession = this.deps.reader;
    const selection = await this.resolveSelection(session, principal, filter);
    const filterHash = filterHashOf(selectionKey(selection));
    const cursorKey = await this.deps.cursorKey();
    const cursor = cursorText ? decodeHistoryCursor(cursorText, cursorArgument, filterHash, cursorKey) : null;
    if (cursor && args.snapshot != null && parseSnapshot(args.snapshot) !== cursor.snapshot) {
      throw new AppError('BAD_USER_INPUT', `snapshot differs from the one ${cursorArgument} was read at; pass one of them`, { argument: 'snapshot' });
    }
    const direction: PageDirection = backward ? 'ASC' : 'DESC';
    const position = cursor ? { createdAt: cursor.createdAt, id: cursor.id } : null;
    const requested = cursor ? cursor.snapshot : args.snapshot == null ? null : parseSnapshot(args.snapshot);
    const argument = cursor ? cursorArgument : 'snapshot';
    const keyAt = (snapshot: bigint) => `page|${selectionKey(selection)}|${snapshot}|${direction}|${position ? `${position.createdAt}:${position.id}` : ''}|${size}`;
    let rows: RunRecord[];
    let answeredAt: bigint;
    if (requested !== null) {
      const cached = await this.deps.answers.get<RunRecord[]>(keyAt(requested));
      if (cached) await this.checkedSnapshot(session, requested, argument);
      rows = cached ?? (await this.pageRows(session, selection, { snapshot: requested, argument }, position, direction, size + 1)).runs;
      if (!cached) await this.deps.answers.set(keyAt(requested), rows);
      answeredAt = requested;
    } else if (this.deps.answers.enabled) {
      // A cached answer is found by its snapshot, so with the cache on the head is read first.
      const head = await this.deps.history.head(session);
      rows = await this.deps.answers.getOrCompute(keyAt(head), async () => (await this.pageRows(session, selection, { snapshot: head, argument }, position, direction, size + 1)).runs);
      answeredAt = head;
    } else {
      const read = await this.pageRows(session, selection, null, position, direction, size + 1);
      rows = read.runs;
      answeredAt = read.snapshot;
    }
    const nodes = backward ? rows.slice(0, size).reverse() : rows.slice(0, size);
    const more = rows.length > size;
    const edges = nodes.map((node) => ({ cursor: encodeHistoryCursor({ createdAt: node.createdAt.getTime(), id: node.id, snapshot: answeredAt, filterHash }, cursorKey), node }));
    return {
      edges,
      pageInfo: {
        hasNextPage: backward ? cursor !== null : more,
        hasPreviousPage: backward ? more : cursor !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      snapshot: answeredAt.toString(),
      counts: once(() => this.deps.reader.read((countSession) => this.cachedCounts(countSession, selection, answeredAt))),
    };
  }

  /** The counts of an already resolved selection at the head (for pushes of a live subscription). */
  countsNow(selection: RunSelection): Promise<StatusCountsData> {
    return this.deps.reader.read(async (session) => this.cachedCounts(session, selection, await this.deps.history.head(session)));
  }

  statusCounts(principal: Principal, filter: RunFilterSpec | null, snapshotArgument: string | null): Promise<StatusCountsData> {
    return this.deps.reader.read(async (session) => {
      const selection = await this.resolveSelection(session, principal, filter);
      const snapshot = await this.checkedSnapshot(session, snapshotArgument === null ? null : parseSnapshot(snapshotArgument));
      return this.cachedCounts(session, selection, snapshot);
    });
  }

  statusTrend(
    principal: Principal,
    filter: RunFilterSpec | null,
    trend: { bucket: TimeBucket; from: Date; to: Date },
    snapshotArgument: string | null,
  ): Promise<TrendPointData[]> {
    const from = trend.from.getTime();
    const to = trend.to.getTime();
    if (from >= to) throw new AppError('BAD_USER_INPUT', `from (${trend.from.toISOString()}) must be before to (${trend.to.toISOString()})`, { argument: 'from' });
    const points = trendPoints(from, to, trend.bucket);
    if (points > MAX_TREND_POINTS) {
      throw new AppError('BAD_USER_INPUT', `A ${trend.bucket} trend from ${trend.from.toISOString()} to ${trend.to.toISOString()} has ${points} points; at most ${MAX_TREND_POINTS}: choose a wider bucket or a shorter range`, { argument: 'bucket' });
    }
    return this.deps.reader.read(async (session) => {
      const selection = await this.resolveSelection(session, principal, filter);
      const snapshot = await this.checkedSnapshot(session, snapshotArgument === null ? null : parseSnapshot(snapshotArgument));
      const key = `trend|${selectionKey(selection)}|${snapshot}|${trend.bucket}|${from}|${to}`;
      return this.deps.answers.getOrCompute(key, () => this.trendAt(session, selection, snapshot, trend.bucket, { from, to }));
    });
  }

  workflowStats(principal: Principal, workflowId: string, from: Date | null, to: Date | null): Promise<WorkflowStatsData> {
    if (from && to && from >= to) throw new AppError('BAD_USER_INPUT', `from (${from.toISOString()}) must be before to (${to.toISOString()})`, { argument: 'from' });
    return this.deps.reader.read(async (session) => {
      const [workflow] = await this.deps.history.workflowsByIds(session, [workflowId]);
      if (!workflow || !canReadProject(principal, workflow.projectId)) throw new AppError('NOT_FOUND', `Workflow ${workflowId} was not found`, { argument: 'workflowId' });
      const snapshot = await this.deps.history.head(session);
      const range = { from: from?.getTime() ?? null, to: to?.getTime() ?? null };
      const key = `stats|${workflowId}|${snapshot}|${range.from}|${range.to}`;
      return this.deps.answers.getOrCompute(key, async () => {
        const selection: RunSelection = { ...EVERYTHING, workflowIds: [workflowId], createdFrom: range.from, createdTo: range.to };
        const counts = await this.countsAt(session, selection, snapshot, NO_CHANGES);
        const durations = await this.deps.history.finishedDurations(session, workflowId, range);
        const finished = counts.byStatus.filter((entry) => TERMINAL_RUN_STATUSES.has(entry.status)).reduce((sum, entry) => sum + entry.count, 0);
        const succeeded = counts.byStatus.find((entry) => entry.status === 'SUCCEEDED')?.count ?? 0;
        return {
          workflowId,
          from,
          to,
          total: counts.total,
          byStatus: counts.byStatus,
          successRate: finished === 0 ? null : succeeded / finished,
          p50DurationMs: percentile(durations, 0.5),
          p95DurationMs: percentile(durations, 0.95),
          snapshot: snapshot.toString(),
        };
      });
    });
  }

  /** The head when no snapshot is asked for; otherwise the snapshot, if it is not in the future nor past the horizon. */
  private async checkedSnapshot(session: ReadSession, requested: bigint | null, argument = 'snapshot'): Promise<bigint> {
    const head = await this.deps.history.head(session);
    if (requested === null) return head;
    await this.checkSnapshotAgainst(session, requested, head, argument);
    return requested;
  }

  /** Refuses a snapshot ahead of the head, or superseded longer ago than the horizon. */
  private async checkSnapshotAgainst(session: ReadSession, requested: bigint, head: bigint, argument: string): Promise<void> {
    if (requested === head) return;
    if (requested > head) throw new AppError('BAD_USER_INPUT', `snapshot ${requested} is ahead of the newest change (${head})`, { argument });
    const firstChange = await this.deps.history.firstChangeAfter(session, requested);
    const horizon = this.deps.clock.now().getTime() - this.deps.settings.snapshotHorizonMs;
    if (firstChange && firstChange.getTime() < horizon) {
      throw new AppError(
        'SNAPSHOT_EXPIRED',
        `snapshot ${requested} was superseded at ${firstChange.toISOString()}, longer ago than the snapshot horizon (${Math.round(this.deps.settings.snapshotHorizonMs / 1000)} s); query again without a snapshot or cursor`,
        { argument, snapshot: requested.toString(), head: head.toString() },
      );
    }
  }

  private async laterChanges(session: ReadSession, snapshot: bigint): Promise<LaterChanges> {
    const events = await this.deps.history.eventsAfter(session, snapshot);
    if (events.length === 0) return NO_CHANGES;
    const runs = await this.deps.history.runsByIds(session, [...new Set(events.map((event) => event.runId))]);
    const byId = new Map(runs.map((run) => [run.id, run]));
    return { runs, statusAt: statusesAtSnapshot(events, (runId) => byId.get(runId)?.status ?? null) };
  }

  /**
   * A page as of the requested snapshot (the head when none), without a read transaction: the rows
   * unchanged since the snapshot come with the head of their statement, and when the head has
   * moved past the snapshot the events after it are read afterwards, so every run that changed
   * since is among them and is judged by its status at the snapshot instead.
   */
  private async pageRows(
    session: ReadSession,
    selection: RunSelection,
    requested: { snapshot: bigint; argument: string } | null,
    position: PagePosition | null,
    direction: PageDirection,
    limit: number,
  ): Promise<{ runs: RunRecord[]; snapshot: bigint }> {
    const { runs: unchanged, head } = await this.deps.history.pageOfUnchanged(session, selection, requested?.snapshot ?? null, position, direction, limit);
    if (requested) await this.checkSnapshotAgainst(session, requested.snapshot, head, requested.argument);
    const at = requested?.snapshot ?? head;
    if (at === head) return { runs: unchanged, snapshot: at };
    const changes = await this.laterChanges(session, at);
    const sign = direction === 'DESC' ? -1 : 1;
    // A run may change after it was read as unchanged: it is then among the changes too.
    const read = new Set(unchanged.map((run) => run.id));
    const changed = changes.runs.flatMap((run) => {
      if (read.has(run.id)) return [];
      const status = changes.statusAt.get(run.id);
      if (!status || !selectsStatus(selection, status) || !selectsRunApartFromStatus(selection, run)) return [];
      if (position && sign * compareRuns(run, position) <= 0) return [];
      return [runAsOf(run, status)];
    });
    if (changed.length === 0) return { runs: unchanged, snapshot: at };
    return { runs: [...unchanged, ...changed].sort((a, b) => sign * compareRuns(a, b)).slice(0, limit), snapshot: at };
  }

  private async cachedCounts(session: ReadSession, selection: RunSelection, snapshot: bigint): Promise<StatusCountsData> {
    const key = `counts|${selectionKey(selection)}|${snapshot}`;
    return this.deps.answers.getOrCompute(key, async () => this.countsAt(session, selection, snapshot, await this.laterChanges(session, snapshot)));
  }

  private async countsAt(session: ReadSession, selection: RunSelection, snapshot: bigint, changes: LaterChanges): Promise<StatusCountsData> {
    const rows = await this.countRowsAtHead(session, selection, createdRange(selection), 'DAY', null);
    const counts = new Map<RunStatus, number>();
    for (const row of rows) counts.set(row.status, (counts.get(row.status) ?? 0) + row.count);
    this.reverseLaterChanges(selection, changes, (_run, status, delta) => counts.set(status, (counts.get(status) ?? 0) + delta));
    const byStatus = (selection.statuses ?? RUN_STATUSES).map((status) => ({ status, count: counts.get(status) ?? 0 }));
    return { total: byStatus.reduce((sum, entry) => sum + entry.count, 0), byStatus, snapshot: snapshot.toString() };
  }

  private async trendAt(session: ReadSession, selection: RunSelection, snapshot: bigint, bucket: TimeBucket, range: { from: number; to: number }): Promise<TrendPointData[]> {
    const selected = createdRange(selection);
    const from = Math.max(range.from, selected.from ?? range.from);
    const to = Math.min(range.to, selected.to ?? range.to);
    const coarsest: CoverGrain = bucket === 'MINUTE' ? 'RUN' : bucket === 'HOUR' ? 'HOUR' : 'DAY';
    const rows = from < to ? await this.countRowsAtHead(session, selection, { from, to }, coarsest, bucket === 'MINUTE' ? 'MINUTE' : 'HOUR') : [];
    const points = new Map<number, Map<RunStatus, number>>();
    for (let start = bucketStart(range.from, bucket); start < range.to; start += bucketMs(bucket)) points.set(start, new Map());
    const add = (time: number, status: RunStatus, delta: number) => {
      const point = points.get(bucketStart(time, bucket));
      point?.set(status, (point.get(status) ?? 0) + delta);
    };
    for (const row of rows) if (row.time !== null) add(row.time, row.status, row.count);
    const changes = await this.laterChanges(session, snapshot);
    this.reverseLaterChanges({ ...selection, createdFrom: from, createdTo: to }, changes, (run, status, delta) => add(run.createdAt.getTime(), status, delta));
    return [...points].map(([start, counts]) => ({
      start: new Date(start),
      counts: RUN_STATUSES.flatMap((status) => ((counts.get(status) ?? 0) === 0 ? [] : [{ status, count: counts.get(status) ?? 0 }])),
    }));
  }

  /**
   * Counts at the head of the read transaction: rollups for whole days and hours, runs for
   * the partial edge hours. A search counts its workflows so, and its run-id prefix from runs.
   */
  private async countRowsAtHead(session: ReadSession, selection: RunSelection, range: TimeRange, coarsest: CoverGrain, grain: 'MINUTE' | 'HOUR' | null): Promise<CountRow[]> {
    const { history } = this.deps;
    const search = selection.search;
    const byWorkflow: RunSelection = search ? { ...selection, search: null, workflowIds: search.workflowIds } : selection;
    const cover = coverRange(range, coarsest);
    const rows = [
      ...(cover.runs.length > 0 ? await history.countRuns(session, byWorkflow, cover.runs, grain) : []),
      ...(cover.hours.length > 0 ? await history.countRollup(session, byWorkflow, 'HOUR', cover.hours, grain !== null) : []),
      ...(cover.days.length > 0 ? await history.countRollup(session, byWorkflow, 'DAY', cover.days, grain !== null) : []),
    ];
    if (search?.runIdPrefix) rows.push(...(await history.countRuns(session, selection, [range], grain)));
    return rows;
  }

  /** Moves each run changed after the snapshot from its status now back to its status then. */
  private reverseLaterChanges(selection: RunSelection, changes: LaterChanges, move: (run: RunRecord, status: RunStatus, delta: number) => void): void {
    for (const run of changes.runs) {
      if (!selectsRunApartFromStatus(selection, run)) continue;
      const now = run.status;
      const then = changes.statusAt.get(run.id) ?? null;
      if (selectsStatus(selection, now)) move(run, now, -1);
      if (then !== null && selectsStatus(selection, then)) move(run, then, 1);
    }
  }

  /** The filter checked and resolved against what the caller may read (see RunSelection). */
  private async resolveSelection(session: ReadSession, principal: Principal, filter: RunFilterSpec | null): Promise<RunSelection> {
    const spec = filter ?? {};
    const createdFrom = spec.createdAfter?.getTime() ?? null;
    const createdTo = spec.createdBefore?.getTime() ?? null;
    if (createdFrom !== null && createdTo !== null && createdFrom >= createdTo) {
      throw new AppError('BAD_USER_INPUT', `filter.createdAfter (${spec.createdAfter?.toISOString()}) must be before filter.createdBefore (${spec.createdBefore?.toISOString()})`, {
        argument: 'filter.createdAfter',
      });
    }
    const projectIds = await this.resolveProjects(session, principal, spec.projectIds ?? []);
    const requestedWorkflowIds = unique(spec.workflowIds ?? []);
    const names = unique(spec.workflowNames ?? []);
    const searchText = spec.search?.trim() ?? '';
    if (searchText.length > MAX_SEARCH_LENGTH) {
      throw new AppError('BAD_USER_INPUT', `filter.search is ${searchText.length} characters long; at most ${MAX_SEARCH_LENGTH}`, { argument: 'filter.search' });
    }
    let workflowIds: string[] | null = null;
    let search: RunSelection['search'] = null;
    if (requestedWorkflowIds.length > 0 || names.length > 0 || searchText !== '') {
      // Ids and names are checked against everything the caller may read; the project filter then narrows them.
      const readable = await this.deps.history.workflowsOf(session, principal.isAdmin ? null : readableProjectIds(principal));
      const known = new Set(readable.map((workflow) => workflow.id));
      const unknown = requestedWorkflowIds.filter((id) => !known.has(id));
      if (unknown.length > 0) throw new AppError('BAD_USER_INPUT', `filter.workflowIds: no workflow ${unknown.join(', ')} in the projects you can read`, { argument: 'filter.workflowIds' });
      const missingNames = names.filter((name) => !readable.some((workflow) => workflow.name === name));
      if (missingNames.length > 0) {
        throw new AppError('BAD_USER_INPUT', `filter.workflowNames: no workflow named ${missingNames.map((name) => `"${name}"`).join(', ')} in the projects you can read`, {
          argument: 'filter.workflowNames',
        });
      }
      let candidates = projectIds === null ? readable : readable.filter((workflow) => projectIds.includes(workflow.projectId));
      if (requestedWorkflowIds.length > 0) candidates = candidates.filter((workflow) => requestedWorkflowIds.includes(workflow.id));
      if (names.length > 0) candidates = candidates.filter((workflow) => names.includes(workflow.name));
      if (requestedWorkflowIds.length > 0 || names.length > 0) workflowIds = candidates.map((workflow) => workflow.id);
      if (searchText !== '') {
        const needle = searchText.toLowerCase();
        const idRange = runIdTimeRange(needle);
        search = {
          workflowIds: candidates.filter((workflow) => workflow.name.toLowerCase().includes(needle)).map((workflow) => workflow.id).sort(),
          runIdPrefix: idRange ? { prefix: needle, createdFrom: idRange.from, createdTo: idRange.to } : null,
        };
      }
    }
    return {
      projectIds,
      workflowIds: workflowIds && unique(workflowIds),
      statuses: inOrder(spec.statuses ?? [], RUN_STATUSES),
      triggers: inOrder(spec.triggers ?? [], RUN_TRIGGERS),
      createdFrom,
      createdTo,
      search,
    };
  }

  private async resolveProjects(session: ReadSession, principal: Principal, requested: readonly string[]): Promise<string[] | null> {
    const ids = unique(requested);
    if (ids.length === 0) return principal.isAdmin ? null : readableProjectIds(principal);
    if (principal.isAdmin) {
      const existing = await this.deps.history.existingProjectIds(session, ids);
      const unknown = ids.filter((id) => !existing.has(id));
      if (unknown.length > 0) throw new AppError('BAD_USER_INPUT', `filter.projectIds: no project ${unknown.join(', ')}`, { argument: 'filter.projectIds' });
    }
    const unreadable = ids.filter((id) => !canReadProject(principal, id));
    if (unreadable.length > 0) throw new AppError('FORBIDDEN', `You may not read project ${unreadable.join(', ')}`, { argument: 'filter.projectIds' });
    return ids;
  }
}

const EVERYTHING: RunSelection = { projectIds: null, workflowIds: null, statuses: null, triggers: null, createdFrom: null, createdTo: null, search: null };

function readableProjectIds(principal: Principal): string[] {
  return [...principal.roles.keys()].sort();
}

function parseSnapshot(text: string): bigint {
  return parseSeqText(text, 'snapshot', 'a snapshot from an earlier answer');
}

/** (createdAt, id) order, the order of every history page. */
function compareRuns(a: PagePosition | RunRecord, b: PagePosition | RunRecord): number {
  const timeOf = (row: PagePosition | RunRecord) => (typeof row.createdAt === 'number' ? row.createdAt : row.createdAt.getTime());
  const byTime = timeOf(a) - timeOf(b);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** Null for "any": an empty list in a filter does not narrow it. */
function inOrder<T extends string>(values: readonly T[], order: readonly T[]): T[] | null {
  return values.length === 0 ? null : order.filter((value) => values.includes(value));
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? null;
}

function once<T>(compute: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | null = null;
  return () => (result ??= compute());
}
