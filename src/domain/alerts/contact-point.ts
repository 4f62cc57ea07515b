/** Where a contact point delivers: a signed webhook, a Slack-compatible incoming webhook, or email over SMTP. */
export const CONTACT_POINT_KINDS = ['WEBHOOK', 'SLACK', 'EMAIL'] as const;
export type ContactPointKind = (typeof CONTACT_POINT_KINDS)[number];

export interface EmailSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); false: plain, upgraded by STARTTLS when the server offers it. */
  secure: boolean;
  /** The SMTP user; null: no authentication. */
  user: string | null;
  from: string;
  to: string[];
  /** Put before every subject (Dagu's `prefix`, e.g. "[runtrail]"); null: none. */
  subjectPrefix: string | null;
}

/** What a contact point stores in the clear (the secret is apart, encrypted). */
export type ContactPointSettings = { kind: 'WEBHOOK'; url: string } | { kind: 'SLACK'; url: string } | ({ kind: 'EMAIL' } & EmailSettings);

/** A contact point as stored, its secret still encrypted. */
export interface ContactPointRecord {
  id: string;
  projectId: string;
  name: string;
  settings: ContactPointSettings;
  /** The encrypted secret; null: none. */
  secret: string | null;
  /** The workflow whose file made it (its `mailOn`, `smtp` and mail addressing); null: made through the API. */
  ownerWorkflowId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A contact point to create (no id) or replace (its id), as a client sends it. */
export interface ContactPointChange {
  id?: string | null;
  projectId: string;
  name: string;
  kind: ContactPointKind;
  /** WEBHOOK and SLACK: where to POST. */
  url?: string | null;
  email?: EmailSettingsChange | null;
  /** Left out or null: the secret stays as it was; empty: removed; otherwise the new secret. */
  secret?: string | null;
}

/** Email settings as a client sends them: the user may be left out (no authentication). */
export type EmailSettingsChange = Omit<EmailSettings, 'user' | 'subjectPrefix'> & { user?: string | null; subjectPrefix?: string | null };

/** What a change does to the secret. */
export type SecretChange = { keep: true } | { keep: false; secret: string | null };

export const NAME_MAX_CHARS = 100;
export const URL_MAX_CHARS = 2_048;
export const RECIPIENTS_MAX = 50;
// The Standard Webhooks specification: "whsec_" and the base64 of 24 to 64 random bytes.
const WEBHOOK_SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/;
const WEBHOOK_SECRET_BYTES = { min: 24, max: 64 };
const EMAIL_ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+$/;
const SECRET_MAX_CHARS = 1_024;
const SUBJECT_PREFIX_MAX_CHARS = 100;

/**
 * The settings and secret change of a contact point change, or every problem with it, each
 * naming the field, what is wrong and what it may be. `storedSecret` tells whether the contact
 * point keeps a secret now (a WEBHOOK needs one).
 */
export function readContactPointChange(
  change: ContactPointChange,
  storedSecret: boolean,
): { ok: true; settings: ContactPointSettings; secret: SecretChange } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const name = change.name.trim();
  if (name.length === 0 || name.length > NAME_MAX_CHARS) problems.push(`input.name must be 1 to ${NAME_MAX_CHARS} characters`);
  const secret: SecretChange = change.secret === undefined || change.secret === null ? { keep: true } : { keep: false, secret: change.secret === '' ? null : change.secret };
  const settings = settingsOf(change, problems);
  const hasSecret = secret.keep ? storedSecret : secret.secret !== null;
  if (!secret.keep && secret.secret !== null && secret.secret.length > SECRET_MAX_CHARS) problems.push(`input.secret is longer than ${SECRET_MAX_CHARS} characters`);
  if (change.kind === 'WEBHOOK') {
    if (!hasSecret) problems.push('input.secret is missing; a WEBHOOK signs every message (Standard Webhooks), so give its signing key: "whsec_" and the base64 of 24 to 64 random bytes');
    else if (!secret.keep && secret.secret !== null && !isWebhookSecret(secret.secret)) {
      problems.push('input.secret is not a Standard Webhooks signing key; give "whsec_" and the base64 of 24 to 64 random bytes (e.g. "whsec_" + `openssl rand -base64 32`)');
    }
  }
  if (change.kind === 'SLACK' && hasSecret) problems.push('input.secret is set, but a SLACK contact point has no secret; leave it out or send an empty string');
  if (problems.length > 0 || settings === null) return { ok: false, problems };
  return { ok: true, settings, secret };
}

