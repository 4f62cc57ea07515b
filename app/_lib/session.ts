/**
 * The browser's side of the cookie session. The cookie is httpOnly, so scripts never hold the
 * secret: they ask the server who is signed in, and learn here when a request was refused.
 */

/** Why the user is on the login page; it explains the reason. */
export type SessionEndReason = 'signed-out' | 'unauthenticated' | 'link-invalid';

const GRAPHQL_PATH = '/graphql';
const listeners = new Set<(reason: SessionEndReason) => void>();

export function parseSessionEndReason(value: string | null): SessionEndReason | null {
  return value === 'signed-out' || value === 'unauthenticated' || value === 'link-invalid' ? value : null;
}

let confirmed = false;

/** The server accepted this browser's session (the viewer loaded): a later refusal means it ended. */
export function confirmSession(): void {
  confirmed = true;
}

/** Whether the session was accepted since the page loaded: if not, a refusal means there never was one. */
export function sessionWasConfirmed(): boolean {
  return confirmed;
}

/** Tells whoever listens (the session gate) that the server no longer accepts this browser. */
export function sessionEnded(reason: SessionEndReason): void {
  for (const listener of listeners) listener(reason);
  confirmed = false;
}

export function onSessionEnded(listener: (reason: SessionEndReason) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; retryAfterSeconds?: number } }[];
}

async function post<T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer<T>> {
  const response = await fetch(GRAPHQL_PATH, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLAnswer<T>;
}

export type SignInResult = { ok: true } | { ok: false; message: string };

/** The login mutation: on success the server has set the session cookie. */
export async function signIn(username: string, password: string): Promise<SignInResult> {
  const answer = await post<{ login: { expiresAt: string } }>('mutation SignIn($username: String!, $password: String!) { login(username: $username, password: $password) { expiresAt } }', {
    username,
    password,
  });
  if (answer.data?.login) return { ok: true };
  const error = answer.errors?.[0];
  if (error?.extensions?.code === 'RATE_LIMITED') return { ok: false, message: `Too many attempts: wait ${error.extensions.retryAfterSeconds ?? 60} seconds and try again.` };
  return { ok: false, message: error?.message ?? 'The server did not answer; try again.' };
}

export async function signOut(): Promise<void> {
  await post('mutation SignOut { logout }');
  sessionEnded('signed-out');
}
