/** An error the server answered, as GraphQL sends it. */
export interface GraphQLErrorPayload {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/** The codes a Runtrail server puts in `extensions.code` (API.md), and RESYNC for live feeds. */
export type RuntrailErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'SNAPSHOT_EXPIRED'
  | 'RATE_LIMITED'
  | 'RESYNC'
  | 'INTERNAL_SERVER_ERROR';

/**
 * Every error the client throws. `code` is the server's `extensions.code` (any code the server
 * may add later stays readable here, on the base class); `extensions` holds the rest it sent.
 */
export class RuntrailError extends Error {
  readonly code: string;
  readonly extensions: Readonly<Record<string, unknown>>;
  /** The operation that failed (e.g. `ClientRunsPage`), or the live feed's name. */
  readonly operation: string;
  readonly path: readonly (string | number)[] | undefined;

  constructor(code: string, message: string, operation: string, extensions: Record<string, unknown> = {}, path?: readonly (string | number)[]) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.operation = operation;
    this.extensions = extensions;
    this.path = path;
  }
}

export class BadUserInputError extends RuntrailError {}
/** The token or cookie is missing, unknown, revoked or expired. */
export class UnauthenticatedError extends RuntrailError {}
export class ForbiddenError extends RuntrailError {}
export class NotFoundError extends RuntrailError {}
export class ConflictError extends RuntrailError {}
/** The snapshot (or a cursor's) is too old: read again without it. */
export class SnapshotExpiredError extends RuntrailError {}
/** A live feed fell too far behind: refetch, then follow from the new snapshot. */
export class ResyncError extends RuntrailError {}
export class InternalServerError extends RuntrailError {}

/** Too many requests, or too many history reads waiting on the server. */
export class RateLimitedError extends RuntrailError {
  /** How long the server asked to wait; null when it did not say (a busy history reader). */
  readonly retryAfterSeconds: number | null;

  constructor(message: string, operation: string, extensions: Record<string, unknown>, retryAfterSeconds: number | null, path?: readonly (string | number)[]) {
    super('RATE_LIMITED', message, operation, extensions, path);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The server could not be reached, or answered something that is not a GraphQL response. */
export class TransportError extends RuntrailError {
  /** The HTTP status, or the WebSocket close code; null when nothing was answered. */
  readonly status: number | null;

  constructor(message: string, operation: string, status: number | null, options?: { cause?: unknown }) {
    super('TRANSPORT', message, operation);
    this.status = status;
    if (options?.cause !== undefined) Object.defineProperty(this, 'cause', { value: options.cause });
  }
}

function positiveSeconds(value: unknown): number | null {
  const seconds = typeof value === 'string' ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

/**
 * The typed error for one answered GraphQL error. `retryAfter` is the HTTP Retry-After header,
 * used when the error itself carries no `retryAfterSeconds`.
 */
export function errorFromPayload(payload: GraphQLErrorPayload, operation: string, retryAfter: string | null = null): RuntrailError {
  const extensions = payload.extensions ?? {};
  const code = typeof extensions.code === 'string' ? extensions.code : 'INTERNAL_SERVER_ERROR';
  const message = payload.message;
  switch (code) {
    case 'BAD_USER_INPUT':
    case 'GRAPHQL_VALIDATION_FAILED':
    case 'GRAPHQL_PARSE_FAILED':
      return new BadUserInputError(code, message, operation, extensions, payload.path);
    case 'UNAUTHENTICATED':
      return new UnauthenticatedError(code, `${message} (operation ${operation})`, operation, extensions, payload.path);
    case 'FORBIDDEN':
      return new ForbiddenError(code, message, operation, extensions, payload.path);
    case 'NOT_FOUND':
      return new NotFoundError(code, message, operation, extensions, payload.path);
    case 'CONFLICT':
      return new ConflictError(code, message, operation, extensions, payload.path);
    case 'SNAPSHOT_EXPIRED':
      return new SnapshotExpiredError(code, message, operation, extensions, payload.path);
    case 'RATE_LIMITED':
      return new RateLimitedError(message, operation, extensions, positiveSeconds(extensions.retryAfterSeconds) ?? positiveSeconds(retryAfter), payload.path);
    case 'RESYNC':
      return new ResyncError(code, message, operation, extensions, payload.path);
    case 'INTERNAL_SERVER_ERROR':
      return new InternalServerError(code, message, operation, extensions, payload.path);
    default:
      return new RuntrailError(code, message, operation, extensions, payload.path);
  }
}
