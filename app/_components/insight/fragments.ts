import { graphql } from '../../_gql/index.ts';

/** What a chart needs to mark an anomaly and link to its runs (see anomaly-markers.ts). */
export const ANOMALY_MARK = graphql(`
  fragment AnomalyMark on Anomaly {
    id
    kind
    projectId
    workflowId
    step
    start
    end
  }
`);

/** What the incident list and an incident's page both show of it. */
export const INCIDENT_SUMMARY = graphql(`
  fragment IncidentSummary on Incident {
    id
    openedAt
    closedAt
    start
    lastFailureAt
    memberCount
    projectIds
    workflowIds
  }
`);
