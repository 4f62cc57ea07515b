'use client';

import { endSession } from '../_lib/session-token.ts';

export function SignOutButton() {
  return (
    <button type="button" className="button button--secondary" onClick={() => endSession('signed-out')}>
      Sign out
    </button>
  );
}