function settingsOf(change: ContactPointChange, problems: string[]): ContactPointSettings | null {
  if (change.kind === 'EMAIL') {
    if (change.url) problems.push('input.url is set, but an EMAIL contact point has none; give input.email');
    if (!change.email) {
      problems.push('input.email is missing; an EMAIL contact point needs its SMTP host, port, secure, from and to');
      return null;
    }
    const email = change.email;
    const before = problems.length;
    if (email.host.trim().length === 0 || email.host.length > 255) problems.push('input.email.host must be a host name or address of 1 to 255 characters');
    if (!Number.isInteger(email.port) || email.port < 1 || email.port > 65_535) problems.push(`input.email.port is ${email.port}; it must be a port from 1 to 65535 (587 or 25 with STARTTLS, 465 with secure: true)`);
    if (!EMAIL_ADDRESS.test(email.from)) problems.push(`input.email.from is "${email.from}"; it must be an address like alerts@example.com`);
    if (email.to.length === 0 || email.to.length > RECIPIENTS_MAX) problems.push(`input.email.to has ${email.to.length} addresses; give 1 to ${RECIPIENTS_MAX}`);
    for (const address of email.to) if (!EMAIL_ADDRESS.test(address)) problems.push(`input.email.to has "${address}"; each must be an address like oncall@example.com`);
    // A client may leave user out (undefined), which means none, as null does.
    const user = email.user ?? null;
    if (user !== null && (user.length === 0 || user.length > 255)) problems.push('input.email.user must be 1 to 255 characters, or null for no authentication');
    const subjectPrefix = email.subjectPrefix?.trim() || null;
    if (subjectPrefix !== null && (subjectPrefix.length > SUBJECT_PREFIX_MAX_CHARS || /[\r\n]/.test(subjectPrefix))) problems.push(`input.email.subjectPrefix must be one line of at most ${SUBJECT_PREFIX_MAX_CHARS} characters`);
    if (problems.length > before) return null;
    return { kind: 'EMAIL', host: email.host.trim(), port: email.port, secure: email.secure, user, from: email.from, to: [...email.to], subjectPrefix };
  }
  if (change.email) problems.push(`input.email is set, but a ${change.kind} contact point has none; give input.url`);
  const urlProblem = httpUrlProblem(change.url ?? null);
  if (urlProblem !== null) {
    problems.push(`input.url ${urlProblem}`);
    return null;
  }
  return { kind: change.kind, url: change.url ?? '' };
}

/** Why a URL cannot be posted to, or null when it can: it must be absolute http(s). */
export function httpUrlProblem(url: string | null): string | null {
  if (url === null || url.length === 0) return 'is missing; give the http(s) URL to POST to';
  if (url.length > URL_MAX_CHARS) return `is longer than ${URL_MAX_CHARS} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `is "${url}", which is not a URL; give an absolute http(s) URL like https://example.com/hooks/runtrail`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `is "${url}"; only http:// and https:// URLs are posted to`;
  return null;
}

function isWebhookSecret(secret: string): boolean {
  const match = WEBHOOK_SECRET.exec(secret);
  if (!match?.[1]) return false;
  const bytes = Buffer.from(match[1], 'base64').length;
  return bytes >= WEBHOOK_SECRET_BYTES.min && bytes <= WEBHOOK_SECRET_BYTES.max;
}

/** Stored settings read back: one kind's shape, or the data is corrupt and that is an error, never a default. */
export function contactPointSettingsOf(kind: string, json: string, where: string): ContactPointSettings {
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null) throw new Error(`Contact point settings of ${where} are not an object`);
  const fields = new Map<string, unknown>(Object.entries(value));
  const field = (name: string): unknown => fields.get(name);
  const text = (name: string): string => {
    const found = field(name);
    if (typeof found !== 'string') throw new Error(`Contact point settings of ${where} have no text "${name}"`);
    return found;
  };
  if (kind === 'WEBHOOK' || kind === 'SLACK') return { kind, url: text('url') };
  if (kind === 'EMAIL') {
    const port = field('port');
    const secure = field('secure');
    const user = field('user');
    const to = field('to');
    // Rows saved before subject prefixes existed have none.
    const subjectPrefix = field('subjectPrefix') ?? null;
    if (subjectPrefix !== null && typeof subjectPrefix !== 'string') throw new Error(`Contact point settings of ${where} have a subjectPrefix that is not text`);
    if (typeof port !== 'number' || typeof secure !== 'boolean' || (user !== null && typeof user !== 'string') || !Array.isArray(to) || !to.every((address) => typeof address === 'string')) {
      throw new Error(`Contact point settings of ${where} are not EMAIL settings`);
    }
    return { kind, host: text('host'), port, secure, user, from: text('from'), to, subjectPrefix };
  }
  throw new Error(`Unknown contact point kind "${kind}" in ${where}`);
}

/** What a contact point stores in its settings column: everything but the kind, which has its own. */
export function settingsJson(settings: ContactPointSettings): string {
  const { kind: _kind, ...rest } = settings;
  return JSON.stringify(rest);
}
