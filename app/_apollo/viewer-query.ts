import { graphql } from '../_gql/index.ts';

/** Who is signed in, and the projects they may read. */
export const VIEWER = graphql(`
  query Viewer {
    viewer {
      id
      username
      displayName
      isAdmin
      memberships {
        role
        project {
          id
          slug
          name
        }
      }
    }
    projects {
      id
      slug
      name
    }
  }
`);
