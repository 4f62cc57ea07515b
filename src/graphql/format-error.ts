import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import { AppError } from '../domain/errors.ts';

// Codes that graphql-js, Apollo and our own context raise for client mistakes: passed through.
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
]);

// graphql-js's own words when `maxTokens` stops a parse (its typo included); matched to name our setting.
const TOKEN_LIMIT_MESSAGE = /Document contains more th[ae]t? (\d+) tokens/;

/** The token limit's refusal in words that name the setting; any other parse error as it is. */
function namingTheTokenLimit(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const limit = TOKEN_LIMIT_MESSAGE.exec(formatted.message)?.[1];
  if (limit === undefined) return formatted;
  return {
    ...formatted,
    message: `The operation has more than ${limit} tokens, the limit (QUERY_MAX_TOKENS); send fewer fields, aliases or literal values in one operation`,
    extensions: { ...formatted.extensions, limit: Number(limit) },
  };
}

/**
 * The one place errors become client answers: AppErrors keep their code and message,
 * client mistakes pass through, and anything else is logged with its stack and masked.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof AppError) {
      return { message: original.message, locations: formatted.locations, path: formatted.path, extensions: { ...original.details, code: original.code } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) {
      // The client's mistake, answered with a 4xx: worth seeing, not worth waking anyone for.
      logger.info({ code, path: formatted.path, message: formatted.message }, 'graphql.client_error');
      return code === 'GRAPHQL_PARSE_FAILED' ? namingTheTokenLimit(formatted) : formatted;
    }
    logger.error({ err: original, path: formatted.path }, 'graphql.internal_error');
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
