/**
 * The contact point editor's fields and their translation into `saveContactPoint`'s input.
 * The secret is never shown: left empty it stays as stored (the API's null), so only a typed
 * secret is sent.
 */
import type { ContactPointInput, ContactPointKind } from '../_gql/graphql.ts';

export interface ContactPointForm {
  id: string | null;
  name: string;
  kind: ContactPointKind;
  url: string;
  secret: string;
  host: string;
  port: string;
  secure: boolean;
  user: string;
  from: string;
  /** Recipients, separated by commas or spaces. */
  to: string;
}

export const CONTACT_POINT_KINDS: Record<ContactPointKind, string> = { WEBHOOK: 'Webhook', SLACK: 'Slack', EMAIL: 'Email' };

export const EMPTY_CONTACT_POINT_FORM: ContactPointForm = { id: null, name: '', kind: 'WEBHOOK', url: '', secret: '', host: '', port: '587', secure: false, user: '', from: '', to: '' };

interface SavedContactPoint {
  id: string;
  name: string;
  kind: ContactPointKind;
  url: string | null;
  email: { host: string; port: number; secure: boolean; user: string | null; from: string; to: string[] } | null;
}

export function contactPointFormOf(point: SavedContactPoint): ContactPointForm {
  const email = point.email;
  return {
    ...EMPTY_CONTACT_POINT_FORM,
    id: point.id,
    name: point.name,
    kind: point.kind,
    url: point.url ?? '',
    ...(email ? { host: email.host, port: String(email.port), secure: email.secure, user: email.user ?? '', from: email.from, to: email.to.join(', ') } : {}),
  };
}

/** Whether the kind keeps a secret: a webhook's signing key, an SMTP password. */
export function takesSecret(kind: ContactPointKind): boolean {
  return kind !== 'SLACK';
}

export function contactPointInputOf(projectId: string, form: ContactPointForm): ContactPointInput {
  const input: ContactPointInput = { projectId, name: form.name, kind: form.kind };
  if (form.id) input.id = form.id;
  if (form.kind === 'EMAIL') {
    input.email = {
      host: form.host,
      port: Number(form.port),
      secure: form.secure,
      user: form.user.trim() || null,
      from: form.from,
      to: form.to.split(/[\s,]+/).filter((address) => address !== ''),
    };
  } else {
    input.url = form.url;
  }
  if (takesSecret(form.kind) && form.secret !== '') input.secret = form.secret;
  return input;
}
