'use client';

import { useSubscription } from '@apollo/client/react';
import { CombinedGraphQLErrors } from '@apollo/client';
import { useEffect, useRef, useState } from 'react';
import { graphql } from '../_gql/index.ts';
import type { LiveRunEventsSubscription, RunFilter } from '../_gql/graphql.ts';
import { usePageVisible } from '../_hooks/use-page-visible.ts';
import { deliver, follow, resumeAfter, startAt } from './stream-position.ts';
import { useOnReconnect } from './use-connection-state.ts';

/** What an event carries of its run: the row every list shows, and the error the run page shows. */
export const LIVE_RUN = graphql(`
  fragment LiveRun on Run {
    ...RunRow
    error
  }
`);

const LIVE_RUN_EVENTS = graphql(`
  subscription LiveRunEvents($filter: RunFilter, $afterSeq: String) {
    runEvents(filter: $filter, afterSeq: $afterSeq) {
      ...RunHistoryEvent
      step {
        ...StepRow
      }
      run {
        ...LiveRun
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
 * place. The stream pauses while the tab is hidden; when the tab is shown again, or the socket
 * is back after a drop, it resumes after the last seq it delivered.
 */
export function useRunEvents({ filter, afterSeq, onEvent, onResync, skip = false }: RunEventOptions): void {
  const visible = usePageVisible();
  const position = useRef(startAt(afterSeq));
  // What the subscription asks for: `from` changes only where the stream must start again.
  const [stream, setStream] = useState({ base: afterSeq, visible, from: afterSeq });
  const handlers = useRef({ onEvent, onResync });
  handlers.current = { onEvent, onResync };

  // Adjusted while rendering, so a new base or a shown tab opens one subscription, not two.
  if (stream.base !== afterSeq || stream.visible !== visible) {
    const followed = follow(position.current, afterSeq);
    position.current = followed.position;
    const shownAgain = visible && !stream.visible;
    setStream({ base: afterSeq, visible, from: followed.restart ? afterSeq : shownAgain ? resumeAfter(followed.position) : stream.from });
  }
  useOnReconnect(() => setStream((current) => ({ ...current, from: resumeAfter(position.current) })));

  const { error } = useSubscription(LIVE_RUN_EVENTS, {
    variables: { filter, afterSeq: stream.from },
    skip: skip || !visible,
    onData: ({ data }) => {
      const event = data.data?.runEvents;
      if (!event) return;
      const next = deliver(position.current, event.seq);
      if (!next) return;
      position.current = next;
      handlers.current.onEvent(event);
    },
  });

  useEffect(() => {
    if (error && isResync(error)) handlers.current.onResync();
  }, [error]);
}

/**
 * The counts of the filter, pushed by the server when they change, with the snapshot they are
 * at. Paused while the tab is hidden: subscribing again brings the counts as they are then.
 */
export function useLiveStatusCounts(filter: RunFilter, skip = false) {
  const visible = usePageVisible();
  const { data, error } = useSubscription(LIVE_STATUS_COUNTS, { variables: { filter }, skip: skip || !visible });
  return { counts: data?.statusCounts ?? null, error };
}
