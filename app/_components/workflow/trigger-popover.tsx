'use client';

import { useHasRole } from '../../_apollo/viewer.tsx';
import type { DeclaredParam } from '../../_lib/params-input.ts';
import { TriggerForm } from './trigger-form.tsx';

/** A workflow list's trigger: a button that opens the trigger form, for operators of its project only. */
export function TriggerPopover({ workflow }: { workflow: { id: string; name: string; project: { id: string }; params: readonly DeclaredParam[] } }) {
  const canOperate = useHasRole(workflow.project.id, 'OPERATOR');
  if (!canOperate) return null;
  return (
    <details className="trigger-popover">
      <summary className="button button--secondary" aria-label={`Trigger ${workflow.name}`}>
        Trigger
      </summary>
      <div className="trigger-popover__panel">
        <TriggerForm workflowId={workflow.id} params={workflow.params} />
      </div>
    </details>
  );
}
