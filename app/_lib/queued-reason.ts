import type { RunStatus } from '../_gql/graphql.ts';

/**
 * What a queued run's page and row say about its wait: "Waiting: no live worker has the labels
 * region=eu". Null once the run is no longer QUEUED: a reason read earlier is stale then, since
 * the status follows live events and the reason does not.
 */
export function queuedHint(status: RunStatus, queuedReason: string | null | undefined): string | null {
  return status === 'QUEUED' && queuedReason ? `Waiting: ${queuedReason}` : null;
}
