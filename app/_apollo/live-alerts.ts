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

const LIVE_INCIDENT_EVENTS = graphql(`
  subscription LiveIncidentEvents($projectIds: [ID!], $afterSeq: String) {
    incidentEvents(projectIds: $projectIds, afterSeq: $afterSeq) {
      seq
      id
    }
  }
`);

// Transitions of one evaluation (changes of one read of a feed) arrive together: one refetch for them all.
const COALESCE_MS = 150;

function isResync(error: unknown): boolean {
  return CombinedGraphQLErrors.is(error) && error.errors.some((each) => each.extensions?.code === 'RESYNC');
}

/** Calls `onChange` when an alert of these projects (null: every readable one) changes: the caller refetches what it shows. */
export function useAlertChanges(projectIds: readonly string[] | null, onChange: () => void): void {
  useFeedChanges('alerts', projectIds, onChange);
}

/** Calls `onChange` when an incident touching these projects (null: every readable one) opens, grows or closes. */
export function useIncidentChanges(projectIds: readonly string[] | null, onChange: () => void): void {
  useFeedChanges('incidents', projectIds, onChange);
}

/**
 * Follows a feed of the leader's changes (alertEvents, incidentEvents) for these projects. The
 * stream resumes after the last event it delivered when the socket is back or the tab is shown
 * again (the missed changes replay), and on RESYNC it asks for a refetch and starts again from now.
 */
function useFeedChanges(feed: 'alerts' | 'incidents', projectIds: readonly string[] | null, onChange: () => void): void {
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

  const variables = { projectIds: projectIds === null ? null : [...projectIds], afterSeq: from };
  const delivered = (seq: string | undefined) => {
    if (seq === undefined) return;
    last.current = seq;
    changed();
  };
  // Both hooks always run (hooks keep their order); only the feed asked for subscribes.
  const alerts = useSubscription(LIVE_ALERT_EVENTS, { variables, skip: !visible || feed !== 'alerts', onData: ({ data }) => delivered(data.data?.alertEvents.seq) });
  const incidents = useSubscription(LIVE_INCIDENT_EVENTS, { variables, skip: !visible || feed !== 'incidents', onData: ({ data }) => delivered(data.data?.incidentEvents.seq) });
  const { error, restart } = feed === 'alerts' ? alerts : incidents;

  useEffect(() => {
    if (!error || !isResync(error)) return;
    last.current = null;
    changed();
    if (from === null) restart();
    else setFrom(null);
  }, [error, changed, restart, from]);
}
