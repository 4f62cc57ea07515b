import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import type { MetricsRegistry } from '../services/metrics/metrics-registry.ts';

/**
 * Times each GraphQL operation over HTTP, from its request to its response, by type and name
 * (runtrail_graphql_operation_duration_seconds). A request whose document did not parse or
 * validate has no operation: it counts as type "unknown", unnamed.
 */
export function operationMetricsPlugin<TContext extends object>(metrics: MetricsRegistry): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operation, response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          metrics.observeOperation(operation?.operation ?? 'unknown', operation?.name?.value ?? null, errors === undefined || errors.length === 0, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
