import { graphql } from '../../_gql/index.ts';

/**
 * The workflows of a project (or of every project readable) with their project's name: the
 * choices of the runs page's filter and of the alert and report forms. A module of its own, with
 * no 'use client', so a server page and a client hook import the same document.
 */
export const WORKFLOW_OPTIONS = graphql(`
  query WorkflowOptions($projectId: ID) {
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
