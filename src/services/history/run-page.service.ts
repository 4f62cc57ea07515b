import type { Principal } from '../../auth/principal.ts';
import type { HistoryReader, ReadSession } from '../../db/history-reader.ts';
import { checkPageSize, type CursorKey } from '../../domain/cursor.ts';
import { AppError } from '../../domain/errors.ts';
import { connectionOf, type Connection, type Page } from '../../domain/page.ts';
import { answerKey } from '../../domain/history/answer-key.ts';
import { decodeHistoryCursor, encodeHistoryCursor, filterHashOf } from '../../domain/history/history-cursor.ts';
import { selectionKey, selectsRunApartFromStatus, selectsStatus, type RunSelection } from '../../domain/history/run-selection.ts';
import { runAsOf } from '../../domain/history/snapshot-statuses.ts';
import type { CountScope, StatusCountsData } from '../../domain/history/status-counts.ts';
import type { RunFilterSpec } from '../../domain/run-filter.ts';
import type { RunEventLogRepository } from '../../repositories/run-event-log.repository.ts';
import type { PageDirection, PagePosition, RunPageRepository } from '../../repositories/run-page.repository.ts';
import type { RunRecord } from '../../repositories/run.repository.ts';
import type { AnswerCache } from '../answer-cache.ts';
import type { ArchiveReadsService } from '../archive/archive-reads.service.ts';
import { readLaterChanges } from './later-changes.ts';
import type { RunSelectionService } from './run-selection.service.ts';
import { parseSnapshot, type SnapshotGuard } from './snapshot-guard.service.ts';
import type { StatusCountsService } from './status-counts.service.ts';

export interface RunPageData extends Connection<RunRecord> {
  snapshot: string;
  /** Counts of the whole filter at the page's snapshot (of the runs its pages show), computed only when asked for. */
  counts: () => Promise<StatusCountsData>;
  /** How many runs the filter selects that are archived (left out of pages without includeArchived), computed only when asked for. */
  countArchived: () => Promise<number>;
}

export interface PageArguments {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  snapshot?: string | null;
}

const DEFAULT_PAGE_SIZE = 50;

/**
 * Pages of runs in (createdAt, id) order, exact as of a snapshot that their cursors carry on.
 * With includeArchived a page merges the live store's runs with the archives', read in one read
 * transaction with the catalog, so every run is in exactly one of them; without it a page shows
 * the live store's runs, whatever was archived when it is read.
 */
export class RunPageService {
  constructor(
    private readonly deps: {
      reader: HistoryReader;
      pages: RunPageRepository;
      eventLog: RunEventLogRepository;
      selections: RunSelectionService;
      snapshots: SnapshotGuard;
      statusCounts: StatusCountsService;
      answers: AnswerCache;
      archives: ArchiveReadsService;
      cursorKey: () => Promise<CursorKey>;
    },
  ) {}

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
    const selection = await this.deps.selections.resolve(session, principal, filter);
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
    // Pages of live runs alone change when runs are archived, so they are cached per archive state too.
    const archiveEpoch = async () => (selection.includeArchived || !this.deps.answers.enabled ? null : await this.deps.archives.epoch(session));
    const keyAt = async (snapshot: bigint) => answerKey({ kind: 'page', selection, snapshot, direction, position, size, archiveEpoch: await archiveEpoch() });
    let rows: RunRecord[];
    let answeredAt: bigint;
    if (requested !== null) {
      const key = await keyAt(requested);
      const cached = await this.deps.answers.get<RunRecord[]>(key);
      if (cached) await this.deps.snapshots.checked(session, requested, argument);
      rows = cached ?? (await this.pageRows(session, selection, { snapshot: requested, argument }, position, direction, size + 1)).runs;
      if (!cached) await this.deps.answers.set(key, rows);
      answeredAt = requested;
    } else if (this.deps.answers.enabled) {
      // A cached answer is found by its snapshot, so with the cache on the head is read first.
      const head = await this.deps.eventLog.head(session);
      rows = await this.deps.answers.getOrCompute(await keyAt(head), async () => (await this.pageRows(session, selection, { snapshot: head, argument }, position, direction, size + 1)).runs);
      answeredAt = head;
    } else {
      const read = await this.pageRows(session, selection, null, position, direction, size + 1);
      rows = read.runs;
      answeredAt = read.snapshot;
    }
    const more = rows.length > size;
    const page: Page<RunRecord> = {
      nodes: backward ? rows.slice(0, size).reverse() : rows.slice(0, size),
      hasNextPage: backward ? cursor !== null : more,
      hasPreviousPage: backward ? more : cursor !== null,
      cursorOf: (node) => encodeHistoryCursor({ createdAt: node.createdAt.getTime(), id: node.id, snapshot: answeredAt, filterHash }, cursorKey),
    };
    const counts = (scope: CountScope) => this.deps.reader.read((countSession) => this.deps.statusCounts.cachedCounts(countSession, selection, answeredAt, scope));
    return {
      ...connectionOf(page),
      snapshot: answeredAt.toString(),
      counts: once(() => counts(selection.includeArchived ? 'ALL' : 'LIVE')),
      countArchived: once(async () => (await counts('ARCHIVED')).total),
    };
  }

  /**
   * A page as of the requested snapshot (the head when none), without a read transaction: the rows
   * unchanged since the snapshot come with the head of their statement, and when the head has
   * moved past the snapshot the events after it are read afterwards, so every run that changed
   * since is among them and is judged by its status at the snapshot instead. A page with
   * archived runs reads the catalog and the live runs in one read transaction instead.
   */
  private async pageRows(
    session: ReadSession,
    selection: RunSelection,
    requested: { snapshot: bigint; argument: string } | null,
    position: PagePosition | null,
    direction: PageDirection,
    limit: number,
  ): Promise<{ runs: RunRecord[]; snapshot: bigint }> {
    if (selection.includeArchived) {
      return this.deps.reader.read(async (transaction) => {
        const view = await this.deps.archives.view(transaction);
        return this.rowsAt(transaction, selection, requested, position, direction, limit, (live) =>
          this.deps.archives.mergePage(view, selection, requested?.snapshot ?? null, position, direction, limit, live),
        );
      });
    }
    return this.rowsAt(session, selection, requested, position, direction, limit, async (live) => live);
  }

  private async rowsAt(
    session: ReadSession,
    selection: RunSelection,
    requested: { snapshot: bigint; argument: string } | null,
    position: PagePosition | null,
    direction: PageDirection,
    limit: number,
    withArchived: (live: RunRecord[]) => Promise<RunRecord[]>,
  ): Promise<{ runs: RunRecord[]; snapshot: bigint }> {
    const { runs: live, head } = await this.deps.pages.pageOfUnchanged(session, selection, requested?.snapshot ?? null, position, direction, limit);
    if (requested) await this.deps.snapshots.checkAgainst(session, requested.snapshot, head, requested.argument);
    const unchanged = await withArchived(live);
    const at = requested?.snapshot ?? head;
    if (at === head) return { runs: unchanged, snapshot: at };
    const changes = await readLaterChanges(this.deps, session, at);
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
}

/** (createdAt, id) order, the order of every history page. */
function compareRuns(a: PagePosition | RunRecord, b: PagePosition | RunRecord): number {
  const timeOf = (row: PagePosition | RunRecord) => (typeof row.createdAt === 'number' ? row.createdAt : row.createdAt.getTime());
  const byTime = timeOf(a) - timeOf(b);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function once<T>(compute: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | null = null;
  return () => (result ??= compute());
}
