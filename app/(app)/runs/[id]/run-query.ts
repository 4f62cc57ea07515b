import { graphql } from '../../../_gql/index.ts';

/** A run with its steps and history, asked by the server for the first paint and by the browser after. */
export const RUN_DETAIL = graphql(`
  query RunDetail($id: ID!) {
    run(id: $id) {
      ...RunRow
      error
      queuedReason
      params
      retryOf {
        id
      }
      ...RunSteps
      ...RunHistory
      ...RunGraph
      parentStep
      parentRun {
        id
        status
        workflow {
          id
          name
        }
      }
      childRuns {
        id
        status
        parentStep
        workflow {
          id
          name
        }
      }
    }
  }
`);
