export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'SNAPSHOT_EXPIRED',
  'RATE_LIMITED',
  'RESYNC',
  'RESPONSE_TOO_LARGE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An expected failure: its code reaches the client as `extensions.code`, its message verbatim. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export const notFound = (what: string, id: string) => new AppError('NOT_FOUND', `${what} ${id} was not found`, { id });

/** The settings the server was started with cannot work; startup prints the message and exits 2. */
export class ConfigError extends Error {}

/** The code of a Node system error (`ENOENT`, `EACCES`…); null for anything else thrown. */
export function systemErrorCode(error: unknown): string | null {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : null;
}
