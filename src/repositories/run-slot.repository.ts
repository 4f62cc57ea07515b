import type { Db } from '../db/client.ts';

/** The RunSlot scope of a workflow's places under its maxActiveRuns ("global" holds MAX_ACTIVE_RUNS). */
export function workflowSlotScope(workflowId: string): string {
  return `wf:${workflowId}`;
}

/** The places runs hold under the limits (claimed and released by RunClaimRepository), read for reporting. */
export class RunSlotRepository {
  constructor(private readonly deps: { db: Db }) {}

  /** Places taken in each of these scopes; a scope with none is missing. */
  async countByScopes(scopes: readonly string[]): Promise<Map<string, number>> {
    const groups = await this.deps.db.runSlot.groupBy({ by: ['scope'], where: { scope: { in: [...scopes] } }, _count: { _all: true } });
    return new Map(groups.map((group) => [group.scope, group._count._all]));
  }
}
