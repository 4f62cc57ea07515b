import { graphql } from '../../_gql/index.ts';
import type { RunFilter, RunsPageQueryVariables } from '../../_gql/graphql.ts';
import { runFilterOf, type RunsView } from '../../_lib/run-filters.ts';

/** The runs page's operations, asked by the server for the first paint and by the browser after. */

export const PAGE_SIZE = 50;

export const RUNS_PAGE = graphql(`
  query RunsPage($filter: RunFilter, $first: Int, $after: String, $last: Int, $before: String) {
    runs(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      snapshot
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        cursor
        node {
          ...RunRow
          queuedReason
        }
      }
    }
  }
`);

export const STATUS_COUNTS_AT = graphql(`
  query RunStatusCountsAt($filter: RunFilter, $snapshot: String) {
    runStatusCounts(filter: $filter, snapshot: $snapshot) {
      total
      byStatus {
        status
        count
      }
    }
  }
`);

/** What the runs page asks for its view: the server and the browser build the same variables. */
export function runsPageVariables(view: RunsView, openedAt: number): RunsPageQueryVariables & { filter: RunFilter } {
  const filter = runFilterOf(view, openedAt);
  return view.before ? { filter, last: PAGE_SIZE, before: view.before } : { filter, first: PAGE_SIZE, after: view.after };
}
