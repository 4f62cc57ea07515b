import type { ClientRunSummaryFragment, ClientRunsPageQuery, RunFilter, RunStatus } from './generated/graphql.ts';

/** The most runs one page may hold (the server's bound). */
export const MAX_PAGE_SIZE = 500;

export interface RunsOptions {
  /** Runs per request, 1 to 500; default 100. */
  pageSize?: number;
  /** Page as of this snapshot (an earlier answer's); default: the newest, fixed by the first page. */
  snapshot?: string;
  signal?: AbortSignal;
}

/** What the first page says about the whole filter, exact at `snapshot`. */
export interface RunsSummary {
  snapshot: string;
  totalCount: number;
  statusCounts: { status: RunStatus; count: number }[];
}

/** Every run the filter selects at one snapshot, newest first: iterate it, and read `summary()` at any time. */
export interface RunPages<TRun = ClientRunSummaryFragment> extends AsyncIterable<TRun> {
  /** The totals from the first page (fetching it if iteration has not yet). */
  summary(): Promise<RunsSummary>;
}

export type FetchRunsPage = (
  variables: { filter: RunFilter | null; first: number; after: string | null; snapshot: string | null; withCounts: boolean },
  signal: AbortSignal | undefined,
) => Promise<ClientRunsPageQuery>;

export function checkedPageSize(pageSize: number | undefined): number {
  const size = pageSize ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) throw new RangeError(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}, not ${size}`);
  return size;
}

/**
 * Pages through runs at one snapshot: the first page fixes it (or uses the one given) and every
 * cursor carries it on, so runs changing meanwhile are neither repeated nor skipped.
 * SNAPSHOT_EXPIRED (a paging slower than the server's snapshot horizon) is thrown as it is.
 */
export function pageRuns<TRun>(fetchPage: FetchRunsPage, toRun: (node: ClientRunSummaryFragment) => TRun, filter: RunFilter | null, options: RunsOptions): RunPages<TRun> {
  const first = checkedPageSize(options.pageSize);
  let firstPage: Promise<ClientRunsPageQuery['runs']> | null = null;
  const firstPageOnce = () => (firstPage ??= fetchPage({ filter, first, after: null, snapshot: options.snapshot ?? null, withCounts: true }, options.signal).then((data) => data.runs));
  return {
    async summary() {
      const page = await firstPageOnce();
      if (page.totalCount == null || page.statusCounts == null) throw new Error('The first page of runs came without its counts');
      return { snapshot: page.snapshot, totalCount: page.totalCount, statusCounts: page.statusCounts };
    },
    async *[Symbol.asyncIterator]() {
      let page = await firstPageOnce();
      for (;;) {
        for (const edge of page.edges) yield toRun(edge.node);
        const cursor = page.pageInfo.endCursor;
        if (!page.pageInfo.hasNextPage || cursor == null) return;
        page = (await fetchPage({ filter, first, after: cursor, snapshot: null, withCounts: false }, options.signal)).runs;
      }
    },
  };
}
