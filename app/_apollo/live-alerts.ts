'use client';

import { CombinedGraphQLErrors } from '@apollo/client';
import { useSubscription } from '@apollo/client/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { graphql } from '../_gql/index.ts';
import { usePageVisible } from '../_hooks/use-page-visible.ts';
import { useOnReconnect } from './use-connection-state.ts';

const LIVE_ALERT_EVENTS = graphql(`
  subscription LiveAlertEvents($projectIds: [ID!], $afterSeq: String) {
    alertEvents(projectIds: $projectIds, afterSeq: $afterSeq) {
      seq
      alertId
      to
    }
  }
`);

// Transitions of one evaluation arrive together: one refetch for them all.
const COALESCE_MS = 150;

function isResync(error: unknown): boolean {
  return CombinedGraphQLErrors.is(error) && error.errors.some((each) => each.extensions?.code === 'RESYNC');
}

/**
 * Calls `onChange` when an alert of these projects (null: every readable one) changes: the
 * caller refetches what it shows. The stream resumes after the last event it delivered when the
 * socket is back or the tab is shown again (the missed transitions replay), and on RESYNC it
 * asks for a refetch and starts again from now.
 */
export function useAlertChanges(projectIds: readonly string[] | null, onChange: () => void): void {
  const visible = usePageVisible();
  const handler = useRef(onChange);
  handler.current = onChange;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const last = useRef<string | null>(null);
  const [from, setFrom] = useState<string | null>(null);

  const changed = useCallback(() => {
    if (timer.current !== null) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      handler.current();
    }, COALESCE_MS);
  }, []);
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );
  useOnReconnect(() => setFrom(last.current));
  const shown = useRef(visible);
  useEffect(() => {
    if (visible && !shown.current) setFrom(last.current);
    shown.current = visible;
  }, [visible]);

  const { error, restart } = useSubscription(LIVE_ALERT_EVENTS, {
    variables: { projectIds: projectIds === null ? null : [...projectIds], afterSeq: from },
    skip: !visible,
    onData: ({ data }) => {
      const event = data.data?.alertEvents;
      if (!event) return;
      last.current = event.seq;
      changed();
    },
  });

  useEffect(() => {
    if (!error || !isResync(error)) return;
    last.current = null;
    changed();
    if (from === null) restart();
    else setFrom(null);
  }, [error, changed, restart, from]);
}
