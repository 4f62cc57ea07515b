'use client';

import { useSubscription } from '@apollo/client/react';
import { CombinedGraphQLErrors } from '@apollo/client';
import { useEffect, useRef, useState } from 'react';
import { graphql } from '../_gql/index.ts';
import type { LiveRunEventsSubscription, RunFilter } from '../_gql/graphql.ts';
import { useOnReconnect } from './use-connection-state.ts';

const LIVE_RUN_EVENTS = graphql(`
  subscription LiveRunEvents($filter: RunFilter, $afterSeq: String) {
    runEvents(filter: $filter, afterSeq: $afterSeq) {
      ...RunHistoryEvent
      step {
        ...StepRow
      }
      run {
        ...RunRow
        error
      }
    }
  }
`);

const LIVE_STATUS_COUNTS = graphql(`
  subscription LiveStatusCounts($filter: RunFilter) {
    statusCounts(filter: $filter) {
      total
      snapshot
      byStatus {
        status
        count
      }
    }
  }
`);

export type LiveRunEvent = LiveRunEventsSubscription['runEvents'];

function isResync(error: unknown): boolean {
  return CombinedGraphQLErrors.is(error) && error.errors.some((each) => each.extensions?.code === 'RESYNC');
}

interface RunEventOptions {
  filter: RunFilter;
  /** Stream from the event after this seq (the snapshot the page shows); null: from now. */
  afterSeq: string | null;
  onEvent(event: LiveRunEvent): void;
  /** The server could not keep up or the log moved on: refetch, then stream from the new snapshot. */
  onResync(): void;
  skip?: boolean;
}

/**
 * Every status change matching the filter, once each, in seq order. Each event carries its
 * run's fields, which Apollo writes into the normalized cache, so rows on screen update in
 * place. After a dropped connection the stream resumes after the last seq seen.
 */
export function useRunEvents({ filter, afterSeq, onEvent, onResync, skip = false }: RunEventOptions): void {
  const lastSeq = useRef<{ base: string | null; seq: bigint }>({ base: afterSeq, seq: afterSeq === null ? -1n : BigInt(afterSeq) });
  // Where to resume after a dropped connection, valid only for the snapshot it was taken under.
  const [resume, setResume] = useState<{ base: string | null; seq: string } | null>(null);
  const handlers = useRef({ onEvent, onResync });
  handlers.current = { onEvent, onResync };
  if (lastSeq.current.base !== afterSeq) lastSeq.current = { base: afterSeq, seq: afterSeq === null ? -1n : BigInt(afterSeq) };
  useOnReconnect(() => {
    const { base, seq } = lastSeq.current;
    if (seq >= 0n) setResume({ base, seq: seq.toString() });
  });

  const from = resume !== null && resume.base === afterSeq ? resume.seq : afterSeq;
  const { error } = useSubscription(LIVE_RUN_EVENTS, {
    variables: { filter, afterSeq: from },
    skip,
    onData: ({ data }) => {
      const event = data.data?.runEvents;
      if (!event) return;
      const seq = BigInt(event.seq);
      // A resumed stream may replay what was already seen.
      if (seq <= lastSeq.current.seq) return;
      lastSeq.current = { base: lastSeq.current.base, seq };
      handlers.current.onEvent(event);
    },
  });

  useEffect(() => {
    if (error && isResync(error)) handlers.current.onResync();
  }, [error]);
}

/** The counts of the filter, pushed by the server when they change, with the snapshot they are at. */
export function useLiveStatusCounts(filter: RunFilter, skip = false) {
  const { data, error } = useSubscription(LIVE_STATUS_COUNTS, { variables: { filter }, skip });
  return { counts: data?.statusCounts ?? null, error };
}
