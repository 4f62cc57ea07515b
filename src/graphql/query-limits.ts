import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { QueryLimits } from '../config.ts';

const LIMIT_CODE = 'GRAPHQL_VALIDATION_FAILED';

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
 * The estimated cost of an operation: one per field, lists of runs weighted by their page size
 * (see the `complexity` of the `runs` field). Refused above the limit, with the figure.
 */
export function complexityErrors(
  schema: GraphQLSchema,
  query: DocumentNode,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  maxComplexity: number,
): GraphQLError[] {
  const complexity = getComplexity({ schema, query, variables, operationName, estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })] });
  if (complexity <= maxComplexity) return [];
  return [
    new GraphQLError(
      `The operation's estimated cost is ${complexity}; the limit is ${maxComplexity} (QUERY_MAX_COMPLEXITY). Ask for smaller pages (first/last) or fewer nested lists.`,
      { extensions: { code: LIMIT_CODE, limit: maxComplexity, complexity } },
    ),
  ];
}

/** Apollo plugin: the complexity check needs the variables, so it runs once the operation is resolved. */
export function complexityLimitPlugin(schema: GraphQLSchema, limits: QueryLimits): ApolloServerPlugin {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ request, document }) => {
        const [error] = complexityErrors(schema, document, request.variables ?? {}, request.operationName ?? undefined, limits.maxComplexity);
        if (error) throw error;
      },
    }),
  };
}
