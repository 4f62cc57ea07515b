'use client';

import { graphql } from '../../_gql/index.ts';
import type { StepStatus, WorkflowGraphStepFragment } from '../../_gql/graphql.ts';
import { DagGraph } from './dag-graph.tsx';

/** A node of a workflow's graph, as the workflow and run pages load it. */
export const WORKFLOW_GRAPH_STEP = graphql(`
  fragment WorkflowGraphStep on WorkflowStep {
    name
    depends
    kind
  }
`);

/** The graph of the workflow version a run ran, and what its steps captured. */
export const RUN_GRAPH = graphql(`
  fragment RunGraph on Run {
    outputs
    workflowSteps {
      ...WorkflowGraphStep
    }
  }
`);

/** A run's graph, each node coloured by its step's status as the run's events move it. */
export function RunGraph({
  workflowSteps,
  steps,
  selected,
  onSelect,
}: {
  workflowSteps: readonly WorkflowGraphStepFragment[];
  steps: readonly { name: string; status: StepStatus }[];
  selected: string | null;
  onSelect(name: string): void;
}) {
  const statuses = new Map(steps.map((step) => [step.name, step.status]));
  return <DagGraph steps={workflowSteps} statuses={statuses} selected={selected} onSelect={onSelect} />;
}
