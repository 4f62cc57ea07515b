import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { ApolloServerPlugin } from '@apollo/server';
import { getOperationAST, getVariableValues, GraphQLError, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { argumentBoundErrors } from './argument-bounds.ts';

/** The bounds every operation is held to; set from the QUERY_* settings in src/config.ts. */
export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
  /** The most lexical tokens a document may have: parsing stops there, before validation spends time on it. */
  maxTokens: number;
  /** The most items any list argument may hold (ids, statuses, ...). */
  maxListItems: number;
  /** The largest HTTP body and the largest WebSocket message accepted, before authentication. */
  requestMaxBytes: number;
  /** What one operation may put in its answer from large values (step logs), in bytes. */
  responseMaxBytes: number;
}

const LIMIT_CODE = 'GRAPHQL_VALIDATION_FAILED';

// graphql-query-complexity's own default, named: beyond it the estimate itself would cost too much.
const MAX_QUERY_NODES = 10_000;

/** Refuses operations nested deeper than the limit, before anything runs. */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return maxDepthRule({
    n: maxDepth,
    flattenFragments: true,
    propagateOnRejection: false,
    onReject: [
      (context, error) => {
        const found = /found (\d+)/.exec(error.message)?.[1];
        context?.reportError(
          new GraphQLError(`The operation is nested ${found ?? 'too'} levels deep; the limit is ${maxDepth} (QUERY_MAX_DEPTH). Ask for fewer nested fields.`, {
            extensions: { code: LIMIT_CODE, limit: maxDepth, depth: found === undefined ? null : Number(found) },
          }),
        );
      },
    ],
  });
}

/**
 * What must hold before an operation runs, in the order a client would fix it: its variables
 * coerce to their declared types (BAD_USER_INPUT, as graphql-js words it), every argument is
 * within its bounds (see argumentBoundErrors), and its estimated cost is within the limit:
 * one per field, lists weighted by their page size, counts, trends and logs by what they read
 * (see each field's `complexity`). A refused cost comes with the figure.
 */
export function operationLimitErrors(
  schema: GraphQLSchema,
  query: DocumentNode,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  limits: QueryLimits,
): GraphQLError[] {
  const operation = getOperationAST(query, operationName);
  // No operation to run: graphql-js reports that itself, in the words of the specification.
  if (!operation) return [];
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return coerced.errors.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT' } }));
  const argumentErrors = argumentBoundErrors(schema, query, operation, coerced.coerced, limits.maxListItems);
  if (argumentErrors.length > 0) return argumentErrors;
  return complexityErrors(schema, query, variables, operationName, limits.maxComplexity);
}

function complexityErrors(schema: GraphQLSchema, query: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined, maxComplexity: number): GraphQLError[] {
  let complexity: number;
  try {
    complexity = getComplexity({ schema, query, variables, operationName, context: {}, maxQueryNodes: MAX_QUERY_NODES, estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })] });
  } catch (error) {
    // The one refusal getComplexity raises once variables coerce: more selections than it will walk.
    if (!(error instanceof GraphQLError)) throw error;
    return [
      new GraphQLError(`The operation selects more than ${MAX_QUERY_NODES} fields; ask for fewer fields or fewer aliases.`, {
        extensions: { code: LIMIT_CODE, limit: MAX_QUERY_NODES },
      }),
    ];
  }
  if (complexity <= maxComplexity) return [];
  return [
    new GraphQLError(
      `The operation's estimated cost is ${complexity}; the limit is ${maxComplexity} (QUERY_MAX_COMPLEXITY). Ask for smaller pages (first/last), fewer counts or shorter logs, or fewer aliases.`,
      { extensions: { code: LIMIT_CODE, limit: maxComplexity, complexity } },
    ),
  ];
}

/**
 * Apollo plugin: the checks need the variables, so they run once the operation is resolved.
 * Apollo answers an error thrown here with 500 unless it names its status: each is a client
 * mistake, so 400, as the GraphQL-over-HTTP specification asks for a request that cannot run.
 */
export function operationLimitsPlugin(schema: GraphQLSchema, limits: QueryLimits): ApolloServerPlugin {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ request, document }) => {
        const [error] = operationLimitErrors(schema, document, request.variables ?? {}, request.operationName ?? undefined, limits);
        if (error) throw new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, http: { status: 400 } } });
      },
    }),
  };
}
