'use client';

import { useMutation } from '@apollo/client/react';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { graphql } from '../../_gql/index.ts';
import { changedParams, parseParamLines, type DeclaredParam } from '../../_lib/params-input.ts';

const TRIGGER_RUN = graphql(`
  mutation TriggerRun($workflowId: ID!, $params: JSON) {
    triggerRun(workflowId: $workflowId, params: $params) {
      id
    }
  }
`);

function DeclaredParamFields({ params, values, onChange }: { params: readonly DeclaredParam[]; values: Record<string, string>; onChange(name: string, value: string): void }) {
  const baseId = useId();
  return (
    <fieldset className="trigger-form__params">
      <legend className="field__label">Params (prefilled with their defaults)</legend>
      {params.map((param, index) => (
        <div key={param.name} className="trigger-form__param">
          <label htmlFor={`${baseId}-${index}`} className="mono">
            {param.name}
          </label>
          <input
            id={`${baseId}-${index}`}
            className="field__input"
            value={values[param.name] ?? ''}
            placeholder={param.default === null ? 'no default' : undefined}
            onChange={(event) => onChange(param.name, event.target.value)}
          />
        </div>
      ))}
    </fieldset>
  );
}

/**
 * Starts a run and leads to it. A workflow's declared params each get a field showing its
 * default; a workflow that declares none takes NAME=VALUE lines.
 */
export function TriggerForm({ workflowId, params }: { workflowId: string; params: readonly DeclaredParam[] }) {
  const router = useRouter();
  const paramsId = useId();
  const [text, setText] = useState('');
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(params.map((param) => [param.name, param.default ?? ''])));
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
        if (params.length > 0) {
          setProblem(null);
          void trigger({ variables: { workflowId, params: changedParams(params, values) } });
          return;
        }
        const parsed = parseParamLines(text);
        if (!parsed.ok) {
          setProblem(parsed.message);
          return;
        }
        setProblem(null);
        void trigger({ variables: { workflowId, params: parsed.params } });
      }}
    >
      {params.length > 0 ? (
        <DeclaredParamFields params={params} values={values} onChange={(name, value) => setValues((current) => ({ ...current, [name]: value }))} />
      ) : (
        <>
          <label htmlFor={paramsId} className="field__label">
            Params (NAME=VALUE per line, optional)
          </label>
          <textarea id={paramsId} className="field__input code" rows={3} value={text} onChange={(event) => setText(event.target.value)} aria-invalid={problem !== null} />
        </>
      )}
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
