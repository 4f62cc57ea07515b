'use client';

import { useQuery } from '@apollo/client/react';
import { useMemo } from 'react';
import { workflowChoices } from '../../_lib/workflow-choices.ts';
import { WORKFLOW_OPTIONS } from '../workflow/workflow-options-query.ts';

/** The workflows of a project (or of every project readable), as options and by id. */
export function useWorkflowNames(projectId: string | null) {
  const { data } = useQuery(WORKFLOW_OPTIONS, { variables: { projectId } });
  return useMemo(() => {
    const options = workflowChoices(data?.workflows.edges.map((edge) => edge.node) ?? []);
    return { options, byId: new Map(options.map((workflow) => [workflow.id, workflow.name])) };
  }, [data]);
}
