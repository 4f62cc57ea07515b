export { createClient, type CreateClientOptions, type RuntrailClient, type Run, type RunSummary, type RunEvent, type AlertEvent, type StatusCounts, type RunEventsOptions, type AlertEventsOptions, type StatusCountsOptions } from './client.ts';
export { ClientOptionsError, type ClientOptions, type TokenOptions, type CookieOptions, type FetchLike, type WebSocketLike } from './client-options.ts';
export {
  RuntrailError,
  BadUserInputError,
  UnauthenticatedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  SnapshotExpiredError,
  RateLimitedError,
  ResyncError,
  InternalServerError,
  TransportError,
  type RuntrailErrorCode,
} from './errors.ts';
export type { DateMode, Dated, WithDates, DateTimeBrand } from './dates.ts';
export type { FeedOptions, ReconnectOptions, ResyncHandler } from './live-feed.ts';
export { MAX_PAGE_SIZE, type RunPages, type RunsOptions, type RunsSummary } from './runs-pager.ts';
export type { StringDocument } from './http-transport.ts';
export type * from './generated/graphql.ts';
export { TypedDocumentString } from './generated/graphql.ts';
