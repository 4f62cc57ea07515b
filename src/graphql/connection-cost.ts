import type { ComplexityEstimator, ComplexityEstimatorArgs } from 'graphql-query-complexity';

/**
 * A connection costs 1, plus its page size times one edge, plus its other fields once: its
 * counts (totalCount, statusCounts) are read once per connection, not once per edge. The
 * estimator sees a field's children before the field, so each `edges` leaves its cost here
 * under the estimate's context and the connection field above it takes it up.
 */
const pendingEdges = new WeakMap<object, number>();

function estimateContext({ context }: ComplexityEstimatorArgs): object {
  if (!context) throw new Error('A connection was estimated without a context: pass one to getComplexity');
  return context;
}

export const edgesComplexity: ComplexityEstimator = (estimate) => {
  const context = estimateContext(estimate);
  pendingEdges.set(context, (pendingEdges.get(context) ?? 0) + 1 + estimate.childComplexity);
  return 0;
};

export function connectionComplexity(pageSize: (args: Record<string, unknown>) => number): ComplexityEstimator {
  return (estimate) => {
    const context = estimateContext(estimate);
    const edges = pendingEdges.get(context) ?? 0;
    pendingEdges.delete(context);
    return 1 + estimate.childComplexity + edges * pageSize(estimate.args);
  };
}

/**
 * A size argument (a page size, a byte limit) as the estimate counts it: within [1, max], so
 * that a size the service will refuse (naming the argument) neither inflates the estimate past
 * that refusal nor, negative, pays for the cost of other fields.
 */
export function sizeForCost(value: unknown, fallback: number, max: number): number {
  const size = value === undefined || value === null ? fallback : Number(value);
  return Number.isFinite(size) ? Math.min(Math.max(size, 1), max) : max;
}

/**
 * What one count of a filter costs: it reads a rollup row per hour and status of its range (all
 * of history when the range is open), plus the partial edge hours and the events after its
 * snapshot. Weighted so that the aliases a limit admits cannot keep the database busy for long.
 */
export const COUNTS_COMPLEXITY = 100;
