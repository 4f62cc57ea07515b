'use client';

import { gql, type TypedDocumentNode } from '@apollo/client';
import { useSubscription } from '@apollo/client/react';
import { useState } from 'react';
import { useConnectionState } from '../_apollo/use-connection-state.ts';
import { Card } from './card.tsx';
import { ConnectionStatusBadge } from './connection-status-badge.tsx';
import { LatestRunEvent } from './latest-run-event.tsx';
import { RunEventList } from './run-event-list.tsx';

// Hand-written until codegen produces it; named as codegen will name it.
export interface LiveRunEvent {
  seq: string;
  at: string;
  kind: 'RUN' | 'STEP';
  from: string | null;
  to: string;
  run: { id: string; status: string };
}

interface LiveRunEventsSubscription {
  runEvents: LiveRunEvent;
}

const LIVE_RUN_EVENTS: TypedDocumentNode<LiveRunEventsSubscription, Record<string, never>> = gql`
  subscription LiveRunEvents {
    runEvents {
      seq
      at
      kind
      from
      to
      run {
        id
        status
      }
    }
  }
`;

const RECENT_LIMIT = 10;

interface Received {
  count: number;
  recent: LiveRunEvent[];
}

export function LiveRunEventsCard() {
  const [received, setReceived] = useState<Received>({ count: 0, recent: [] });
  const connection = useConnectionState();
  // onData sees every event; the hook's `data` holds only the latest, so a burst would be lost.
  const { error, restart } = useSubscription(LIVE_RUN_EVENTS, {
    onData: ({ data }) => {
      const event = data.data?.runEvents;
      if (!event) return;
      setReceived((previous) => ({
        count: previous.count + 1,
        recent: [event, ...previous.recent].slice(0, RECENT_LIMIT),
      }));
    },
  });
  const latest = received.recent[0];

  return (
    <Card title="Live run events" aside={<ConnectionStatusBadge />} wide>
      {error ? (
        <div className="notice notice--error" role="alert">
          <p>
            <strong>Live updates stopped.</strong> {error.message}
          </p>
          <button type="button" className="button button--secondary" onClick={restart}>
            Reconnect
          </button>
        </div>
      ) : (
        connection === 'offline' && (
          <p className="notice">
            Reconnecting automatically. Events recorded while offline are not shown here; reload the page to see the
            current state.
          </p>
        )
      )}
      <dl className="stats">
        <div className="stats__item">
          <dt>Events since this page opened</dt>
          <dd className="stats__value">{received.count}</dd>
        </div>
        <div className="stats__item">
          <dt>Latest event</dt>
          <dd>{latest ? <LatestRunEvent event={latest} /> : <span className="muted">None yet</span>}</dd>
        </div>
      </dl>
      <h3 className="section-title">Last {RECENT_LIMIT} events, newest first</h3>
      <RunEventList events={received.recent} />
    </Card>
  );
}
