'use client';

import { useState } from 'react';
import type { WorkflowGraphStepFragment } from '../../_gql/graphql.ts';
import { DagGraph } from '../run/dag-graph.tsx';

/** A step of the definition, with what the graph does not show. */
export interface WorkflowGraphStep extends WorkflowGraphStepFragment {
  description: string | null;
  call: string | null;
}

/** A workflow's steps as a graph; clicking a step shows what it is and what it waits for. */
export function WorkflowGraph({ steps }: { steps: readonly WorkflowGraphStep[] }) {
  const [selected, setSelected] = useState<string | null>(null);
  if (steps.length === 0) return <p className="muted">Its definition no longer parses, so its steps cannot be drawn; the definition below says why when saved again.</p>;
  const step = steps.find((candidate) => candidate.name === selected) ?? null;
  return (
    <>
      <DagGraph steps={steps} selected={selected} onSelect={setSelected} listInstead />
      {step ? (
        <dl className="facts facts--compact" aria-label={`Step ${step.name}`}>
          <div>
            <dt>Step</dt>
            <dd>{step.name}</dd>
          </div>
          <div>
            <dt>Kind</dt>
            <dd>{step.call ? `call ${step.call}` : step.kind}</dd>
          </div>
          <div>
            <dt>Waits for</dt>
            <dd>{step.depends.length > 0 ? step.depends.join(', ') : 'nothing: starts first'}</dd>
          </div>
          {step.description && (
            <div>
              <dt>Description</dt>
              <dd>{step.description}</dd>
            </div>
          )}
        </dl>
      ) : (
        <p className="muted">Select a step to see what it waits for.</p>
      )}
    </>
  );
}
