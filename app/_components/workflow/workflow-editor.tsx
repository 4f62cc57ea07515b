'use client';

import { CombinedGraphQLErrors } from '@apollo/client';
import { useMutation } from '@apollo/client/react';
import { useId, useState } from 'react';
import { graphql } from '../../_gql/index.ts';

const SAVE_WORKFLOW = graphql(`
  mutation SaveWorkflow($projectId: ID!, $yaml: String!) {
    saveWorkflow(projectId: $projectId, yaml: $yaml) {
      id
      name
      definition
      description
      schedule
      nextFireAt
      enabled
      loadError
    }
  }
`);

interface Problem {
  message: string;
  line: number | null;
  column: number | null;
}

function problemsOf(error: unknown): Problem[] | null {
  if (!CombinedGraphQLErrors.is(error)) return null;
  const problems = error.errors[0]?.extensions?.problems;
  if (!Array.isArray(problems)) return null;
  return problems.flatMap((problem: unknown) =>
    typeof problem === 'object' && problem !== null && 'message' in problem && typeof problem.message === 'string'
      ? [
          {
            message: problem.message,
            line: 'line' in problem && typeof problem.line === 'number' ? problem.line : null,
            column: 'column' in problem && typeof problem.column === 'number' ? problem.column : null,
          },
        ]
      : [],
  );
}

/** The YAML, read-only or (for ADMINs) edited in place, with the server's validation messages at their lines. */
export function WorkflowEditor({ projectId, definition, canEdit }: { projectId: string; definition: string; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(definition);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [otherError, setOtherError] = useState<string | null>(null);
  const editorId = useId();
  const [save, saving] = useMutation(SAVE_WORKFLOW, {
    onCompleted: () => {
      setEditing(false);
      setProblems([]);
      setOtherError(null);
    },
    onError: (error) => {
      const found = problemsOf(error);
      setProblems(found ?? []);
      setOtherError(found ? null : error.message);
    },
  });

  if (!editing) {
    return (
      <div className="workflow-yaml">
        {canEdit && (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              setDraft(definition);
              setEditing(true);
            }}
          >
            Edit
          </button>
        )}
        <pre className="code" tabIndex={0}>
          {definition}
        </pre>
      </div>
    );
  }
  return (
    <form
      className="workflow-yaml"
      onSubmit={(event) => {
        event.preventDefault();
        void save({ variables: { projectId, yaml: draft } });
      }}
    >
      <label htmlFor={editorId} className="field__label">
        Workflow YAML
      </label>
      <textarea
        id={editorId}
        className="field__input code"
        rows={Math.min(Math.max(draft.split('\n').length + 2, 10), 40)}
        value={draft}
        spellCheck={false}
        aria-invalid={problems.length > 0}
        aria-describedby={problems.length > 0 ? `${editorId}-problems` : undefined}
        onChange={(event) => setDraft(event.target.value)}
      />
      {problems.length > 0 && (
        <ul id={`${editorId}-problems`} className="problems" role="alert" aria-label="Problems">
          {problems.map((problem) => (
            <li key={`${problem.line}:${problem.column}:${problem.message}`}>
              {problem.line !== null && <span className="problems__where">line {problem.line}{problem.column !== null ? `:${problem.column}` : ''}</span>} {problem.message}
            </li>
          ))}
        </ul>
      )}
      {otherError && (
        <p className="notice notice--error" role="alert">
          {otherError}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button" disabled={saving.loading}>
          {saving.loading ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
