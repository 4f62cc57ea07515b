'use client';

import { useApolloClient } from '@apollo/client/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { graphql } from '../../_gql/index.ts';

const STEP_LOG = graphql(`
  query StepLog($runId: ID!, $step: String!, $offset: Int) {
    stepLog(runId: $runId, step: $step, offset: $offset) {
      content
      offset
      nextOffset
      size
      complete
    }
  }
`);

// A step's output has no events of its own: while the step runs its log is read on from where it ended.
const TAIL_EVERY_MS = 1000;

/** A step's log, followed while the step runs. */
export function StepLog({ runId, step, running }: { runId: string; step: string; running: boolean }) {
  const client = useApolloClient();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [complete, setComplete] = useState(false);
  const offset = useRef(0);
  const end = useRef<HTMLPreElement>(null);

  const readMore = useCallback(async () => {
    try {
      for (;;) {
        const { data } = await client.query({ query: STEP_LOG, variables: { runId, step, offset: offset.current }, fetchPolicy: 'no-cache' });
        if (!data) return;
        const chunk = data.stepLog;
        offset.current = chunk.nextOffset;
        if (chunk.content) setText((previous) => previous + chunk.content);
        setComplete(chunk.complete);
        if (chunk.nextOffset >= chunk.size) return;
      }
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }, [client, runId, step]);

  useEffect(() => {
    offset.current = 0;
    setText('');
    setProblem(null);
    void readMore();
  }, [readMore]);

  useEffect(() => {
    if (!running) {
      void readMore();
      return;
    }
    const timer = setInterval(() => void readMore(), TAIL_EVERY_MS);
    return () => clearInterval(timer);
  }, [running, readMore]);

  useEffect(() => {
    end.current?.scrollTo({ top: end.current.scrollHeight });
  }, [text]);

  return (
    <section className="step-log" aria-label={`Log of step ${step}`}>
      <header className="step-log__header">
        <h3 className="section-title">Log of {step}</h3>
        <span className="muted">{running ? 'following…' : complete ? 'complete' : ''}</span>
      </header>
      {problem && (
        <p className="notice notice--error" role="alert">
          Could not read the log: {problem}
        </p>
      )}
      <pre ref={end} className="step-log__content" tabIndex={0}>
        {text || (running ? 'Waiting for output…' : 'No output.')}
      </pre>
    </section>
  );
}
