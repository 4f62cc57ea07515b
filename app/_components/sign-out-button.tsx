'use client';

import { useMutation } from '@apollo/client/react';
import { graphql } from '../_gql/index.ts';
import { sessionEnded } from '../_lib/session.ts';

const SIGN_OUT = graphql(`
  mutation SignOut {
    logout
  }
`);

export function SignOutButton() {
  const [signOut] = useMutation(SIGN_OUT);
  return (
    <button type="button" className="button button--secondary" onClick={() => void signOut().then(() => sessionEnded('signed-out'))}>
      Sign out
    </button>
  );
}
