'use client';

import { useQuery } from '@apollo/client/react';
import { useRef, useState } from 'react';
import { useHasRole } from '../../_apollo/viewer.tsx';
import { graphql } from '../../_gql/index.ts';
import { TriggerForm } from './trigger-form.tsx';

const TRIGGER_PARAMS = graphql(`
  query TriggerParams($id: ID!) {
    workflow(id: $id) {
      id
      params {
        name
        default
      }
    }
  }
`);

/** Asked for when the form opens: a list of many workflows does not pay for every one's params. */
function LoadedTriggerForm({ workflowId }: { workflowId: string }) {
  const { data, error } = useQuery(TRIGGER_PARAMS, { variables: { id: workflowId } });
  if (error) return <p className="field__error">Could not load its params: {error.message}</p>;
  if (!data) return <p className="muted">Loading its params…</p>;
  if (!data.workflow) return <p className="field__error">This workflow is gone.</p>;
  return <TriggerForm workflowId={workflowId} params={data.workflow.params} />;
}

/**
 * A workflow list's trigger, for operators of its project only: a button that opens the trigger
 * form in a modal dialog (the top layer, so the list's scrolling box does not clip it).
 */
export function TriggerButton({ workflow }: { workflow: { id: string; name: string; project: { id: string } } }) {
  const canOperate = useHasRole(workflow.project.id, 'OPERATOR');
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  if (!canOperate) return null;
  return (
    <>
      <button
        type="button"
        className="button button--secondary button--small"
        aria-label={`Trigger ${workflow.name}`}
        onClick={() => {
          setOpen(true);
          dialog.current?.showModal();
        }}
      >
        Trigger
      </button>
      <dialog ref={dialog} className="trigger-dialog" aria-label={`Trigger ${workflow.name}`} onClose={() => setOpen(false)}>
        <div className="trigger-dialog__header">
          <h2 className="card__title">Trigger {workflow.name}</h2>
          <button type="button" className="button button--secondary button--small" onClick={() => dialog.current?.close()}>
            Close
          </button>
        </div>
        {open && <LoadedTriggerForm workflowId={workflow.id} />}
      </dialog>
    </>
  );
}
