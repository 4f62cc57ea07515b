'use client';

import { useSubscription } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { useOnReconnect } from '../../_apollo/use-connection-state.ts';
import { graphql } from '../../_gql/index.ts';
import { usePageVisible } from '../../_hooks/use-page-visible.ts';

const FOLLOW_STEP_LOG = graphql(`
  subscription FollowStepLog($runId: ID!, $step: String!, $offset: Int) {
    stepLog(runId: $runId, step: $step, offset: $offset) {
      content
      offset
      nextOffset
      complete
    }
  }
`);

/**
 * A step's log, pushed by the server as the step writes it; the stream ends once the step
 * has finished. It pauses while the tab is hidden; when the tab is shown again, or after a
 * dropped connection, it goes on from the last byte received. Render it
 * with a `key` per run and step, so another step starts from an empty log.
 */
export function StepLog({ runId, step }: { runId: string; step: string }) {
  const [text, setText] = useState('');
  const [complete, setComplete] = useState(false);
  const received = useRef(0);
  const [resumeAt, setResumeAt] = useState(0);
  const end = useRef<HTMLPreElement>(null);
  useOnReconnect(() => setResumeAt(received.current));
  const visible = usePageVisible();
  const [wasVisible, setWasVisible] = useState(visible);
  // Adjusted while rendering, so a shown tab opens one subscription, from the right byte.
  if (visible !== wasVisible) {
    setWasVisible(visible);
    if (visible) setResumeAt(received.current);
  }

  const { error } = useSubscription(FOLLOW_STEP_LOG, {
    variables: { runId, step, offset: resumeAt },
    skip: complete || !visible,
    fetchPolicy: 'no-cache',
    onData: ({ data }) => {
      const chunk = data.data?.stepLog;
      // A resumed stream may start before what was already shown.
      if (!chunk || chunk.nextOffset <= received.current) {
        if (chunk?.complete) setComplete(true);
        return;
      }
      received.current = chunk.nextOffset;
      setText((previous) => previous + chunk.content);
      if (chunk.complete) setComplete(true);
    },
  });

  useEffect(() => {
    end.current?.scrollTo({ top: end.current.scrollHeight });
  }, [text]);

  return (
    <section className="step-log" aria-label={`Log of step ${step}`}>
      <header className="step-log__header">
        <h3 className="section-title">Log of {step}</h3>
        <span className="muted">{complete ? 'complete' : 'following…'}</span>
      </header>
      {error && (
        <p className="notice notice--error" role="alert">
          Could not read the log: {error.message}
        </p>
      )}
      <pre ref={end} className="step-log__content" tabIndex={0}>
        {text || (complete ? 'No output.' : 'Waiting for output…')}
      </pre>
    </section>
  );
}
