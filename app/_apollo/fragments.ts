import { graphql } from '../_gql/index.ts';

/** What a row of runs shows, wherever runs are listed. */
export const RUN_ROW = graphql(`
  fragment RunRow on Run {
    id
    status
    trigger
    createdAt
    startedAt
    finishedAt
    durationMs
    attempt
    workflow {
      id
      name
    }
    project {
      id
      name
    }
  }
`);
