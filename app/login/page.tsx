'use client';

import { CombinedGraphQLErrors, ServerError, ServerParseError, type ApolloClient, type ErrorLike } from '@apollo/client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { createHttpClient } from '../_apollo/create-apollo-session.ts';
import { graphql } from '../_gql/index.ts';
import { assertNever } from '../_lib/assert-never.ts';
import { safeReturnPath } from '../_lib/return-to.ts';
import { parseSessionEndReason, type SessionEndReason } from '../_lib/session.ts';

/** On success the server has set the session cookie. */
const SIGN_IN = graphql(`
  mutation SignIn($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      expiresAt
    }
  }
`);

const UNREACHABLE = 'The server cannot be reached; try again.';

/** What the login page tells a user whose sign-in did not succeed. */
function refusal(error: ErrorLike | undefined): string {
  const first = CombinedGraphQLErrors.is(error) ? error.errors[0] : undefined;
  if (first?.extensions?.code === 'RATE_LIMITED') {
    const wait = first.extensions.retryAfterSeconds;
    return `Too many attempts: wait ${typeof wait === 'number' ? wait : 60} seconds and try again.`;
  }
  if (first) return first.message;
  return ServerError.is(error) || ServerParseError.is(error) ? 'The server did not answer; try again.' : UNREACHABLE;
}

type SignInResult = { ok: true } | { ok: false; message: string };

async function signIn(client: ApolloClient, username: string, password: string): Promise<SignInResult> {
  const { data, error } = await client.mutate({ mutation: SIGN_IN, variables: { username, password }, errorPolicy: 'all' });
  return data?.login ? { ok: true } : { ok: false, message: refusal(error) };
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
  // Made on the first submit: the page also renders on the server, where no request is sent.
  const client = useRef<ApolloClient | null>(null);

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
    client.current ??= createHttpClient();
    const result = await signIn(client.current, username, password).catch(() => ({ ok: false as const, message: UNREACHABLE }));
    if (result.ok) {
      router.replace(safeReturnPath(new URLSearchParams(window.location.search).get('next')));
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
