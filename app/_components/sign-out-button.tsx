'use client';

import { signOut } from '../_lib/session.ts';

export function SignOutButton() {
  return (
    <button type="button" className="button button--secondary" onClick={() => void signOut()}>
      Sign out
    </button>
  );
}
