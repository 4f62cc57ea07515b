'use client';

import { countOf } from '../../_lib/plural.ts';
import { useLazyQuery, useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { graphql } from '../../_gql/index.ts';
import type { SilenceInput } from '../../_gql/graphql.ts';
import type { SelectOption } from '../option-select.tsx';
import { CheckboxGroup } from './checkbox-group.tsx';

const PREVIEW_SILENCE = graphql(`
  query PreviewSilence($input: SilenceInput!) {
    previewSilence(input: $input) {
      id
    }
  }
`);

const CREATE_SILENCE = graphql(`
  mutation CreateSilence($input: SilenceInput!) {
    createSilence(input: $input) {
      id
    }
  }
`);

const HOUR_MS = 3_600_000;

/** datetime-local wants local time without a zone. */
function localInput(ms: number): string {
  return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}


interface SilenceEditorProps {
  projectId: string;
  rules: readonly SelectOption[];
  workflows: readonly SelectOption[];
  onDone(): void;
}

/** A new silence: its preview (what it would match now) comes first, then saving that same silence. */
export function SilenceEditor({ projectId, rules, workflows, onDone }: SilenceEditorProps) {
  const [ruleIds, setRuleIds] = useState<string[]>([]);
  const [workflowIds, setWorkflowIds] = useState<string[]>([]);
  const [endsAt, setEndsAt] = useState(() => localInput(Date.now() + 2 * HOUR_MS));
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [previewed, setPreviewed] = useState<{ key: string; count: number } | null>(null);
  const [preview, previewing] = useLazyQuery(PREVIEW_SILENCE, { fetchPolicy: 'network-only', errorPolicy: 'all' });
  const [create, creating] = useMutation(CREATE_SILENCE, { onError: (error) => setProblem(error.message), onCompleted: onDone, refetchQueries: ['SilencesPage'] });

  const input: SilenceInput = { projectId, ruleIds, workflowIds, endsAt: endsAt ? new Date(endsAt).toISOString() : '', comment };
  const key = JSON.stringify(input);
  const current = previewed?.key === key ? previewed : null;
  const runPreview = async () => {
    setProblem(null);
    const result = await preview({ variables: { input } });
    if (result.error) setProblem(result.error.message);
    else if (result.data) setPreviewed({ key, count: result.data.previewSilence.length });
  };

  return (
    <form
      className="form alert-form"
      aria-label="New silence"
      onSubmit={(event) => {
        event.preventDefault();
        if (current) void create({ variables: { input } });
        else void runPreview();
      }}
    >
      <CheckboxGroup legend="Rules (any rule when none is chosen)" options={rules} selected={ruleIds} emptyLabel="The project has no rules yet." onChange={setRuleIds} />
      <CheckboxGroup legend="Workflows (any workflow when none is chosen)" options={workflows} selected={workflowIds} emptyLabel="The project has no workflows yet." onChange={setWorkflowIds} />
      <label className="field">
        <span className="field__label">Ends at</span>
        <input type="datetime-local" className="field__input" value={endsAt} onChange={(event) => setEndsAt(event.target.value)} />
      </label>
      <label className="field">
        <span className="field__label">Comment (why)</span>
        <textarea className="field__input" rows={2} value={comment} onChange={(event) => setComment(event.target.value)} />
      </label>
      {current && <p role="status">Would silence {countOf(current.count, 'alert', 'alerts')} now.</p>}
      {problem && (
        <p className="field__error" role="alert">
          {problem}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button" disabled={previewing.loading || creating.loading}>
          {current ? 'Create silence' : 'Preview'}
        </button>
        <button type="button" className="button button--secondary" onClick={onDone}>
          Close
        </button>
      </div>
    </form>
  );
}
