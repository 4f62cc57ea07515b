/** A header or query parameter: the same shape as a workflow's KeyValue, declared here so this module stands below workflow-spec.ts. */
export interface NamedValue {
  name: string;
  value: string;
}

/**
 * What runs a step's work (Dagu's executors). Text fields keep their `${VAR}` references: they
 * are expanded when the step starts, from the same variables a shell step sees.
 */
export type ExecutorSpec = ShellExecutor | HttpExecutor | JqExecutor | MailExecutor | SshExecutor;
export type ExecutorKind = ExecutorSpec['kind'];

/** The step's command or script, run by its shell on the executor's host: every step without a `type`/`executor`. */
export interface ShellExecutor {
  kind: 'shell';
}

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Dagu's `http`: the step's command is `METHOD URL`. */
export interface HttpExecutor {
  kind: 'http';
  method: HttpMethod;
  url: string;
  headers: NamedValue[];
  query: NamedValue[];
  body: string | null;
  /** Seconds for the whole exchange; null: the step's timeoutSec alone bounds it. */
  timeoutSec: number | null;
  /** The log and output get the response body only (no status line and headers). */
  silent: boolean;
  /** The output is one JSON object {status_code, headers, body} (body parsed when it is JSON). */
  json: boolean;
  skipTlsVerify: boolean;
}

/** Dagu's `jq`: the step's command is the filter, its script (or `with.data`) the JSON input. */
export interface JqExecutor {
  kind: 'jq';
  filter: string;
  input: string;
  /** `-r`: strings printed without quotes. */
  raw: boolean;
}

export interface SmtpServer {
  host: string;
  port: number;
  username: string | null;
  password: string | null;
}

/** Dagu's `mail`, sent through the workflow's `smtp` server. */
export interface MailExecutor {
  kind: 'mail';
  /** The workflow's `smtp`; filled in once the whole file is read. */
  smtp: SmtpServer | null;
  from: string;
  to: string[];
  subject: string;
  message: string;
  /** Files (relative to the step's dir) attached to the mail. */
  attachments: string[];
}

/** Dagu's `ssh`: the step's command runs on `host` as `user`. */
export interface SshExecutor {
  kind: 'ssh';
  user: string;
  host: string;
  port: number;
  /** A private key file; null with no password: the first of ~/.ssh/id_rsa, id_ecdsa, id_ed25519 that exists. */
  key: string | null;
  password: string | null;
  /** Verify the server's key against `knownHostFile` (Dagu's default: true). */
  strictHostKey: boolean;
  /** Null: ~/.ssh/known_hosts. */
  knownHostFile: string | null;
}

export const SHELL_EXECUTOR: ShellExecutor = { kind: 'shell' };
