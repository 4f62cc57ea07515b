'use client';

import { useMutation } from '@apollo/client/react';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { graphql } from '../../_gql/index.ts';
import { parseParamLines } from '../../_lib/params-input.ts';

const TRIGGER_RUN = graphql(`
  mutation TriggerRun($workflowId: ID!, $params: JSON) {
    triggerRun(workflowId: $workflowId, params: $params) {
      id
    }
  }
`);

/** Starts a run, with params as NAME=VALUE lines; leads to the new run. */
export function TriggerForm({ workflowId }: { workflowId: string }) {
  const router = useRouter();
  const paramsId = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [trigger, triggering] = useMutation(TRIGGER_RUN, {
    onCompleted: (data) => router.push(`/runs/${data.triggerRun.id}`),
    onError: (error) => setProblem(error.message),
  });
  return (
    <form
      className="form trigger-form"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = parseParamLines(text);
        if (!parsed.ok) {
          setProblem(parsed.message);
          return;
        }
        setProblem(null);
        void trigger({ variables: { workflowId, params: parsed.params } });
      }}
    >
      <label htmlFor={paramsId} className="field__label">
        Params (NAME=VALUE per line, optional)
      </label>
      <textarea id={paramsId} className="field__input code" rows={3} value={text} onChange={(event) => setText(event.target.value)} aria-invalid={problem !== null} />
      {problem && (
        <p className="field__error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="button" disabled={triggering.loading}>
        {triggering.loading ? 'Starting…' : 'Trigger run'}
      </button>
    </form>
  );
}
