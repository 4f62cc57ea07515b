'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { assertNever } from '../_lib/assert-never.ts';
import { storeToken, tokenFromFragment, tokenFromInput, type SessionEndReason } from '../_lib/session-token.ts';

function parseReason(value: string | null): SessionEndReason | null {
  return value === 'signed-out' || value === 'unauthenticated' ? value : null;
}

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
          The server did not accept your token: it is unknown, revoked or expired. Sign in with a valid token.
        </p>
      );
    default:
      return assertNever(reason);
  }
}

export default function LoginPage() {
  const router = useRouter();
  const inputRef = useRef<HTMLInputElement>(null);
  const [reason, setReason] = useState<SessionEndReason | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(false);

  const signIn = useCallback(
    (token: string) => {
      storeToken(token);
      setSigningIn(true);
      router.replace('/');
    },
    [router],
  );

  // The one-click link carries the token in the fragment, which never reaches the server;
  // drop it from the address bar and history as soon as it is stored.
  useEffect(() => {
    const fromLink = tokenFromFragment(window.location.hash);
    if (fromLink) {
      window.history.replaceState(null, '', window.location.pathname);
      signIn(fromLink);
      return;
    }
    setReason(parseReason(new URLSearchParams(window.location.search).get('reason')));
  }, [signIn]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const token = tokenFromInput(String(new FormData(event.currentTarget).get('token') ?? ''));
    if (!token) {
      setInputError('Paste a token, a "Bearer …" value or the login link printed by the server.');
      inputRef.current?.focus();
      return;
    }
    signIn(token);
  };

  return (
    <div className="login">
      <section className="card login__card" aria-labelledby="login-title">
        <h1 id="login-title" className="login__title">
          Sign in to Runtrail
        </h1>
        {signingIn ? (
          <p role="status">Signing in…</p>
        ) : (
          <>
            {reason && <ReasonNotice reason={reason} />}
            <p className="muted">
              Open the login link the server prints when it starts, or paste an API token below. The first admin
              token is in <code>DATA_DIR/admin-token</code>.
            </p>
            <form className="form" onSubmit={onSubmit} noValidate>
              <div className="field">
                <label htmlFor="token" className="field__label">
                  API token
                </label>
                <input
                  ref={inputRef}
                  id="token"
                  name="token"
                  type="password"
                  className="field__input"
                  autoComplete="off"
                  spellCheck={false}
                  aria-invalid={inputError !== null}
                  aria-describedby={inputError ? 'token-error' : undefined}
                  onChange={() => setInputError(null)}
                />
                {inputError && (
                  <p id="token-error" className="field__error">
                    {inputError}
                  </p>
                )}
              </div>
              <button type="submit" className="button">
                Sign in
              </button>
            </form>
          </>
        )}
      </section>
    </div>
  );
}
