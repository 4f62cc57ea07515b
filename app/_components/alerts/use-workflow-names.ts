'use client';

import { useQuery } from '@apollo/client/react';
import { useMemo } from 'react';
import { graphql } from '../../_gql/index.ts';
import { workflowChoices } from '../../_lib/workflow-choices.ts';

const ALERT_WORKFLOWS = graphql(`
  query AlertWorkflows($projectId: ID) {
    workflows(projectId: $projectId, first: 500) {
      edges {
        node {
          id
          name
          project {
            name
          }
        }
      }
    }
  }
`);

/** The workflows of a project (or of every project readable), as options and by id. */
export function useWorkflowNames(projectId: string | null) {
  const { data } = useQuery(ALERT_WORKFLOWS, { variables: { projectId } });
  return useMemo(() => {
    const options = workflowChoices(data?.workflows.edges.map((edge) => edge.node) ?? []);
    return { options, byId: new Map(options.map((workflow) => [workflow.id, workflow.name])) };
  }, [data]);
}
