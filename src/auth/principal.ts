import type { Role } from '../domain/vocabulary.ts';

export const CREDENTIAL_KINDS = ['API', 'SESSION', 'LOGIN_LINK'] as const;
/** API: a bearer token; SESSION: the UI's cookie; LOGIN_LINK: a one-time sign-in URL. */
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** The token or session a caller presented. */
export interface Credential {
  id: string;
  kind: CredentialKind;
  tokenHash: string;
  expiresAt: Date | null;
  /** A project token acts in this project only. */
  projectId: string | null;
}

/** Who is calling, and what they may read: the answer every resolver asks of src/auth. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  /** projectId → role: the user's memberships, or a project token's one project. */
  roles: ReadonlyMap<string, Role>;
  /** What history records as the actor of what this caller does. */
  actor: string;
  /** Null for the CLI, which acts on the database directly. */
  credential: Credential | null;
}

/** The CLI's caller: headless set-up runs with the rights of an instance admin. */
export function commandLinePrincipal(): Principal {
  return { userId: '', username: 'cli', displayName: 'Command line', isAdmin: true, roles: new Map(), actor: 'cli', credential: null };
}

export function isCredentialKind(value: string): value is CredentialKind {
  return (CREDENTIAL_KINDS as readonly string[]).includes(value);
}

/** A stored token kind read back: one of CREDENTIAL_KINDS, or the data is corrupt and that is an error, never a default. */
export function credentialKindOf(value: string, where: string): CredentialKind {
  if (!isCredentialKind(value)) throw new Error(`Unknown token kind "${value}" in ${where}`);
  return value;
}
