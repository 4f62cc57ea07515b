'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { assertNever } from '../_lib/assert-never.ts';
import { parseSessionEndReason, signIn, type SessionEndReason } from '../_lib/session.ts';

function ReasonNotice({ reason }: { reason: SessionEndReason }) {
  switch (reason) {
    case 'signed-out':
      return (
        <p className="notice" role="status">
          You have signed out.
        </p>
      );
    case 'unauthenticated':
      return (
        <p className="notice notice--error" role="alert">
          Your session has ended: it expired or was revoked. Sign in again.
        </p>
      );
    case 'link-invalid':
      return (
        <p className="notice notice--error" role="alert">
          That sign-in link was already used or has expired. Sign in with your password, or ask an admin for a new link
          (<code>runtrail user login-link USERNAME</code>).
        </p>
      );
    default:
      return assertNever(reason);
  }
}

export default function LoginPage() {
  const router = useRouter();
  const usernameRef = useRef<HTMLInputElement>(null);
  const [reason, setReason] = useState<SessionEndReason | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(false);

  useEffect(() => {
    setReason(parseSessionEndReason(new URLSearchParams(window.location.search).get('reason')));
  }, []);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get('username') ?? '').trim();
    const password = String(form.get('password') ?? '');
    if (!username || !password) {
      setProblem('Enter your username and your password.');
      usernameRef.current?.focus();
      return;
    }
    setSigningIn(true);
    const result = await signIn(username, password).catch(() => ({ ok: false as const, message: 'The server cannot be reached; try again.' }));
    if (result.ok) {
      router.replace('/');
      return;
    }
    setSigningIn(false);
    setReason(null);
    setProblem(result.message);
  };

  return (
    <div className="login">
      <section className="card login__card" aria-labelledby="login-title">
        <h1 id="login-title" className="login__title">
          Sign in to Runtrail
        </h1>
        {reason && <ReasonNotice reason={reason} />}
        {problem && (
          <p id="login-problem" className="notice notice--error" role="alert">
            {problem}
          </p>
        )}
        <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate aria-describedby={problem ? 'login-problem' : undefined}>
          <div className="field">
            <label htmlFor="username" className="field__label">
              Username
            </label>
            <input ref={usernameRef} id="username" name="username" className="field__input" autoComplete="username" autoCapitalize="none" spellCheck={false} required />
          </div>
          <div className="field">
            <label htmlFor="password" className="field__label">
              Password
            </label>
            <input id="password" name="password" type="password" className="field__input" autoComplete="current-password" required />
          </div>
          <button type="submit" className="button" disabled={signingIn}>
            {signingIn ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="muted">
          First start? Open the one-click sign-in link the server printed. Without a password yet, ask an admin for a link:{' '}
          <code>runtrail user login-link USERNAME</code>.
        </p>
      </section>
    </div>
  );
}
